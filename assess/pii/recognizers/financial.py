"""Financial accounts (PIPL Art. 28 金融账户): UnionPay bank cards, credit cards, IBANs."""

from __future__ import annotations

import re
from functools import lru_cache

from assess.pii.checksums import IBAN_LENGTHS, iban_valid, luhn_valid
from assess.pii.recognizer import (
    LEAD_LETTER,
    SPACE,
    Shape,
    NOT_AFTER_ALNUM as NB,
    NOT_BEFORE_ALNUM as NA,
    TokenRecognizer,
    register,
)

_FINANCIAL = "financial account (金融账户)"
#: A Luhn failure keeps a low confidence rather than none (some legacy domestic cards are
#: reported not to pass Luhn), but stays below the default reporting threshold of 0.5 even
#: with context, so look-alikes are not reported unless a user lowers the threshold.
LUHN_FAILURE_CONFIDENCE = 0.2


_NOT_DIGIT = re.compile(r"\D")


def _digits(value: str) -> str:
    return value if value.isdigit() else _NOT_DIGIT.sub("", value)


@register
class CnBankCard(TokenRecognizer):
    """UnionPay card (IIN 62): 16-19 digits, Luhn, written plain or in groups of four."""

    type = "CN_BANK_CARD"
    category = _FINANCIAL
    sensitive = True
    description = "UnionPay bank card (IIN 62), 16-19 digits passing Luhn, plain or grouped"
    context = ("卡", "账号", "开户行", "card", "account number", "bank")
    context_boost = 0.25
    anti_context = ("身份证", "证件", "订单", "单号", "编号", "工单", "流水号", "order", "ref", "tracking", "ticket", "invoice", "id")
    mask_keep = (6, 4)
    min_digits, max_digits = 16, 19
    first_chars = "6"
    pattern = re.compile(NB + r"(?:62\d{14,17}|62\d{2}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?)" + NA)

    _grouped = re.compile(rb"(?<![0A-Za-z])(?:0{16,19}|0000(?:[ -]0000){3}(?:[ -]?0{1,3})?)(?![0A-Za-z])")

    def accepts(self, shape: Shape) -> bool:
        if shape.compact:
            return shape.first == "6" and 16 <= shape.digits == shape.length <= 19
        return shape.digits >= 16 and self._grouped.search(shape.token) is not None

    def score(self, value: str) -> float | None:
        digits = _digits(value)
        if not 16 <= len(digits) <= 19:
            return None
        return 0.85 if luhn_valid(digits) else LUHN_FAILURE_CONFIDENCE

    def normalize(self, value: str) -> str:
        return _digits(value)


def _card_brand(digits: str) -> str | None:
    """Card network from the IIN and length, or None (UnionPay 62 is CN_BANK_CARD)."""
    n, first2, first4 = len(digits), int(digits[:2]), int(digits[:4])
    if digits[0] == "4" and n in (13, 16, 19):
        return "visa"
    if (51 <= first2 <= 55 or 2221 <= first4 <= 2720) and n == 16:
        return "mastercard"
    if first2 in (34, 37) and n == 15:
        return "amex"
    if (first4 == 6011 or first2 == 65 or 644 <= int(digits[:3]) <= 649) and 16 <= n <= 19:
        return "discover"
    if 3528 <= first4 <= 3589 and 16 <= n <= 19:
        return "jcb"
    if (300 <= int(digits[:3]) <= 305 or first2 in (36, 38)) and n == 14:
        return "diners"
    return None


@register
class CreditCard(TokenRecognizer):
    """Payment card of the international networks (Visa, Mastercard, Amex, Discover, JCB, Diners), Luhn."""

    type = "CREDIT_CARD"
    category = _FINANCIAL
    sensitive = True
    description = "Credit/debit card of Visa, Mastercard, Amex, Discover, JCB, Diners (IIN + length + Luhn)"
    context = ("卡", "card", "visa", "mastercard", "amex")
    context_boost = 0.15
    anti_context = ("身份证", "证件", "订单", "单号", "编号", "工单", "流水号", "order", "ref", "tracking", "ticket", "invoice", "id")
    mask_keep = (6, 4)
    min_digits, max_digits = 13, 19
    pattern = re.compile(
        NB + r"(?:[2-6]\d{12,18}|[2-6]\d{3}(?:[ -]\d{4}){3}(?:[ -]?\d{1,3})?|3[47]\d{2}[ -]\d{6}[ -]\d{5}"
        r"|3[47]\d{2}(?:[ -]\d{4}){2}[ -]\d{3}|3[068]\d{2}[ -]\d{6}[ -]\d{4})" + NA
    )

    _grouped = re.compile(
        rb"(?<![0A-Za-z])(?:0{13,19}|0000(?:[ -]0000){3}(?:[ -]?0{1,3})?|0000[ -]000000[ -]0{4,5}|0000[ -]0000[ -]0000[ -]000)"
        rb"(?![0A-Za-z])")

    #: First digits a network issues at each length (see ``_card_brand``): an 18-digit token starting
    #: with 4 (a resident ID of Hebei, an order number) is no card, and is rejected once per shape.
    _first_by_length = {13: "4", 14: "3", 15: "3", 16: "23456", 17: "36", 18: "36", 19: "346"}

    def accepts(self, shape: Shape) -> bool:
        if shape.compact:
            return shape.digits == shape.length and shape.first in self._first_by_length.get(shape.digits, "")
        return shape.digits >= 14 and self._grouped.search(shape.token) is not None

    def score(self, value: str) -> float | None:
        digits = _digits(value)
        if _card_brand(digits) is None:
            return None
        return 0.85 if luhn_valid(digits) else LUHN_FAILURE_CONFIDENCE

    def normalize(self, value: str) -> str:
        return _digits(value)


@lru_cache(maxsize=64)
def _iban_of_length(length: int) -> re.Pattern:
    """Exactly ``length`` IBAN characters, with single spaces allowed between them."""
    return re.compile(r"(?:[A-Z0-9] ?){%d}[A-Z0-9]" % (length - 1))


@register
class IbanCode(TokenRecognizer):
    """International bank account number: country length and ISO 7064 mod 97."""

    type = "IBAN_CODE"
    category = _FINANCIAL
    sensitive = True
    description = "IBAN: 2-letter country, 2 check digits, BBAN; country length and mod 97 checked"
    context = ("iban", "bank account", "account", "账户", "账号", "汇款")
    context_boost = 0.1
    mask_keep = (4, 2)
    min_digits = 6
    pre = 12
    pattern = re.compile(NB + r"[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?")

    def accepts(self, shape: Shape) -> bool:
        # "GB82 WEST 1234 ...": the token may start after the letter groups, hence SPACE.
        return shape.digits >= self.min_digits and (bool(shape.flags & LEAD_LETTER) or (
            bool(shape.flags & SPACE) and shape.digits >= 8))

    def spans(self, text: str, match: re.Match):
        # The pattern is greedy over 4-character groups; the country's length says where it ends.
        length = IBAN_LENGTHS.get(match.group()[:2])
        if length is None:
            return
        exact = _iban_of_length(length).match(text, match.start(), match.end())
        if exact is None:
            return
        end = exact.end()
        if end < len(text) and text[end].isascii() and text[end].isalnum():
            return
        if iban_valid(text[match.start():end]):
            yield match.start(), end, 0.9

    def normalize(self, value: str) -> str:
        return value.replace(" ", "").upper()
