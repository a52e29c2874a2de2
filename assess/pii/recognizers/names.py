"""Person names by context: a surname after 我叫 / 姓名 or before 先生 / 女士; "my name is", "Mr." in English.

Heuristics, not NER: a name is reported only next to a keyword, so names mentioned without one
are missed (recall), and "我叫" followed by a surname-like word is taken for a name (precision).
"""

from __future__ import annotations

import re

from assess.pii.lexicon import (
    CN_COMPOUND_SURNAMES,
    CN_NAME_LEADS,
    CN_NAME_STOP,
    CN_SURNAME_LEADS,
    CN_SURNAMES,
    CN_TITLES,
    CN_WEAK_NAME_LEADS,
    EN_GIVEN_NAMES,
    EN_NOT_NAMES,
)
from assess.pii.recognizer import KeywordRecognizer, register

_PERSON = "person name (姓名)"
_SURNAMES = frozenset(CN_SURNAMES)
_COMPOUND = frozenset(CN_COMPOUND_SURNAMES)
_SEPARATORS = " :：是为\u3000"
_NAME_STARTS = "".join(sorted(set(CN_SURNAMES) | {s[0] for s in CN_COMPOUND_SURNAMES}))


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _surname_length(text: str, at: int) -> int:
    """Length of the surname starting at ``at`` (2 for a compound surname, 1, or 0 for none)."""
    if text[at:at + 2] in _COMPOUND:
        return 2
    return 1 if at < len(text) and text[at] in _SURNAMES else 0


@register
class PersonZh(KeywordRecognizer):
    """Chinese name: surname + 1-2 given-name characters after a lead-in, or a surname before a title."""

    type = "PERSON"
    category = _PERSON
    description = "Person name: Chinese (surname list + 我叫/姓名/联系人 or 先生/女士), English (my name is, Mr./Ms./Dr.)"
    keywords_zh = CN_NAME_LEADS + CN_WEAK_NAME_LEADS + CN_SURNAME_LEADS + CN_TITLES
    # After a lead-in comes a separator or a surname (the first character of a compound one).
    anchor_after = {lead: _NAME_STARTS + _SEPARATORS for lead in CN_NAME_LEADS + CN_WEAK_NAME_LEADS} | {
        lead: _NAME_STARTS for lead in CN_SURNAME_LEADS}

    def at_keyword(self, text: str, start: int, end: int, keyword: str):
        if keyword in CN_TITLES:
            yield from self._before_title(text, start)
        elif keyword in CN_SURNAME_LEADS:
            length = _surname_length(text, end)
            following = text[end + length:end + length + 1]
            if length and (not _is_han(following) or following in CN_NAME_STOP):
                yield end, end + length, 0.6
        else:
            yield from self._after_lead(text, end, 0.6 if keyword in CN_WEAK_NAME_LEADS else 0.8)

    def _after_lead(self, text: str, at: int, confidence: float):
        while at < len(text) and text[at] in _SEPARATORS:
            at += 1
        length = _surname_length(text, at)
        if not length:
            return
        given = 0
        while given < 2 and _is_han(text[at + length + given:at + length + given + 1] or " ") \
                and text[at + length + given] not in CN_NAME_STOP:
            given += 1
        if not given:
            return
        end = at + length + given
        following = text[end:end + 1]
        # After a weak lead-in (您好, 我是) the name must end there: "您好麻烦尽快" is no name.
        if confidence < 0.8 and following and _is_han(following) and following not in CN_NAME_STOP:
            return
        yield at, end, confidence

    def _before_title(self, text: str, title_at: int):
        # 王小明先生 / 王先生 / 欧阳先生: the longest surname (+ given name) that ends at the title.
        for back in (4, 3, 2, 1):
            at = title_at - back
            if at < 0:
                continue
            length = _surname_length(text, at)
            if not length or back - length > 2 or length > back:
                continue
            given = text[at + length:title_at]
            if all(_is_han(ch) and ch not in CN_NAME_STOP for ch in given):
                yield at, title_at, 0.7
                return

    def mask(self, value: str) -> str:
        length = _surname_length(value, 0) or 1
        if length >= len(value):
            return "*" * len(value)  # a surname alone: show nothing of it
        return value[:length] + "*" * (len(value) - length)


_EN_SURNAME = re.compile(r"(?: [A-Z]\.)? ([A-Z][a-z]+(?:['-][A-Z]?[a-z]+)?)(?![A-Za-z])")
_EN_NAME = re.compile(r"[A-Z][a-z]+(?:['-][A-Z]?[a-z]+)?(?: [A-Z]\.)?(?: [A-Z][a-z]+(?:['-][A-Z]?[a-z]+)?)?")


@register
class PersonEn(KeywordRecognizer):
    """English name: capitalised words after "my name is", "name:", or a title (Mr., Mrs., Ms., Dr.)."""

    type = "PERSON"
    category = _PERSON
    _titles = frozenset(("mr", "mrs", "ms", "miss", "dr", "prof", "mister"))
    #: Lead-ins after which a capitalised word is often, not always, a name: two words are needed.
    _weak = frozenset(("this is", "i'm", "i am", "hello", "dear"))
    _strong = ("my name is", "name is", "name:", "full name", "recipient", "under the name", "named", "signed")
    _given = frozenset(EN_GIVEN_NAMES)
    keywords_en = _strong + tuple(_titles) + tuple(_weak) + EN_GIVEN_NAMES

    def at_keyword(self, text: str, start: int, end: int, keyword: str):
        following = text[end:end + 2]
        if not following or (following[0] not in " .:\t" and not following[0].isupper()):
            return  # a name follows after a space, a dot (Mr.) or a colon
        if keyword in self._weak and not following[1:].isupper():
            return  # "Hi, ..." / "hello there"
        if keyword in self._given:
            yield from self._given_name(text, start, end)
            return
        at = end
        if keyword in self._titles:
            if text[at:at + 1] == ".":
                at += 1
            confidence = 0.8
        else:
            confidence = 0.85 if keyword == "my name is" else 0.75
        if keyword in ("i'm", "i am") and text[end:end + 1] == " " and text[end + 1:end + 2].islower():
            return
        gap = at
        while at < len(text) and text[at] in " :\t":
            at += 1
        if at == gap and text[end:end + 1] != "." and keyword != "name:":
            return  # a title must be followed by a dot or a space
        match = _EN_NAME.match(text, at)
        if match is None:
            return
        words = match.group().split(" ")
        while words and words[-1] in EN_NOT_NAMES:
            words.pop()
        if not words or words[0] in EN_NOT_NAMES:
            return
        if keyword in self._weak:
            confidence = 0.7 if len(words) >= 2 else 0.45  # "I am Chinese", "Hello World" are not names
        yield at, at + len(" ".join(words)), confidence

    def _given_name(self, text: str, start: int, end: int):
        # A common given name followed by a capitalised surname: "Mary Walker" (no context needed).
        if text[start:end] not in self._given:
            return  # matched case-insensitively; "mary" or "MARY" is not enough
        match = _EN_SURNAME.match(text, end)
        if match is not None and match.group(1) not in EN_NOT_NAMES:
            yield start, match.end(), 0.65

    def mask(self, value: str) -> str:
        return " ".join(word[:1] + "*" * (len(word) - 1) for word in value.split(" "))
