"""Registry of container formats, chosen by magic bytes (the extension only explains errors)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import PurePath

from assess.content_labels.formats.base import LabelBlock, LabelFormat
from assess.content_labels.formats.jpeg import JpegFormat
from assess.content_labels.formats.png import PngFormat
from assess.content_labels.formats.text import TextFormat
from assess.content_labels.formats.wav import WavFormat
from assess.errors import InputError

#: Binary formats first; text is the fallback for anything that decodes as UTF-8.
FORMATS: tuple[LabelFormat, ...] = (PngFormat(), JpegFormat(), WavFormat(), TextFormat())
SUPPORTED = "PNG, JPEG, WAV or UTF-8 text"


def format_named(name: str) -> LabelFormat:
    """The registered format called ``name`` (``png``, ``jpeg``, ``wav``, ``text``)."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise InputError(f"unknown format {name!r}: use one of {', '.join(f.name for f in FORMATS)}")


def detect_format(data: bytes, name: str = "") -> LabelFormat:
    """The format of ``data`` by its magic bytes.

    Parameters
    ----------
    data : bytes
        File contents.
    name : str
        File name, used only to explain a mismatch (``x.png`` that is not a PNG).

    Returns
    -------
    LabelFormat

    Raises
    ------
    InputError
        When no format matches, or the extension announces a binary format the bytes do not have
        (a damaged or mislabelled file, not text).
    """
    label = name or "input"
    if not data:
        raise InputError(f"{label}: the file is empty; pass a {SUPPORTED} file")
    binary = [fmt for fmt in FORMATS if fmt.media != "text"]
    for fmt in binary:
        if fmt.sniff(data):
            return fmt
    suffix = PurePath(name).suffix.lower()
    announced = next((fmt for fmt in binary if suffix in fmt.extensions), None)
    if announced is not None:
        raise InputError(
            f"{label}: the name says {announced.name.upper()} but the content does not start with a "
            f"{announced.name.upper()} signature (damaged header or not an image/audio file); re-export it"
        )
    text = FORMATS[-1]
    if text.sniff(data):
        return text
    raise InputError(f"{label}: not a supported file (first bytes {data[:8].hex()}); pass a {SUPPORTED} file")


@contextmanager
def naming(name: str):
    """Prefix :class:`InputError` messages raised inside with the file name, once."""
    try:
        yield
    except InputError as exc:
        message = str(exc)
        if name and not message.startswith(f"{name}:"):
            raise InputError(f"{name}: {message}") from None
        raise


__all__ = ["FORMATS", "LabelBlock", "LabelFormat", "detect_format", "format_named", "naming", "SUPPORTED"]
