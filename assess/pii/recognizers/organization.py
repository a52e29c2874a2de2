"""Organisation identifiers: the unified social credit code (统一社会信用代码)."""

from __future__ import annotations

import re

from assess.pii.checksums import valid_org_code, valid_uscc
from assess.pii.recognizer import NOT_AFTER_ALNUM as NB, NOT_BEFORE_ALNUM as NA, Shape, TokenRecognizer, register

_ALPHABET = "[0-9A-HJ-NPQRTUWXY]"


@register
class CnUscc(TokenRecognizer):
    """GB 32100 unified social credit code, 18 characters with a mod-31 check character.

    It identifies an organisation, so it is personal information only for an individual
    business (个体工商户, codes starting 92); ``identifying`` is False and it is not sensitive.
    """

    type = "CN_USCC"
    category = "organization identifier (统一社会信用代码)"
    identifying = False
    description = "Unified social credit code (GB 32100), 18 chars, mod-31 check character; organisations"
    context = ("信用代码", "社会信用", "营业执照", "税号", "纳税人识别号", "uscc", "credit code", "business license")
    context_boost = 0.1
    mask_keep = (4, 4)
    min_digits, max_digits = 6, 18
    pre = 2
    pattern = re.compile(NB + r"[1-9ANY][1-9]\d{6}" + _ALPHABET + r"{10}" + NA)

    _inside = re.compile(rb"(?<![0A-Za-z])[0ANY]0{7}[0A-Z]{10}(?![0A-Za-z])")

    def accepts(self, shape: Shape) -> bool:
        # 18 characters without separators; a token starts at a digit, so a code starting with a
        # letter (A, N, Y) is a 17-character token after a letter.
        if shape.compact:
            return shape.digits >= 6 and shape.length in (17, 18)
        return self._inside.search(shape.token) is not None

    def score(self, value: str) -> float | None:
        if not valid_uscc(value):
            return None
        # Its positions 9-17 are a GB 11714 organisation code with its own check character.
        return 0.95 if valid_org_code(value[8:17]) else 0.8
