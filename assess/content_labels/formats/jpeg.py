"""JPEG: the label is ``TC260:AIGC`` in the XMP packet (APP1, ``http://ns.adobe.com/xap/1.0/``).

Reading also counts labels in COM segments and in the Exif APP1 payload (an Annex E JSON
object anywhere in it), because some implementers use those; each is one label for the
one-label rule of GB 45438 §6.1 c). Only the header segments up to SOS are parsed; the scan data
is copied byte for byte, so writing a label never re-encodes the image.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from assess.content_labels import xmp
from assess.content_labels.formats.base import LabelBlock, LabelFormat
from assess.content_labels.label import find_embedded_labels
from assess.errors import InputError

SOI = b"\xff\xd8"
APP0, APP1, COM, SOS, EOI = 0xE0, 0xE1, 0xFE, 0xDA, 0xD9
XMP_HEADER = b"http://ns.adobe.com/xap/1.0/\x00"
EXIF_HEADER = b"Exif\x00\x00"
_STANDALONE = {0x01, *range(0xD0, 0xD8)}
_MAX_PAYLOAD = 65533


@dataclass(frozen=True)
class _Segment:
    marker: int
    start: int
    end: int
    payload: bytes


def _split(data: bytes) -> tuple[list[_Segment], int]:
    """Header segments before SOS, and the offset where SOS starts."""
    if not data.startswith(SOI + b"\xff"):
        raise InputError("not a JPEG: the SOI marker FFD8 is missing (damaged header?)")
    segments, pos = [], 2
    while True:
        if pos + 2 > len(data):
            raise InputError("damaged JPEG: the file ends before the image data (no SOS marker); re-export the image")
        if data[pos] != 0xFF:
            raise InputError(f"damaged JPEG: expected a marker at byte {pos}, found 0x{data[pos]:02X}; re-export the image")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in _STANDALONE:
            pos += 2
            continue
        if marker == EOI:
            raise InputError("damaged JPEG: EOI before any image data; re-export the image")
        if marker == SOS:
            return segments, pos
        if pos + 4 > len(data):
            raise InputError(f"damaged JPEG: truncated segment header at byte {pos}; re-export the image")
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise InputError(f"damaged JPEG: segment 0xFF{marker:02X} at byte {pos} has a bad length; re-export the image")
        segments.append(_Segment(marker, pos, end, data[pos + 4:end]))
        pos = end


def _segment(marker: int, payload: bytes) -> bytes:
    if len(payload) > _MAX_PAYLOAD:
        raise InputError(f"JPEG segment payload of {len(payload)} bytes exceeds 65533; shorten the label")
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def _is_xmp(segment: _Segment) -> bool:
    return segment.marker == APP1 and segment.payload.startswith(XMP_HEADER)


def _xmp_packet(segment: _Segment) -> str:
    return segment.payload[len(XMP_HEADER):].decode("utf-8", errors="replace")


class JpegFormat(LabelFormat):
    """JPEG/JFIF/Exif container (ITU T.81)."""

    name = "jpeg"
    media = "image"
    extensions = (".jpg", ".jpeg", ".jpe", ".jfif")

    def sniff(self, data: bytes) -> bool:
        return data.startswith(SOI + b"\xff")

    def read_blocks(self, data: bytes) -> list[LabelBlock]:
        segments, _ = _split(data)
        blocks = []
        for segment in segments:
            if _is_xmp(segment):
                blocks.extend(LabelBlock("APP1/XMP TC260:AIGC", value) for value in xmp.read_values(_xmp_packet(segment)))
            elif segment.marker == COM:
                text = segment.payload.decode("utf-8", errors="replace")
                blocks.extend(LabelBlock("COM", raw) for _, _, raw in find_embedded_labels(text))
            elif segment.marker == APP1 and segment.payload.startswith(EXIF_HEADER):
                text = segment.payload.decode("latin-1")
                blocks.extend(LabelBlock("APP1/Exif", raw) for _, _, raw in find_embedded_labels(text))
        return blocks

    def strip_labels(self, data: bytes) -> bytes:
        segments, sos = _split(data)
        out = [SOI]
        for segment in segments:
            raw = data[segment.start:segment.end]
            if _is_xmp(segment) and xmp.mentions_label(_xmp_packet(segment)):
                packet = xmp.remove_from_packet(_xmp_packet(segment))
                if not xmp.read_values(packet) and "<rdf:Description" not in packet:
                    continue  # the packet only held the label
                raw = _segment(APP1, XMP_HEADER + packet.encode("utf-8"))
            elif segment.marker == COM and find_embedded_labels(segment.payload.decode("utf-8", errors="replace")):
                continue
            out.append(raw)
        out.append(data[sos:])
        return b"".join(out)

    def write_label(self, data: bytes, label_json: str) -> bytes:
        stripped = self.strip_labels(data)
        segments, sos = _split(stripped)
        existing = next((s for s in segments if _is_xmp(s)), None)
        if existing is not None:
            packet = xmp.add_to_packet(_xmp_packet(existing), label_json)
            new = _segment(APP1, XMP_HEADER + packet.encode("utf-8"))
            return stripped[:existing.start] + new + stripped[existing.end:]
        # After the leading APP0 (JFIF) / APP1 (Exif) segments, where readers expect XMP.
        insert_at = 2
        for segment in segments:
            if segment.marker not in (APP0, APP1):
                break
            insert_at = segment.end
        new = _segment(APP1, XMP_HEADER + xmp.build_packet(label_json).encode("utf-8"))
        return stripped[:insert_at] + new + stripped[insert_at:]
