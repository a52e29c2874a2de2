"""Keyword flags for the sensitive categories of PIPL Art. 28, and ages under 14 (Art. 28, 31).

A flag marks a record that *talks about* health, biometrics, religion, a specific identity,
financial accounts, whereabouts or a child. It names nobody by itself; the assessment treats a
record as holding sensitive personal information when it has a flag and an identifying finding.
"""

from __future__ import annotations

import re

from assess.pii.lexicon import SENSITIVE_TERMS
from assess.pii.recognizer import FlagRecognizer, register


def _terms(kind: str, script: str) -> tuple[str, ...]:
    return SENSITIVE_TERMS[kind][script]


@register
class SensitiveHealth(FlagRecognizer):
    type = "SENSITIVE_HEALTH"
    category = "health (医疗健康)"
    description = "Health terms: diagnosis, illness, hospital stay, pregnancy, prescriptions"
    keywords_zh, keywords_en = _terms(type, "zh"), _terms(type, "en")


@register
class SensitiveBiometric(FlagRecognizer):
    type = "SENSITIVE_BIOMETRIC"
    category = "biometrics (生物识别)"
    description = "Biometric terms: fingerprint, face recognition, voiceprint, iris, DNA"
    keywords_zh, keywords_en = _terms(type, "zh"), _terms(type, "en")


@register
class SensitiveReligion(FlagRecognizer):
    type = "SENSITIVE_RELIGION"
    category = "religious belief (宗教信仰)"
    description = "Religious belief terms"
    keywords_zh, keywords_en = _terms(type, "zh"), _terms(type, "en")


@register
class SensitiveSpecificIdentity(FlagRecognizer):
    type = "SENSITIVE_SPECIFIC_IDENTITY"
    category = "specific identity (特定身份)"
    description = "Specific identity terms: disability, criminal record, sexual orientation"
    keywords_zh, keywords_en = _terms(type, "zh"), _terms(type, "en")


@register
class SensitiveFinancial(FlagRecognizer):
    type = "SENSITIVE_FINANCIAL"
    category = "financial account (金融账户)"
    description = "Financial-account terms: balances, loans, credit reports, salary, payment passwords"
    keywords_zh, keywords_en = _terms(type, "zh"), _terms(type, "en")


@register
class SensitiveWhereabouts(FlagRecognizer):
    type = "SENSITIVE_WHEREABOUTS"
    category = "whereabouts (行踪轨迹)"
    description = "Whereabouts terms: travel records, location history, hotel check-ins"
    keywords_zh, keywords_en = _terms(type, "zh"), _terms(type, "en")


_CN_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
                "十": 10, "十一": 11, "十二": 12, "十三": 13}
_AGE_ZH = re.compile(r"(?<![0-9])([0-9]{1,2}|十[一二三]?|[一二两三四五六七八九])(?:周)?\Z")
_AGE_EN = re.compile(r"(?<![0-9])([0-9]{1,2})[ -](?:years?|yrs?)[ -]\Z", re.IGNORECASE)


@register
class SensitiveMinor(FlagRecognizer):
    """Children under 14 (PIPL Art. 28, 31): terms (未成年, 小学生, my son) and ages (8岁, 8 years old)."""

    type = "SENSITIVE_MINOR"
    category = "minor under 14 (不满十四周岁未成年人)"
    description = "Child under 14: terms (未成年, 小学生, my daughter) and ages below 14 (8岁, 8 years old)"
    keywords_zh = _terms(type, "zh") + ("岁",)
    keywords_en = _terms(type, "en") + ("old",)
    anchor_before = {"岁": "0123456789一二两三四五六七八九十周"}

    def at_keyword(self, text: str, start: int, end: int, keyword: str):
        if keyword in ("岁", "old"):
            pattern = _AGE_ZH if keyword == "岁" else _AGE_EN
            age = pattern.search(text, max(0, start - 12), start)
            if age is None:
                return
            number = age.group(1)
            value = int(number) if number.isdigit() else _CN_NUMERALS.get(number, 99)
            if value < 14 and not text.startswith(("以上", "以下", "+"), end):
                yield from super().at_keyword(text, age.start(), end, keyword)
            return
        yield from super().at_keyword(text, start, end, keyword)
