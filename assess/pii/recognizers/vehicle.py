"""Vehicle licence plates of mainland China (GA 36)."""

from __future__ import annotations

import re

from assess.pii.recognizer import NOT_BEFORE_ALNUM as NA, ScanRecognizer, register

#: Province abbreviations that open a plate.
PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
#: Byte the engine's view puts where a province abbreviation stands (see ``assess.pii.view``).
PROVINCE_BYTE = 0x03
_LETTER = "[A-HJ-NP-Z]"
_SERIAL = "[A-HJ-NP-Z0-9]"


@register
class CnLicensePlate(ScanRecognizer):
    """Plate: province + city letter + 5 characters (挂/学/警/港/澳 suffix allowed), or 6 for new-energy."""

    type = "CN_LICENSE_PLATE"
    category = "vehicle (车辆信息)"
    description = "Licence plate: province + letter + 5 chars (regular) or 6 (new-energy D/F)"
    context = ("车牌", "牌照", "车号", "车辆", "plate", "license plate", "vehicle")
    context_boost = 0.15
    mask_keep = (2, 1)
    view_chars = {c: PROVINCE_BYTE for c in PLATE_PROVINCES}
    # In the view the province is one byte, letters stay, digits are 0 and a middle dot is filler.
    view_patterns = (re.compile(rb"\x03[A-HJ-NP-Z][ \-\x7f]?[0A-HJ-NP-Z]{4}"),)
    pattern = re.compile(
        f"[{PLATE_PROVINCES}]{_LETTER}[·•・ -]?"
        f"(?:[DF]{_SERIAL}\\d{{4}}|\\d{{5}}[DF]|{_SERIAL}{{4}}[{_SERIAL[1:-1]}挂学警港澳])" + NA
    )

    def confirm(self, text: str, view: bytes, match: re.Match):
        found = self.pattern.match(text, match.start())
        if found is None:
            return
        serial = re.sub(r"[·•・ -]", "", found.group())[2:]
        if len(serial) == 5 and sum(ch.isdigit() for ch in serial) < 3:
            return  # regular plates use at most two letters in the serial
        yield found.start(), found.end(), 0.8
