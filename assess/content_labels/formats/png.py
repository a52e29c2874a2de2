"""PNG: the label is an ``iTXt`` chunk with keyword ``AIGC`` right after ``IHDR``.

Reading also finds ``tEXt``/``zTXt``/``iTXt`` chunks whose keyword contains ``AIGC`` and XMP
(``iTXt`` keyword ``XML:com.adobe.xmp``) with a ``TC260:AIGC`` property: each is one label, so a
file holding two of them breaks GB 45438 §6.1 c). Chunk CRCs are checked: a damaged file is an
input error, not a silent "no label".
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from assess.content_labels import xmp
from assess.content_labels.formats.base import LabelBlock, LabelFormat
from assess.errors import InputError

SIGNATURE = b"\x89PNG\r\n\x1a\n"
LABEL_KEYWORD = "AIGC"
XMP_KEYWORD = "XML:com.adobe.xmp"
_TEXT_TYPES = (b"tEXt", b"zTXt", b"iTXt")


@dataclass(frozen=True)
class _Chunk:
    kind: bytes
    start: int  # offset of the length field
    end: int  # offset after the CRC
    body: bytes


@dataclass(frozen=True)
class _Text:
    keyword: str
    text: str | None  # None when the payload cannot be decoded
    language: bytes = b""
    translated: bytes = b""


def _chunks(data: bytes) -> list[_Chunk]:
    if not data.startswith(SIGNATURE):
        raise InputError("not a PNG: the 8-byte PNG signature is missing (damaged header?)")
    chunks, pos = [], len(SIGNATURE)
    while pos < len(data):
        if pos + 8 > len(data):
            raise InputError(f"damaged PNG: truncated chunk header at byte {pos}; re-export the image")
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 12 + length
        if end > len(data):
            raise InputError(f"damaged PNG: chunk {kind.decode('latin-1')!r} at byte {pos} runs past the end of the file; re-export the image")
        body = data[pos + 8:pos + 8 + length]
        (stored_crc,) = struct.unpack(">I", data[pos + 8 + length:end])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != stored_crc:
            raise InputError(f"damaged PNG: CRC mismatch in chunk {kind.decode('latin-1')!r} at byte {pos}; re-export the image")
        chunks.append(_Chunk(kind, pos, end, body))
        pos = end
        if kind == b"IEND":
            break
    if not chunks or chunks[0].kind != b"IHDR":
        raise InputError("damaged PNG: the first chunk is not IHDR; re-export the image")
    return chunks


def _chunk_bytes(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _decode_text(chunk: _Chunk) -> _Text:
    keyword, _, rest = chunk.body.partition(b"\x00")
    name = keyword.decode("latin-1")
    try:
        if chunk.kind == b"tEXt":
            return _Text(name, rest.decode("latin-1"))
        if chunk.kind == b"zTXt":
            return _Text(name, zlib.decompress(rest[1:]).decode("latin-1"))
        compressed, _method = rest[0], rest[1]
        language, _, rest = rest[2:].partition(b"\x00")
        translated, _, payload = rest.partition(b"\x00")
        if compressed:
            payload = zlib.decompress(payload)
        return _Text(name, payload.decode("utf-8"), language, translated)
    except (IndexError, zlib.error, UnicodeDecodeError):
        return _Text(name, None)


def _itxt(keyword: str, text: str, language: bytes = b"", translated: bytes = b"") -> bytes:
    body = keyword.encode("latin-1") + b"\x00\x00\x00" + language + b"\x00" + translated + b"\x00" + text.encode("utf-8")
    return _chunk_bytes(b"iTXt", body)


class PngFormat(LabelFormat):
    """PNG container (ISO/IEC 15948)."""

    name = "png"
    media = "image"
    extensions = (".png",)

    def sniff(self, data: bytes) -> bool:
        return data.startswith(SIGNATURE)

    def read_blocks(self, data: bytes) -> list[LabelBlock]:
        blocks = []
        for chunk in _chunks(data):
            if chunk.kind not in _TEXT_TYPES:
                continue
            text = _decode_text(chunk)
            kind = chunk.kind.decode("ascii")
            if LABEL_KEYWORD in text.keyword:
                blocks.append(LabelBlock(f"{kind}:{text.keyword}", text.text))
            elif text.keyword == XMP_KEYWORD and text.text and xmp.mentions_label(text.text):
                blocks.extend(LabelBlock(f"{kind}:{XMP_KEYWORD} TC260:AIGC", value) for value in xmp.read_values(text.text))
        return blocks

    def strip_labels(self, data: bytes) -> bytes:
        out = [SIGNATURE]
        for chunk in _chunks(data):
            raw = data[chunk.start:chunk.end]
            if chunk.kind in _TEXT_TYPES:
                text = _decode_text(chunk)
                if LABEL_KEYWORD in text.keyword:
                    continue
                if text.keyword == XMP_KEYWORD and text.text and xmp.mentions_label(text.text):
                    raw = _itxt(XMP_KEYWORD, xmp.remove_from_packet(text.text), text.language, text.translated)
            out.append(raw)
        return b"".join(out)

    def write_label(self, data: bytes, label_json: str) -> bytes:
        stripped = self.strip_labels(data)
        ihdr_end = _chunks(stripped)[0].end
        # Right after IHDR: the label sits in the file header, before any image data.
        return stripped[:ihdr_end] + _itxt(LABEL_KEYWORD, label_json) + stripped[ihdr_end:]
