"""Prepare a dataset chunk for validation: typed as its contract says, plus helper columns.

Some checks need a value derived from a record: the text normalised for near-duplicate
detection, its length (for drift), whether its id or content also occurs in another split, the
raw value where a declared type does not parse. :func:`prepare_frame` adds these as helper
columns (named ``_dq_<kind>__<column>``); the compiled suite reads them with ordinary GX
expectations. Everything here is a pure function of one pandas chunk (plus, for the overlap, the
other split's keys), so on Spark it runs per partition through ``mapInPandas``
(:mod:`assess.quality.spark_prepare`). The one exception is :func:`add_label_conflicts`, which
groups the whole dataset (on Spark a ``groupBy`` on the normalised text).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

from assess.errors import InputError
from assess.quality.contract import Contract
from assess.quality.text import normalize_series

HELPER_PREFIX = "_dq_"
_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})


def helper_column(kind: str, column: str, other: str | None = None) -> str:
    """Name of the helper column of ``kind`` derived from ``column`` (and split ``other``)."""
    name = f"{HELPER_PREFIX}{kind}__{column}"
    return f"{name}__{other}" if other else name


@dataclass(frozen=True)
class Roles:
    """Which columns hold the record id, the text and the label (each may be None)."""

    id: str | None = None
    text: str | None = None
    label: str | None = None

    @classmethod
    def resolve(cls, contract: Contract, *, id_column: str | None = None, text_column: str | None = None,
                label_column: str | None = None) -> "Roles":
        """Roles from the plan's dataset declaration, falling back to the contract's ``roles:``.

        Raises
        ------
        InputError
            A role names a column the contract does not declare.
        """
        roles = cls(
            id=id_column or contract.roles.get("id"),
            text=text_column or contract.roles.get("text"),
            label=label_column or contract.roles.get("label"),
        )
        for role, column in (("id", roles.id), ("text", roles.text), ("label", roles.label)):
            if column and column not in contract.columns:
                where = contract.path or contract.dataset
                raise InputError(
                    f"contract {where}: the {role} column {column!r} is not declared under columns: "
                    f"add it to the contract or fix the plan's {role}_column"
                )
        return roles


@dataclass(frozen=True)
class SplitKeys:
    """What identifies the records of one split: ids and digests of normalised texts."""

    ids: frozenset
    contents: frozenset


def content_digests(normalized: pd.Series) -> pd.Series:
    """Short BLAKE2b digests of normalised texts (compact keys to broadcast; missing stays missing)."""
    return normalized.map(lambda v: None if v is None or v != v else hashlib.blake2b(v.encode("utf-8"), digest_size=12).hexdigest())


def split_keys(frame: pd.DataFrame, roles: Roles) -> SplitKeys:
    """The keys of a split, for overlap checks against it (``frame`` raw or prepared)."""
    ids = frozenset(frame[roles.id].dropna().astype(str)) if roles.id and roles.id in frame else frozenset()
    contents: frozenset = frozenset()
    if roles.text and roles.text in frame:
        normalized_name = helper_column("norm", roles.text)
        normalized = frame[normalized_name] if normalized_name in frame else normalize_series(frame[roles.text])
        contents = frozenset(content_digests(normalized).dropna())
    return SplitKeys(ids=ids, contents=contents)


def _is_text_dtype(values: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(values.dtype) or values.dtype == object


def _parse(values: pd.Series, logical: str) -> pd.Series:
    """Parse text values as ``logical``; unparseable values become missing."""
    if logical == "integer":
        numbers = pd.to_numeric(values, errors="coerce")
        return numbers.where(numbers.isna() | (numbers % 1 == 0)).astype("Int64")
    if logical == "number":
        return pd.to_numeric(values, errors="coerce").astype("float64")
    if logical == "boolean":
        lowered = values.astype("string").str.strip().str.lower()
        return lowered.map(lambda v: True if v in _TRUE else (False if v in _FALSE else None)).astype("boolean")
    if logical == "datetime":
        return pd.to_datetime(values, errors="coerce", format="ISO8601", utc=True)
    return values


def conform_frame(frame: pd.DataFrame, contract: Contract) -> pd.DataFrame:
    """Type the declared columns of ``frame`` as the contract says.

    An empty string becomes a missing value. A text column declared integer, number, boolean or
    datetime is parsed; a value that does not parse becomes missing in the column and is kept, raw,
    in the helper column ``_dq_unparseable__<column>`` (missing everywhere else), which the
    "parseable" expectation reads.

    Returns
    -------
    pandas.DataFrame
        A new frame; ``frame`` is not changed.
    """
    out = frame.copy()
    for name, column in contract.columns.items():
        if name not in out.columns:
            continue
        values = out[name]
        if _is_text_dtype(values):
            values = values.mask(values.astype("string") == "")
        unparseable = pd.Series(None, index=out.index, dtype=object)
        if column.type != "string" and _is_text_dtype(values):
            parsed = _parse(values, column.type)
            failed = values.notna() & parsed.isna()
            unparseable = values.where(failed).astype(object)
            values = parsed
        out[name] = values
        if column.type != "string":
            out[helper_column("unparseable", name)] = unparseable
    return out


def add_helper_columns(frame: pd.DataFrame, contract: Contract, roles: Roles) -> pd.DataFrame:
    """Add the per-record helper columns the compiled suite reads (one chunk at a time).

    Parameters
    ----------
    frame : pandas.DataFrame
        A conformed chunk (see :func:`conform_frame`).
    contract : Contract
    roles : Roles

    Returns
    -------
    pandas.DataFrame
        ``frame`` plus ``_dq_norm__<text>`` (the normalised text) and ``_dq_length__<column>``
        for each text column other than the id.
    """
    out = frame.copy()
    if roles.text and roles.text in out:
        out[helper_column("norm", roles.text)] = normalize_series(out[roles.text])
    for name, column in contract.columns.items():
        if column.type == "string" and name in out and name != roles.id:
            out[helper_column("length", name)] = out[name].astype("string").str.len().astype("Int64")
    return out


def add_overlap_columns(frame: pd.DataFrame, roles: Roles, other_splits: dict[str, SplitKeys]) -> pd.DataFrame:
    """Add, per other split, the record's id / text where it also occurs there (missing elsewhere).

    Parameters
    ----------
    frame : pandas.DataFrame
        A chunk that already has the normalised-text helper (see :func:`add_helper_columns`).
    roles : Roles
    other_splits : dict
        :class:`SplitKeys` of each split this dataset must not overlap, by split name.

    Returns
    -------
    pandas.DataFrame
        ``frame`` plus ``_dq_overlap_id__<id>__<split>`` and ``_dq_overlap_content__<text>__<split>``.
    """
    out = frame.copy()
    digests = None
    if roles.text and roles.text in out and other_splits:
        digests = content_digests(out[helper_column("norm", roles.text)])
    for other, keys in other_splits.items():
        if roles.id and roles.id in out:
            ids = out[roles.id]
            out[helper_column("overlap_id", roles.id, other)] = ids.where(ids.astype(str).isin(keys.ids)).astype(object)
        if digests is not None:
            texts = out[roles.text]
            out[helper_column("overlap_content", roles.text, other)] = texts.where(digests.isin(keys.contents)).astype(object)
    return out


def add_label_conflicts(frame: pd.DataFrame, roles: Roles) -> pd.DataFrame:
    """Add ``_dq_label_conflict__<text>``: the text where its normalised group has several labels.

    Needs the whole dataset (texts in different chunks may conflict), unlike the other helpers.
    """
    if not (roles.text and roles.label and roles.text in frame and roles.label in frame):
        return frame
    normalized = frame[helper_column("norm", roles.text)]
    labels_per_text = frame[roles.label].astype(object).groupby(normalized, dropna=True).transform("nunique")
    out = frame.copy()
    out[helper_column("label_conflict", roles.text)] = frame[roles.text].where(labels_per_text > 1).astype(object)
    return out


def prepare_frame(frame: pd.DataFrame, contract: Contract, roles: Roles,
                  other_splits: dict[str, SplitKeys] | None = None) -> pd.DataFrame:
    """Conform ``frame`` to its contract and add every helper column the suite reads."""
    prepared = add_helper_columns(conform_frame(frame, contract), contract, roles)
    prepared = add_overlap_columns(prepared, roles, other_splits or {})
    return add_label_conflicts(prepared, roles)


def expected_helper_columns(contract: Contract, roles: Roles, overlap_with=()) -> list[str]:
    """The helper columns :func:`prepare_frame` adds, known without the data (for the column-set check)."""
    names = [helper_column("unparseable", n) for n, c in contract.columns.items() if c.type != "string"]
    if roles.text:
        names.append(helper_column("norm", roles.text))
    names += [helper_column("length", n) for n, c in contract.columns.items() if c.type == "string" and n != roles.id]
    for other in overlap_with:
        if roles.id:
            names.append(helper_column("overlap_id", roles.id, other))
        if roles.text:
            names.append(helper_column("overlap_content", roles.text, other))
    if roles.text and roles.label:
        names.append(helper_column("label_conflict", roles.text))
    return names
