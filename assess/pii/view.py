"""A one-byte-per-character view of a chunk's text, for fast anchored scanning.

Python's ``re`` scans fast only for a pattern that starts with one literal character (it then
skips with a tight loop); a pattern starting with a character class costs several nanoseconds
per character. The view maps every character to one byte, so that each scan can start with a
literal:

- ASCII digits become ``0`` (digit tokens are found from ``0``);
- other ASCII stays (letters for shapes and English keywords, ``@`` for email), except that
  line breaks and tabs become a space and control characters become :data:`FILLER`;
- the chosen anchor character of every Chinese keyword becomes :data:`ANCHOR`;
- characters a scan recognizer asks for (``view_chars``) become its byte;
- every other character becomes :data:`FILLER`.

Position ``i`` of the view is character ``i`` of the text (UTF-32 code units), so a match in the
view is a match position in the text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np

FILLER = 0x7F
ANCHOR = 0x01


class ViewBuilder:
    """Builds the byte view of a text with one lookup table.

    Parameters
    ----------
    anchors : iterable of str
        Characters that become :data:`ANCHOR`.
    special : mapping of str to int
        Characters that become a given byte (must not be ``0``, ``ANCHOR`` or ``FILLER``).
    """

    def __init__(self, anchors: Iterable[str], special: Mapping[str, int]):
        table = np.full(0x110000, FILLER, dtype=np.uint8)
        table[:128] = np.arange(128, dtype=np.uint8)
        table[:32] = FILLER
        table[ord("0"):ord("9") + 1] = ord("0")
        for char in "\n\r\t\x0b\x0c":
            table[ord(char)] = ord(" ")
        for char, byte in special.items():
            if byte in (0, ANCHOR, FILLER, ord("0")):
                raise ValueError(f"view byte {byte:#x} is reserved")
            table[ord(char)] = byte
        for char in anchors:
            table[ord(char)] = ANCHOR
        self.table = table

    def build(self, text: str) -> tuple[bytes, np.ndarray]:
        """The view of ``text`` (``len(view) == len(text)``) and the text's code points."""
        code_points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        return self.table[code_points].tobytes(), code_points
