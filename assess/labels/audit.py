"""Label audit: which given labels are probably wrong, and how noisy the labels are overall.

Confident learning (Northcutt et al., 2021, via ``cleanlab``) needs, for every record,
predicted class probabilities from a model that did not see that record's label. The audit
computes them itself, K-fold: with clones of the subject's model type when one is given, else with
the default ensemble of :mod:`assess.labels.models`. With ``refine=True`` (the default) it then
leaves the records found in the first pass out of the training folds and scores every record again,
so the final probabilities come from models trained on cleaner labels.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from assess.labels.inputs import LabelledData, prepare, take
from assess.labels.models import as_members, default_members, text_vectorizer
from assess.labels.probabilities import (ensemble_probabilities, fit_quietly, fold_indices, native_threads,
                                         probability_quality)

#: The audit's own rule (the default): cleanlab estimates how many labels are wrong
#: (``cleanlab.count.num_label_issues``, ``estimation_method="off_diagonal_calibrated"``) and that many
#: records with the lowest self-confidence are flagged. Against cleanlab's default filter on the same
#: probabilities it raised F1 on digits (0.93 -> 0.96) and the demo texts (0.95 -> 0.98), and was
#: level within noise on breast_cancer (``benchmarks/label_issues.py`` cases, 3 noise draws).
CALIBRATED_COUNT = "calibrated_count"
#: Rule choosing the records left out of training when refining: cleanlab's default filter, whose
#: flags are precise (measured: slightly better final results than refining with CALIBRATED_COUNT).
REFINE_FILTER = "prune_by_noise_rate"
#: Flagging rules: :data:`CALIBRATED_COUNT` or a ``cleanlab.filter.find_label_issues`` ``filter_by``.
FILTERS = (CALIBRATED_COUNT, "prune_by_noise_rate", "prune_by_class", "both", "confident_learning",
           "predicted_neq_given", "low_self_confidence", "low_normalized_margin")


@dataclass
class LabelAudit:
    """Result of :func:`audit`.

    Attributes
    ----------
    scores : pandas.DataFrame
        One row per record: ``id``, ``given_label``, ``suggested_label`` (most probable class),
        ``self_confidence`` (out-of-fold probability of the given label), ``is_suspect``,
        ``reason`` (``low self-confidence`` or ``rare class``; empty when not flagged) and ``rank``
        (1 = most suspicious; by self-confidence, over all records).
    suspects : pandas.DataFrame
        The rows of ``scores`` flagged as suspected label errors, most suspicious first.
    noise_rate : float
        Estimated share of wrong labels: 1 minus the trace of cleanlab's estimated joint
        distribution of given and true labels, over the cross-validated records; records of rare
        classes count as wrong.
    noise_matrix : pandas.DataFrame
        Estimated ``P(given label = row | true label = column)`` over the learnable classes;
        columns sum to 1.
    joint : pandas.DataFrame
        Estimated joint ``P(given = row, true = column)``; sums to 1.
    pred_probs : numpy.ndarray
        The out-of-fold probabilities used, shape ``(n, k)``, columns in ``classes`` order.
    classes : list
        The classes (as text), sorted.
    members : list of str
        Names of the models averaged.
    quality : pandas.DataFrame
        Per member and for the average: accuracy, log-loss and Brier score against the given labels.
    settings : dict
        cv, seed, filter, refine, vectoriser, number of rows, run time in seconds.
    """

    scores: pd.DataFrame
    suspects: pd.DataFrame
    noise_rate: float
    noise_matrix: pd.DataFrame
    joint: pd.DataFrame
    pred_probs: np.ndarray
    classes: list
    members: list
    quality: pd.DataFrame
    settings: dict = field(default_factory=dict)

    @property
    def suspect_ids(self) -> list:
        """Ids of the suspected label errors, most suspicious first."""
        return self.suspects["id"].tolist()

    def top(self, n: int = 20) -> pd.DataFrame:
        """The ``n`` most suspicious flagged records."""
        return self.suspects.head(n).reset_index(drop=True)

    def summary(self) -> dict:
        """Headline figures (JSON-ready; no record content)."""
        return {
            "records": int(len(self.scores)),
            "classes": list(self.classes),
            "suspects": int(len(self.suspects)),
            "suspect_share": float(len(self.suspects) / max(len(self.scores), 1)),
            "estimated_noise_rate": float(self.noise_rate),
            "members": list(self.members),
            **self.settings,
        }


def audit(features, labels, model=None, cv: int = 5, *, ids=None, vectorizer=None, refine: bool = True,
          filter_by: str = CALIBRATED_COUNT, rare_classes: str = "flag", seed: int = 0,
          threads: int | None = 1) -> LabelAudit:
    """Find suspected label errors with cross-validated probabilities and confident learning.

    Parameters
    ----------
    features : sequence of str, array-like (n, d), DataFrame or scipy sparse matrix
        Texts (a 1-D sequence), numeric columns, or an already vectorised matrix.
    labels : sequence
        The given label of each record.
    model : sklearn classifier, list of classifiers, or None
        The subject's model type: each is cloned (``sklearn.base.clone``) and re-fitted per fold;
        several are averaged. A text pipeline that holds its own vectoriser receives the raw texts.
        A classifier without ``predict_proba`` gives margins, calibrated afterwards.
        None: the default ensemble for the kind of features (:mod:`assess.labels.models`).
    cv : int
        Folds of the cross-validation.
    ids : sequence, optional
        Record ids reported in the results; default the pandas index or ``0 .. n-1``.
    vectorizer : sklearn transformer, optional
        Turns texts into features. Default for texts with the default ensemble:
        :func:`assess.labels.models.text_vectorizer` (TF-IDF of character 1-3-grams, zh+en).
        Fitted once on all texts (no labels are used, so nothing leaks across folds).
    refine : bool
        Score a second time with the first pass's suspects (by :data:`REFINE_FILTER`) left out of
        the training folds.
    filter_by : str
        The flagging rule (one of :data:`FILTERS`); default :data:`CALIBRATED_COUNT`.
    rare_classes : {"flag", "error"}
        What to do with classes of fewer than ``cv`` records, which cannot be cross-validated (a
        typo such as ``refunds``, or an undeclared class): ``"flag"`` leaves them out of the
        cross-validation, scores them with models fitted on the other records, flags them (reason
        ``rare class``) and counts them as wrong in the noise rate; ``"error"`` raises.
    seed : int
        Seed of the fold split and of the models.
    threads : int or None
        Threads of the native pools (BLAS, OpenMP) while fitting; None leaves them alone. Small
        models fit fastest on one thread, and an oversubscribed machine slows multi-threaded
        fits many-fold.

    Returns
    -------
    LabelAudit

    Raises
    ------
    InputError
        Bad features, labels or ids (see :func:`assess.labels.inputs.prepare`), a model without
        ``predict_proba`` or ``decision_function``, an unknown ``filter_by``, or too few classes
        with ``cv`` records.
    """
    from assess.errors import InputError

    if filter_by not in FILTERS:
        raise InputError(f"filter_by={filter_by!r} is not known: use one of {', '.join(FILTERS)}")
    if not isinstance(cv, (int, np.integer)) or cv < 2:
        raise InputError(f"cv={cv!r}: use an integer of 2 or more folds")
    if rare_classes not in ("flag", "error"):
        raise InputError(f"rare_classes={rare_classes!r}: use flag or error")
    started = time.perf_counter()
    data = prepare(features, labels, ids, min_per_class=cv if rare_classes == "error" else 1)
    counts = np.bincount(data.codes, minlength=data.n_classes)
    learnable = np.flatnonzero(counts >= cv)
    if len(learnable) < 2:
        raise InputError(f"labels: fewer than two classes have {cv} or more records: lower cv or add labelled records")
    main = np.isin(data.codes, learnable)
    main_codes = np.searchsorted(learnable, data.codes[main])
    matrix, vectorizer_name = _model_features(data, model, vectorizer)
    if model is None:
        kind = "sparse" if data.kind == "text" else data.kind
        members = default_members(kind, int(main.sum()), seed)
        if kind == "sparse" and matrix.min() < 0:  # naive Bayes needs counts or TF-IDF (non-negative)
            members = [(n, m) for n, m in members if n != "complement_naive_bayes"]
    else:
        members = as_members(model)
    main_rows = np.flatnonzero(main)
    main_matrix = take(matrix, main_rows)
    folds = fold_indices(main_codes, cv, seed)
    with native_threads(threads):
        probabilities, each = ensemble_probabilities(members, main_matrix, main_codes, len(learnable), folds)
        first_pass = find_issues(main_codes, probabilities, REFINE_FILTER) if refine else None
        keep = None
        if first_pass is not None and 0 < first_pass.sum() < len(main_codes):
            keep = ~first_pass
            probabilities, each = ensemble_probabilities(members, main_matrix, main_codes, len(learnable), folds, keep=keep)
        issues = find_issues(main_codes, probabilities, filter_by)
        rare_rows = np.flatnonzero(~main)
        rare_probabilities = (_score_rare(members, main_matrix, main_codes, len(learnable), keep, take(matrix, rare_rows))
                              if len(rare_rows) else np.zeros((0, len(learnable))))
    full = np.zeros((len(data), data.n_classes))
    full[np.ix_(main_rows, learnable)] = probabilities
    full[np.ix_(rare_rows, learnable)] = rare_probabilities
    flagged = np.zeros(len(data), dtype=bool)
    flagged[main_rows] = issues
    flagged[rare_rows] = True
    settings = {
        "cv": int(cv), "seed": int(seed), "filter_by": filter_by, "refine": bool(refine),
        "vectorizer": vectorizer_name,
        "left_out_when_refining": int(first_pass.sum()) if first_pass is not None else 0,
        "rare_classes": [str(data.classes[c]) for c in np.flatnonzero(counts < cv)],
        "rare_class_records": int(len(rare_rows)),
        "seconds": round(time.perf_counter() - started, 3),
    }
    return build_result(data, full, flagged, main, learnable, probabilities, each, [name for name, _ in members], settings)


def _score_rare(members, matrix, codes, n_classes, keep, rare_matrix) -> np.ndarray:
    """Probabilities for records of rare classes from the members fitted on all (kept) other records."""
    from sklearn.base import clone

    rows = np.arange(len(codes)) if keep is None else np.flatnonzero(keep)
    outputs = []
    for _, estimator in members:
        fitted = fit_quietly(clone(estimator), take(matrix, rows), codes[rows])
        columns = np.asarray(fitted.classes_, dtype=np.int64)
        scored = np.zeros((rare_matrix.shape[0], n_classes))
        if hasattr(fitted, "predict_proba"):
            scored[:, columns] = fitted.predict_proba(rare_matrix)
        else:  # margins: a softmax is enough to name the most likely class
            from scipy.special import softmax

            margins = np.asarray(fitted.decision_function(rare_matrix), dtype=float)
            margins = np.column_stack([-margins / 2, margins / 2]) if margins.ndim == 1 else margins
            scored[:, columns] = softmax(margins, axis=1)
        outputs.append(scored)
    return np.mean(outputs, axis=0)


def _model_features(data: LabelledData, model, vectorizer):
    """The matrix the models see, and a name of the vectoriser used (empty when none)."""
    if data.kind != "text":
        return data.features, ""
    if vectorizer is None and model is not None:
        return data.features, ""  # the subject's pipeline vectorises its own input
    vectorizer = vectorizer if vectorizer is not None else text_vectorizer()
    from sklearn.base import clone

    fitted = clone(vectorizer)
    return fitted.fit_transform(list(data.features)), _describe(fitted)


def _describe(vectorizer) -> str:
    params = vectorizer.get_params() if hasattr(vectorizer, "get_params") else {}
    shown = {k: params[k] for k in ("analyzer", "ngram_range", "min_df", "sublinear_tf") if k in params}
    return f"{type(vectorizer).__name__}({', '.join(f'{k}={v}' for k, v in shown.items())})"


def find_issues(codes: np.ndarray, probabilities: np.ndarray, filter_by: str = CALIBRATED_COUNT) -> np.ndarray:
    """Boolean mask of suspected label errors by rule ``filter_by`` (see :data:`FILTERS`).

    cleanlab runs in one process, so the result does not depend on the number of cores.
    """
    if filter_by == CALIBRATED_COUNT:
        from cleanlab.count import num_label_issues
        from cleanlab.rank import get_label_quality_scores

        count = int(num_label_issues(codes, probabilities, estimation_method="off_diagonal_calibrated"))
        scores = get_label_quality_scores(codes, probabilities, method="self_confidence", adjust_pred_probs=False)
        flagged = np.zeros(len(codes), dtype=bool)
        flagged[np.argsort(scores, kind="stable")[:count]] = True
        return flagged
    from cleanlab.filter import find_label_issues

    return np.asarray(find_label_issues(codes, probabilities, filter_by=filter_by, n_jobs=1), dtype=bool)


def estimate_noise(codes: np.ndarray, probabilities: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """cleanlab's estimated joint ``P(given, true)`` and noise matrix ``P(given | true)``."""
    from cleanlab.count import compute_confident_joint, estimate_joint, estimate_latent

    confident_joint = compute_confident_joint(codes, probabilities)
    joint = estimate_joint(codes, probabilities, confident_joint=confident_joint)
    _, noise_matrix, _ = estimate_latent(confident_joint, codes)
    return joint, noise_matrix


def build_result(data: LabelledData, probabilities: np.ndarray, flagged: np.ndarray, main: np.ndarray,
                 learnable: np.ndarray, main_probabilities: np.ndarray, each: dict, members: list,
                 settings: dict) -> LabelAudit:
    """Assemble a :class:`LabelAudit` from scored records.

    ``probabilities`` covers every record and class (rare classes get 0); noise estimates and
    probability quality come from the cross-validated records of learnable classes only.
    """
    classes = [str(c) for c in data.classes]
    n = len(data)
    self_confidence = probabilities[np.arange(n), data.codes]
    order = np.lexsort((np.arange(n), self_confidence))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(1, n + 1)
    reason = np.where(~main, "rare class", np.where(flagged, "low self-confidence", ""))
    scores = pd.DataFrame({
        "id": data.ids,
        "given_label": data.classes[data.codes],
        "suggested_label": data.classes[probabilities.argmax(axis=1)],
        "self_confidence": self_confidence,
        "is_suspect": flagged,
        "reason": reason,
        "rank": rank,
    })
    suspects = scores[scores["is_suspect"]].sort_values("rank").reset_index(drop=True)
    main_codes = np.searchsorted(learnable, data.codes[main])
    joint, noise_matrix = estimate_noise(main_codes, main_probabilities)
    share_main = float(main.mean())
    quality = pd.DataFrame(
        [{"model": name, **probability_quality(p, main_codes)} for name, p in each.items()]
        + ([{"model": "average", **probability_quality(main_probabilities, main_codes)}] if len(each) > 1 else [])
    )
    learned = [classes[c] for c in learnable]
    labelled = {"index": pd.Index(learned, name="given"), "columns": pd.Index(learned, name="true")}
    return LabelAudit(
        scores=scores,
        suspects=suspects,
        # records of rare classes count as wrong: they could not be learned, and are flagged
        noise_rate=float((1.0 - np.trace(joint)) * share_main + (1.0 - share_main)),
        noise_matrix=pd.DataFrame(noise_matrix, **labelled),
        joint=pd.DataFrame(joint, **labelled),
        pred_probs=probabilities,
        classes=classes,
        members=members,
        quality=quality,
        settings={**settings, "records": n},
    )
