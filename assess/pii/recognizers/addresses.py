"""Postal addresses: Chinese (…路27号, 省/市/区 prefixes) and English (123 Main Street).

Heuristics: a Chinese address is recognised from its house number (digits + 号 after a road
marker) and extended backwards over the administrative divisions; an English one from a house
number followed by capitalised words and a street suffix.
"""

from __future__ import annotations

import re

from assess.pii.lexicon import CN_ADDRESS_LEADS, CN_PLACE_STARTS, CN_ROAD_MARKERS, EN_STREET_SUFFIXES
from assess.pii.recognizer import KeywordRecognizer, register

_LOCATION = "address (住址)"
_NUMBER = "0-9一二三四五六七八九十百零〇"
_NUMBER_CHARS = frozenset("0123456789一二三四五六七八九十百零〇")
_ROAD = "|".join(CN_ROAD_MARKERS)
# Ends at 号 (the engine found it); the text before is matched right-to-left by trying starts.
_CN_ADDRESS = re.compile(
    r"[\u4e00-\u9fff0-9]{0,24}?(?:" + _ROAD + r")[" + _NUMBER + r"]{1,5}(?:-[0-9]{1,4})?号\Z"
)
# What the end of such an address must look like: the last character of a road marker, then the
# house number. Checked first on a few characters (号 after a number is mostly 一号, 3号, 5号线).
_CN_HOUSE_NUMBER = re.compile(
    "[" + "".join(sorted({marker[-1] for marker in CN_ROAD_MARKERS})) + "][" + _NUMBER + r"]{1,5}(?:-[0-9]{1,4})?号\Z"
)
_CN_ADDRESS_TAIL = re.compile(r"(?:[0-9]{1,4}(?:号楼|栋|幢|座|单元|层|楼|室|号|户))+")
_CN_DIVISION = re.compile(r"省|市|区|县|镇|乡|自治州|旗")
_CN_LEAD = re.compile(r".*(?:" + "|".join(CN_ADDRESS_LEADS) + r"|在|是|到)[:：]?", re.DOTALL)
_CN_START = re.compile("|".join(CN_PLACE_STARTS))


@register
class LocationZh(KeywordRecognizer):
    """Chinese street address ending in a house number: [省][市][区]…路/街/道 27 号 [3 栋 501 室]."""

    type = "LOCATION"
    category = _LOCATION
    description = "Postal address: Chinese (…路/街/道 + number + 号, with 省/市/区 prefixes), English (123 Main Street)"
    keywords_zh = ("号",)
    anchor_before = {"号": "0123456789一二三四五六七八九十百零〇"}

    def at_keyword(self, text: str, start: int, end: int, keyword: str):
        if start == 0 or text[start - 1] not in _NUMBER_CHARS:
            return  # 号码, 账号, 手机号: not a house number
        if _CN_HOUSE_NUMBER.search(text, max(0, start - 11), end) is None:
            return
        lower = max(0, start - 40)
        match = _CN_ADDRESS.search(text, lower, end)
        if match is None:
            return
        begin = match.start()
        # Start at a province or city name when there is one, else after a lead-in (住在, 地址：).
        place = _CN_START.search(text, begin, start)
        if place is not None:
            begin = place.start()
        else:
            lead = _CN_LEAD.match(text, begin, start)
            if lead is not None:
                begin = lead.end()
        if begin >= start - 2:
            return
        tail = _CN_ADDRESS_TAIL.match(text, end)
        stop = tail.end() if tail else end
        confidence = 0.8 if _CN_DIVISION.search(text, begin, start) else 0.6
        yield begin, stop, confidence

    def mask(self, value: str) -> str:
        return value[:3] + "*" * (len(value) - 3)


_SUFFIX = "|".join(sorted(EN_STREET_SUFFIXES, key=len, reverse=True))
_SUFFIX_AT = re.compile(r" (?:" + _SUFFIX + r")\b")
# Before the suffix (matched right to left: the search ends where the suffix starts).
_EN_HEAD = re.compile(r"(?<![0-9A-Za-z])[0-9]{1,5}[A-Za-z]? (?:[A-Z][a-z]+ ){1,3}\Z")
_EN_TAIL = re.compile(r"\.?(?:,? (?:Apt|Suite|Unit|Ste)\.? ?#?[0-9A-Za-z]+)?(?:, [A-Z][a-z]+(?: [A-Z][a-z]+)?)?(?:, [A-Z]{2} [0-9]{5})?")


@register
class LocationEn(KeywordRecognizer):
    """English street address: house number, 1-3 capitalised words, street suffix, optional unit/city."""

    type = "LOCATION"
    category = _LOCATION
    keywords_en = EN_STREET_SUFFIXES

    def at_keyword(self, text: str, start: int, end: int, keyword: str):
        if not text[start:start + 1].isupper():
            return  # "my street", "the way": not a street name
        head = _EN_HEAD.search(text, max(0, start - 48), start)
        if head is None:
            return
        tail = _EN_TAIL.match(text, end)
        yield head.start(), tail.end() if tail else end, 0.75

    def mask(self, value: str) -> str:
        # Keep the street suffix and what follows it (city, state); mask number, street name, zip.
        suffix = _SUFFIX_AT.search(value)
        cut = suffix.start() if suffix else len(value)
        head = "".join("*" if ch.isalnum() else ch for ch in value[:cut])
        tail = "".join("*" if ch.isdigit() else ch for ch in value[cut:])
        return head + tail
