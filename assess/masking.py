"""Generic masking of values that may hold personal data.

Used wherever a value must be shown as evidence without being disclosed: GX unexpected-value
lists, suspect tables, error messages. Type-aware masking of identifiers lives in ``assess.pii``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

MASK_CHAR = "*"


def mask_value(value: object, *, keep_start: int = 2, keep_end: int = 2, max_length: int = 40) -> str:
    """Mask a value, keeping a short prefix and suffix.

    Short values are masked entirely so that nothing identifying survives; long values are cut to
    ``max_length`` characters so that free text cannot leak through the middle.

    Parameters
    ----------
    value : object
        Any value; None and NaN give an empty string.
    keep_start, keep_end : int
        Characters kept at each end when the value is long enough (at least 3x what is kept).
    max_length : int
        Length of the masked string at most.

    Returns
    -------
    str
        e.g. ``"us************om"`` for ``"user@example.com"``; a short value is all stars.
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = str(value)
    if len(text) < 3 * (keep_start + keep_end):
        return MASK_CHAR * min(len(text), max_length)
    middle = min(len(text) - keep_start - keep_end, max_length - keep_start - keep_end)
    return text[:keep_start] + MASK_CHAR * middle + text[len(text) - keep_end:]



#: A quoted substring of an error message: '…', "…", “…”, ‘…’, 「…」, 『…』.
# An ASCII quote inside a word is an apostrophe ("doesn't"), not the start or end of a quotation.
_QUOTED = re.compile(r"(?<![A-Za-z0-9])'([^'\n]*)'(?![A-Za-z0-9])|(?<![A-Za-z0-9])\"([^\"\n]*)\"(?![A-Za-z0-9])"
                     r"|“([^”\n]*)”|‘([^’\n]*)’|「([^」\n]*)」|『([^』\n]*)』")
#: Quoted text this long with a space or a non-ASCII character reads as a record's text, not a name.
RECORD_TEXT_MIN_CHARS = 8
#: Digit runs this long are masked whatever the scanner says (account or card numbers without a checksum).
_LONG_DIGITS = re.compile(r"(?<!\d)\d{11,}(?!\d)")
#: Canary secrets shorter than this are not masked on their own (they would hide every small number).
SECRET_MIN_CHARS = 4
# The masked form of an identifier does not depend on the hash key; a process-local key keeps the
# error path from creating or reading the project's key file.
_ERROR_SCAN_KEY = os.urandom(32)


def _looks_like_record_text(quoted: str) -> bool:
    return len(quoted) >= RECORD_TEXT_MIN_CHARS and (any(c.isspace() for c in quoted) or not quoted.isascii())


def mask_error_text(text: str, *, canaries: Iterable[str] = ()) -> str:
    """Mask what an error message may carry of the subject's data, before it is stored or shown.

    Error messages become evidence (the run's ``assess.error`` tag, the executed notebook's
    traceback, the review index, the auditor report), so they are masked like findings:

    1. every string of ``canaries`` (canary texts and their secret parts) is replaced by stars;
    2. identifiers the PII scanner finds (resident IDs, phones, cards, e-mails...) take their masked form;
    3. quoted substrings that read as record text (at least ``RECORD_TEXT_MIN_CHARS`` characters
       with a space or a non-ASCII character) and digit runs of 11 or more are masked with
       :func:`mask_value`; short quoted names (``'text'``, ``'train'``) and paths without spaces stay.

    Parameters
    ----------
    text : str
        The message (one line or a whole traceback; ANSI colour codes are kept).
    canaries : iterable of str
        Texts never to show, e.g. from :func:`canary_strings`.

    Returns
    -------
    str
        The masked message; the same text when nothing needed masking.
    """
    if not text:
        return text
    for secret in sorted({c for c in canaries if c and len(c) >= SECRET_MIN_CHARS}, key=len, reverse=True):
        text = text.replace(secret, MASK_CHAR * min(len(secret), 12))
    from assess.pii import scan_text
    from assess.pii.redact import redact_text

    text = redact_text(text, scan_text(text, key=_ERROR_SCAN_KEY), mode="mask")

    def quoted(match: re.Match) -> str:
        inner = next(group for group in match.groups() if group is not None)
        if not _looks_like_record_text(inner):
            return match.group(0)
        start = match.start(match.lastindex) - match.start()
        return match.group(0)[:start] + mask_value(inner) + match.group(0)[start + len(inner):]

    text = _QUOTED.sub(quoted, text)
    return _LONG_DIGITS.sub(lambda m: mask_value(m.group(0)), text)


def canary_strings(canary_sets) -> set[str]:
    """Every canary text of ``canary_sets`` and each secret part of it (the characters its format's
    random slots filled, as one string per run of adjacent slots).

    Parameters
    ----------
    canary_sets : iterable of CanarySet
        From :meth:`assess.leakage.CanarySet.load` or a model's source run.

    Returns
    -------
    set of str
    """
    strings: set[str] = set()
    for canary_set in canary_sets:
        parts = canary_set.format.parts
        for canary in canary_set.canaries:
            strings.add(canary.text)
            position, run = 0, ""
            for kind, literal in parts:
                if kind == "lit":
                    if run:
                        strings.add(run)
                    position, run = position + len(literal), ""
                else:
                    run += canary.text[position]
                    position += 1
            if run:
                strings.add(run)
    return strings
