"""Suggest a starter data contract from a dataset, for a person to review (no GX).

The suggestion describes the data as it is, which is not the same as what it should be: a
person must read it, tighten or loosen each rule, and remove anything that merely mirrors a
defect (an unknown label, a garbled value). The YAML says so at the top and next to each guess.

No raw value that could be personal data is written: value sets only for columns with few
distinct values each seen at least :data:`MIN_VALUE_COUNT` times (labels excepted: their counts
are shown so a reviewer can spot a typo), numeric bounds rounded outwards to two significant
digits, patterns as character-class shapes (``^[a-z]\\d{5}$``), never examples.
"""

from __future__ import annotations

import math
import re
from datetime import date

import pandas as pd

from assess.errors import InputError
from assess.quality.contract import parse_contract

#: A value set is suggested only when every value occurs at least this often (k-anonymity: a
#: value seen once or twice could identify someone) ...
MIN_VALUE_COUNT = 5
#: ... and the column has at most this many distinct values.
MAX_VALUE_SET = 20
MAX_LABELS = 50


def _quote(text: str) -> str:
    """A YAML single-quoted scalar (backslashes stay literal, quotes are doubled)."""
    return "'" + text.replace("'", "''") + "'"


def _plain(value) -> str:
    """A YAML scalar for a name or value: plain when safe, quoted otherwise."""
    text = str(value)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.\-]*", text) and text.lower() not in {"true", "false", "yes", "no", "null", "on", "off", "y", "n", "~"}:
        return text
    return _quote(text)


def _round_out(value: float, up: bool) -> float | int:
    """Round outward to two significant digits (so a bound is not a raw data value)."""
    if value == 0 or not math.isfinite(value):
        return 0
    exponent = math.floor(math.log10(abs(value))) - 1
    scale = 10.0 ** exponent
    rounded = (math.ceil if up else math.floor)(value / scale) * scale
    rounded = round(rounded, max(0, -exponent))
    return int(rounded) if float(rounded).is_integer() else rounded


def _runs(text: str) -> tuple:
    """Character-class runs of a value: 't00042' -> (('a', 1), ('d', 5))."""
    runs: list = []
    for char in text:
        if char.isascii() and char.isdigit():
            kind = "d"
        elif char.isascii() and char.islower():
            kind = "a"
        elif char.isascii() and char.isupper():
            kind = "A"
        elif char in "-_.:/":
            kind = char
        else:
            return ()  # not a code-like value
        if runs and runs[-1][0] == kind:
            runs[-1][1] += 1
        else:
            runs.append([kind, 1])
    return tuple((k, n) for k, n in runs)


_CLASS = {"d": r"\d", "a": "[a-z]", "A": "[A-Z]"}


def shape_regex(values: pd.Series) -> str | None:
    """An anchored pattern all values share (by character-class runs), or None."""
    kinds, lengths = None, None
    for value in values.dropna().astype(str).unique()[:100_000]:
        runs = _runs(value)
        if not runs:
            return None
        these = tuple(k for k, _ in runs)
        if kinds is None:
            kinds, lengths = these, [[n, n] for _, n in runs]
        elif these != kinds:
            return None
        else:
            for bounds, (_, n) in zip(lengths, runs):
                bounds[0], bounds[1] = min(bounds[0], n), max(bounds[1], n)
    if kinds is None:
        return None
    parts = []
    for kind, (low, high) in zip(kinds, lengths):
        token = _CLASS.get(kind, re.escape(kind))
        count = "" if low == high == 1 else (f"{{{low}}}" if low == high else f"{{{low},{high}}}")
        parts.append(token + count)
    return "^" + "".join(parts) + "$"


def infer_type(values: pd.Series) -> str:
    """The narrowest logical type every present value parses as."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(values.dtype):
        return "integer"
    if pd.api.types.is_numeric_dtype(values.dtype):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return "datetime"
    present = values.dropna().astype(str)
    if present.empty:
        return "string"
    lowered = present.str.strip().str.lower()
    if lowered.isin(["true", "false"]).all():
        return "boolean"
    numbers = pd.to_numeric(present, errors="coerce")
    if numbers.notna().all():
        # Codes with leading zeros ("00042") are identifiers, not numbers.
        if present.str.match(r"^0\d").any():
            return "string"
        return "integer" if (numbers % 1 == 0).all() else "number"
    if present.str.match(r"^\d{4}-\d{2}-\d{2}").all():
        if pd.to_datetime(present, errors="coerce", format="ISO8601").notna().all():
            return "datetime"
    return "string"


def _missing(values: pd.Series) -> pd.Series:
    missing = values.isna()
    if pd.api.types.is_string_dtype(values.dtype) or values.dtype == object:
        missing |= values.astype("string").fillna("") == ""
    return missing


def suggest_contract(frame: pd.DataFrame, *, dataset: str = "dataset", source: str = "",
                     id_column: str | None = None, text_column: str | None = None,
                     label_column: str | None = None) -> str:
    """Write a starter contract (YAML text with review comments) describing ``frame``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The dataset, as loaded (CSV columns as text).
    dataset : str
        Name recorded in the contract.
    source : str
        Where the data came from, for the header comment.
    id_column, text_column, label_column : str, optional
        Columns with those roles; each must exist.

    Returns
    -------
    str
        YAML that :func:`assess.quality.contract.parse_contract` accepts.

    Raises
    ------
    InputError
        The frame is empty or a role names a missing column.
    """
    if frame.empty:
        raise InputError(f"dataset {source or dataset} has no rows: a contract cannot be suggested from an empty file")
    for role, column in (("id", id_column), ("text", text_column), ("label", label_column)):
        if column and column not in frame.columns:
            raise InputError(f"--{role}-column {column!r} is not a column of {source or dataset} "
                             f"(columns: {', '.join(map(str, frame.columns))}): fix the column name")
    n = len(frame)
    lines = [
        f"# Data contract for {dataset} -- SUGGESTED by `assess contract suggest` on {date.today().isoformat()}.",
        f"# Source profiled: {source or '(a data frame)'} ({n} rows).",
        "#",
        "# REVIEW EVERY RULE BEFORE USE. This file describes the data as it is, defects included:",
        "# a contract must say what the data SHOULD be. Tighten or loosen each rule, delete value-set",
        "# entries that are mistakes (unknown labels, typos), and have the review recorded like code.",
        "version: 1",
        f"dataset: {_plain(dataset)}",
        "",
        "# REVIEW: expected size of this dataset (suggested: half to ten times the rows seen).",
        f"rows: {{min: {_round_out(max(1, n // 2), up=False)}, max: {_round_out(n * 10, up=True)}}}",
        "",
        "# REVIEW: 'forbid' makes any new column fail until the contract lists it.",
        "extra_columns: forbid",
        "",
        "columns:",
    ]
    for name in frame.columns:
        lines += _column_lines(str(name), frame[name], n, id_column, text_column, label_column)
    roles = {role: column for role, column in (("id", id_column), ("text", text_column), ("label", label_column)) if column}
    if roles:
        lines += ["", "roles: {" + ", ".join(f"{role}: {_plain(column)}" for role, column in roles.items()) + "}"]
    text = "\n".join(lines) + "\n"
    parse_contract(text, source="(suggested contract)")  # what we write must load
    return text


def _column_lines(name: str, values: pd.Series, n: int, id_column, text_column, label_column) -> list[str]:
    missing = _missing(values)
    present = values[~missing]
    logical = infer_type(present)
    out = [f"  {_plain(name)}:"]
    role = {id_column: "id", text_column: "text", label_column: "label"}.get(name)
    if role:
        out.append(f"    # the {role} column")
    out.append(f"    type: {logical}")
    share_missing = float(missing.mean())
    if share_missing == 0:
        out.append("    nullable: false")
    else:
        allowed = min(1.0, math.ceil(share_missing * 1.5 * 100) / 100)
        out += ["    nullable: true",
                f"    # REVIEW: {share_missing:.1%} of rows are missing a value; allowed up to:",
                f"    max_null_share: {allowed}"]
    distinct = present.astype(str).value_counts()
    if role == "id" or (role is None and len(distinct) == len(present) >= 20 and logical in ("string", "integer")):
        out.append("    unique: true")
    if logical in ("integer", "number") and not present.empty:
        numbers = pd.to_numeric(present, errors="coerce").dropna()
        out += ["    # REVIEW: observed range, rounded outwards",
                f"    min: {_round_out(float(numbers.min()), up=False)}",
                f"    max: {_round_out(float(numbers.max()), up=True)}"]
    if logical != "string":
        return out
    if role == "label":
        if len(distinct) <= MAX_LABELS:
            counts = ", ".join(f"{v}: {c}" for v, c in distinct.items())
            out += [f"    # REVIEW: observed labels and counts ({counts}); remove any that is a mistake",
                    "    values: [" + ", ".join(_plain(v) for v in sorted(distinct.index)) + "]"]
        return out
    if role != "text" and role != "id" and 0 < len(distinct) <= MAX_VALUE_SET and distinct.min() >= MIN_VALUE_COUNT:
        out += ["    # REVIEW: observed values",
                "    values: [" + ", ".join(_plain(v) for v in sorted(distinct.index)) + "]"]
        return out
    if role != "text":
        pattern = shape_regex(present)
        if pattern:
            out += ["    # REVIEW: the shape every value has", f"    regex: {_quote(pattern)}"]
            return out
    lengths = present.astype(str).str.len()
    if not lengths.empty:
        out += ["    # REVIEW: observed lengths, upper bound with 50% headroom",
                f"    min_length: {1 if int(lengths.min()) >= 1 else 0}",
                f"    max_length: {_round_out(int(lengths.max()) * 1.5, up=True)}"]
    return out
