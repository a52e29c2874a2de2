"""Membership attacks with ground truth: an over-fitted model leaks, a well-regularised one does not.

Each record carries one feature of its own (like a unique token in a text): a weakly regularised
model memorises members through it, which is exactly what a reference-model attack detects and a
plain loss threshold partly misses (easy non-members also get confident predictions).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from assess.errors import InputError
from assess.leakage import make_retrainer, run_membership_attacks
from assess.leakage.steps import features_labels_ids, membership_metrics


def records(n: int = 300, seed: int = 0, label_noise: float = 0.15):
    """Members and non-members: 10 shared Gaussian features + one indicator feature per record."""
    rng = np.random.default_rng(seed)
    weights = rng.normal(size=10)
    shared = rng.normal(size=(2 * n, 10))
    y = (shared @ weights + rng.normal(scale=2.0, size=2 * n) > 0).astype(int)
    flipped = rng.random(2 * n) < label_noise
    y[flipped] = 1 - y[flipped]
    X = np.hstack([shared, np.eye(2 * n)])
    ids = np.asarray([f"r{i:04d}" for i in range(2 * n)])
    return (X[:n], y[:n], ids[:n]), (X[n:], y[n:], ids[n:])


def train_reference(X, y, *, seed):
    """A training function for retrain='module:function' (this test module is importable)."""
    return LogisticRegression(C=10.0, max_iter=5000).fit(X, y)


@pytest.fixture(scope="module")
def overfit_result():
    members, non_members = records()
    target = LogisticRegression(C=10.0, max_iter=5000).fit(members[0], members[1])
    return run_membership_attacks(target, members, non_members, retrainer=make_retrainer("clone", target),
                                  reference_models=8, seed=0)


def test_overfit_model_leaks_and_reference_attack_beats_loss_attack(overfit_result):
    metrics = overfit_result.metrics
    assert metrics["loss"]["auc"] > 0.65
    assert metrics["lira_online"]["auc"] > metrics["loss"]["auc"]
    assert metrics["lira_online"]["tpr_at_1pct_fpr"] > 0.3
    assert metrics["lira_online"]["tpr_at_1pct_fpr"] >= 2 * metrics["loss"]["tpr_at_1pct_fpr"] + 0.1
    assert metrics["lira_offline"]["tpr_at_1pct_fpr"] > metrics["loss"]["tpr_at_1pct_fpr"]
    assert overfit_result.details["evaluated_per_side"] == 300


def test_well_regularised_model_stays_near_chance():
    members, non_members = records(seed=1)
    target = LogisticRegression(C=0.001, max_iter=5000).fit(members[0], members[1])
    result = run_membership_attacks(target, members, non_members, retrainer=make_retrainer("clone", target),
                                    reference_models=8, seed=0)
    for attack, metrics in result.metrics.items():
        assert abs(metrics["auc"] - 0.5) < 0.08, attack
        assert metrics["tpr_at_1pct_fpr"] < 0.08, attack


def test_most_exposed_lists_members_by_id_only(overfit_result):
    exposed = overfit_result.most_exposed("lira_online", top=5)
    assert list(exposed.columns) == ["rank", "record_id", "score"]
    assert exposed["record_id"].str.fullmatch(r"r0[0-2]\d\d").all()  # members are r0000..r0299
    assert exposed["score"].is_monotonic_decreasing


def test_retrain_by_named_function_matches_clone():
    members, non_members = records(n=120, seed=2)
    target = LogisticRegression(C=10.0, max_iter=5000).fit(members[0], members[1])
    by_clone = run_membership_attacks(target, members, non_members, retrainer=make_retrainer("clone", target),
                                      reference_models=4, attacks=("lira_online",), seed=0)
    by_function = run_membership_attacks(target, members, non_members,
                                         retrainer=make_retrainer("test_leakage_membership:train_reference"),
                                         reference_models=4, attacks=("lira_online",), seed=0)
    np.testing.assert_allclose(by_clone.scores["lira_online"], by_function.scores["lira_online"], rtol=1e-6)


def test_flattened_metric_names_are_stable(overfit_result):
    names = membership_metrics(overfit_result.metrics)
    for attack in ("loss", "lira_online", "lira_offline"):
        for metric in ("auc", "tpr_at_0_1pct_fpr", "tpr_at_1pct_fpr", "advantage"):
            assert f"mia_{attack}_{metric}" in names
    assert names["mia_max_tpr_at_1pct_fpr"] == max(m["tpr_at_1pct_fpr"] for m in overfit_result.metrics.values())


def test_bad_inputs_give_one_line_errors():
    members, non_members = records(n=30)
    target = LogisticRegression().fit(members[0], members[1])
    with pytest.raises(InputError, match="retrain"):
        make_retrainer("nonsense")
    with pytest.raises(InputError, match="cannot be imported"):
        make_retrainer("no_such_module_xyz:train")
    with pytest.raises(InputError, match="scikit-learn estimator"):
        make_retrainer("clone", object())
    with pytest.raises(InputError, match="retrainer"):
        run_membership_attacks(target, members, non_members, reference_models=4)
    with pytest.raises(InputError, match="unknown attacks"):
        run_membership_attacks(target, members, non_members, attacks=("magic",), reference_models=0)
    with pytest.raises(InputError, match="label_column"):
        features_labels_ids(pd.DataFrame({"id": ["a"], "text": ["x"]}), id_column="id", text_column="text",
                            label_column=None, role="train")
