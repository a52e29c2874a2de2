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
_CN_ADDRESS_TAIL = re.compile(r"院?(?:[0-9]{1,4}(?:号楼|栋|幢|座|单元|层|楼|室|号|户))+")
_CN_DIVISION = re.compile(r"省|市|区|县|镇|乡|自治州|旗")
_CN_LEAD = re.compile(r".*(?:" + "|".join(CN_ADDRESS_LEADS) + r"|在|是|到)[:：]?", re.DOTALL)
_CN_START = re.compile("|".join(CN_PLACE_STARTS))


# A building number and what follows it: 12栋2单元501, 3号楼1802室, 6组.
_CN_BUILDING = re.compile(r"[0-9]{1,4}(?:号楼|栋|幢|座)(?:[0-9]{1,2}单元)?(?:[0-9]{1,5}(?:室|层|楼|号|户)?)?")
# Where the address before a building number starts: after the last punctuation or lead-in.
_CN_CUT = re.compile(r".*(?:[\s，。！？；,.!?;：:、（）()\[\]【】]|" + "|".join(CN_ADDRESS_LEADS) + r"|在|是|到|改成)", re.DOTALL)
# A place part that makes "<name>12栋" an address: a division or a residential-area word.
_CN_PLACE = re.compile(r"省|市|区|县|镇|乡|村|小区|花园|家园|公寓|大厦|广场|新村|新城|苑|园|城|里|院|湾|府|庭|居|路|街|道")
_BUILDINGS = ("栋", "号楼", "幢", "座")


@register
class LocationZh(KeywordRecognizer):
    """Chinese address ending in a house number: [省][市][区]…路/街/道/村 27 号 [3 栋 501 室], or in a
    building number after a residential area: [市][区]…小区/花园 12 栋 [2 单元 501 室]."""

    type = "LOCATION"
    category = _LOCATION
    description = "Postal address: Chinese (…路/街/道/村 + number + 号, …小区 + 12栋/3号楼 + room, with 省/市/区 prefixes), English (123 Main Street, unit, city, state, ZIP)"
    keywords_zh = ("号",) + _BUILDINGS
    anchor_before = {"号": "0123456789一二三四五六七八九十百零〇"} | {word: "0123456789" for word in _BUILDINGS}

    def at_keyword(self, text: str, start: int, end: int, keyword: str):
        if keyword in _BUILDINGS:
            yield from self._building(text, start)
            return
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

    def _building(self, text: str, start: int):
        digits = start
        while digits > 0 and text[digits - 1].isdigit() and start - digits < 4:
            digits -= 1
        if digits == start or digits < 3:
            return
        lower = max(0, digits - 30)
        cut = _CN_CUT.match(text, lower, digits)
        begin = cut.end() if cut else lower
        while begin < digits and not "\u4e00" <= text[begin] <= "\u9fff":
            begin += 1
        place = _CN_START.search(text, begin, digits)
        if place is not None:
            begin = place.start()
        if digits - begin < 3 or _CN_PLACE.search(text, begin, digits) is None:
            return
        tail = _CN_BUILDING.match(text, digits)
        yield begin, tail.end() if tail else start + 1, 0.7 if _CN_DIVISION.search(text, begin, digits) else 0.6

    def mask(self, value: str) -> str:
        return value[:3] + "*" * (len(value) - 3)


_SUFFIX = "|".join(sorted(EN_STREET_SUFFIXES, key=len, reverse=True))
_SUFFIX_AT = re.compile(r" (?:" + _SUFFIX + r")\b")
# Before the suffix (matched right to left: the search ends where the suffix starts): house
# number, an optional direction, 1-5 street-name words (Martin Luther King Jr, 5th).
_EN_HEAD = re.compile(
    r"(?<![0-9A-Za-z])[0-9]{1,5}[A-Za-z]?,? (?:(?:[NSEW]|North|South|East|West)\.? )?"
    r"(?:(?:[A-Z][a-z]+|[0-9]{1,3}(?:st|nd|rd|th)|Jr\.?|[A-Z]'[A-Z][a-z]+) ){1,5}\Z")
_CITY = r"[A-Z][a-z]+(?: [A-Z][a-z]+)?"
_STATE_ZIP = r" [A-Z]{2}(?: [0-9]{5}(?:-[0-9]{4})?)?(?![A-Za-z0-9])"
_UK_POSTCODE = r" [A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}(?![A-Za-z0-9])"
# After the suffix: a unit, then a city with a state (and ZIP) or a UK postcode, or ", City".
_EN_TAIL = re.compile(
    r"\.?(?:,? (?:Apt|Apartment|Suite|Unit|Ste|Flat|Room|Fl|Floor)\.? ?#?[0-9A-Za-z]{1,5}|,? #[0-9A-Za-z]{1,5})?"
    r"(?:,? " + _CITY + r",?" + _STATE_ZIP + r"|,? " + _CITY + _UK_POSTCODE + r"|, " + _CITY + r"(?![A-Za-z]))?")
# Before the house number: a flat or unit ("Flat 2, 117 Kingsley Road").
_EN_UNIT_BEFORE = re.compile(r"(?<![A-Za-z])(?:Flat|Apt|Unit|Apartment|Suite) [0-9A-Za-z]{1,5},? \Z")


@register
class LocationEn(KeywordRecognizer):
    """English street address: [flat,] house number, [direction,] 1-5 street-name words, street
    suffix, [unit,] [city + state [ZIP] | city + UK postcode | , city]."""

    type = "LOCATION"
    category = _LOCATION
    keywords_en = EN_STREET_SUFFIXES

    def at_keyword(self, text: str, start: int, end: int, keyword: str):
        if not text[start:start + 1].isupper():
            return  # "my street", "the way": not a street name
        head = _EN_HEAD.search(text, max(0, start - 64), start)
        if head is None:
            return
        begin = head.start()
        unit = _EN_UNIT_BEFORE.search(text, max(0, begin - 16), begin)
        if unit is not None:
            begin = unit.start()
        tail = _EN_TAIL.match(text, end)
        yield begin, tail.end() if tail else end, 0.75

    def mask(self, value: str) -> str:
        # Keep the street suffix and what follows it (city, state); mask number, street name, zip.
        suffix = _SUFFIX_AT.search(value)
        cut = suffix.start() if suffix else len(value)
        head = "".join("*" if ch.isalnum() else ch for ch in value[:cut])
        tail = "".join("*" if ch.isdigit() else ch for ch in value[cut:])
        return head + tail
