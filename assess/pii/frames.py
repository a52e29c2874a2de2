"""Scanning texts and pandas columns: pure functions over one chunk (pandas in, findings out)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from assess.errors import InputError
from assess.pii.engine import DEFAULT_MIN_CONFIDENCE, get_engine
from assess.pii.findings import FINDING_COLUMNS, Finding, default_key
from assess.pii.flag_settings import FlagSettings


def _types(types: Iterable[str] | None) -> frozenset[str] | None:
    if types is None:
        return None
    chosen = frozenset(types)
    known = {r.type for r in get_engine().recognizers}
    unknown = sorted(chosen - known)
    if unknown:
        raise InputError(f"unknown PII type {unknown[0]!r}: use one of {', '.join(sorted(known))}")
    return chosen


def scan_text(text: str, *, key: bytes | None = None, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
              types: Iterable[str] | None = None, flags: FlagSettings | None = None) -> list[Finding]:
    """Findings in one text, ordered by position.

    Parameters
    ----------
    text : str
        Free text (any mix of Chinese and English).
    key : bytes, optional
        Key of the keyed hash; default :func:`assess.secrets.hash_key`.
    min_confidence : float
        Findings below it are dropped (default 0.5).
    types : iterable of str, optional
        Report only these types (e.g. ``{"CN_RESIDENT_ID", "CN_MOBILE"}``).
    flags : FlagSettings, optional
        Terms added to or excluded from the sensitive-category flags, context rules on or off
        (:func:`assess.pii.flag_settings.flag_settings`); default the built-in terms and rules.

    Returns
    -------
    list of Finding
        ``start``/``end`` index ``text``; the value itself is not kept.
    """
    return scan_texts([text], key=key, min_confidence=min_confidence, types=types, flags=flags)[0]


def scan_texts(texts: Sequence[str], *, key: bytes | None = None, column: str | None = None,
               min_confidence: float = DEFAULT_MIN_CONFIDENCE, types: Iterable[str] | None = None,
               ner=None, flags: FlagSettings | None = None) -> list[list[Finding]]:
    """Findings for each text (one list per text). ``column`` names the source column, whose name
    can serve as a context word (``phone``, ``身份证号``); ``ner`` is an optional local spaCy
    pipeline (:func:`assess.pii.ner.load_ner`) for names and addresses; ``flags`` as :func:`scan_text`."""
    engine = get_engine(flags)
    found = engine.scan_batch(list(texts), key=key or default_key(), min_confidence=min_confidence,
                              column=column, types=_types(types), ner=ner)
    return [list(findings) for findings in found]


def as_texts(values: Sequence[object]) -> tuple[Sequence[str], Sequence[int]]:
    """The values of a column to scan, as strings, and their positions in ``values``.

    Missing values (None, NaN, ``pd.NA``) and empty strings are left out; other non-strings are
    scanned as ``str(value)``. A column of strings only, the common case, is returned as it is
    with ``range`` positions: its empty strings hold no finding, and a scan skips them at no cost.
    """
    if set(map(type, values)) <= {str}:
        return values, range(len(values))
    texts, positions = [], []
    for position, value in enumerate(values):
        if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
            continue
        text = value if isinstance(value, str) else str(value)
        if text:
            texts.append(text)
            positions.append(position)
    return texts, positions


def default_columns(frame: pd.DataFrame, exclude: Iterable[str] = ()) -> list[str]:
    """The string columns of ``frame`` (object or string dtype), minus ``exclude``."""
    skip = set(exclude)
    return [c for c in frame.columns
            if c not in skip and (pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c]))]


def scan_frame_findings(frame: pd.DataFrame, columns: Sequence[str] | None = None, *, id_column: str | None = None,
                        key: bytes | None = None, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
                        types: Iterable[str] | None = None, row_offset: int = 0, ner=None,
                        flags: FlagSettings | None = None) -> list[Finding]:
    """Findings of ``frame`` as :class:`Finding` objects (``row`` = position + ``row_offset``)."""
    if id_column is not None and id_column not in frame.columns:
        raise InputError(f"id column {id_column!r} is not in the data (columns: {', '.join(map(str, frame.columns))}): fix --id-column")
    if columns is None:
        columns = default_columns(frame, exclude=[id_column] if id_column else [])
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(f"column {missing[0]!r} is not in the data (columns: {', '.join(map(str, frame.columns))}): fix the column name")
    engine = get_engine(flags)
    key = key or default_key()
    chosen = _types(types)
    ids = frame[id_column].tolist() if id_column else frame.index.tolist()
    out: list[Finding] = []
    for column in columns:
        texts, positions = as_texts(frame[column].tolist())
        for position, found in zip(positions, engine.scan_batch(texts, key=key, min_confidence=min_confidence,
                                                                column=str(column), types=chosen, ner=ner)):
            for finding in found:
                out.append(_placed(finding, ids[position], str(column), row_offset + position))
    return out


def _placed(finding: Finding, record_id, column: str, row: int) -> Finding:
    return Finding(finding.type, finding.start, finding.end, finding.masked, finding.confidence, finding.value_hash,
                   finding.category, finding.sensitive, finding.identifying, record_id, column, row)


def findings_frame(findings: Sequence[Finding], *, with_row: bool = False) -> pd.DataFrame:
    """Findings as a DataFrame with :data:`FINDING_COLUMNS` (plus ``row`` and ``identifying``)."""
    columns = list(FINDING_COLUMNS) + (["identifying", "row"] if with_row else [])
    return pd.DataFrame([[getattr(f, c) for c in columns] for f in findings], columns=columns)


def scan_frame(df: pd.DataFrame, columns: Sequence[str] | None = None, id_column: str | None = None,
               key: bytes | None = None, *, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
               types: Iterable[str] | None = None, ner=None, flags: FlagSettings | None = None) -> pd.DataFrame:
    """Scan columns of a DataFrame (free text or structured values) for personal information.

    Parameters
    ----------
    df : pandas.DataFrame
        One chunk of data (a Spark partition in ``mapInPandas`` works the same).
    columns : sequence of str, optional
        Columns to scan; default: every string column except ``id_column``. Non-string values
        are scanned as ``str(value)``; empty and missing values are skipped.
    id_column : str, optional
        Column whose value identifies a record; default: the DataFrame index.
    key : bytes, optional
        Key of the keyed hash; default :func:`assess.secrets.hash_key`.
    ner : spacy.Language, optional
        A locally installed NER pipeline for names and addresses (off by default: slow).
    flags : FlagSettings, optional
        Terms added to or excluded from the sensitive-category flags (see :func:`scan_text`).

    Returns
    -------
    pandas.DataFrame
        One row per finding with columns record_id, column, type, start, end, masked,
        confidence, value_hash, category, sensitive. No raw value.
    """
    return findings_frame(scan_frame_findings(df, columns, id_column=id_column, key=key,
                                              min_confidence=min_confidence, types=types, ner=ner, flags=flags))
