"""Decode and encode images with Pillow, turning decoder failures into clear input errors."""

from __future__ import annotations

import io

from PIL import Image

from assess.errors import InputError

#: quality used when marking a JPEG re-encodes its pixels (explicit notice, watermark)
MARK_JPEG_QUALITY = 95


def load_image(data: bytes, name: str = "image") -> Image.Image:
    """Fully decode ``data``; a truncated or corrupt image is an :class:`InputError`."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise InputError(f"{name}: the image data cannot be decoded ({exc}); re-export the image") from None
    return image


def encode_image(image: Image.Image, fmt: str, *, quality: int = MARK_JPEG_QUALITY, source: Image.Image | None = None) -> bytes:
    """Encode ``image`` as ``fmt`` ("png" or "jpeg"), keeping the source's ICC profile and Exif.

    Parameters
    ----------
    image : PIL.Image.Image
    fmt : {"png", "jpeg"}
    quality : int
        JPEG quality.
    source : PIL.Image.Image, optional
        The decoded original whose colour profile and Exif should be kept.
    """
    extra = {}
    if source is not None:
        for key in ("icc_profile", "exif"):
            if source.info.get(key):
                extra[key] = source.info[key]
    buffer = io.BytesIO()
    if fmt == "jpeg":
        image.convert("RGB").save(buffer, "JPEG", quality=quality, **extra)
    elif fmt == "png":
        image.save(buffer, "PNG", **extra)
    else:
        raise InputError(f"cannot encode images as {fmt!r}; use png or jpeg")
    return buffer.getvalue()
