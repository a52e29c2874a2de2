"""Prediction stability: the share of predictions that change under small input perturbations."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from assess.errors import InputError
from assess.labels.inputs import as_features
from assess.labels.perturb import EDIT_SHARE, TEXT_PERTURBATIONS, perturb_tabular, perturb_texts, text_perturbation
from assess.labels.probabilities import native_threads

#: Name of the tabular perturbation in results.
TABULAR = "gaussian_noise"


@dataclass
class StabilityResult:
    """Result of :func:`prediction_stability`.

    Attributes
    ----------
    per_perturbation : pandas.DataFrame
        ``perturbation``, ``description``, ``records``, ``perturbed`` (inputs actually changed),
        ``changed`` (predictions that changed) and ``flip_rate`` (= changed / perturbed).
    changes : pandas.DataFrame
        One row per changed prediction: ``id``, ``perturbation``, ``before``, ``after`` (labels
        only, never the input).
    flip_rate : float
        Changed predictions over perturbed inputs, all perturbations together.
    any_flip_rate : float
        Share of records whose prediction changed under at least one perturbation.
    """

    per_perturbation: pd.DataFrame
    changes: pd.DataFrame
    flip_rate: float
    any_flip_rate: float

    def metrics(self) -> dict[str, float]:
        """Headline figures for MLflow."""
        figures = {"flip_rate": self.flip_rate, "any_flip_rate": self.any_flip_rate}
        for row in self.per_perturbation.itertuples():
            figures[f"flip_rate_{row.perturbation}"] = float(row.flip_rate)
        return figures


def _predictor(model):
    predict = getattr(model, "predict", None) or (model if callable(model) else None)
    if predict is None:
        raise InputError("model: pass a fitted model with predict() or a function from inputs to labels")
    return lambda inputs: np.asarray(predict(inputs)).astype(str)


def prediction_stability(model, features, *, ids=None, perturbations=None, seed: int = 0,
                         edit_share: float = EDIT_SHARE, scale: float = 0.05,
                         threads: int | None = 1) -> StabilityResult:
    """Predict on ``features`` and on perturbed copies; count the predictions that change.

    Parameters
    ----------
    model : fitted classifier or callable
        Its ``predict`` (or the callable) maps a list of texts / a 2-D array to labels.
    features : sequence of str or array-like (n, d)
        Texts (1-D) or numeric columns.
    ids : sequence, optional
        Record ids for :attr:`StabilityResult.changes`; they also seed each text's edits.
    perturbations : sequence of str, optional
        Text perturbations (:data:`assess.labels.perturb.TEXT_PERTURBATIONS`); default all.
        Ignored for numeric features, which get Gaussian noise.
    seed : int
    edit_share : float
        Share of a text's characters edited (at least one).
    scale : float
        Numeric features: noise standard deviation as a share of each column's standard deviation.
    threads : int or None
        Native thread-pool limit while predicting.

    Returns
    -------
    StabilityResult
    """
    values, kind = as_features(features)
    n = values.shape[0]
    if n == 0:
        raise InputError("features: no records to perturb: pass a non-empty evaluation set")
    ids = np.arange(n) if ids is None else np.asarray(list(ids), dtype=object)
    if len(ids) != n:
        raise InputError(f"ids: {len(ids)} ids for {n} records: pass one id per record")
    predict = _predictor(model)
    rows, changes, changed_any = [], [], np.zeros(n, dtype=bool)
    with native_threads(threads):
        if kind == "text":
            texts = list(values)
            before = predict(texts)
            for name in perturbations or list(TEXT_PERTURBATIONS):
                perturbation = text_perturbation(name)
                perturbed = perturb_texts(texts, name, seed=seed, keys=ids, edit_share=edit_share)
                touched = np.array([a != b for a, b in zip(perturbed, texts)])
                after = predict(perturbed)
                flipped = touched & (after != before)
                rows.append(_row(name, perturbation.description, n, touched, flipped))
                changes += _changes(ids, name, before, after, flipped)
                changed_any |= flipped
        elif kind == "dense":
            before = predict(values)
            perturbed = perturb_tabular(values, scale=scale, seed=seed)
            touched = np.any(perturbed != values, axis=1)
            after = predict(perturbed)
            flipped = touched & (after != before)
            rows.append(_row(TABULAR, f"Gaussian noise, {scale:g} x each feature's standard deviation", n, touched, flipped))
            changes += _changes(ids, TABULAR, before, after, flipped)
            changed_any |= flipped
        else:
            raise InputError("features: pass texts or numeric columns, not a sparse matrix, to perturb")
    table = pd.DataFrame(rows)
    perturbed_total = int(table["perturbed"].sum())
    return StabilityResult(
        per_perturbation=table,
        changes=pd.DataFrame(changes, columns=["id", "perturbation", "before", "after"]),
        flip_rate=float(table["changed"].sum() / perturbed_total) if perturbed_total else 0.0,
        any_flip_rate=float(changed_any.mean()),
    )


def _row(name: str, description: str, n: int, touched: np.ndarray, flipped: np.ndarray) -> dict:
    perturbed = int(touched.sum())
    return {"perturbation": name, "description": description, "records": n, "perturbed": perturbed,
            "changed": int(flipped.sum()), "flip_rate": float(flipped.sum() / perturbed) if perturbed else 0.0}


def _changes(ids, name, before, after, flipped) -> list[dict]:
    return [{"id": ids[i], "perturbation": name, "before": before[i], "after": after[i]} for i in np.flatnonzero(flipped)]
