"""WAV: the label is a RIFF chunk with id ``AIGC`` placed right after ``fmt ``.

Reading also counts ``LIST/INFO`` entries that hold an Annex E JSON object (an implementer
alternative); each is one label for the one-label rule of GB 45438 §6.1 c).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from assess.content_labels.formats.base import LabelBlock, LabelFormat
from assess.content_labels.label import find_embedded_labels
from assess.errors import InputError

LABEL_CHUNK = b"AIGC"


@dataclass(frozen=True)
class _Chunk:
    kind: bytes
    start: int
    end: int  # after the pad byte
    body: bytes


def _chunks(data: bytes, start: int, stop: int, what: str) -> list[_Chunk]:
    chunks, pos = [], start
    while pos + 8 <= stop:
        kind, size = struct.unpack("<4sI", data[pos:pos + 8])
        body_end = pos + 8 + size
        if body_end > stop:
            raise InputError(f"damaged {what}: chunk {kind.decode('latin-1')!r} at byte {pos} runs past the end; re-export the file")
        end = body_end + (size & 1)
        chunks.append(_Chunk(kind, pos, min(end, stop), data[pos + 8:body_end]))
        pos = end
    return chunks


def _riff(data: bytes) -> list[_Chunk]:
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise InputError("not a WAV file: the RIFF/WAVE header is missing (damaged header?)")
    (size,) = struct.unpack("<I", data[4:8])
    stop = min(len(data), 8 + size)
    chunks = _chunks(data, 12, stop, "WAV")
    if not any(c.kind == b"fmt " for c in chunks):
        raise InputError("damaged WAV: no 'fmt ' chunk; re-export the file")
    return chunks


def _chunk_bytes(kind: bytes, body: bytes) -> bytes:
    return struct.pack("<4sI", kind, len(body)) + body + (b"\x00" if len(body) & 1 else b"")


def _info_labels(chunk: _Chunk) -> list[tuple[str, str | None]]:
    if chunk.kind != b"LIST" or chunk.body[:4] != b"INFO":
        return []
    found = []
    for entry in _chunks(chunk.body, 4, len(chunk.body), "WAV LIST/INFO"):
        text = entry.body.rstrip(b"\x00").decode("utf-8", errors="replace")
        found.extend((entry.kind.decode("latin-1"), raw) for _, _, raw in find_embedded_labels(text))
    return found


class WavFormat(LabelFormat):
    """RIFF WAVE container."""

    name = "wav"
    media = "audio"
    extensions = (".wav", ".wave")

    def sniff(self, data: bytes) -> bool:
        return data[:4] == b"RIFF" and data[8:12] == b"WAVE"

    def read_blocks(self, data: bytes) -> list[LabelBlock]:
        blocks = []
        for chunk in _riff(data):
            if chunk.kind == LABEL_CHUNK:
                try:
                    blocks.append(LabelBlock("RIFF chunk AIGC", chunk.body.rstrip(b"\x00").decode("utf-8")))
                except UnicodeDecodeError:
                    blocks.append(LabelBlock("RIFF chunk AIGC", None))
            for entry, raw in _info_labels(chunk):
                blocks.append(LabelBlock(f"LIST/INFO {entry}", raw))
        return blocks

    def strip_labels(self, data: bytes) -> bytes:
        kept = []
        for chunk in _riff(data):
            if chunk.kind == LABEL_CHUNK:
                continue
            if _info_labels(chunk):
                # Keep the other INFO entries (title, artist, ...); drop only those with a label.
                entries = [
                    chunk.body[e.start:e.end]
                    for e in _chunks(chunk.body, 4, len(chunk.body), "WAV LIST/INFO")
                    if not find_embedded_labels(e.body.rstrip(b"\x00").decode("utf-8", errors="replace"))
                ]
                if entries:
                    kept.append(_chunk_bytes(b"LIST", b"INFO" + b"".join(entries)))
                continue
            kept.append(data[chunk.start:chunk.end])
        body = b"WAVE" + b"".join(kept)
        return b"RIFF" + struct.pack("<I", len(body)) + body

    def write_label(self, data: bytes, label_json: str) -> bytes:
        stripped = self.strip_labels(data)
        chunks = _riff(stripped)
        fmt_end = next(c.end for c in chunks if c.kind == b"fmt ")
        body = stripped[12:fmt_end] + _chunk_bytes(LABEL_CHUNK, label_json.encode("utf-8")) + stripped[fmt_end:]
        body = b"WAVE" + body
        return b"RIFF" + struct.pack("<I", len(body)) + body
