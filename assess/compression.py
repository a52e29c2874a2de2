"""Compressed data files: ``name.csv.gz`` (and ``.zst`` with the ``zstandard`` module) read directly.

A file is compressed when its last suffix says so; its format is the suffix before that. Only
line-oriented formats are read through a decompressor (csv, jsonl, txt): parquet compresses its
own pages.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from assess.errors import InputError

#: Suffix -> name of the compression.
COMPRESSIONS = {".gz": "gzip", ".gzip": "gzip", ".zst": "zstd", ".zstd": "zstd"}


def compression(path) -> str | None:
    """``"gzip"``, ``"zstd"`` or None (not compressed), from the last suffix of ``path``."""
    return COMPRESSIONS.get(Path(path).suffix.lower())


def data_suffix(path) -> str:
    """The suffix that names the format: ``.csv`` for ``tickets.csv.gz`` and for ``tickets.csv``."""
    path = Path(path)
    return Path(path.stem).suffix.lower() if compression(path) else path.suffix.lower()


def open_binary(path):
    """``path`` opened for reading bytes, decompressed when its suffix says it is compressed.

    Raises
    ------
    InputError
        A ``.zst`` file without the ``zstandard`` module installed.
    """
    path = Path(path)
    kind = compression(path)
    if kind == "gzip":
        return gzip.open(path, "rb")
    if kind == "zstd":
        try:
            import zstandard
        except ImportError:
            raise InputError(
                f"{path.name} is zstd-compressed and the zstandard module is not installed: "
                "pip install zstandard (the zst extra of assess), or decompress it with unzstd"
            ) from None
        # The stream reader reads but does not iterate by line: a buffer in front does.
        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(path.open("rb"), closefd=True))
    return path.open("rb")


def open_text(path, newline: str | None = None):
    """``path`` opened as UTF-8 text (decompressed when compressed); ``newline`` as for :func:`open`."""
    if compression(path) is None:
        return Path(path).open(encoding="utf-8", newline=newline)
    return io.TextIOWrapper(open_binary(path), encoding="utf-8", newline=newline)
