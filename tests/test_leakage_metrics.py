"""Attack metrics, confidences and the reference-attack arithmetic on arrays with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from assess.errors import InputError
from assess.leakage import (attack_metrics, balanced_evaluation, half_assignment, lira_offline_scores,
                            lira_online_scores, logit_confidence, membership_advantage, roc, tpr_at_fpr)


def test_perfect_and_inverted_attacks():
    is_member = np.array([True] * 50 + [False] * 50)
    perfect = attack_metrics(np.r_[np.ones(50), np.zeros(50)], is_member)
    assert perfect["auc"] == 1.0 and perfect["tpr_at_1pct_fpr"] == 1.0 and perfect["advantage"] == 1.0
    inverted = attack_metrics(np.r_[np.zeros(50), np.ones(50)], is_member)
    assert inverted["auc"] == 0.0 and inverted["tpr_at_1pct_fpr"] == 0.0 and inverted["advantage"] == 0.0


def test_tpr_at_fpr_counts_members_above_the_first_false_positive():
    # 100 non-members score 0..99; 10 members score 1000+ and 10 score 95.5 (above 4 non-members).
    scores = np.r_[np.full(10, 1000.0), np.full(10, 95.5), np.arange(100.0)]
    is_member = np.r_[np.ones(20, bool), np.zeros(100, bool)]
    fpr, tpr = roc(scores, is_member)
    assert tpr_at_fpr(fpr, tpr, 0.0) == 0.5
    assert tpr_at_fpr(fpr, tpr, 0.01) == 0.5     # one false positive would be 1%: the 95.5s come with 4
    assert tpr_at_fpr(fpr, tpr, 0.04) == 1.0
    assert membership_advantage(fpr, tpr) == pytest.approx(1.0 - 0.04)


def test_metrics_refuse_one_sided_or_non_finite_input():
    with pytest.raises(InputError):
        attack_metrics([0.1, 0.2], [True, True])
    with pytest.raises(InputError):
        attack_metrics([0.1, np.nan], [True, False])


def test_logit_confidence_keeps_resolution_for_confident_models():
    proba = np.array([[1 - 1e-12, 1e-12], [0.5, 0.5], [0.2, 0.8]])
    phi = logit_confidence(proba, ["a", "b"], ["a", "a", "a"])
    assert phi[0] == pytest.approx(np.log((1 - 1e-12) / 1e-12), rel=1e-6)  # 1 - p would round badly
    assert phi[1] == pytest.approx(0.0)
    assert phi[2] == pytest.approx(np.log(0.25))
    unknown = logit_confidence(proba[:1], ["a", "b"], ["zzz"])
    assert unknown[0] == -30.0  # clipped: a label the model does not know


def test_half_assignment_is_balanced_per_example():
    mask = half_assignment(200, 8, seed=3)
    assert mask.shape == (8, 200)
    assert (mask.sum(axis=0) == 4).all()
    assert abs(mask.sum(axis=1).mean() - 100) < 1e-9
    odd = half_assignment(200, 5, seed=3)
    assert set(odd.sum(axis=0)) == {2, 3}
    with pytest.raises(InputError):
        half_assignment(10, 1)


def test_balanced_evaluation_draws_equal_sides():
    members, non_members = balanced_evaluation(1000, 300, seed=1)
    assert len(members) == len(non_members) == 300
    members, non_members = balanced_evaluation(1000, 300, max_per_side=50, seed=1)
    assert len(set(members)) == len(members) == 50


def test_lira_scores_follow_the_reference_gaussians():
    # Example 0: IN references say ~5, OUT say ~0; the target says 5 -> member-like (positive LR).
    # Example 1: same references, target says 0 -> non-member-like.
    rng = np.random.default_rng(0)
    k = 16
    in_mask = np.zeros((k, 2), bool)
    in_mask[: k // 2] = True
    reference = np.where(in_mask, 5.0, 0.0) + rng.normal(scale=0.5, size=(k, 2))
    online = lira_online_scores(np.array([5.0, 0.0]), reference, in_mask)
    assert online[0] > 10 and online[1] < -10
    offline = lira_offline_scores(np.array([5.0, 0.0]), reference, ~in_mask)
    assert offline[0] > 5 and abs(offline[1]) < 2
    per_example = lira_online_scores(np.array([5.0, 0.0]), reference, in_mask, variance="per_example")
    assert per_example[0] > 0 > per_example[1]


def test_every_metric_name_is_documented_in_the_doc_and_the_notebook():
    import json
    from pathlib import Path

    from assess.leakage.metric_names import METRICS

    root = Path(__file__).resolve().parent.parent
    doc = (root / "docs" / "metrics_model_leakage.md").read_text(encoding="utf-8")
    notebook = json.loads((root / "notebooks" / "model_leakage.ipynb").read_text(encoding="utf-8"))
    markdown = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    for name in METRICS:
        assert f"`{name}`" in doc, name
        assert f"`{name}`" in markdown, name
    assert notebook["metadata"]["assess"]["name"] == "model_leakage"
