"""Checked inputs of the label assessments: features, labels and record ids as arrays.

Every public function of :mod:`assess.labels` turns what the caller passed into a
:class:`LabelledData` here first, so bad input fails once, early, with one clear message.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from assess.errors import InputError


@dataclass(frozen=True)
class LabelledData:
    """Features with integer-coded labels.

    Attributes
    ----------
    features : object
        1-D object array of texts, 2-D float array, or a scipy sparse matrix.
    codes : numpy.ndarray
        Labels coded ``0 .. k-1`` in the order of ``classes``.
    classes : numpy.ndarray
        The distinct given labels, sorted.
    ids : numpy.ndarray
        Record ids (object array), one per row.
    kind : str
        ``"text"``, ``"dense"``, ``"sparse"`` or ``"frame"`` (a DataFrame with non-numeric columns,
        given as it is to a model that takes DataFrames, such as a ``ColumnTransformer`` pipeline).
    """

    features: object
    codes: np.ndarray
    classes: np.ndarray
    ids: np.ndarray
    kind: str

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def n_classes(self) -> int:
        return len(self.classes)


def feature_kind(features) -> str:
    """``"text"`` for a 1-D sequence of strings, ``"sparse"`` for a scipy matrix, ``"frame"`` for a
    DataFrame with a non-numeric column, else ``"dense"``."""
    if sp.issparse(features):
        return "sparse"
    if isinstance(features, pd.DataFrame):
        numeric = all(pd.api.types.is_numeric_dtype(features[c]) for c in features.columns)
        return "dense" if numeric else "frame"
    values = np.asarray(features, dtype=object) if not isinstance(features, np.ndarray) else features
    if values.ndim == 1:
        return "text"
    return "dense"


def as_features(features):
    """The features as an object array of texts, a float array or a CSR matrix; with their kind."""
    kind = feature_kind(features)
    if kind == "sparse":
        return sp.csr_matrix(features), kind
    if kind == "text":
        texts = pd.Series(list(features) if not isinstance(features, pd.Series) else features.tolist(), dtype=object)
        missing = texts.isna() | ~texts.map(lambda v: isinstance(v, str))
        if missing.any():
            raise InputError(
                f"features: {int(missing.sum())} of {len(texts)} texts are missing or not strings "
                f"(first at row {int(np.flatnonzero(missing.to_numpy())[0])}): drop or fill them before the label audit"
            )
        return texts.to_numpy(dtype=object), kind
    if kind == "frame":
        if features.empty:
            raise InputError("features: no columns or no rows: pass at least one feature column")
        missing = features.isna().any(axis=1).to_numpy()
        if missing.any():
            raise InputError(
                f"features: {int(missing.sum())} rows have a missing feature value (first at row "
                f"{int(np.flatnonzero(missing)[0])}): fill or drop them before the label audit"
            )
        return features.reset_index(drop=True), kind
    frame = pd.DataFrame(features)
    values = frame.to_numpy(dtype=float)
    if values.size == 0:
        raise InputError("features: no columns or no rows: pass at least one numeric column")
    bad = ~np.isfinite(values).all(axis=1)
    if bad.any():
        raise InputError(
            f"features: {int(bad.sum())} rows hold missing or infinite values (first at row {int(np.flatnonzero(bad)[0])}): "
            "impute or drop them before the label audit"
        )
    return values, kind


def prepare(features, labels, ids=None, *, min_per_class: int = 1, name: str = "labels") -> LabelledData:
    """Check and code ``features``/``labels``/``ids``.

    Parameters
    ----------
    features : sequence of str, array-like (n, d), DataFrame or scipy sparse matrix
    labels : sequence
        One given label per row; any hashable values (strings, integers).
    ids : sequence, optional
        Record ids; default the index of a pandas ``labels``/``features``, else ``0 .. n-1``.
    min_per_class : int
        Fewest rows a class must have (e.g. the number of folds).
    name : str
        How the labels are named in error messages.

    Returns
    -------
    LabelledData

    Raises
    ------
    InputError
        Lengths differ, labels are missing, there are fewer than two classes, ids repeat, or a class
        is smaller than ``min_per_class``.
    """
    values, kind = as_features(features)
    n = values.shape[0]
    label_series = pd.Series(list(labels) if not isinstance(labels, pd.Series) else labels.tolist(), dtype=object)
    if len(label_series) != n:
        raise InputError(f"{name}: {len(label_series)} labels for {n} feature rows: pass one label per row")
    if label_series.isna().any():
        raise InputError(
            f"{name}: {int(label_series.isna().sum())} rows have no label: drop unlabelled rows before the label audit"
        )
    if ids is None:
        source = labels if isinstance(labels, (pd.Series, pd.DataFrame)) else features
        ids = source.index if isinstance(source, (pd.Series, pd.DataFrame)) else range(n)
    id_values = np.asarray(list(ids), dtype=object)
    if len(id_values) != n:
        raise InputError(f"ids: {len(id_values)} ids for {n} rows: pass one id per row")
    if len(pd.unique(id_values)) != n:
        raise InputError("ids: record ids repeat: pass a unique id per row (e.g. the dataset's id column)")
    label_strings = label_series.map(canonical_label)
    classes, codes = np.unique(label_strings.to_numpy(dtype=object).astype(str), return_inverse=True)
    if len(classes) < 2:
        raise InputError(f"{name}: only one class ({classes[0] if len(classes) else 'none'}): a label audit needs two or more")
    counts = np.bincount(codes, minlength=len(classes))
    small = [(c, int(k)) for c, k in zip(classes, counts) if k < min_per_class]
    if small:
        listed = ", ".join(f"{str(c)!r} ({k})" for c, k in small[:5])
        raise InputError(
            f"{name}: classes {listed} have fewer than {min_per_class} rows: lower cv, or merge or drop these classes"
        )
    return LabelledData(values, codes.astype(np.int64), classes.astype(object), id_values, kind)


def canonical_label(value) -> str:
    """A label as text. Labels compare as text, so 1, 1.0 and "1" from a CSV round trip are one class."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def take(features, indices):
    """Rows ``indices`` of a prepared feature array, matrix or DataFrame."""
    if isinstance(features, pd.DataFrame):
        return features.iloc[np.asarray(indices, dtype=np.int64)]
    return features[np.asarray(indices, dtype=np.int64)]
