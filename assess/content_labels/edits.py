"""Common edits that labels should survive (or that show they do not): one small class each.

Third-party edits model what a platform or a user does without caring for labels: the image
edits re-encode the pixels only, so metadata is dropped exactly as a plain transcoder drops it.
The ``export_keep_label`` edit models the provider's *own* pipeline done right: it transforms the
content and writes the label back (DS Art. 18 and Measures Art. 10 forbid removing labels, so
the provider's own pipeline must show 100% metadata survival).
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
from PIL import Image

from assess.content_labels.formats import LabelFormat, format_named
from assess.content_labels.images import encode_image, load_image


def _pixels_only(image: Image.Image) -> Image.Image:
    """A copy with no metadata at all (no info dict to carry XMP, text chunks or Exif)."""
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
    return Image.fromarray(np.asarray(image.convert(mode)))


class Edit:
    """One edit: ``apply(data, fmt)`` returns the edited file's bytes."""

    name = ""
    #: media it applies to
    media: tuple[str, ...] = ()
    description = ""
    #: True for the provider's own export pipeline (labels must survive it)
    own_pipeline = False

    def apply(self, data: bytes, fmt: LabelFormat) -> bytes:
        raise NotImplementedError


class JpegReencode(Edit):
    """Decode and re-encode as JPEG at a given quality, metadata dropped."""

    media = ("image",)

    def __init__(self, quality: int):
        self.quality = quality
        self.name = f"jpeg_q{quality}"
        self.description = f"re-encode as JPEG quality {quality} (pixels only)"

    def apply(self, data, fmt):
        return encode_image(_pixels_only(load_image(data)), "jpeg", quality=self.quality)


class Resize(Edit):
    """Scale both sides, keep the format, metadata dropped."""

    media = ("image",)

    def __init__(self, factor: float):
        self.factor = factor
        self.name = f"resize_{round(factor * 100)}"
        self.description = f"resize to {factor:.0%} per side (bicubic), same format"

    def apply(self, data, fmt):
        image = _pixels_only(load_image(data))
        size = (max(1, round(image.width * self.factor)), max(1, round(image.height * self.factor)))
        return encode_image(image.resize(size, Image.BICUBIC), fmt.name, quality=90)


class CenterCrop(Edit):
    """Keep the central share of each side, same format, metadata dropped."""

    media = ("image",)

    def __init__(self, keep: float):
        self.keep = keep
        self.name = f"crop_{round(keep * 100)}"
        self.description = f"centre crop keeping {keep:.0%} of each side, same format"

    def apply(self, data, fmt):
        image = _pixels_only(load_image(data))
        dx, dy = round(image.width * (1 - self.keep) / 2), round(image.height * (1 - self.keep) / 2)
        return encode_image(image.crop((dx, dy, image.width - dx, image.height - dy)), fmt.name, quality=90)


class StripMetadata(Edit):
    """Remove the metadata label and nothing else (what an 'exif cleaner' does)."""

    name = "strip_metadata"
    media = ("image", "audio", "text")
    description = "remove the metadata label block(s), content untouched"

    def apply(self, data, fmt):
        return fmt.strip_labels(data)


class TextNfkc(Edit):
    """Unicode NFKC: full-width forms become half-width (common on copy-paste)."""

    name = "text_nfkc"
    media = ("text",)
    description = "copy-paste normalisation: Unicode NFKC (full-width -> half-width)"

    def apply(self, data, fmt):
        return unicodedata.normalize("NFKC", data.decode("utf-8")).encode("utf-8")


class TextWhitespace(Edit):
    """Collapse every white-space run (including newlines) to one space."""

    name = "text_whitespace"
    media = ("text",)
    description = "copy-paste normalisation: collapse white space and line breaks to single spaces"

    def apply(self, data, fmt):
        return re.sub(r"\s+", " ", data.decode("utf-8")).strip().encode("utf-8")


class TextFullwidth(Edit):
    """ASCII to full-width forms (what some input methods and editors do)."""

    name = "text_fullwidth"
    media = ("text",)
    description = "half-width -> full-width: ASCII 0x21-0x7E to U+FF01-U+FF5E"

    def apply(self, data, fmt):
        text = data.decode("utf-8")
        return "".join(chr(ord(c) + 0xFEE0) if 0x21 <= ord(c) <= 0x7E else c for c in text).encode("utf-8")


class ExportKeepLabel(Edit):
    """The provider's own export: transcode, then write the source's label back unchanged."""

    name = "export_keep_label"
    media = ("image", "audio", "text")
    description = "own pipeline: transcode (image -> JPEG q85, WAV rewritten, text NFC) and re-attach the label"
    own_pipeline = True

    def apply(self, data, fmt):
        blocks = fmt.read_blocks(data)
        if fmt.media == "image":
            out_fmt = format_named("jpeg")
            out = encode_image(_pixels_only(load_image(data)), "jpeg", quality=85)
        elif fmt.media == "audio":
            from assess.content_labels.audio_cue import read_pcm16, write_pcm16

            samples, rate, _ = read_pcm16(data)
            out_fmt, out = fmt, write_pcm16(samples, rate)
        else:
            out_fmt, out = fmt, unicodedata.normalize("NFC", fmt.strip_labels(data).decode("utf-8")).encode("utf-8")
        if len(blocks) == 1 and blocks[0].raw is not None:
            out = out_fmt.write_label(out, blocks[0].raw)
        return out


#: The default edit grid of the notebook, in display order.
EDITS: dict[str, Edit] = {
    edit.name: edit
    for edit in (
        JpegReencode(95), JpegReencode(75), JpegReencode(50), Resize(0.5), CenterCrop(0.9), StripMetadata(),
        TextNfkc(), TextWhitespace(), TextFullwidth(), ExportKeepLabel(),
    )
}


def edits_named(names) -> list[Edit]:
    """The registered edits called ``names``; a clear error for an unknown one."""
    from assess.errors import InputError

    unknown = [n for n in names if n not in EDITS]
    if unknown:
        raise InputError(f"unknown edit(s) {', '.join(unknown)}: use names from {', '.join(EDITS)}")
    return [EDITS[n] for n in names]


def edits_table():
    """Name, media, own-pipeline flag and description of every registered edit."""
    import pandas as pd

    return pd.DataFrame([
        {"edit": e.name, "applies to": ", ".join(e.media), "own pipeline": e.own_pipeline, "what it does": e.description}
        for e in EDITS.values()
    ])
