"""Injected noise and the noise-sensitivity curve."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from assess.errors import InputError
from assess.labels import inject_noise, noise_sensitivity
from assess.labels.noise import ClassConditionalNoise
from assess.labels.sensitivity import NoiseCurve


def test_symmetric_noise_flips_exactly_the_rate():
    labels = np.repeat(["a", "b", "c"], 100)
    noisy = inject_noise(labels, 0.2, "symmetric", seed=0)
    assert (noisy != labels).sum() == 60
    assert set(noisy) == {"a", "b", "c"}
    assert (inject_noise(labels, 0.0, "symmetric") == labels).all()
    assert not (inject_noise(labels, 0.2, seed=1) == noisy).all()


def test_class_conditional_noise_uses_few_targets_per_class():
    labels = np.repeat(np.arange(5), 80)
    noisy = inject_noise(labels, 0.25, "class_conditional", seed=3)
    for true in range(5):
        moved = noisy[(labels == true) & (noisy != labels)]
        assert len(moved) == 20
        assert 1 <= len(set(moved)) <= 2 and true not in set(moved)
    matrix = ClassConditionalNoise().matrix(5, 0.25, np.random.default_rng(0))
    assert np.allclose(matrix.sum(axis=0), 1.0) and np.allclose(np.diag(matrix), 0.75)


@pytest.mark.parametrize("rate, kind, message", [(1.0, "symmetric", "between 0 and 1"), (-0.1, "symmetric", "between 0 and 1"),
                                                 (0.1, "sideways", "noise kind 'sideways' is not known")])
def test_bad_noise_settings_are_named(rate, kind, message):
    with pytest.raises(InputError, match=message):
        inject_noise(["a", "b"] * 5, rate, kind)


def test_curve_metrics_from_known_runs():
    runs = pd.DataFrame([
        {"kind": "symmetric", "rate": rate, "repeat": r, "accuracy": acc, "macro_f1": acc - 0.01}
        for rate, acc in [(0.0, 0.95), (0.05, 0.94), (0.1, 0.93), (0.2, 0.85), (0.3, 0.80)] for r in range(3)
    ])
    curve = NoiseCurve(runs, "model")
    assert curve.tolerated_rate(0.02) == 0.1
    assert curve.tolerated_rate(0.005) == 0.0
    assert curve.tolerated_rate(0.2) == 0.3
    expected = np.polyfit(runs["rate"], runs["accuracy"], 1)[0]
    assert curve.slope("symmetric") == pytest.approx(expected)
    summary = curve.summary()
    assert (summary["low"] == summary["mean"]).all()  # identical repeats: a zero-width interval
    assert summary.loc[(summary["rate"] == 0.2) & (summary["metric"] == "accuracy"), "drop"].item() == pytest.approx(0.10)


def test_sensitivity_curve_on_data_degrades_with_noise():
    from sklearn.datasets import make_blobs
    from sklearn.tree import DecisionTreeClassifier

    X, y = make_blobs(n_samples=500, centers=[(-5, 0), (5, 0), (0, 7)], cluster_std=2.0, random_state=0)
    # An unpruned tree memorises flipped labels, so its holdout accuracy falls with the rate.
    curve = noise_sensitivity(DecisionTreeClassifier(random_state=0), X[:350], y[:350], X[350:], y[350:],
                              rates=(0.0, 0.1, 0.3), repeats=2)
    assert len(curve.runs) == 2 * 3 * 2
    summary = curve.summary().set_index(["kind", "rate", "metric"])
    for kind in ("symmetric", "class_conditional"):
        assert summary.loc[(kind, 0.3, "accuracy"), "mean"] < summary.loc[(kind, 0.0, "accuracy"), "mean"] - 0.05
        assert curve.slope(kind) < 0
    metrics = curve.metrics(tolerance=0.02)
    assert metrics["tolerated_noise_rate"] <= 0.1 and metrics["clean_accuracy"] > 0.8


def test_holdout_with_unseen_labels_is_refused():
    X = np.random.default_rng(0).normal(size=(30, 2))
    with pytest.raises(InputError, match="'z' do not occur in training"):
        noise_sensitivity(None, X, ["a", "b"] * 15, X[:4], ["a", "b", "z", "a"], repeats=1)
