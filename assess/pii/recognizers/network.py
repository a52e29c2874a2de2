"""Network identifiers: IPv4, IPv6 and MAC addresses."""

from __future__ import annotations

import ipaddress
import re

from assess.pii.recognizer import (
    COLON,
    DOT,
    DOUBLE_COLON,
    LETTER,
    NOT_AFTER_ALNUM as NB,
    NOT_BEFORE_ALNUM as NA,
    ScanRecognizer,
    Shape,
    TokenRecognizer,
    register,
)

_NETWORK = "network identifier (网络身份标识)"
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
#: Words just before a dotted quad that make it a version number, not an address.
_VERSION_WORDS = re.compile(r"(?:version|ver\.?|release|build|版本号?|v)[ :：]*\Z", re.IGNORECASE)


@register
class IpV4Address(TokenRecognizer):
    """Dotted-quad IPv4 address; version strings (v1.2.3.4, 版本 1.2.3.4) are not addresses."""

    type = "IP_ADDRESS"
    category = _NETWORK
    description = "IPv4 address (dotted quad; not after 'version'/'v'/'版本') or IPv6 address"
    context = ("ip", "ip地址", "address", "地址", "host", "server", "登录")
    context_boost = 0.2
    mask_keep = (0, 0)
    needs = DOT
    pre = 1
    max_digits = 12

    def accepts(self, shape: Shape) -> bool:
        return bool(shape.flags & DOT) and 4 <= shape.digits <= 12 and shape.token.count(b".") >= 3

    pattern = re.compile(r"(?<![0-9A-Za-z.])" + _OCTET + r"(?:\." + _OCTET + r"){3}(?![0-9A-Za-z]|\.\d)")

    def spans(self, text: str, match: re.Match):
        if _VERSION_WORDS.search(text, max(0, match.start() - 12), match.start()):
            return
        value = match.group()
        if value in ("0.0.0.0", "255.255.255.255"):
            return
        yield match.start(), match.end(), 0.7

    def mask(self, value: str) -> str:
        first, second, *_ = value.split(".")
        return f"{first}.{second}.*.*"


@register
class IpV6Address(TokenRecognizer):
    """IPv6 address (full or compressed), validated by ``ipaddress``."""

    type = "IP_ADDRESS"
    category = _NETWORK
    description = "IPv6 address, full or compressed"
    context = IpV4Address.context
    needs = COLON
    min_digits = 1
    pre = 39
    pattern = re.compile(r"(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Za-z:])")

    def accepts(self, shape: Shape) -> bool:
        return bool(shape.flags & COLON) and (bool(shape.flags & (LETTER | DOUBLE_COLON)) or shape.token.count(b":") >= 7)

    def score(self, value: str) -> float | None:
        if "::" not in value and value.count(":") != 7:
            return None
        try:
            address = ipaddress.IPv6Address(value)
        except ValueError:
            return None
        if address.is_unspecified or address.is_loopback:
            return None
        return 0.8

    def normalize(self, value: str) -> str:
        return ipaddress.IPv6Address(value).compressed

    def mask(self, value: str) -> str:
        return value.split(":", 1)[0] + ":" + "*" * 4 + ":…"


@register
class MacAddress(ScanRecognizer):
    """MAC address: six hex pairs with one separator (: or -), or the 0011.2233.4455 form.

    Hex letters may leave too few digits for a digit token, so a MAC address has its own anchors:
    the separator after the first group (the view keeps letters; digits are 0).
    """

    type = "MAC_ADDRESS"
    category = _NETWORK
    description = "MAC address (aa:bb:cc:dd:ee:ff, aa-bb-..., aabb.ccdd.eeff)"
    context = ("mac", "网卡", "物理地址", "device", "设备")
    context_boost = 0.2
    mask_keep = (6, 0)
    view_patterns = tuple(
        re.compile(separator + rb"(?<=[0A-Fa-f]{%d}" % size + separator + rb")" + body)
        for separator, size, body in (
            (rb":", 2, rb"(?:[0A-Fa-f]{2}:){3}[0A-Fa-f]{2}"),
            (rb"-", 2, rb"(?:[0A-Fa-f]{2}-){3}[0A-Fa-f]{2}"),
            (rb"\.", 4, rb"[0A-Fa-f]{4}\.[0A-Fa-f]{4}"),
        )
    )
    # Not part of a longer group list (a seventh group, an IPv6 address).
    pattern = re.compile(
        NB + r"(?<![0-9A-Fa-f][:.-])(?:[0-9A-Fa-f]{2}([:-])(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}"
        r"|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4})" + NA + r"(?![:.-][0-9A-Fa-f])"
    )

    def confirm(self, text: str, view: bytes, match: re.Match):
        start = match.start() - (4 if text[match.start()] == "." else 2)
        found = self.pattern.match(text, start)
        if found is None:
            return
        hex_digits = re.sub(r"[^0-9A-Fa-f]", "", found.group()).lower()
        if hex_digits in ("000000000000", "ffffffffffff"):
            return
        # A 0011.2233.4455 triple of decimal groups is as likely a number; require a hex letter.
        yield found.start(), found.end(), 0.4 if ("." in found.group() and hex_digits.isdigit()) else 0.75

    def normalize(self, value: str) -> str:
        return re.sub(r"[^0-9A-Fa-f]", "", value).lower()
