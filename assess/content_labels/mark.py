"""Mark generated content: explicit notice, optional watermark, then the one metadata label.

Order matters: the explicit notice and the watermark change the pixels (and so re-encode the
image), the metadata label is written last and byte-level, so nothing afterwards can drop it.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from assess.content_labels import integrity
from assess.content_labels.formats import detect_format, naming
from assess.content_labels.label import AigcLabel, new_label
from assess.errors import InputError


@dataclass(frozen=True)
class MarkResult:
    """What was added to one file."""

    format: str
    media: str
    label: AigcLabel
    explicit: bool
    watermark: bool
    integrity_code: bool


def _explicit(data: bytes, fmt, name: str) -> bytes:
    if fmt.media == "text":
        from assess.content_labels.formats.text import decode_text
        from assess.content_labels.text_notice import add_text_notice

        return add_text_notice(decode_text(data)).encode("utf-8")
    if fmt.media == "audio":
        from assess.content_labels.audio_cue import add_audio_cue

        return add_audio_cue(data)
    from assess.content_labels.image_notice import add_image_notice
    from assess.content_labels.images import encode_image, load_image

    source = load_image(data, name)
    return encode_image(add_image_notice(source), fmt.name, source=source)


def _watermark(data: bytes, fmt, name: str, produce_id: str) -> bytes:
    if fmt.media != "image":
        raise InputError(f"{name}: the watermark is for images only ({fmt.name} given); drop --watermark")
    from assess.content_labels.images import encode_image, load_image
    from assess.content_labels.watermark import embed_watermark

    source = load_image(data, name)
    marked = embed_watermark(source, produce_id)
    if source.mode in ("RGBA", "LA"):
        marked.putalpha(source.convert("RGBA").getchannel("A"))
    return encode_image(marked, fmt.name, source=source)


def mark_bytes(data: bytes, *, producer: str, produce_id: str | None = None, label: str = "1",
               explicit: bool = False, watermark: bool = False, name: str = "input",
               key: bytes | None = None) -> tuple[bytes, MarkResult]:
    """Label one file's contents.

    Parameters
    ----------
    data : bytes
        PNG, JPEG, WAV (16-bit PCM for the explicit cue) or UTF-8 text.
    producer : str
        ContentProducer (Annex E charset: printable ASCII without space, backslash).
    produce_id : str, optional
        ProduceID; a random UUID (hex) when omitted.
    label : {"1", "2", "3"}
        Label value.
    explicit : bool
        Add the explicit label: notice "AI生成" (image corner; first text line) or the 短长短短
        cue (audio).
    watermark : bool
        Embed the invisible watermark (images only).
    name : str
        File name for messages and format sniffing.
    key : bytes, optional
        ReservedCode1 key; None reads ``ASSESS_LABEL_KEY`` (no code when that is unset too).

    Returns
    -------
    (bytes, MarkResult)
    """
    with naming(name):
        fmt = detect_format(data, name)
        fmt.read_blocks(data)  # validates the container before anything is changed
        produce_id = produce_id or uuid.uuid4().hex
        aigc = new_label(producer, produce_id, label)
        if explicit:
            data = _explicit(data, fmt, name)
        if watermark:
            data = _watermark(data, fmt, name, produce_id)
        key = key if key is not None else integrity.label_key()
        aigc = integrity.sign(aigc, key)
        data = fmt.write_label(data, aigc.to_json())
    return data, MarkResult(fmt.name, fmt.media, aigc, explicit, watermark, bool(aigc.reserved_code1))


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so a crash never leaves half a file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def mark_file(path, *, out=None, **options) -> MarkResult:
    """Label the file at ``path``, writing to ``out`` (default: in place); see :func:`mark_bytes`."""
    source = Path(path)
    if not source.is_file():
        raise InputError(f"{source}: no such file; check the path")
    data, result = mark_bytes(source.read_bytes(), name=source.name, **options)
    target = Path(out) if out else source
    if not target.parent.is_dir():
        raise InputError(f"{target.parent}: output folder does not exist; create it first")
    write_atomically(target, data)
    return result
