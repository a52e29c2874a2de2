"""Redacted copies of texts and DataFrames: every identifier replaced by a mask, a keyed hash or
its type. Keyword flags (health, religion, ...) are left in place: they name nobody."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from assess.errors import InputError
from assess.pii.engine import DEFAULT_MIN_CONFIDENCE
from assess.pii.findings import Finding, default_key, is_flag
from assess.pii.frames import as_texts, default_columns, scan_texts

MODES = ("mask", "hash", "placeholder")
#: Hex characters of the keyed hash shown in ``hash`` mode (64 bits: no collisions in practice).
HASH_CHARS = 16


def check_mode(mode: str) -> str:
    """``mode`` if it is a redaction mode, else an :class:`InputError`."""
    if mode not in MODES:
        raise InputError(f"redaction mode {mode!r} is not known: use one of {', '.join(MODES)}")
    return mode


def replacement(finding: Finding, mode: str) -> str:
    """What replaces one finding: ``138****5678``, ``<CN_MOBILE:1f3a…>`` or ``<CN_MOBILE>``."""
    if mode == "mask":
        return finding.masked
    if mode == "hash":
        return f"<{finding.type}:{finding.value_hash[:HASH_CHARS]}>"
    return f"<{finding.type}>"


def redact_text(text: str, findings: Iterable[Finding], mode: str = "placeholder") -> str:
    """``text`` with each identifying finding (flags excluded) replaced, by ``mode``.

    Parameters
    ----------
    text : str
        The text the findings were found in.
    findings : iterable of Finding
        Findings of ``text`` (e.g. from :func:`assess.pii.scan_text`).
    mode : {"mask", "hash", "placeholder"}
    """
    check_mode(mode)
    pieces, position = [], 0
    for finding in sorted((f for f in findings if not is_flag(f.type)), key=lambda f: f.start):
        if finding.start < position:
            continue
        pieces.append(text[position:finding.start])
        pieces.append(replacement(finding, mode))
        position = finding.end
    pieces.append(text[position:])
    return "".join(pieces)


def redact_values(values: Sequence[object], *, mode: str, key: bytes, column: str | None = None,
                  min_confidence: float = DEFAULT_MIN_CONFIDENCE, types=None,
                  ner=None) -> tuple[list[object], list[list[Finding]]]:
    """Redact a column's values; non-strings without findings are returned unchanged."""
    texts, positions = as_texts(values)
    found = scan_texts(texts, key=key, column=column, min_confidence=min_confidence, types=types, ner=ner)
    out = list(values)
    per_value: list[list[Finding]] = [[] for _ in out]
    for position, text, findings in zip(positions, texts, found):
        per_value[position] = findings
        if any(not is_flag(f.type) for f in findings):
            out[position] = redact_text(text, findings, mode)
    return out, per_value


def redact_frame(df: pd.DataFrame, columns: Sequence[str] | None = None, *, mode: str = "placeholder",
                 key: bytes | None = None, id_column: str | None = None,
                 min_confidence: float = DEFAULT_MIN_CONFIDENCE, types=None, ner=None) -> pd.DataFrame:
    """A copy of ``df`` with identifiers in ``columns`` (default: string columns) replaced.

    Parameters
    ----------
    mode : {"mask", "hash", "placeholder"}
        ``mask``: the masked value (``138****5678``); ``hash``: ``<TYPE:first 16 hex of the keyed
        hash>``, so equal values stay equal; ``placeholder``: ``<TYPE>``.
    """
    check_mode(mode)
    key = key or default_key()
    if columns is None:
        columns = default_columns(df, exclude=[id_column] if id_column else [])
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise InputError(f"column {missing[0]!r} is not in the data (columns: {', '.join(map(str, df.columns))}): fix the column name")
    out = df.copy()
    for column in columns:
        redacted, _ = redact_values(df[column].tolist(), mode=mode, key=key, column=str(column),
                                    min_confidence=min_confidence, types=types, ner=ner)
        out[column] = pd.Series(redacted, index=df.index, dtype=object)
    return out
