"""Generated identifiers that pass their checks, and look-alikes that must not be reported.

For tests and the benchmark corpus only: every value is made up (random digits with a correct
check character), so no real person is involved. Each function takes a ``random.Random``.
"""

from __future__ import annotations

import datetime as dt
import random

from assess.pii.checksums import USCC_ALPHABET, cn_id_check_char, luhn_valid, uscc_check_char
from assess.pii.lexicon import CN_SURNAMES

#: Division codes (county level) used for generated resident IDs.
REGIONS = ("110105", "110108", "310104", "310115", "440106", "440305", "330106", "320102", "510107",
           "420106", "610113", "370202", "350203", "500103", "120101", "530102", "620102", "650102")
_PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志强文博浩宇子轩梓涵欣怡思远佳琪雨桐"
EN_FIRST = ("James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
            "David", "Susan", "Richard", "Jessica", "Joseph", "Sarah", "Thomas", "Karen", "Daniel", "Nancy")
EN_LAST = ("Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson", "Anderson",
           "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis")
_STREETS = ("Main", "Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Park", "Sunset", "River")
_SUFFIXES = ("Street", "Avenue", "Road", "Lane", "Drive", "Boulevard", "St", "Ave", "Rd")
_CITIES = ("Springfield", "Riverside", "Franklin", "Greenville", "Madison", "Clinton", "Fairview", "Salem")
_CN_PLACES = (("北京市", "海淀区", "中关村大街"), ("上海市", "浦东新区", "世纪大道"), ("广州市", "天河区", "天河路"),
              ("深圳市", "南山区", "科技园路"), ("杭州市", "西湖区", "文三路"), ("成都市", "武侯区", "人民南路"),
              ("南京市", "玄武区", "中山路"), ("武汉市", "洪山区", "珞喻路"), ("西安市", "雁塔区", "长安南路"))


def _birth(rng: random.Random, first: int = 1940, last: int = 2015) -> dt.date:
    start = dt.date(first, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(start, dt.date(last, 12, 31).toordinal()))


def cn_resident_id(rng: random.Random, *, birth: dt.date | None = None) -> str:
    """An 18-character resident ID with a real division code, birth date and check character."""
    body = rng.choice(REGIONS) + (birth or _birth(rng)).strftime("%Y%m%d") + f"{rng.randint(0, 999):03d}"
    return body + cn_id_check_char(body)


def cn_resident_id_15(rng: random.Random) -> str:
    """A legacy 15-digit resident ID (born 19YY)."""
    return rng.choice(REGIONS) + _birth(rng, 1930, 1985).strftime("%y%m%d") + f"{rng.randint(0, 999):03d}"


def cn_resident_id_bad_check(rng: random.Random) -> str:
    """Look-alike: a resident ID with a wrong check character."""
    good = cn_resident_id(rng)
    wrong = [c for c in "0123456789X" if c != good[-1]]
    return good[:-1] + rng.choice(wrong)


def cn_resident_id_bad_date(rng: random.Random) -> str:
    """Look-alike: correct check character but an impossible birth date (e.g. 19990230)."""
    date = rng.choice(("19990230", "20010229", "19871341", "19900431", "19850000"))
    body = rng.choice(REGIONS) + date + f"{rng.randint(0, 999):03d}"
    return body + cn_id_check_char(body)


def uscc(rng: random.Random) -> str:
    """A unified social credit code with a valid check character."""
    body = rng.choice("9915") + rng.choice("123") + rng.choice(REGIONS) + "".join(
        rng.choice(USCC_ALPHABET) for _ in range(9))
    return body + uscc_check_char(body)


def _with_luhn(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    for digit in "0123456789":
        if luhn_valid(body + digit):
            return body + digit
    raise AssertionError("unreachable")


def unionpay_card(rng: random.Random, length: int | None = None) -> str:
    """A UnionPay (62) card number passing Luhn, 16-19 digits."""
    return _with_luhn(rng.choice(("622202", "622848", "621700", "622588", "625907")), length or rng.choice((16, 19)), rng)


def unionpay_card_bad_luhn(rng: random.Random) -> str:
    """Look-alike: a 62 card number failing Luhn."""
    good = unionpay_card(rng)
    return good[:-1] + str((int(good[-1]) + rng.randint(1, 9)) % 10)


def credit_card(rng: random.Random) -> str:
    """A Visa, Mastercard or Amex number passing Luhn."""
    brand = rng.choice(("visa", "mastercard", "amex"))
    if brand == "visa":
        return _with_luhn("4", 16, rng)
    if brand == "mastercard":
        return _with_luhn(str(rng.randint(51, 55)), 16, rng)
    return _with_luhn(rng.choice(("34", "37")), 15, rng)


def grouped(number: str, size: int = 4, sep: str = " ") -> str:
    """``6222021234567890`` -> ``6222 0212 3456 7890``."""
    return sep.join(number[i:i + size] for i in range(0, len(number), size))


def cn_mobile(rng: random.Random) -> str:
    """An 11-digit mobile number with an allocated prefix."""
    return rng.choice(("138", "139", "150", "158", "186", "188", "135", "177", "199", "166")) + "".join(
        str(rng.randint(0, 9)) for _ in range(8))


def cn_mobile_bad_prefix(rng: random.Random) -> str:
    """Look-alike: 11 digits without a mobile prefix (10x, 11x, 12x)."""
    return rng.choice(("10", "11", "12")) + "".join(str(rng.randint(0, 9)) for _ in range(9))


def cn_landline(rng: random.Random) -> str:
    """A landline with area code, e.g. ``010-62345678`` or ``0755-8765432``."""
    area = rng.choice(("010", "021", "020", "0755", "0571", "025", "028"))
    length = 8 if len(area) == 3 else rng.choice((7, 8))
    return f"{area}-{rng.randint(2, 8)}{''.join(str(rng.randint(0, 9)) for _ in range(length - 1))}"


def cn_passport(rng: random.Random) -> str:
    """``E12345678`` or ``EA1234567``."""
    if rng.random() < 0.5:
        return "E" + f"{rng.randint(0, 99_999_999):08d}"
    return "E" + rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") + f"{rng.randint(0, 9_999_999):07d}"


def cn_hk_macau_permit(rng: random.Random) -> str:
    """``C12345678`` (往来港澳通行证) or ``H12345678`` (回乡证)."""
    return rng.choice("CWHM") + f"{rng.randint(0, 99_999_999):08d}"


def cn_license_plate(rng: random.Random) -> str:
    """``京A12345`` (regular) or ``京AD12345`` (new energy)."""
    head = rng.choice(_PLATE_PROVINCES) + rng.choice(_PLATE_LETTERS)
    if rng.random() < 0.3:
        return head + rng.choice("DF") + f"{rng.randint(0, 99_999):05d}"
    return head + f"{rng.randint(0, 99_999):05d}"


def ipv4(rng: random.Random) -> str:
    return ".".join(str(part) for part in (rng.randint(1, 223), rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254)))


def ipv6(rng: random.Random) -> str:
    groups = [f"{rng.randint(0, 0xFFFF):x}" for _ in range(8)]
    if rng.random() < 0.5:
        return "2001:db8::" + ":".join(groups[:3])
    return ":".join(groups)


def mac_address(rng: random.Random) -> str:
    return rng.choice(":-").join(f"{rng.randint(0, 255):02X}" for _ in range(6))


def iban(rng: random.Random) -> str:
    """A German or French IBAN with correct check digits."""
    country, length = rng.choice((("DE", 22), ("FR", 27), ("GB", 22)))
    if country == "GB":
        bban = rng.choice(("WEST", "BARC", "LOYD")) + "".join(str(rng.randint(0, 9)) for _ in range(14))
    else:
        bban = "".join(str(rng.randint(0, 9)) for _ in range(length - 4))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


def us_ssn(rng: random.Random) -> str:
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def gps(rng: random.Random) -> str:
    return f"{rng.uniform(18, 53):.6f}, {rng.uniform(73, 135):.6f}"


def email(rng: random.Random) -> str:
    user = rng.choice(("zhang.wei", "li_na", "wang88", "john.smith", "mary.j", "chen.jie", "liu.yang"))
    return f"{user}{rng.randint(1, 999)}@{rng.choice(('example.com', 'mail.cn', 'qq.com', 'corp.com.cn'))}"


def cn_name(rng: random.Random) -> str:
    return rng.choice(CN_SURNAMES[:60]) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def en_name(rng: random.Random) -> str:
    return f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"


def cn_address(rng: random.Random) -> str:
    city, district, road = rng.choice(_CN_PLACES)
    tail = rng.choice(("", f"{rng.randint(1, 20)}栋{rng.randint(1, 30)}0{rng.randint(1, 9)}室"))
    return f"{city}{district}{road}{rng.randint(1, 999)}号{tail}"


def en_address(rng: random.Random) -> str:
    return f"{rng.randint(1, 9999)} {rng.choice(_STREETS)} {rng.choice(_SUFFIXES)}, {rng.choice(_CITIES)}"


def version_string(rng: random.Random) -> str:
    """Look-alike of an IPv4 address."""
    return f"v{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}.{rng.randint(0, 99)}"
