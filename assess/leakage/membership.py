"""Membership inference against a classifier that gives class probabilities.

Two attacks, both scored "higher = more likely a member":

- **loss** (confidence threshold; Yeom et al., 2018): the target's logit-scaled confidence in the
  true label, ``phi = log p_y - log(1 - p_y)``, a monotone transform of the loss with better
  numerical resolution for confident models.
- **reference** attacks in the style of LiRA (Carlini et al., 2022): ``K`` reference models are
  re-trained on population data and, per example, Gaussians are fitted to the reference models'
  ``phi`` for that example.

  * ``lira_online``: references are trained on random halves of the pooled members + non-members,
    so each evaluated example is IN for half of them and OUT for the other half; the score is the
    log-likelihood ratio ``log N(phi; mu_in, s_in) - log N(phi; mu_out, s_out)``.
  * ``lira_offline``: references are trained on random halves of the non-members (the holdout)
    only, so no reference ever sees a member; each example is scored only against references that
    did not see it (all K for a member, about K/2 for a holdout example):
    ``z = (phi - mu_out) / s_out`` (monotone in the one-sided p-value of Carlini et al.).

Members are the target's training split, non-members the holdout; evaluation uses equally many
of each. With few references a single (global) variance is more stable than per-example variances
(Carlini et al., §VI), so it is the default.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from assess.errors import InputError
from assess.leakage.metrics import attack_metrics, roc
from assess.leakage.probability import as_probability_model, logit_confidence
from assess.leakage.retrain import Retrainer, concat, take

ATTACKS = ("loss", "lira_offline", "lira_online")
_MIN_STD = 1e-3


# -- pure functions over arrays ---------------------------------------------------------------------
def balanced_evaluation(n_members: int, n_non_members: int, *, max_per_side: int | None = None,
                        seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Indices of equally many members and non-members to evaluate (sorted, seeded).

    Parameters
    ----------
    n_members, n_non_members : int
        Sizes of the member and non-member sets.
    max_per_side : int, optional
        Cap on each side (fewer for speed; the smallest measurable FPR is 1/side).
    seed : int
        Seed of the draw.
    """
    side = min(n_members, n_non_members)
    if max_per_side:
        side = min(side, int(max_per_side))
    if side < 2:
        raise InputError("membership inference needs at least 2 members and 2 non-members")
    rng = np.random.default_rng(seed)
    members = np.sort(rng.choice(n_members, size=side, replace=False))
    non_members = np.sort(rng.choice(n_non_members, size=side, replace=False))
    return members, non_members


def half_assignment(n_examples: int, n_models: int, *, seed: int = 0) -> np.ndarray:
    """Which reference model trains on which example: a ``(n_models, n_examples)`` boolean mask.

    Every example is IN for exactly ``floor(K/2)`` or ``ceil(K/2)`` models (Carlini et al.'s
    balanced assignment), so each example has both IN and OUT references when ``K >= 2``; each
    model sees about half of the examples.
    """
    if n_models < 2:
        raise InputError(f"reference_models={n_models}: use at least 2 (16 or more for stable scores)")
    rng = np.random.default_rng(seed)
    base = np.zeros(n_models, dtype=bool)
    base[: n_models // 2] = True
    mask = np.empty((n_models, n_examples), dtype=bool)
    for j in range(n_examples):
        column = rng.permutation(base)
        if n_models % 2 and j % 2:  # odd K: alternate which side gets the extra model
            column = ~column
        mask[:, j] = column
    return mask


def _gaussian_fit(values: np.ndarray, mask: np.ndarray, variance: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-example mean and standard deviation of ``values[k, i]`` over models with ``mask[k, i]``."""
    counts = mask.sum(axis=0)
    if np.any(counts == 0):
        raise InputError("an example has no reference model on one side: raise reference_models")
    means = np.where(mask, values, 0.0).sum(axis=0) / counts
    deviations = np.where(mask, values - means, 0.0)
    if variance == "global":
        dof = max(int(mask.sum()) - mask.shape[1], 1)
        std = np.full(values.shape[1], np.sqrt((deviations**2).sum() / dof))
    elif variance == "per_example":
        std = np.sqrt((deviations**2).sum(axis=0) / np.maximum(counts - 1, 1))
    else:
        raise InputError(f"variance={variance!r}: use 'global' or 'per_example'")
    return means, np.maximum(std, _MIN_STD)


def lira_online_scores(target_phi: np.ndarray, reference_phi: np.ndarray, in_mask: np.ndarray, *,
                       variance: str = "global") -> np.ndarray:
    """LiRA online score: ``log N(phi; IN) - log N(phi; OUT)`` per example.

    Parameters
    ----------
    target_phi : array (n,)
        Target model's logit-scaled confidence per example.
    reference_phi : array (K, n)
        Each reference model's logit-scaled confidence per example.
    in_mask : bool array (K, n)
        True where reference k was trained on example i.
    variance : {"global", "per_example"}
        One variance for all examples (stable with few references) or one per example.
    """
    target_phi = np.asarray(target_phi, dtype=np.float64)
    reference_phi = np.asarray(reference_phi, dtype=np.float64)
    in_mask = np.asarray(in_mask, dtype=bool)
    mu_in, sd_in = _gaussian_fit(reference_phi, in_mask, variance)
    mu_out, sd_out = _gaussian_fit(reference_phi, ~in_mask, variance)
    log_in = -0.5 * ((target_phi - mu_in) / sd_in) ** 2 - np.log(sd_in)
    log_out = -0.5 * ((target_phi - mu_out) / sd_out) ** 2 - np.log(sd_out)
    return log_in - log_out


def lira_offline_scores(target_phi: np.ndarray, reference_phi: np.ndarray, out_mask: np.ndarray, *,
                        variance: str = "global") -> np.ndarray:
    """LiRA offline score: ``(phi - mu_out) / s_out`` per example (OUT references only).

    Parameters
    ----------
    target_phi : array (n,)
        Target model's logit-scaled confidence per example.
    reference_phi : array (K, n)
        Each reference model's logit-scaled confidence per example.
    out_mask : bool array (K, n)
        True where reference k was *not* trained on example i (only these are used).
    variance : {"global", "per_example"}
        As in :func:`lira_online_scores`.
    """
    target_phi = np.asarray(target_phi, dtype=np.float64)
    mu_out, sd_out = _gaussian_fit(np.asarray(reference_phi, dtype=np.float64), np.asarray(out_mask, dtype=bool), variance)
    return (target_phi - mu_out) / sd_out


# -- orchestration -----------------------------------------------------------------------------------
@dataclass
class MembershipResult:
    """Scores and metrics of every attack on the balanced evaluation set."""

    scores: pd.DataFrame  # record_id, is_member, one column per attack
    metrics: dict[str, dict]  # attack -> attack_metrics(...)
    seconds: dict[str, float]  # attack -> wall time, reference training included
    details: dict = field(default_factory=dict)

    @property
    def attacks(self) -> list[str]:
        return list(self.metrics)

    def roc_curves(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Attack -> (FPR, TPR)."""
        member = self.scores["is_member"].to_numpy()
        return {name: roc(self.scores[name].to_numpy(), member) for name in self.metrics}

    def metrics_frame(self) -> pd.DataFrame:
        """One row per attack."""
        frame = pd.DataFrame(self.metrics).T
        frame.insert(0, "attack", frame.index)
        frame["seconds"] = [self.seconds.get(a, float("nan")) for a in frame.index]
        return frame.reset_index(drop=True)

    def most_exposed(self, attack: str, top: int = 20) -> pd.DataFrame:
        """The members the attack is surest about: ``record_id``, score, rank (ids only)."""
        members = self.scores[self.scores["is_member"]].sort_values(attack, ascending=False).head(top)
        return pd.DataFrame({
            "rank": np.arange(1, len(members) + 1),
            "record_id": members["record_id"].astype(str).to_numpy(),
            "score": members[attack].to_numpy(),
        })


def _phi(model, X, y) -> np.ndarray:
    adapted = as_probability_model(model)
    proba = adapted.predict_proba(X)
    return logit_confidence(proba, adapted.classes, y)


def _check_lengths(X, y, ids, what: str) -> None:
    if not (len(X) == len(y) == len(ids)):
        raise InputError(f"{what}: features, labels and ids differ in length ({len(X)}, {len(y)}, {len(ids)})")


def run_membership_attacks(target, members: tuple, non_members: tuple, *, retrainer: Retrainer | None = None,
                           reference_models: int = 16, attacks=ATTACKS, max_per_side: int | None = None,
                           variance: str = "global", seed: int = 0, threads: int | None = 1,
                           progress=None) -> MembershipResult:
    """Run the loss attack and the reference attacks against ``target``.

    Parameters
    ----------
    target : model
        Anything :func:`~assess.leakage.probability.as_probability_model` accepts.
    members, non_members : tuple (X, y, ids)
        The target's training split and the holdout: features (pandas, numpy or list), labels and
        record ids.
    retrainer : Retrainer, optional
        How reference models are trained; required for the ``lira_*`` attacks.
    reference_models : int
        K, reference models per reference attack (0 = loss attack only).
    attacks : sequence of str
        Subset of ``("loss", "lira_offline", "lira_online")``.
    max_per_side : int, optional
        Cap on evaluated members (and non-members).
    variance : {"global", "per_example"}
        Gaussian variance of the reference attacks.
    seed : int
        Seeds the evaluation draw and the reference assignments (reference k gets ``seed + k``).
    threads : int or None
        BLAS/OpenMP threads while training and scoring (None = library default). One thread is
        the default: small fits are not faster with more, and on a busy machine oversubscribed
        BLAS threads make them many times slower.
    progress : callable, optional
        ``progress(message)`` after each reference model.

    Returns
    -------
    MembershipResult
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=threads):
        return _run_attacks(target, members, non_members, retrainer=retrainer, reference_models=reference_models,
                            attacks=attacks, max_per_side=max_per_side, variance=variance, seed=seed, progress=progress)


def _run_attacks(target, members, non_members, *, retrainer, reference_models, attacks, max_per_side, variance, seed,
                 progress) -> MembershipResult:
    X_m, y_m, ids_m = members
    X_n, y_n, ids_n = non_members
    _check_lengths(X_m, y_m, ids_m, "members")
    _check_lengths(X_n, y_n, ids_n, "non-members")
    unknown = [a for a in attacks if a not in ATTACKS]
    if unknown:
        raise InputError(f"unknown attacks {unknown}: use {', '.join(ATTACKS)}")
    reference_attacks = [a for a in attacks if a != "loss"]
    if reference_attacks and reference_models > 0 and retrainer is None:
        raise InputError("reference attacks need a retrainer: set retrain to 'clone' or 'module:function'")
    if reference_models == 0:
        reference_attacks = []
    y_m, y_n = np.asarray(y_m), np.asarray(y_n)

    eval_m, eval_n = balanced_evaluation(len(y_m), len(y_n), max_per_side=max_per_side, seed=seed)
    X_eval = concat(take(X_m, eval_m), take(X_n, eval_n))
    y_eval = np.concatenate([y_m[eval_m], y_n[eval_n]])
    is_member = np.concatenate([np.ones(len(eval_m), bool), np.zeros(len(eval_n), bool)])
    record_ids = np.concatenate([np.asarray(ids_m)[eval_m], np.asarray(ids_n)[eval_n]])

    started = time.perf_counter()
    target_phi = _phi(target, X_eval, y_eval)
    target_seconds = time.perf_counter() - started
    columns: dict[str, np.ndarray] = {}
    seconds: dict[str, float] = {}
    details: dict = {"evaluated_per_side": int(len(eval_m)), "reference_models": int(reference_models if reference_attacks else 0)}
    if "loss" in attacks:
        columns["loss"] = target_phi
        seconds["loss"] = target_seconds

    if "lira_online" in reference_attacks:
        started = time.perf_counter()
        pool_X, pool_y = concat(X_m, X_n), np.concatenate([y_m, y_n])
        in_pool = half_assignment(len(pool_y), reference_models, seed=seed + 1)
        eval_pool = np.concatenate([eval_m, len(y_m) + eval_n])  # positions of evaluated examples in the pool
        reference_phi = np.empty((reference_models, len(y_eval)))
        for k in range(reference_models):
            chosen = np.flatnonzero(in_pool[k])
            model = retrainer.fit(take(pool_X, chosen), pool_y[chosen], seed + k)
            reference_phi[k] = _phi(model, X_eval, y_eval)
            if progress:
                progress(f"lira_online: reference model {k + 1}/{reference_models}")
        columns["lira_online"] = lira_online_scores(target_phi, reference_phi, in_pool[:, eval_pool], variance=variance)
        seconds["lira_online"] = time.perf_counter() - started + target_seconds
        details["online_reference_train_size"] = int(in_pool.sum(axis=1).mean())

    if "lira_offline" in reference_attacks:
        started = time.perf_counter()
        in_holdout = half_assignment(len(y_n), reference_models, seed=seed + 2)
        out_mask = np.concatenate([np.ones((reference_models, len(eval_m)), bool), ~in_holdout[:, eval_n]], axis=1)
        reference_phi = np.empty((reference_models, len(y_eval)))
        for k in range(reference_models):
            chosen = np.flatnonzero(in_holdout[k])
            model = retrainer.fit(take(X_n, chosen), y_n[chosen], seed + k)
            reference_phi[k] = _phi(model, X_eval, y_eval)
            if progress:
                progress(f"lira_offline: reference model {k + 1}/{reference_models}")
        columns["lira_offline"] = lira_offline_scores(target_phi, reference_phi, out_mask, variance=variance)
        seconds["lira_offline"] = time.perf_counter() - started + target_seconds
        details["offline_reference_train_size"] = int(in_holdout.sum(axis=1).mean())

    scores = pd.DataFrame({"record_id": record_ids, "is_member": is_member, **columns})
    metrics = {name: attack_metrics(scores[name].to_numpy(), is_member) for name in columns}
    return MembershipResult(scores=scores, metrics=metrics, seconds=seconds, details=details)


def accuracy_gap(target, members: tuple, non_members: tuple) -> dict:
    """Train and holdout accuracy of ``target`` and their difference (the generalisation gap)."""
    adapted = as_probability_model(target)
    result = {}
    for name, (X, y, _ids) in (("train", members), ("holdout", non_members)):
        proba = adapted.predict_proba(X)
        predicted = np.asarray(adapted.classes)[proba.argmax(axis=1)]
        result[f"{name}_accuracy"] = float(np.mean(predicted == np.asarray(y)))
    result["generalization_gap"] = result["train_accuracy"] - result["holdout_accuracy"]
    return result
