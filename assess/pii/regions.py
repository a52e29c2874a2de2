"""Plausibility of a GB/T 2260 administrative division code (first 6 digits of a resident ID).

The full code list changes every year, so the check is structural: a real province-level prefix,
a prefecture part in the range in use, and special codes for Hong Kong, Macao and Taiwan residence
permits (810000, 820000, 830000).
"""

from __future__ import annotations

#: Province-level prefixes of GB/T 2260 (31 mainland provinces, Taiwan, Hong Kong, Macao).
CN_PROVINCES = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古",
    "21": "辽宁", "22": "吉林", "23": "黑龙江",
    "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西", "37": "山东",
    "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏",
    "61": "陕西", "62": "甘肃", "63": "青海", "64": "宁夏", "65": "新疆",
    "71": "台湾", "81": "香港", "82": "澳门",
}
_PERMIT_CODES = {"810000", "820000", "830000"}


def plausible_cn_region(code: str, *, allow_province_level: bool = False) -> bool:
    """True when ``code`` (6 digits) looks like a real division code.

    Parameters
    ----------
    code : str
        Six digits.
    allow_province_level : bool
        Accept ``PP0000`` codes (used by USCCs of province-level bodies; never in a person's ID,
        except the residence-permit codes 810000/820000/830000).
    """
    if len(code) != 6 or not code.isdigit():
        return False
    if code in _PERMIT_CODES:
        return True
    if code[:2] not in CN_PROVINCES:
        return False
    prefecture = int(code[2:4])
    if prefecture == 0:
        return allow_province_level and code[4:] == "00"
    # 01-70 are prefectures/cities and municipal districts; 90 is "county-level units under the province".
    return prefecture <= 70 or prefecture == 90
