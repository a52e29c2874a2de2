"""Identity documents: resident ID, passports, HK/Macau permits, US SSN."""

from __future__ import annotations

import re

from assess.pii.checksums import us_ssn_valid, valid_cn_resident_id, valid_cn_resident_id_15
from assess.pii.recognizer import (
    LEAD_LETTER,
    NOT_AFTER_ALNUM as NB,
    NOT_BEFORE_ALNUM as NA,
    Shape,
    TokenRecognizer,
    register,
)

_IDENTITY = "identity document (身份证件)"


@register
class CnResidentId(TokenRecognizer):
    """GB 11643 resident ID: 18 characters with a MOD 11-2 check character, or the 15-digit legacy form."""

    type = "CN_RESIDENT_ID"
    category = _IDENTITY
    sensitive = True
    description = "Resident identity card number (居民身份证号), 18 chars with MOD 11-2 check, or 15-digit legacy"
    context = ("身份证", "证件号", "身份号码", "公民身份", "ID card", "identity card", "resident ID", "id number", "id_card", "idcard")
    context_boost = 0.45
    mask_keep = (4, 4)
    min_digits, max_digits = 15, 18
    first_chars = "12345678"
    # Optional single separator after the region code and after the birth date (the printed 6-8-4 grouping).
    pattern = re.compile(
        NB + r"[1-9]\d{5}([ -]?)(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\1\d{3}[0-9Xx]" + NA
        + "|" + NB + r"[1-9]\d{5}([ -]?)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\2\d{3}" + NA
    )

    # Shapes in the engine's view, where every digit is 0.
    _grouped = re.compile(rb"(?<![0A-Za-z])(?:0{17}[0Xx]|0{15}|0{6}[ -]0{6}(?:00)?[ -]0{3}[0Xx]?)(?![0A-Za-z])")

    def accepts(self, shape: Shape) -> bool:
        if shape.compact:
            return shape.first in self.first_chars and (
                shape.digits == shape.length in (15, 18)
                or (shape.digits == 17 and shape.length == 18 and shape.token[-1:] in (b"X", b"x")))
        return shape.digits >= 15 and self._grouped.search(shape.token) is not None

    def score(self, value: str) -> float | None:
        compact = value.replace(" ", "").replace("-", "")
        if len(compact) == 18:
            return 0.95 if valid_cn_resident_id(compact) else None
        # 15 digits carry no check digit: plausible region and date only, so context is needed.
        return 0.4 if valid_cn_resident_id_15(compact) else None


@register
class CnPassport(TokenRecognizer):
    """PRC passport: E or G + 8 digits, E + letter + 7 digits; SE/PE/DE + 7 digits (service, diplomatic)."""

    type = "CN_PASSPORT"
    category = _IDENTITY
    sensitive = True
    description = "PRC passport number: E/G + 8 digits, E + letter (not I/O) + 7 digits, SE/PE/DE + 7 digits"
    context = ("护照", "passport")
    mask_keep = (1, 2)
    min_digits, max_digits = 7, 8
    needs = LEAD_LETTER
    pre = 2
    pattern = re.compile(NB + r"(?:E[A-HJ-NP-Z]\d{7}|[EG]\d{8}|[SPD]E\d{7})" + NA)

    def accepts(self, shape: Shape) -> bool:
        return shape.compact and shape.digits == shape.length in (7, 8) and bool(shape.flags & LEAD_LETTER)

    def score(self, value: str) -> float | None:
        return 0.6


@register
class CnHkMacauPermit(TokenRecognizer):
    """Permits for travel between the mainland and Hong Kong / Macao.

    往来港澳通行证 (mainland residents): C or W + 8 digits, CA-style letter + 7 digits.
    港澳居民来往内地通行证 (回乡证, HK/Macao residents): H or M + 8 digits (10 on older cards).
    The shapes are generic, so a context word is needed to report them.
    """

    type = "CN_HK_MACAU_PERMIT"
    category = _IDENTITY
    sensitive = True
    description = "Travel permits HK/Macao: C/W + 8 digits (往来港澳通行证), H/M + 8 or 10 digits (回乡证)"
    context = ("通行证", "回乡证", "港澳", "permit", "home return", "travel pass")
    context_boost = 0.45
    mask_keep = (1, 2)
    min_digits, max_digits = 7, 10
    needs = LEAD_LETTER
    pre = 2
    pattern = re.compile(NB + r"(?:[CW]\d{8}|C[A-HJ-NP-Z]\d{7}|[HM]\d{8}(?:\d{2})?)" + NA)

    def accepts(self, shape: Shape) -> bool:
        return shape.compact and shape.digits == shape.length in (7, 8, 10) and bool(shape.flags & LEAD_LETTER)

    def score(self, value: str) -> float | None:
        return 0.45


@register
class UsSsn(TokenRecognizer):
    """US social security number with the SSA area/group/serial rules."""

    type = "US_SSN"
    category = _IDENTITY
    sensitive = True
    description = "US Social Security number (area 001-899 except 666, group 01-99, serial 0001-9999)"
    context = ("ssn", "social security", "social-security")
    context_boost = 0.4
    mask_keep = (0, 4)
    min_digits, max_digits = 9, 9
    pattern = re.compile(NB + r"(?:\d{3}-\d{2}-\d{4}|\d{3} \d{2} \d{4}|\d{9})" + NA)

    _grouped = re.compile(rb"(?<![0A-Za-z])(?:0{9}|000(?P<sep>[ -])00(?P=sep)0000)(?![0A-Za-z])")

    def accepts(self, shape: Shape) -> bool:
        if shape.compact:
            return shape.digits == shape.length == 9 and shape.first != "9"
        return self._grouped.search(shape.token) is not None

    def score(self, value: str) -> float | None:
        digits = value.replace("-", "").replace(" ", "")
        if not us_ssn_valid(digits):
            return None
        # Nine bare digits are as likely an order number: context decides.
        return 0.6 if len(value) == 11 else 0.3
