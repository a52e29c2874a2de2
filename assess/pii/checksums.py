"""Check characters and plausibility tests for identifiers (GB 11643 resident IDs, GB 32100 USCCs, Luhn).

Every function takes the identifier without separators and returns a bool or the expected check
character; none of them raises on malformed input, so a validator can call them on any candidate.
"""

from __future__ import annotations

import datetime as _dt

from assess.pii.regions import plausible_cn_region

# GB 11643-1999, ISO 7064 MOD 11-2: weights 2^(18-i) mod 11 for positions 1..17
# (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2).
_ID_CHECK = "10X98765432"

# GB 32100-2015: 31 symbols (no I O S V Z); weights 3^(i-1) mod 31 for positions 1..17.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

# GB 11714-1997 organization code (positions 9..17 of a USCC): weights for its 8 body characters.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

#: IBAN length by country (ISO 13616 registry, the countries most often seen).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}


_LUHN_DOUBLE = {str(d): (2 * d if d < 5 else 2 * d - 9) for d in range(10)}


def cn_id_check_char(first17: str) -> str | None:
    """Check character of an 18-character resident ID (GB 11643, MOD 11-2), or None if not digits."""
    if len(first17) != 17 or not first17.isdecimal():
        return None
    # The weights are 2^(18-i) mod 11 and 13 = 2 (mod 11): reading the digits in base 13 (in C)
    # gives the weighted sum up to a factor 2, modulo 11.
    return _ID_CHECK[2 * int(first17, 13) % 11]


def valid_birth_date(yyyymmdd: str, *, today: _dt.date | None = None) -> bool:
    """True for a real calendar date from 1900-01-01 up to today."""
    if len(yyyymmdd) != 8 or not yyyymmdd.isdigit():
        return False
    try:
        born = _dt.date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return _dt.date(1900, 1, 1) <= born <= (today or _dt.date.today())


def valid_cn_resident_id(value: str) -> bool:
    """18-character resident ID: plausible region, real birth date, MOD 11-2 check character."""
    if len(value) != 18:
        return False
    check = cn_id_check_char(value[:17])
    return (
        check is not None
        and check == value[17].upper()
        and plausible_cn_region(value[:6])
        and valid_birth_date(value[6:14])
    )


def valid_cn_resident_id_15(value: str) -> bool:
    """Legacy 15-digit resident ID (issued before 1999): region + YYMMDD (19YY) + 3 digits."""
    return (
        len(value) == 15
        and value.isdigit()
        and plausible_cn_region(value[:6])
        and valid_birth_date("19" + value[6:12])
    )


def uscc_check_char(first17: str) -> str | None:
    """Check character of a unified social credit code (GB 32100), or None for a bad symbol."""
    if len(first17) != 17:
        return None
    try:
        total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS))
    except KeyError:
        return None
    return USCC_ALPHABET[(31 - total % 31) % 31]


def valid_uscc(value: str) -> bool:
    """Unified social credit code: authority and type codes, plausible region, check character."""
    value = value.upper()
    return (
        len(value) == 18
        and value[0] in "123456789ANY"
        and value[1] in "123459"
        and value[2:8].isdigit()
        and plausible_cn_region(value[2:8], allow_province_level=True)
        and uscc_check_char(value[:17]) == value[17]
    )


def valid_org_code(code9: str) -> bool:
    """GB 11714 organization code (8 characters + check), as embedded in a USCC's positions 9-17."""
    if len(code9) != 9 or not code9[:8].isalnum():
        return False
    try:
        total = sum(int(c, 36) * w for c, w in zip(code9[:8], _ORG_WEIGHTS))
    except ValueError:
        return False
    check = 11 - total % 11
    expected = "X" if check == 10 else "0" if check == 11 else str(check)
    return code9[8] == expected


def luhn_valid(digits: str) -> bool:
    """Luhn (mod 10) check over a string of digits."""
    if not digits.isdigit() or len(digits) < 2 or not digits.isascii():
        return False
    # From the right: odd positions as they are, even positions doubled (minus 9 above 9).
    total = sum(map(int, digits[-1::-2])) + sum(map(_LUHN_DOUBLE.__getitem__, digits[-2::-2]))
    return total % 10 == 0


def iban_valid(value: str) -> bool:
    """IBAN: known country length and ISO 7064 mod 97-10 == 1."""
    value = value.replace(" ", "").upper()
    if len(value) < 15 or IBAN_LENGTHS.get(value[:2]) != len(value) or not value[2:4].isdigit():
        return False
    if not value.isalnum():
        return False
    rearranged = value[4:] + value[:4]
    try:
        number = int("".join(str(int(c, 36)) for c in rearranged))
    except ValueError:
        return False
    return number % 97 == 1


def us_ssn_valid(digits: str) -> bool:
    """US SSN area/group/serial rules: area 001-899 but not 666, group 01-99, serial 0001-9999."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    if area in ("000", "666") or area >= "900" or group == "00" or serial == "0000":
        return False
    # Numbers that were published and used widely, so they identify nobody (SSA).
    return digits not in ("078051120", "219099999", "457555462")
