"""Precise locations: GPS coordinates in decimal degrees (PIPL Art. 28 行踪轨迹)."""

from __future__ import annotations

import re

from assess.pii.recognizer import DECIMALS4, TokenRecognizer, register

_LAT = r"[-+]?(?:[1-8]?\d|90)\.\d{4,8}"
_LON = r"[-+]?(?:1[0-7]\d|0?\d{1,2}|180)\.\d{4,8}"


@register
class GpsCoordinates(TokenRecognizer):
    """Latitude and longitude pair with at least four decimals (about 11 m)."""

    type = "GPS_COORDINATES"
    category = "whereabouts (行踪轨迹)"
    sensitive = True
    description = "Latitude, longitude in decimal degrees with >= 4 decimals (N/S/E/W, 经度/纬度 forms too)"
    context = ("gps", "坐标", "经纬度", "纬度", "经度", "定位", "位置", "location", "lat", "coordinates")
    context_boost = 0.2
    needs = DECIMALS4
    min_digits = 5
    pre = 12
    post = 40
    pattern = re.compile(
        r"(?<![0-9A-Za-z.])(?:[NS][ ]?)?" + _LAT + r"°?(?:[ ]?[NS])?"
        r"[ ]*[,，;/]?[ ]*(?:(?:lon|lng|longitude|经度)[:：]?[ ]*)?(?:[EW][ ]?)?" + _LON + r"°?(?:[ ]?[EW])?(?![0-9A-Za-z]|\.\d)"
    )

    def score(self, value: str) -> float | None:
        return 0.6

    def normalize(self, value: str) -> str:
        numbers = re.findall(r"[-+]?\d+\.\d+", value)
        return ",".join(numbers)

    def mask(self, value: str) -> str:
        # Keep one decimal (about 11 km): where, roughly, but not whose house.
        return re.sub(r"(\d+\.\d)(\d+)", lambda m: m.group(1) + "*" * len(m.group(2)), value)
