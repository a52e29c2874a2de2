"""What a model is given from a dataset: one text column, or the named columns as a DataFrame.

A scikit-learn pipeline with a ``ColumnTransformer`` (say TF-IDF on a text column and one-hot
codes of a channel column) takes a DataFrame with those columns. The plan names them on the model
(``feature_columns: [text, channel]``); a model fitted on a DataFrame also knows them itself
(``feature_names_in_``), which is used when the plan names none.
"""

from __future__ import annotations

import pandas as pd

from assess.datasets import check_columns


def feature_columns(spec, model=None) -> list[str] | None:
    """The columns ``model`` takes, or None when it takes one text column or plain arrays.

    Parameters
    ----------
    spec : assess.plan.ModelSpec or None
        The plan's model; its ``feature_columns`` win.
    model : object, optional
        The loaded model: a scikit-learn estimator fitted on a DataFrame names its columns in
        ``feature_names_in_``.

    Returns
    -------
    list of str or None
    """
    if spec is not None and spec.feature_columns:
        return list(spec.feature_columns)
    names = getattr(model, "feature_names_in_", None)
    if names is not None and len(names) and all(isinstance(n, str) for n in names):
        return [str(n) for n in names]
    return None


def select_features(frame: pd.DataFrame, columns, *, role: str, where: str, file_name: str = "the file") -> pd.DataFrame:
    """``frame[columns]`` (index reset), with a one-line error naming an absent column.

    Parameters
    ----------
    frame : pandas.DataFrame
        The dataset.
    columns : sequence of str
        The model's feature columns (:func:`feature_columns`).
    role : str
        Dataset role, for the message.
    where : str
        Where the columns are named, e.g. ``"models.classifier.feature_columns"``.
    file_name : str
        The dataset's file name, for the message.
    """
    check_columns(frame.columns, list(columns), role=role, file_name=file_name, where=where)
    return frame[list(columns)].reset_index(drop=True)


def where_named(spec) -> str:
    """Where a model's feature columns come from, for messages and the report."""
    if spec is not None and spec.feature_columns:
        return f"models.{spec.role}.feature_columns"
    return "the columns the model was fitted on (its feature_names_in_)"
