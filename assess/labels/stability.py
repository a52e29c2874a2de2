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
                         edit_share: float = EDIT_SHARE, scale: float = 0.05, text_columns=None,
                         threads: int | None = 1) -> StabilityResult:
    """Predict on ``features`` and on perturbed copies; count the predictions that change.

    Parameters
    ----------
    model : fitted classifier or callable
        Its ``predict`` (or the callable) maps a list of texts / a 2-D array to labels.
    features : sequence of str, array-like (n, d) or DataFrame
        Texts (1-D), numeric columns, or a DataFrame of mixed columns for a model that takes one
        (its ``text_columns`` are perturbed, the other columns are left as they are).
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
    text_columns : sequence of str, optional
        DataFrame features: the free-text columns to perturb; default every non-numeric column.
        Name only free text: a typo in a category is a different category, not a small edit.
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
    if kind == "frame":
        text_columns = _frame_text_columns(values, text_columns)
    with native_threads(threads):
        if kind in ("text", "frame"):
            texts = list(values) if kind == "text" else values
            before = predict(texts)
            for name in perturbations or list(TEXT_PERTURBATIONS):
                perturbation = text_perturbation(name)
                if kind == "text":
                    perturbed = perturb_texts(texts, name, seed=seed, keys=ids, edit_share=edit_share)
                    touched = np.array([a != b for a, b in zip(perturbed, texts)])
                else:
                    perturbed, touched = _perturb_frame(values, text_columns, name, seed, ids, edit_share)
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


def _frame_text_columns(frame: pd.DataFrame, text_columns) -> list:
    if text_columns is None:
        text_columns = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    missing = [c for c in text_columns if c not in frame.columns]
    if missing:
        raise InputError(f"text_columns: {missing[0]!r} is not a feature column (columns: "
                         f"{', '.join(map(str, frame.columns))}): name a free-text feature column")
    if not text_columns:
        raise InputError("features: no text column to perturb: name one in text_columns")
    return list(text_columns)


def _perturb_frame(frame: pd.DataFrame, text_columns, name: str, seed: int, ids, edit_share: float):
    """A copy of ``frame`` with perturbation ``name`` applied to each text column; rows changed."""
    perturbed = frame.copy()
    touched = np.zeros(len(frame), dtype=bool)
    for column in text_columns:
        texts = frame[column].astype(str).tolist()
        # Each column gets its own keys, so two columns of one record are not edited alike.
        edited = perturb_texts(texts, name, seed=seed, keys=[f"{k}\x1f{column}" for k in ids], edit_share=edit_share)
        perturbed[column] = edited
        touched |= np.array([a != b for a, b in zip(edited, texts)])
    return perturbed, touched


def _row(name: str, description: str, n: int, touched: np.ndarray, flipped: np.ndarray) -> dict:
    perturbed = int(touched.sum())
    return {"perturbation": name, "description": description, "records": n, "perturbed": perturbed,
            "changed": int(flipped.sum()), "flip_rate": float(flipped.sum() / perturbed) if perturbed else 0.0}


def _changes(ids, name, before, after, flipped) -> list[dict]:
    return [{"id": ids[i], "perturbation": name, "before": before[i], "after": after[i]} for i in np.flatnonzero(flipped)]
