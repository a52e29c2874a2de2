"""Whether members and non-members differ in plain text features: the "blind" baseline.

A membership-inference evaluation needs members and non-members drawn from the same
distribution. When they are not (non-members collected later, from another source, of another
length or language), a classifier that never sees the model separates them as well as an attack
does, and the attack's AUC measures the shift, not memorisation (Maini et al., 2024; Das et al.,
2024). This baseline is run beside every attack: above :data:`SHIFT_AUC_WARNING` the attack
figures are not evidence of memorisation.

References
----------
Maini, Jia, Papernot, Dziedzic (2024). LLM dataset inference: did you train on my dataset?
NeurIPS.
Das, Zhang, Tramer (2024). Blind baselines beat membership inference attacks for foundation
models. arXiv:2406.16201.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from assess.errors import InputError

#: Out-of-fold AUC of the blind classifier above which the member/non-member split is shifted.
SHIFT_AUC_WARNING = 0.6

FEATURES = "character 1-3-gram TF-IDF and log text length, logistic regression, stratified k-fold out-of-fold"


def _log_length(texts) -> np.ndarray:
    return np.log1p(np.fromiter((len(text) for text in texts), dtype=np.float64)).reshape(-1, 1)


def _blind_classifier(seed: int):
    # Characters, not words: Chinese has no spaces, and 1-3-grams catch both scripts.
    return make_pipeline(
        make_union(TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True, min_df=1),
                   make_pipeline(FunctionTransformer(_log_length), StandardScaler())),
        LogisticRegression(max_iter=1000, random_state=seed))


def _sample(texts: list[str], size: int, rng: np.random.Generator) -> list[str]:
    return [texts[i] for i in np.sort(rng.choice(len(texts), size=size, replace=False))]


def member_distribution_shift(member_texts: Sequence[str], non_member_texts: Sequence[str], *, folds: int = 5,
                              seed: int = 0, max_per_side: int = 2000) -> dict:
    """How well simple text features alone tell members from non-members.

    If a classifier on character n-grams and length separates the two sets, an attack's AUC on
    them is not evidence of memorisation: the sets differ in distribution, and the model need not
    have memorised anything for an attack to "work". Only an AUC near 0.5 here makes attack figures
    meaningful.

    Parameters
    ----------
    member_texts, non_member_texts : sequence of str
        The texts the attacks are evaluated on.
    folds : int
        Folds of the stratified cross-validation; each probability is predicted by a classifier
        that did not see that text.
    seed : int
        Seed of the sample and the folds.
    max_per_side : int
        Texts per side at most; both sides get the same number (the smaller side's size, capped),
        sampled without replacement.

    Returns
    -------
    dict
        ``auc`` (out-of-fold ROC AUC), ``n_per_side``, ``features`` (one line saying what the
        classifier saw) and ``warning`` (``auc > SHIFT_AUC_WARNING``).
    """
    members = [str(text) for text in member_texts]
    non_members = [str(text) for text in non_member_texts]
    if int(folds) < 2:
        raise InputError(f"folds must be at least 2, got {folds}")
    for side, texts in (("member", members), ("non-member", non_members)):
        if len(texts) < folds:
            raise InputError(f"the distribution-shift baseline needs at least {folds} {side} texts (one per fold), "
                             f"got {len(texts)}: add texts or lower folds")
    if int(max_per_side) < folds:
        raise InputError(f"max_per_side must be at least folds ({folds}), got {max_per_side}")
    n_per_side = min(len(members), len(non_members), int(max_per_side))
    rng = np.random.default_rng(seed)
    texts = np.array(_sample(members, n_per_side, rng) + _sample(non_members, n_per_side, rng), dtype=object)
    is_member = np.r_[np.ones(n_per_side, dtype=int), np.zeros(n_per_side, dtype=int)]
    splitter = StratifiedKFold(n_splits=int(folds), shuffle=True, random_state=seed)
    probabilities = cross_val_predict(_blind_classifier(seed), texts, is_member, cv=splitter,
                                      method="predict_proba")[:, 1]
    auc = float(roc_auc_score(is_member, probabilities))
    return {"auc": auc, "n_per_side": n_per_side, "features": FEATURES, "warning": auc > SHIFT_AUC_WARNING}
