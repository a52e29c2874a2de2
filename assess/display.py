"""Values and tables formatted for people: the auditor reads reports, not Python reprs.

:func:`format_value` turns one value into text (percentages for rates, thousands separators,
sensible decimals, "—" for a missing value, lists joined, dicts as ``key: value``);
:func:`format_frame` applies it to a DataFrame and turns a meaningful index into columns;
:func:`frame_html` is the HTML every notebook shows for a DataFrame once :func:`install` has
registered it with IPython.
"""

from __future__ import annotations

import html
import math
import re
from datetime import date, datetime

import numpy as np
import pandas as pd

#: Shown for None, NaN, <NA>, NaT and empty containers.
MISSING = "—"

#: Name parts that mark a value in [0, 1] as a rate, shown as a percentage.
RATE_WORDS = frozenset({"rate", "share", "fraction", "conformance", "survival", "accuracy", "tpr", "fpr", "precision",
                        "recall", "coverage"})
#: Name parts that mark a value as already a percentage (0-100).
PERCENT_WORDS = frozenset({"percent", "pct"})

#: Name parts that mark a number as an identifier, shown without thousands separators.
PLAIN_WORDS = frozenset({"id", "ids", "seed", "year", "version", "step"})

#: Rows of a DataFrame shown in a report; the full table is the logged CSV.
MAX_ROWS = 60

_WORD = re.compile(r"[a-z]+")
_OPERATORS = {"<=": "≤", ">=": "≥", "==": "=", "<": "<", ">": ">"}


def value_kind(name: str) -> str:
    """``"rate"``, ``"percent"``, ``"plain"`` or ``""``: how a value called ``name`` is read (by its words)."""
    words = set(_WORD.findall(str(name).lower()))
    if words & PLAIN_WORDS:
        return "plain"
    if words & PERCENT_WORDS:
        return "percent"
    if words & RATE_WORDS:
        return "rate"
    return ""


def is_missing(value) -> bool:
    """Whether ``value`` is None, NaN, ``pd.NA`` or ``NaT``."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    try:
        return bool(isinstance(value, float) and math.isnan(value)) or (hasattr(value, "dtype") and bool(pd.isna(value)))
    except (TypeError, ValueError):
        return False


def _number(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return f"{int(value):,}"
    size = abs(value)
    if size >= 100:
        text = f"{value:,.1f}"
    elif size >= 1:
        text = f"{value:,.2f}"
    elif size >= 0.001:
        text = f"{value:.3f}"
    else:
        return f"{value:.2g}"
    return text.rstrip("0").rstrip(".")


def _percent(points: float) -> str:
    if points == 0 or abs(points) >= 1:
        text = f"{points:.1f}"
    else:
        text = f"{points:.2g}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def format_value(value, kind: str = "") -> str:
    """One value as text for a report.

    Parameters
    ----------
    value : object
        A number, string, list, dict, timestamp or missing value.
    kind : {"", "rate", "percent", "plain"}
        ``"rate"``: a number in [0, 1] is shown as a percentage; ``"percent"``: the number already
        is one (0-100); ``"plain"``: an identifier, without thousands separators; see
        :func:`value_kind` to derive it from a name.

    Returns
    -------
    str
        For example ``"12.5%"``, ``"1,234"``, ``"0.731"``, ``"—"``, ``"train, test"``, ``"a: 1; b: 2"``.
    """
    if isinstance(value, str):
        return value
    if is_missing(value):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {format_value(v, value_kind(k) or kind)}" for k, v in value.items()) or MISSING
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else list(value)
        if any(isinstance(v, (list, tuple)) for v in items):  # pairs and rows: [[a, b], [a, c]] -> "a / b; a / c"
            return "; ".join(" / ".join(format_value(x, kind) for x in v) if isinstance(v, (list, tuple))
                             else format_value(v, kind) for v in items)
        return ", ".join(format_value(v, kind) for v in items) or MISSING
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else value.strftime("%Y-%m-%d")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "item") and not hasattr(value, "__len__"):  # numpy scalar
        value = value.item()
    if isinstance(value, int):
        return str(value) if kind == "plain" else f"{value:,}"
    if isinstance(value, float):
        if math.isinf(value):
            return "∞" if value > 0 else "−∞"
        if kind == "rate" and 0 <= value <= 1:
            return _percent(value * 100)
        if kind == "percent":
            return _percent(value)
        if kind == "plain" and value == int(value):
            return str(int(value))
        return _number(value)
    return str(value)


def format_requirement(op: str, threshold, kind: str = "") -> str:
    """A threshold as a person reads it: ``"≤ 1%"``, ``"≥ 0.95"``, ``"= 0"``."""
    return f"{_OPERATORS.get(op, op)} {format_value(threshold, kind)}"


def readable_name(name: str) -> str:
    """A check or metric name for people: ``"train.duplicates.failed_expectations"`` ->
    ``"train · duplicates · failed expectations"``."""
    return " · ".join(part.replace("_", " ") for part in str(name).split("."))


def format_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every cell formatted by :func:`format_value` (kind from its column name).

    A default ``RangeIndex`` is dropped; any other index (a pivot's rows, a named index) becomes
    leading columns, so nothing is shown as a bare pandas index.
    """
    frame = pd.DataFrame(frame)
    if not isinstance(frame.index, pd.RangeIndex) or frame.index.name is not None:
        frame = frame.reset_index()
    else:
        frame = frame.reset_index(drop=True)
    frame.columns = [readable_column(c) for c in frame.columns]
    frame.columns.name = None
    return pd.DataFrame({
        column: [format_value(v, value_kind(column)) for v in frame.iloc[:, i]]
        for i, column in enumerate(frame.columns)
    }, columns=frame.columns)


def readable_column(column) -> str:
    """A column label as text (tuples of a MultiIndex joined)."""
    if isinstance(column, tuple):
        return " · ".join(str(c) for c in column if str(c))
    return str(column)


def frame_html(frame: pd.DataFrame, max_rows: int = MAX_ROWS) -> str:
    """A DataFrame as a plain HTML table of formatted values, at most ``max_rows`` rows."""
    shown = format_frame(frame.head(max_rows) if len(frame) > max_rows else frame)
    table = shown.to_html(index=False, escape=True, border=0, justify="left", classes="assess-table")
    if len(frame) > max_rows:
        table += f"<p><small>first {max_rows:,} of {len(frame):,} rows</small></p>"
    return table


def series_html(series: pd.Series) -> str:
    """A Series as a two-column table (its index and its values)."""
    return frame_html(series.to_frame(name=series.name if series.name is not None else "value"))


def install() -> bool:
    """Make IPython show every DataFrame and Series with :func:`frame_html`; False outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type(pd.DataFrame, frame_html)
    formatter.for_type(pd.Series, series_html)
    return True


def escape(value, kind: str = "") -> str:
    """:func:`format_value`, HTML-escaped."""
    return html.escape(format_value(value, kind))
