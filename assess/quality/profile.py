"""Dataset profiles for drift checks, and the population stability index (PSI).

Each review logs a profile of every dataset (``evidence/profile_<role>.json``); the next review of
the same dataset reads it back as the baseline and checks each profiled column against it. A
profile holds no raw values: categorical shares only for values the contract declares (others
are pooled as ``(undeclared)``), and numeric bin edges rounded to two significant digits.
Pure functions, no GX.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from assess.quality.contract import Contract

PROFILE_FORMAT = "assess.quality.profile/1"
#: Bucket for values outside the declared set (never named, so no raw value is stored).
UNDECLARED = "(undeclared)"
#: Shares are floored at this before taking logarithms, so an empty bin gives a finite PSI.
PSI_EPSILON = 1e-4
#: Quantiles whose (rounded) values become the bin edges of a numeric profile.
EDGE_QUANTILES = tuple(q / 10 for q in range(1, 10))


def round_significant(value: float, digits: int = 2) -> float:
    """Round to ``digits`` significant digits (so a bin edge is not a raw data value)."""
    if value == 0 or not math.isfinite(value):
        return float(value)
    return float(f"{value:.{digits}g}")


def numeric_edges(values: pd.Series) -> list[float]:
    """Bin edges for a numeric column: rounded deciles, distinct, ascending (at least two)."""
    present = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    if present.size == 0:
        return [0.0, 1.0]
    edges = sorted({round_significant(float(q)) for q in np.quantile(present, EDGE_QUANTILES)})
    if len(edges) == 1:
        edges.append(edges[0] + max(abs(edges[0]) * 0.01, 1.0))
    return edges


def bin_shares_from_counts(below: int, interior: list[int], above: int) -> list[float]:
    """Shares ``[below, bin_1 ... bin_k, above]`` from counts; all zeros when there are none."""
    counts = [below, *interior, above]
    total = sum(counts)
    return [c / total if total else 0.0 for c in counts]


def numeric_shares(values: pd.Series, edges: list[float]) -> list[float]:
    """Shares of ``values`` below the first edge, in each bin, and above the last edge.

    Bins follow ``numpy.histogram`` (and GX's ``column.histogram``): half-open ``[a, b)`` except
    the last, which is closed; so the same data gives the same shares here and in GX.
    """
    present = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    interior, _ = np.histogram(present, bins=np.asarray(edges, dtype=float))
    below = int((present < edges[0]).sum())
    above = int((present > edges[-1]).sum())
    return bin_shares_from_counts(below, [int(c) for c in interior], above)


def categorical_shares(counts: dict) -> dict[str, float]:
    """Shares from a ``{value: count}`` mapping."""
    total = sum(counts.values())
    return {str(k): (v / total if total else 0.0) for k, v in counts.items()}


def declared_shares(values: pd.Series, declared) -> dict[str, float]:
    """Shares of each declared value, values outside the set pooled as :data:`UNDECLARED`."""
    observed = values.dropna().astype(str).value_counts()
    return declared_shares_from_counts({str(v): int(n) for v, n in observed.items()}, declared)


def declared_shares_from_counts(observed: dict, declared) -> dict[str, float]:
    """:func:`declared_shares` from ``{value as text: count}`` (as a Spark ``groupBy`` gives them)."""
    counts = {str(v): 0 for v in declared}
    for value, count in observed.items():
        key = value if value in counts else UNDECLARED
        counts[key] = counts.get(key, 0) + int(count)
    counts.setdefault(UNDECLARED, 0)
    return categorical_shares(counts)


def psi(expected, actual) -> float:
    """Population stability index of ``actual`` against ``expected``.

    Parameters
    ----------
    expected, actual : dict or list
        Shares by category (dicts; missing categories count as 0) or by bin (lists of equal
        length). Shares are floored at :data:`PSI_EPSILON`.

    Returns
    -------
    float
        ``sum((a - e) * ln(a / e))``; 0 for identical distributions; NaN when either is empty.
    """
    if isinstance(expected, dict):
        keys = sorted(set(expected) | set(actual))
        e = np.array([expected.get(k, 0.0) for k in keys], dtype=float)
        a = np.array([actual.get(k, 0.0) for k in keys], dtype=float)
    else:
        e, a = np.asarray(expected, dtype=float), np.asarray(actual, dtype=float)
        if e.shape != a.shape:
            raise ValueError(f"psi: {e.size} expected bins but {a.size} actual bins")
    if e.sum() == 0 or a.sum() == 0:
        return float("nan")
    e, a = np.maximum(e, PSI_EPSILON), np.maximum(a, PSI_EPSILON)
    return float(np.sum((a - e) * np.log(a / e)))


def profile_columns(contract: Contract, roles) -> list[dict]:
    """Which columns a profile covers, and how.

    Declared value sets (and the label) are categorical; integer and number columns are numeric;
    other text columns are profiled by length. Identifiers and unique columns are left out: their
    distribution says nothing about drift.

    Returns
    -------
    list of dict
        ``{"name", "column", "source", "kind"}``; ``column`` is what the drift expectation reads
        (a helper column for text lengths).
    """
    from assess.quality.prepare import helper_column

    entries = []
    for name, column in contract.columns.items():
        if name == roles.id or column.unique:
            continue
        if column.values is not None or column.type == "boolean" or name == roles.label:
            entries.append({"name": name, "column": name, "source": name, "kind": "categorical"})
        elif column.type in ("integer", "number"):
            entries.append({"name": name, "column": name, "source": name, "kind": "numeric"})
        elif column.type == "string":
            entries.append({"name": f"{name}.length", "column": helper_column("length", name), "source": name,
                            "kind": "numeric"})
    return entries


def build_profile(frame: pd.DataFrame, contract: Contract, roles, *, dataset: str = "") -> dict:
    """Profile ``frame`` (prepared by :func:`assess.quality.prepare.prepare_frame`) for drift checks.

    Parameters
    ----------
    frame : pandas.DataFrame
        The prepared frame (with helper columns for text lengths).
    contract : Contract
    roles : Roles
        Which columns are the id, text and label.
    dataset : str
        The dataset role, recorded in the profile.

    Returns
    -------
    dict
        ``{"format", "dataset", "contract", "rows", "columns": {name: entry}}``, JSON-serialisable.
    """
    columns = {}
    for entry in profile_columns(contract, roles):
        if entry["column"] not in frame.columns:
            continue
        values = frame[entry["column"]]
        item = dict(entry, count=int(values.notna().sum()))
        if entry["kind"] == "categorical":
            declared = contract.columns[entry["source"]].values
            if declared is None:
                declared = [True, False] if contract.columns[entry["source"]].type == "boolean" else None
            if declared is None:  # an undeclared label set: its values are not profiled by name
                continue
            item["shares"] = declared_shares(values, declared)
        else:
            edges = numeric_edges(values)
            item["edges"] = edges
            item["shares"] = numeric_shares(values, edges)
        columns[entry["name"]] = item
    return {"format": PROFILE_FORMAT, "dataset": dataset, "contract": contract.dataset, "rows": int(len(frame)),
            "columns": columns}


def check_profile(profile) -> dict:
    """Return ``profile`` if it is a profile this version reads; else raise ``ValueError``."""
    if not isinstance(profile, dict) or profile.get("format") != PROFILE_FORMAT or not isinstance(profile.get("columns"), dict):
        raise ValueError(f"not an {PROFILE_FORMAT} profile")
    return profile
