"""Contact details: Chinese mobile and landline numbers, other phone numbers, email addresses."""

from __future__ import annotations

import re

from assess.pii.recognizer import (
    LEAD_PLUS,
    NOT_AFTER_ALNUM as NB,
    NOT_BEFORE_ALNUM as NA,
    ScanRecognizer,
    Shape,
    TokenRecognizer,
    register,
)

_CONTACT = "contact (联系方式)"
_SEP = r"[ -]?"

# Mobile segments in use (MIIT numbering plan); 140-144 are IoT/data-only and excluded.
_MOBILE_PREFIXES = frozenset(
    [f"13{d}" for d in range(10)]
    + ["145", "146", "147", "148", "149", "150", "151", "152", "153", "155", "156", "157", "158", "159",
       "162", "165", "166", "167", "170", "171", "172", "173", "174", "175", "176", "177", "178"]
    + [f"18{d}" for d in range(10)]
    + ["190", "191", "192", "193", "195", "196", "197", "198", "199"]
)
_COUNTRY_PREFIX = re.compile(r"^(?:\(?\+86\)?|\(?0086\)?|86)[ -]?")


_NOT_DIGIT = re.compile(r"\D")


def _digits(value: str) -> str:
    return value if value.isdigit() else _NOT_DIGIT.sub("", value)


@register
class CnMobile(TokenRecognizer):
    """Mainland mobile number: 11 digits 1[3-9]x with an allocated prefix, optional +86 / 0086 / 86."""

    type = "CN_MOBILE"
    category = _CONTACT
    description = "Mainland mobile number, 11 digits with an allocated 1[3-9]x prefix, optional +86/0086"
    context = ("手机", "电话", "联系方式", "联系", "致电", "来电", "号码", "微信", "mobile", "phone", "cell", "call", "tel", "whatsapp")
    context_boost = 0.2
    mask_keep = (3, 4)
    min_digits, max_digits = 11, 15
    first_chars = "108"
    pre = 6
    pattern = re.compile(
        r"(?<![0-9A-Za-z+])(?:(?:\(\+?86\)|\+86|0086|86)[ -]?)?1[3-9]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}" + NA
    )

    _grouped = re.compile(rb"(?<![0A-Za-z])0{3}[ -]?0{4}[ -]?0{4}(?![0A-Za-z])")

    def accepts(self, shape: Shape) -> bool:
        if shape.compact:
            return shape.first in self.first_chars and shape.digits == shape.length in (11, 13, 15)
        return shape.digits >= 11 and self._grouped.search(shape.token) is not None

    def score(self, value: str) -> float | None:
        local = _digits(_COUNTRY_PREFIX.sub("", value))
        if len(local) != 11 or local[:3] not in _MOBILE_PREFIXES:
            return None
        return 0.75

    def normalize(self, value: str) -> str:
        return _digits(_COUNTRY_PREFIX.sub("", value))

    def mask(self, value: str) -> str:
        prefix = _COUNTRY_PREFIX.match(value)
        head = prefix.group() if prefix else ""
        return head + super().mask(value[len(head):])


@register
class CnLandline(TokenRecognizer):
    """Mainland fixed-line number: area code (010, 02x, 0xxx) and a 7-8 digit subscriber number."""

    type = "CN_LANDLINE"
    category = _CONTACT
    description = "Mainland landline: area code 010/02x/0xxx + 7-8 digits, optional +86, (0xx) or extension"
    context = ("电话", "座机", "固话", "联系", "致电", "来电", "传真", "号码", "phone", "tel", "fax", "landline", "call")
    mask_keep = (4, 2)
    min_digits, max_digits = 9, 16
    first_chars = "08"
    pre = 6
    post = 10
    pattern = re.compile(
        r"(?<![0-9A-Za-z+])(?:(?:\+86|0086)[ -]?(?:\(0?\d{2,3}\)|0?\d{2,3})|\(0\d{2,3}\)|0\d{2,3})"
        r"[ -]?[2-9]\d{2,3}[ -]?\d{4}(?:[ -]?(?:转|ext\.?|x)[ ]?\d{1,5})?" + NA
    )

    _grouped = re.compile(rb"(?<![0A-Za-z])0{2,4}\)?[ -]?0{3,4}[ -]?0{4}(?![0A-Za-z])")

    def accepts(self, shape: Shape) -> bool:
        if shape.compact:
            return shape.first in self.first_chars and 10 <= shape.digits == shape.length <= 15
        return shape.digits >= 9 and self._grouped.search(shape.token) is not None

    def score(self, value: str) -> float | None:
        core = re.sub(r"(?:转|ext\.?|x)[ ]?\d{1,5}$", "", value)
        separated = bool(re.search(r"[ ()+-]", core))
        number = _digits(_COUNTRY_PREFIX.sub("", core)).removeprefix("0")
        if number[:2] in ("10", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29"):
            ok = len(number) == 10
        else:
            ok = number[:1] in "3456789" and len(number) in (10, 11)
        if not ok or not number:
            return None
        # Eleven bare digits starting with 0 could be anything: context decides.
        return 0.65 if separated else 0.3

    def normalize(self, value: str) -> str:
        return _digits(_COUNTRY_PREFIX.sub("", value)).removeprefix("0")


@register
class PhoneNumber(TokenRecognizer):
    """Other phone numbers: +<country code> (not +86) with 8-15 digits, or North American (NXX) NXX-XXXX."""

    type = "PHONE_NUMBER"
    category = _CONTACT
    description = "Non-Chinese phone number: +country code and 8-15 digits, or North American (NXX) NXX-XXXX"
    context = ("phone", "call", "tel", "mobile", "cell", "contact", "电话", "手机", "致电")
    mask_keep = (3, 2)
    min_digits = 8
    pre = 2
    pattern = re.compile(
        r"(?<![0-9A-Za-z+])\+(?!86)[1-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,5}" + NA
        + "|" + NB + r"(?:\([2-9]\d{2}\)[ ]?|[2-9]\d{2}[ .-])[2-9]\d{2}[ .-]\d{4}" + NA
    )

    _north_american = re.compile(rb"(?<![0A-Za-z])000(?:\) ?|[ .-])000[ .-]0000(?![0A-Za-z])")

    def accepts(self, shape: Shape) -> bool:
        if shape.flags & LEAD_PLUS:
            return shape.digits >= 8
        return shape.digits >= 10 and self._north_american.search(shape.token) is not None

    def score(self, value: str) -> float | None:
        digits = _digits(value)
        if value.startswith("+"):
            return 0.65 if 8 <= len(digits) <= 15 else None
        if len(digits) != 10:
            return None
        return 0.6 if value.startswith("(") else 0.4


@register
class EmailAddress(ScanRecognizer):
    """Email address (RFC 5322 simplified), found from each ``@``."""

    type = "EMAIL_ADDRESS"
    category = _CONTACT
    description = "Email address"
    context = ("email", "e-mail", "邮箱", "邮件")
    view_patterns = (re.compile(rb"@(?=[0A-Za-z])"),)
    _local = re.compile(r"[A-Za-z0-9._%+\-]{1,64}\Z")
    _domain = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}(?![A-Za-z0-9-])")

    def confirm(self, text: str, view: bytes, match: re.Match):
        at = match.start()
        local = self._local.search(text, max(0, at - 64), at)
        domain = self._domain.match(text, at + 1)
        if local is None or domain is None:
            return
        start = local.start()
        while start < at and text[start] in "._%+-":  # a local part does not start with punctuation
            start += 1
        if start < at and text[at - 1] != ".":
            yield start, domain.end(), 0.9

    def normalize(self, value: str) -> str:
        return value.lower()

    def mask(self, value: str) -> str:
        local, _, domain = value.partition("@")
        tld = domain.rsplit(".", 1)[-1]
        return f"{local[:1]}***@***.{tld}"
