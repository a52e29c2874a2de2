"""Label audit: planted wrong labels are found (ground truth), and bad input fails clearly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from assess.errors import InputError
from assess.labels import audit, inject_noise
from assess.labels.probabilities import calibrate_margins

# Floors for the audit on easy, well-separated data with planted noise. Measured values are
# higher (precision ~0.95-1.0, recall ~0.9-1.0); the floors leave room for other library versions.
PRECISION_FLOOR = 0.85
RECALL_FLOOR = 0.80

TEMPLATES = {
    "billing": {"en": ["why is my bill {n} dollars", "charged twice for invoice {n}", "question about my monthly bill"],
                "zh": ["账单多扣了{n}元", "发票{n}金额不对", "这个月账单有问题"]},
    "delivery": {"en": ["where is my parcel {n}", "courier has not arrived", "tracking {n} not updated"],
                 "zh": ["快递{n}到哪了", "包裹还没送到", "物流{n}一直不更新"]},
    "account": {"en": ["cannot log in to account {n}", "reset my password please", "change the email on my account"],
                "zh": ["账号{n}登录不上", "忘记密码怎么重置", "修改账号绑定的邮箱"]},
    "refund": {"en": ["I want my money back for order {n}", "refund has not arrived", "return item {n} for a refund"],
               "zh": ["订单{n}我要退款", "退款还没到账", "退货退款{n}"]},
}


def make_intents(n: int = 320, seed: int = 0) -> pd.DataFrame:
    """Small zh/en customer-service utterances with clean labels."""
    rng = np.random.default_rng(seed)
    labels = list(TEMPLATES)
    rows = []
    for index in range(n):
        label = labels[index % len(labels)]
        lang = "zh" if rng.random() < 0.5 else "en"
        template = TEMPLATES[label][lang][int(rng.integers(3))]
        rows.append({"id": f"r{index:04d}", "text": template.format(n=int(rng.integers(100, 999))), "label": label})
    return pd.DataFrame(rows)


def precision_recall(flagged, truth) -> tuple[float, float]:
    flagged, truth = set(flagged), set(truth)
    hits = len(flagged & truth)
    return hits / max(len(flagged), 1), hits / max(len(truth), 1)


def blobs(n: int = 400, seed: int = 0):
    from sklearn.datasets import make_blobs

    return make_blobs(n_samples=n, centers=4, n_features=6, cluster_std=1.0, center_box=(-8, 8), random_state=seed)


def test_tabular_noise_is_found():
    X, y = blobs()
    noisy = inject_noise(y, 0.10, "symmetric", seed=1)
    truth = np.flatnonzero(noisy != y)
    result = audit(X, noisy, cv=5, ids=[f"x{i}" for i in range(len(y))])
    precision, recall = precision_recall(result.suspect_ids, [f"x{i}" for i in truth])
    assert precision >= PRECISION_FLOOR and recall >= RECALL_FLOOR, (precision, recall)
    assert abs(result.noise_rate - 0.10) <= 0.04
    assert np.allclose(result.noise_matrix.sum(axis=0), 1.0)
    assert np.isclose(result.joint.to_numpy().sum(), 1.0)
    # ranked: most suspicious (lowest self-confidence) first; suggested labels fix most flips
    assert result.suspects["self_confidence"].is_monotonic_increasing
    suggested = result.suspects.set_index("id")["suggested_label"]
    true_labels = {f"x{i}": str(y[i]) for i in truth}
    fixed = np.mean([suggested[i] == true_labels[i] for i in suggested.index if i in true_labels])
    assert fixed >= 0.9


def test_text_noise_is_found_and_ranked_first():
    frame = make_intents()
    planted = frame.sample(frac=0.06, random_state=3).index
    labels = frame["label"].copy()
    others = {label: [o for o in TEMPLATES if o != label] for label in TEMPLATES}
    rng = np.random.default_rng(4)
    labels[planted] = [others[label][int(rng.integers(3))] for label in labels[planted]]
    truth = frame.loc[planted, "id"].tolist()
    result = audit(frame["text"], labels, ids=frame["id"])
    precision, recall = precision_recall(result.suspect_ids, truth)
    assert precision >= PRECISION_FLOOR and recall >= RECALL_FLOOR, (precision, recall)
    top = result.scores.sort_values("rank").head(len(truth))["id"]
    assert top.isin(truth).mean() >= 0.8
    assert result.settings["vectorizer"].startswith("TfidfVectorizer(analyzer=char_wb")
    assert set(result.quality["model"]) >= {"logistic_regression", "average"}


def test_subject_model_type_is_cloned_and_refitted():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    frame = make_intents(240, seed=5)
    planted = frame.sample(n=15, random_state=6).index
    labels = frame["label"].copy()
    labels[planted] = ["refund" if label != "refund" else "billing" for label in labels[planted]]
    subject = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3)), LogisticRegression(C=10))
    result = audit(frame["text"], labels, model=subject, cv=4, ids=frame["id"])
    assert not hasattr(subject[-1], "coef_"), "the subject's model must be cloned, not fitted"
    assert result.members == ["TfidfVectorizer + LogisticRegression"]
    precision, recall = precision_recall(result.suspect_ids, frame.loc[planted, "id"])
    assert precision >= 0.7 and recall >= 0.7, (precision, recall)


def test_rare_classes_are_flagged_not_fatal():
    frame = make_intents(200, seed=7)
    labels = frame["label"].copy()
    labels[[3, 50]] = "refunds"  # a typo'd class with two records
    result = audit(frame["text"], labels, ids=frame["id"])
    rare = result.scores[result.scores["given_label"] == "refunds"]
    assert rare["is_suspect"].all() and (rare["reason"] == "rare class").all()
    assert rare["suggested_label"].tolist() == frame.loc[[3, 50], "label"].tolist()
    assert set(rare["id"]) <= set(result.suspects.head(5)["id"])
    assert result.settings["rare_classes"] == ["refunds"]
    assert "refunds" not in result.noise_matrix.index
    assert result.noise_rate >= 2 / 200


def test_clean_labels_give_few_suspects():
    X, y = blobs(300, seed=2)
    result = audit(X, y, refine=False)
    assert len(result.suspects) <= 0.02 * len(y)
    assert result.noise_rate <= 0.03


def test_margin_classifier_is_calibrated():
    from sklearn.svm import LinearSVC

    X, y = blobs(200, seed=3)
    result = audit(X, y, model=LinearSVC(), cv=3, refine=False)
    assert np.allclose(result.pred_probs.sum(axis=1), 1.0)
    assert result.quality["accuracy"].iloc[0] >= 0.95
    binary = calibrate_margins(np.column_stack([-np.arange(-5, 5.0), np.arange(-5, 5.0)]), (np.arange(10) >= 5).astype(int))
    assert np.allclose(binary.sum(axis=1), 1.0) and binary[-1, 1] > 0.5 > binary[0, 1]


@pytest.mark.parametrize("kwargs, message", [
    ({"labels": ["a", "b"] * 10 + ["a"]}, "labels for 20 feature rows"),
    ({"labels": ["a"] * 20}, "only one class"),
    ({"labels": ["a"] * 17 + ["b"] * 3}, "fewer than two classes have 5 or more records"),
    ({"labels": ["a"] * 7 + ["b"] * 10 + ["c"] * 3, "rare_classes": "error"}, "'c' \\(3\\) have fewer than 5 rows"),
    ({"ids": ["same"] * 20}, "ids repeat"),
    ({"filter_by": "nope"}, "filter_by='nope' is not known"),
    ({"cv": 1}, "2 or more folds"),
    ({"model": object()}, "neither predict_proba nor decision_function"),
    ({"labels": ["a", None] * 10}, "have no label"),
])
def test_bad_input_is_named(kwargs, message):
    arguments = {"features": np.random.default_rng(0).normal(size=(20, 3)), "labels": ["a", "b"] * 10}
    arguments.update(kwargs)
    with pytest.raises(InputError, match=message):
        audit(**arguments)


def test_missing_feature_values_are_refused():
    X = np.random.default_rng(0).normal(size=(20, 3))
    X[4, 1] = np.nan
    with pytest.raises(InputError, match="missing or infinite"):
        audit(X, ["a", "b"] * 10)
    with pytest.raises(InputError, match="missing or not strings"):
        audit(pd.Series(["x"] * 19 + [None]), ["a", "b"] * 10)
