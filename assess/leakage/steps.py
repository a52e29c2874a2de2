"""Glue between the plan's datasets and models and the leakage functions, for the notebook.

Each function turns plan-level inputs (a DataFrame and its declared columns, a loaded model) into
the arrays the pure functions take, or flattens results into stable metric names. The metric names
are documented in ``docs/metrics_model_leakage.md`` and in the notebook; do not rename them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from assess.errors import InputError

#: Checksum-validated identifiers: a model should reproduce none of them (Interim Art. 11; PIPL Art. 51).
VALIDATED_IDENTIFIER_TYPES = ("CN_RESIDENT_ID", "CN_BANK_CARD", "CN_USCC", "CREDIT_CARD", "IBAN_CODE")


def features_labels_ids(frame: pd.DataFrame, *, id_column: str | None, text_column: str | None,
                        label_column: str | None, role: str, feature_columns=None, named_in: str = "",
                        file_name: str = "the file") -> tuple:
    """``(X, y, ids)`` of a labelled dataset: the model's feature columns (a DataFrame), else the
    text column, else every other column, as features.

    Parameters
    ----------
    frame : pandas.DataFrame
        The dataset.
    id_column, text_column, label_column : str or None
        Columns the plan declares.
    role : str
        Dataset role (for error messages).
    feature_columns : sequence of str, optional
        The columns the model takes (:func:`assess.features.feature_columns`), e.g. the text and
        categorical columns of a ``ColumnTransformer`` pipeline.
    named_in, file_name : str
        Where the feature columns are named and the dataset's file, for the message of an absent one.
    """
    if not label_column:
        raise InputError(f"dataset {role!r} declares no label_column: membership inference needs the labels; add it in the plan")
    y = frame[label_column].to_numpy()
    ids = frame[id_column].astype(str).to_numpy() if id_column else np.asarray([str(i) for i in frame.index])
    if feature_columns:
        from assess.features import select_features

        X = select_features(frame, feature_columns, role=role, where=named_in, file_name=file_name)
    elif text_column:
        X = frame[text_column].astype(str).reset_index(drop=True)
    else:
        X = frame.drop(columns=[c for c in (id_column, label_column) if c]).reset_index(drop=True)
    return X, y, ids


def membership_metrics(metrics: dict[str, dict]) -> dict[str, float]:
    """Flatten attack metrics to ``mia_<attack>_<metric>`` plus the worst case over attacks."""
    flat = {}
    for attack, values in metrics.items():
        for name in ("auc", "tpr_at_0_1pct_fpr", "tpr_at_1pct_fpr", "advantage"):
            flat[f"mia_{attack}_{name}"] = float(values[name])
    if metrics:
        flat["mia_max_auc"] = max(v["auc"] for v in metrics.values())
        flat["mia_max_tpr_at_0_1pct_fpr"] = max(v["tpr_at_0_1pct_fpr"] for v in metrics.values())
        flat["mia_max_tpr_at_1pct_fpr"] = max(v["tpr_at_1pct_fpr"] for v in metrics.values())
        flat["mia_max_advantage"] = max(v["advantage"] for v in metrics.values())
        first = next(iter(metrics.values()))
        flat["mia_evaluated_per_side"] = float(first["n_members"])
    return flat


def exposure_metrics(table: pd.DataFrame, space_bits: float) -> dict[str, float]:
    """``canary_exposure_max_bits`` and ``_mean_bits`` (inserted canaries), per-repetition means, ``canary_space_bits``."""
    inserted = table[table["repetitions"] > 0]
    flat = {
        "canary_space_bits": float(space_bits),
        "canary_exposure_max_bits": float(inserted["exposure_bits"].max()) if len(inserted) else 0.0,
        "canary_exposure_mean_bits": float(inserted["exposure_bits"].mean()) if len(inserted) else 0.0,
        "canaries_tested": float(len(table)),
    }
    for repetitions, group in table.groupby("repetitions"):
        flat[f"canary_exposure_mean_bits_rep{int(repetitions)}"] = float(group["exposure_bits"].mean())
    return flat


def regurgitation_metrics(summary: dict, results: pd.DataFrame) -> dict[str, float]:
    """Stable metric names of the regurgitation test."""
    identifiers = results[results["type"].isin(VALIDATED_IDENTIFIER_TYPES) & results["reproduced"]] if len(results) else results
    return {
        "regurgitation_findings_probed": float(summary["findings_probed"]),
        "regurgitation_reproduced": float(summary["reproduced"]),
        "regurgitation_rate": float(summary["regurgitation_rate"]),
        "regurgitation_rate_anywhere": float(summary["regurgitation_rate_anywhere"]),
        "regurgitation_mean_matched_prefix_share": float(summary["mean_matched_prefix_share"]),
        "regurgitation_unique_values_reproduced": float(summary["unique_values_reproduced"]),
        "regurgitated_validated_identifiers": float(len(identifiers)),
    }


def regurgitation_by_type(summary: dict) -> pd.DataFrame:
    """Per finding type: probed, reproduced, rate."""
    rows = [{"type": t, **v} for t, v in sorted(summary["by_type"].items())]
    return pd.DataFrame(rows, columns=["type", "probed", "reproduced", "rate"])
