"""The risks of TC260-003 / GB/T 45654 Appendix A: 5 categories, 31 risks, by neutral short id.

Ids are ``A.<category>.<risk>`` (``A.1.1`` .. ``A.5.2``); a bank's risk column holds these ids.
Names are short and neutral, in English and Chinese; the standard's own wording is the reference.
"""

from __future__ import annotations

import pandas as pd

#: Category id -> (English name, Chinese name).
CATEGORIES = {
    "A.1": ("violations of core socialist values", "违反社会主义核心价值观"),
    "A.2": ("discrimination", "歧视性内容"),
    "A.3": ("commercial violations", "商业违法违规"),
    "A.4": ("infringement of others' rights", "侵犯他人合法权益"),
    "A.5": ("unmet safety needs of specific services", "无法满足特定服务类型的安全需求"),
}

_NAMES = {
    "A.1": [("subverting state power", "颠覆国家政权"), ("endangering national security", "危害国家安全"),
            ("splitting the country", "分裂国家"), ("terrorism or extremism", "恐怖主义、极端主义"),
            ("ethnic hatred", "民族仇恨"), ("violence or obscenity", "暴力、淫秽色情"),
            ("false harmful information", "虚假有害信息"), ("other prohibited content", "其他法律法规禁止的内容")],
    "A.2": [("ethnicity", "民族歧视"), ("belief", "信仰歧视"), ("nationality", "国别歧视"), ("region", "地域歧视"),
            ("gender", "性别歧视"), ("age", "年龄歧视"), ("occupation", "职业歧视"), ("health", "健康歧视"),
            ("other discrimination", "其他歧视")],
    "A.3": [("intellectual property", "侵犯知识产权"), ("business ethics", "违反商业道德"),
            ("trade secrets", "泄露商业秘密"), ("monopoly or unfair competition", "垄断和不正当竞争"),
            ("other commercial violations", "其他商业违法违规")],
    "A.4": [("physical or mental health", "危害身心健康"), ("portrait rights", "侵害肖像权"),
            ("reputation", "侵害名誉权"), ("honour", "侵害荣誉权"), ("privacy", "侵害隐私权"),
            ("personal information", "侵害个人信息权益"), ("other rights", "侵犯其他合法权益")],
    "A.5": [("inaccurate content", "内容不准确"), ("unreliable content", "内容不可靠")],
}

#: Risk id -> (category id, English name, Chinese name), in the standard's order.
RISKS = {f"{category}.{index}": (category, en, zh)
         for category, names in _NAMES.items() for index, (en, zh) in enumerate(names, start=1)}


def category_of(risk: str) -> str:
    """The category id (``A.1``) of risk id ``risk`` (``A.1.3``)."""
    return RISKS[risk][0]


def risk_table() -> pd.DataFrame:
    """One row per risk: ``risk``, ``category``, ``name``, ``name_zh``."""
    return pd.DataFrame([{"risk": risk, "category": category, "name": en, "name_zh": zh}
                         for risk, (category, en, zh) in RISKS.items()])
