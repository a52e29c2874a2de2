"""Personal-information scanner for training data (PIPL; DS Art. 14; Interim Art. 7(3)).

Recognizers (one small class per type, :mod:`assess.pii.recognizers`) find identifiers with
checksums (resident ID, USCC, cards, IBAN), context-gated shapes (phones, passports, plates), names
and addresses by context words, and keyword flags for the sensitive categories of PIPL Art. 28.
A finding carries a masked value and a keyed hash, never the raw value.

Public API::

    scan_text(text, key=None) -> list[Finding]
    scan_frame(df, columns, id_column=None, key=None) -> DataFrame   # one chunk, pure
    scan_file(path, ...) -> ScanResult          # csv/jsonl/parquet/txt streamed in chunks, all cores
    redact_text / redact_frame / redact_file    # mode mask | hash | placeholder
    keyed_hash(value, key) -> str               # HMAC-SHA256, hex
"""

from assess.pii.engine import DEFAULT_MIN_CONFIDENCE, get_engine
from assess.pii.findings import FINDING_COLUMNS, Finding, is_flag, keyed_hash
from assess.pii.frames import scan_frame, scan_text, scan_texts
from assess.pii.pipeline import RedactionResult, ScanResult, redact_file, scan_file
from assess.pii.redact import MODES, redact_frame, redact_text


def finding_types() -> dict[str, dict]:
    """Every finding type: category, sensitive, identifying, flag (see ``docs/pii_types.md``)."""
    from assess.pii.summary import known_types

    return known_types()


__all__ = [
    "DEFAULT_MIN_CONFIDENCE", "FINDING_COLUMNS", "MODES", "Finding", "RedactionResult", "ScanResult",
    "finding_types", "get_engine", "is_flag", "keyed_hash", "redact_file", "redact_frame", "redact_text",
    "scan_file", "scan_frame", "scan_text", "scan_texts",
]
