"""Generic masking of values that may hold personal data.

Used wherever a value must be shown as evidence without being disclosed: GX unexpected-value
lists, suspect tables, error messages. Type-aware masking of identifiers lives in ``assess.pii``.
"""

from __future__ import annotations

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

