"""How well an attack separates members from non-members: pure functions over score arrays.

Scores are "higher = more likely a member". The low-FPR metrics follow Carlini et al. (2022):
an attack that finds a few members with near certainty is a privacy failure even when its AUC is
modest, so the TPR at 0.1% and 1% FPR are reported beside the AUC.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import roc_auc_score, roc_curve

from assess.errors import InputError

#: False-positive rates at which the true-positive rate is reported.
LOW_FPRS = (0.001, 0.01)


def _checked(scores, is_member) -> tuple[np.ndarray, np.ndarray]:
    scores = np.asarray(scores, dtype=np.float64)
    is_member = np.asarray(is_member, dtype=bool)
    if scores.shape != is_member.shape or scores.ndim != 1:
        raise InputError("scores and is_member must be 1-D arrays of the same length")
    if is_member.all() or not is_member.any():
        raise InputError("membership metrics need both members and non-members")
    if not np.isfinite(scores).all():
        raise InputError("attack scores contain NaN or infinity: check the model's probabilities")
    return scores, is_member


def roc(scores, is_member) -> tuple[np.ndarray, np.ndarray]:
    """False- and true-positive rates at every threshold (from (0, 0) to (1, 1))."""
    scores, is_member = _checked(scores, is_member)
    fpr, tpr, _ = roc_curve(is_member, scores, drop_intermediate=False)
    return fpr, tpr


def tpr_at_fpr(fpr: np.ndarray, tpr: np.ndarray, target: float) -> float:
    """Highest TPR among thresholds whose FPR is at most ``target``."""
    allowed = np.asarray(fpr) <= target + 1e-12
    return float(np.max(np.asarray(tpr)[allowed])) if allowed.any() else 0.0


def membership_advantage(fpr: np.ndarray, tpr: np.ndarray) -> float:
    """``max(TPR - FPR)`` over thresholds (Yeom et al., 2018): 0 = no better than a guess."""
    return float(np.max(np.asarray(tpr) - np.asarray(fpr)))


def attack_metrics(scores, is_member) -> dict:
    """AUC, TPR at 0.1% and 1% FPR, and membership advantage of one attack.

    Parameters
    ----------
    scores : array
        Attack score per example (higher = member).
    is_member : array of bool
        Ground truth.

    Returns
    -------
    dict
        ``auc``, ``tpr_at_0_1pct_fpr``, ``tpr_at_1pct_fpr``, ``advantage``, ``n_members``,
        ``n_non_members``. With n non-members the smallest FPR above 0 is 1/n; when 1/n is above
        0.1%, ``tpr_at_0_1pct_fpr`` is the TPR at zero false positives.
    """
    scores, is_member = _checked(scores, is_member)
    fpr, tpr = roc(scores, is_member)
    return {
        "auc": float(roc_auc_score(is_member, scores)),
        "tpr_at_0_1pct_fpr": tpr_at_fpr(fpr, tpr, LOW_FPRS[0]),
        "tpr_at_1pct_fpr": tpr_at_fpr(fpr, tpr, LOW_FPRS[1]),
        "advantage": membership_advantage(fpr, tpr),
        "n_members": int(is_member.sum()),
        "n_non_members": int((~is_member).sum()),
    }
