"""Explicit label on text: a notice line at the start (or end) and a check that finds it.

GB 45438 §5.1: the text prompt contains the AI element ("人工智能" or "AI") and the generation
element ("生成" and/or "合成"); Measures Art. 4 puts it at the start, the end or a suitable place
in the middle. The check looks at the first and last :data:`WINDOW` characters after removing
metadata labels and applying NFKC, so full-width "ＡＩ" and collapsed white space still count.
A notice only in the middle of the text is not recognised (reported as missing).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from assess.content_labels.formats.text import split_label_lines

NOTICE = "【AI生成】"
WINDOW = 48
AI_ELEMENT = re.compile(r"AI|人工智能")
GENERATION_ELEMENT = re.compile(r"生成|合成")


def add_text_notice(text: str, *, position: str = "start", notice: str = NOTICE) -> str:
    """Return ``text`` with ``notice`` on its own line at the ``start`` or ``end``."""
    from assess.errors import InputError

    if not (AI_ELEMENT.search(notice) and GENERATION_ELEMENT.search(notice)):
        raise InputError(f"notice {notice!r} lacks the AI element (AI/人工智能) or the generation element (生成/合成) of GB 45438 §5.1")
    body, _ = split_label_lines(text)
    bom = "\ufeff" if body.startswith("\ufeff") else ""
    body = body[len(bom):]
    if position == "start":
        return bom + notice + "\n" + body
    if position == "end":
        return bom + body.rstrip("\n") + "\n" + notice + "\n"
    raise InputError(f"position {position!r} must be 'start' or 'end'")


def _has_both(window: str) -> bool:
    return bool(AI_ELEMENT.search(window) and GENERATION_ELEMENT.search(window))


@dataclass(frozen=True)
class TextNoticeMatch:
    """Whether a conforming notice is at the start or the end of the text."""

    found: bool
    position: str = ""
    snippet: str = ""


def find_text_notice(text: str) -> TextNoticeMatch:
    """Find a GB 45438 §5.1 notice within the first or last :data:`WINDOW` characters."""
    body, _ = split_label_lines(text)
    normalised = unicodedata.normalize("NFKC", body).strip().lstrip("\ufeff")
    head, tail = normalised[:WINDOW], normalised[-WINDOW:]
    if _has_both(head):
        return TextNoticeMatch(True, "start", head[:24])
    if _has_both(tail):
        return TextNoticeMatch(True, "end", tail[-24:])
    return TextNoticeMatch(False)
