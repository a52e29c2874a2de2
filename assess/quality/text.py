"""Text helpers for the data-quality checks: normalisation and patterns of garbled text.

Pure functions, no GX: they run on a pandas chunk here and in ``mapInPandas`` on Spark.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

#: Patterns of text damaged in transit, as regular expressions that Python, RE2 (pyarrow) and Java
#: (Spark) all read the same way: literal characters and ``\xNN`` escapes only.
GARBLED_PATTERNS = (
    # U+FFFD, the replacement character a decoder writes for bytes it could not read.
    "\ufffd",
    # UTF-8 read as Latin-1 / cp1252, two-byte sequences: 'Ã©' for 'é', 'Â ' for a no-break space.
    "[\u00c2-\u00df][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152"
    "\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]",
    # UTF-8 read as cp1252, three-byte sequences (CJK): 'é”™' for '错', 'â€™' for a right quote.
    "[\u00e0-\u00ef][\u0080-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152"
    "\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178]{2}",
    # U+FFFD re-encoded as UTF-8 then read as GBK: the well-known '锟斤拷'.
    "\u951f\u65a4\u62f7",
    # Control characters other than tab, newline and carriage return.
    "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]",
)

#: A text that is empty once whitespace is removed.
EMPTY_TEXT_PATTERN = r"^\s*$"



class _PunctuationToSpace(dict):
    """``str.translate`` table mapping Unicode punctuation to a space, filled as characters are met.

    Looking characters up lazily avoids classifying all 1.1 million code points up front.
    """

    def __missing__(self, codepoint: int):
        value = " " if unicodedata.category(chr(codepoint)).startswith("P") else codepoint
        self[codepoint] = value
        return value


_PUNCTUATION_TO_SPACE = _PunctuationToSpace()


def normalize_text(text: str) -> str:
    """Normalise a text for near-duplicate detection.

    NFKC (full-width letters and digits become ASCII, compatibility forms fold), case folding,
    every punctuation character replaced by a space, then runs of whitespace collapsed and the ends
    stripped. "Hello,  WORLD!" and "hello world" normalise to the same string.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    if not unicodedata.is_normalized("NFKC", text):  # the quick check is much cheaper than normalising
        text = unicodedata.normalize("NFKC", text)
    # str.split() with no argument splits on every Unicode whitespace run and drops the ends.
    return " ".join(text.casefold().translate(_PUNCTUATION_TO_SPACE).split())


def normalize_series(values: pd.Series) -> pd.Series:
    """:func:`normalize_text` over a Series; missing values stay missing.

    Returns
    -------
    pandas.Series
        Object Series aligned with ``values``.
    """
    present = values.dropna()
    # Real corpora repeat texts; normalising each distinct value once saves most of the work.
    distinct = pd.unique(present)
    mapping = dict(zip(distinct, (normalize_text(str(v)) for v in distinct)))
    result = pd.Series(None, index=values.index, dtype=object)
    result[present.index] = present.map(mapping).to_numpy(dtype=object)
    return result


def is_garbled(text: str) -> bool:
    """True when ``text`` matches one of :data:`GARBLED_PATTERNS`."""
    return any(re.search(pattern, text) for pattern in GARBLED_PATTERNS)
