"""Small perturbations and prediction stability."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest

from assess.errors import InputError
from assess.labels import perturb_tabular, perturb_texts, prediction_stability
from assess.labels.perturb import TEXT_PERTURBATIONS, homoglyphs

TEXTS = ["Where is my parcel, order 12345?", "我的快递到哪里了？订单号12345", "Reset my password please", "账号登录不上了"]


@pytest.mark.parametrize("name", list(TEXT_PERTURBATIONS))
def test_perturbations_are_small_seeded_and_change_text(name):
    once = perturb_texts(TEXTS, name, seed=1, keys=["a", "b", "c", "d"])
    assert once == perturb_texts(TEXTS, name, seed=1, keys=["a", "b", "c", "d"])
    changed = [a != b for a, b in zip(once, TEXTS)]
    assert sum(changed) >= 3
    for before, after in zip(TEXTS, once):
        assert abs(len(after) - len(before)) <= 4


def test_width_and_cjk_homoglyphs_are_invisible_after_nfkc():
    perturbed = perturb_texts(TEXTS, "width", seed=2)
    assert perturbed[3] == TEXTS[3]  # nothing to convert: left alone (and not counted as perturbed)
    for before, after in zip(TEXTS[:3], perturbed[:3]):
        assert after != before
        assert unicodedata.normalize("NFKC", after).replace("\u3000", " ") == unicodedata.normalize("NFKC", before)
    table = homoglyphs()
    assert table["o"] == "о" and unicodedata.name(table["o"]).startswith("CYRILLIC")
    cjk = {k: v for k, v in table.items() if "\u4e00" <= k <= "\u9fff"}
    assert len(cjk) > 100 and all(unicodedata.normalize("NFKC", v) == k for k, v in cjk.items())


def test_tabular_noise_is_scaled_by_spread():
    values = np.column_stack([np.linspace(0, 1, 200), np.linspace(0, 1000, 200), np.ones(200)])
    noisy = perturb_tabular(values, scale=0.1, seed=0)
    shift = (noisy - values).std(axis=0)
    assert shift[1] / shift[0] == pytest.approx(1000, rel=0.25)
    assert shift[2] == 0


class Lookup:
    """Knows the exact training texts only: any edit changes its answer."""

    def __init__(self, texts):
        self.table = {t: f"label{i % 2}" for i, t in enumerate(texts)}

    def predict(self, texts):
        return [self.table.get(t, "unknown") for t in texts]


def test_stability_counts_changed_predictions():
    brittle = prediction_stability(Lookup(TEXTS), TEXTS, ids=["a", "b", "c", "d"])
    assert brittle.flip_rate == 1.0 and brittle.any_flip_rate == 1.0
    assert set(brittle.changes.columns) == {"id", "perturbation", "before", "after"}
    steady = prediction_stability(lambda texts: ["same"] * len(texts), TEXTS)
    assert steady.flip_rate == 0.0 and steady.changes.empty
    assert set(steady.per_perturbation["perturbation"]) == set(TEXT_PERTURBATIONS)


def test_tabular_stability_near_a_threshold():
    X = np.column_stack([np.linspace(-1, 1, 400), np.zeros(400)])
    threshold = prediction_stability(lambda v: (v[:, 0] > 0).astype(int), X, scale=0.05)
    assert 0 < threshold.flip_rate < 0.1  # only records near 0 flip
    assert threshold.per_perturbation["perturbation"].tolist() == ["gaussian_noise"]


def test_bad_stability_input_is_named():
    with pytest.raises(InputError, match="perturbation 'rot13' is not known"):
        prediction_stability(lambda t: t, TEXTS, perturbations=["rot13"])
    with pytest.raises(InputError, match="predict"):
        prediction_stability(42, TEXTS)
