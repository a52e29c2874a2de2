"""Plain UTF-8 text: the label is a trailing metadata line ``AIGC: {"AIGC":{...}}``.

A ``.txt`` file has no metadata container, so this project's convention (documented in
``docs/content_labels.md``) is one last line whose field name is ``AIGC`` and whose value is the
Annex E JSON. The JSON is compact and, by the Annex E charset, contains no white space and only
ASCII, so it survives white-space collapsing and NFKC normalisation. Reading finds an Annex E
object anywhere in the text (a pasted label in the body is a second label and is reported).
"""

from __future__ import annotations

from assess.content_labels.formats.base import LabelBlock, LabelFormat
from assess.content_labels.label import find_embedded_labels
from assess.errors import InputError

FIELD_PREFIX = "AIGC: "
_BOM = "\ufeff"


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM); a clear error for anything else."""
    if b"\x00" in data:
        raise InputError("not a text file: it contains NUL bytes (binary data); pass a PNG, JPEG, WAV or UTF-8 text file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text: invalid byte 0x{data[exc.start]:02X} at byte {exc.start}; convert the file to UTF-8"
        ) from None


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, len(text) if line_end < 0 else line_end + 1


def split_label_lines(text: str) -> tuple[str, list[tuple[int, int, str | None]]]:
    """The text without its labels, and the labels found (offsets into the original text).

    A label on a line of its own (with or without the ``AIGC:`` field name) is removed with its
    line; a label inside other text is removed with a preceding ``AIGC:`` field name.
    """
    found = find_embedded_labels(text)
    pieces, pos = [], 0
    for start, end, _ in found:
        line_start, line_end = _line_bounds(text, start, end)
        before = text[line_start:start].strip()
        after = text[end:line_end].strip()
        if before in ("", FIELD_PREFIX.strip()) and after == "":
            cut_start, cut_end = line_start, line_end
        else:
            cut_start, cut_end = start, end
            head = text[line_start:start].rstrip()
            if head.endswith(FIELD_PREFIX.strip()):
                cut_start = line_start + len(head) - len(FIELD_PREFIX.strip())
        cut_start = max(cut_start, pos)
        pieces.append(text[pos:cut_start])
        pos = cut_end
    pieces.append(text[pos:])
    return "".join(pieces), found


class TextFormat(LabelFormat):
    """UTF-8 plain text (sniffed last: any data that decodes as UTF-8 without NUL bytes)."""

    name = "text"
    media = "text"
    extensions = (".txt", ".md", ".text")

    def sniff(self, data: bytes) -> bool:
        try:
            decode_text(data)
        except InputError:
            return False
        return True

    def read_blocks(self, data: bytes) -> list[LabelBlock]:
        text = decode_text(data)
        tail = text.rstrip()
        blocks = []
        for start, end, raw in find_embedded_labels(text):
            line_start = text.rfind("\n", 0, start) + 1
            trailing = end >= len(tail) and text[line_start:start].strip() in ("", FIELD_PREFIX.strip())
            where = "trailing metadata line" if trailing else f"inline at character {start}"
            blocks.append(LabelBlock(where, raw))
        return blocks

    def strip_labels(self, data: bytes) -> bytes:
        text, _ = split_label_lines(decode_text(data))
        return text.encode("utf-8")

    def write_label(self, data: bytes, label_json: str) -> bytes:
        text, _ = split_label_lines(decode_text(data))
        newline = "\r\n" if "\r\n" in text else "\n"
        if text.lstrip(_BOM) and not text.endswith(("\n", "\r")):
            text += newline
        return (text + FIELD_PREFIX + label_json + newline).encode("utf-8")
