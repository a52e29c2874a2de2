"""What a scan reports: masked findings with a keyed hash, never the raw value."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import NamedTuple

#: Columns of :func:`assess.pii.scan_frame`'s result, in order.
FINDING_COLUMNS = ("record_id", "column", "type", "start", "end", "masked", "confidence", "value_hash",
                   "category", "sensitive")


#: Type prefix of keyword flags (sensitive-category terms), which are not identifiers.
FLAG_PREFIX = "SENSITIVE_"


def is_flag(finding_type: str) -> bool:
    """True for a keyword flag (``SENSITIVE_*``): not an identifier, never redacted."""
    return finding_type.startswith(FLAG_PREFIX)


def keyed_hash(value: str, key: bytes) -> str:
    """HMAC-SHA256 of ``value`` under ``key``, hex: the same value gives the same hash, so distinct
    people can be counted, but the value cannot be recovered or guessed without the key.

    Parameters
    ----------
    value : str
        The (normalised) value.
    key : bytes
        Secret key, normally :func:`assess.secrets.hash_key`.

    Returns
    -------
    str
        64 hex characters.
    """
    return _keyed(bytes(key) if isinstance(key, bytearray) else key).hexdigest(value.encode("utf-8"))


_INNER_PAD = bytes(byte ^ 0x36 for byte in range(256))
_OUTER_PAD = bytes(byte ^ 0x5C for byte in range(256))


class KeyedSha256:
    """HMAC-SHA256 (RFC 2104) under one key, with the key schedule done once.

    Each hash copies two prepared ``hashlib`` states, in C: about a third of the time of copying
    an ``hmac.HMAC`` object, whose ``copy()`` is Python code (a scan hashes every finding).
    """

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes):
        if len(key) > 64:  # RFC 2104: a key longer than the block is hashed first
            key = hashlib.sha256(key).digest()
        block = key.ljust(64, b"\0")
        self._inner = hashlib.sha256(block.translate(_INNER_PAD))
        self._outer = hashlib.sha256(block.translate(_OUTER_PAD))

    def hexdigest(self, data: bytes) -> str:
        """HMAC-SHA256 of ``data``, hex."""
        inner = self._inner.copy()
        inner.update(data)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()


@lru_cache(maxsize=4)
def _keyed(key: bytes) -> KeyedSha256:
    if not isinstance(key, bytes) or not key:
        raise TypeError("key must be non-empty bytes (use assess.secrets.hash_key())")
    return KeyedSha256(key)


def default_key() -> bytes:
    """The project's hash key (``ASSESS_HASH_KEY`` / ``ASSESS_HASH_KEY_FILE`` / ``.assess/hash.key``)."""
    from assess.secrets import hash_key

    return hash_key()


class Finding(NamedTuple):
    """One piece of personal information in one record.

    ``start``/``end`` are character offsets in the record's text (``text[start:end]`` is the
    value); ``masked`` and ``value_hash`` stand in for the value, which is never stored.
    """

    type: str
    start: int
    end: int
    masked: str
    confidence: float
    value_hash: str
    category: str
    sensitive: bool
    identifying: bool = True
    record_id: object = None
    column: str | None = None
    row: int | None = None

    def as_dict(self) -> dict:
        """Plain dict (JSON-ready when ``record_id`` is)."""
        return self._asdict()
