"""Explicit label on images: draw the notice "AI生成" in a corner and find it again.

GB 45438 §5.2: a text prompt containing the AI element ("AI"/"人工智能") and the generation
element ("生成"/"合成"), at an edge or corner, in a legible typeface, with a text height of at
least 5% of the image's shortest side. The notice is white strokes (the built-in font of
:mod:`assess.content_labels.glyphs`) on an opaque dark box, by default 6% high, bottom-right.

Finding it again uses normalised cross-correlation against the same rendering at several sizes
in each corner: it recognises the notice this module draws (after re-encoding, resizing and mild
cropping), not arbitrary third-party notices, which would need OCR (not available here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image

from assess.content_labels.glyphs import render_text

NOTICE_TEXT = "AI生成"
#: GB 45438 §5.2: text height >= 5% of the shortest side (regulation).
MIN_HEIGHT_RATIO = 0.05
#: what this module draws: a margin above the legal minimum so resampling cannot push it under
DEFAULT_HEIGHT_RATIO = 0.06
MARGIN_RATIO = 0.02
CORNERS = ("bottom-right", "bottom-left", "top-right", "top-left")
BOX_GREY, INK_GREY = 24, 255
#: normalised cross-correlation at or above which the notice counts as found
MATCH_THRESHOLD = 0.6
#: a match this good ends the size search
EARLY_STOP = 0.9
_MIN_EM = 8
#: larger pictures are searched at this shortest side
_SEARCH_SIDE = 384


@lru_cache(maxsize=256)
def notice_tile(em: float, text: str = NOTICE_TEXT) -> tuple[Image.Image, int]:
    """The notice as a grey-scale tile (ink on its box) and its measured glyph (ink) height.

    Parameters
    ----------
    em : float
        Em height of the glyphs in pixels.
    text : str
        Notice text from the built-in glyphs.

    Returns
    -------
    (PIL.Image.Image, int)
        Mode ``L`` tile, and the height in pixels of the rows that carry ink.
    """
    mask = render_text(text, em)
    pad = max(2, round(0.3 * em))
    tile = Image.new("L", (mask.width + 2 * pad, mask.height + 2 * pad), BOX_GREY)
    tile.paste(INK_GREY, (pad, pad), mask)
    rows = np.nonzero(np.asarray(mask).max(axis=1) > 127)[0]
    ink_height = int(rows[-1] - rows[0] + 1) if rows.size else 0
    return tile, ink_height


def _em_for(shortest_side: int, height_ratio: float) -> int:
    # The ink is taller than the em box by the stroke caps, so em = ratio * side already conforms.
    # round() first: 0.06 * 150 is 9.000000000000002 in floating point, which must give 9, not 10.
    return max(_MIN_EM, math.ceil(round(height_ratio * shortest_side, 6)))


@lru_cache(maxsize=256)
def _templates(em: float) -> tuple[tuple[np.ndarray, int], ...]:
    """Templates for a notice of em ``em``: rendered at that size, and rendered at twice the size
    then halved (what a downscaled image holds; the rounding of the box differs)."""
    tile, ink = notice_tile(em)
    exact = (np.asarray(tile, dtype=np.float64), ink)
    if em >= 16:  # box rounding only matters for small notices
        return (exact,)
    large, large_ink = notice_tile(em * 2)
    halved = large.resize((max(1, round(large.width / 2)), max(1, round(large.height / 2))), Image.BICUBIC)
    return (exact, (np.asarray(halved, dtype=np.float64), round(large_ink / 2)))


def _origin(corner: str, size: tuple[int, int], tile_size: tuple[int, int], margin: int) -> tuple[int, int]:
    width, height = size
    tile_w, tile_h = tile_size
    x = margin if corner.endswith("left") else width - tile_w - margin
    y = margin if corner.startswith("top") else height - tile_h - margin
    return x, y


def add_image_notice(image: Image.Image, *, corner: str = "bottom-right",
                     height_ratio: float = DEFAULT_HEIGHT_RATIO) -> Image.Image:
    """Return a copy of ``image`` with the "AI生成" notice in ``corner``.

    Parameters
    ----------
    image : PIL.Image.Image
        Any mode; the result is RGB (or RGBA when the input has alpha).
    corner : {"bottom-right", "bottom-left", "top-right", "top-left"}
    height_ratio : float
        Glyph em height as a share of the shortest side (>= 0.05 by GB 45438 §5.2).

    Returns
    -------
    PIL.Image.Image
    """
    from assess.errors import InputError

    if corner not in CORNERS:
        raise InputError(f"corner {corner!r} is not one of {', '.join(CORNERS)}")
    if height_ratio < MIN_HEIGHT_RATIO:
        raise InputError(f"height_ratio {height_ratio} is below the 5% GB 45438 §5.2 requires; use >= 0.05")
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
    out = image.convert(mode)
    tile, _ = notice_tile(_em_for(min(out.size), height_ratio))
    margin = round(MARGIN_RATIO * min(out.size))
    if tile.width + 2 * margin > out.width or tile.height + 2 * margin > out.height:
        raise InputError(f"image {out.width}x{out.height} is too small for a legible notice; use at least 64 px per side")
    out.paste(tile.convert(mode), _origin(corner, out.size, tile.size, margin))
    return out


@dataclass(frozen=True)
class NoticeMatch:
    """Where the notice was found and whether it conforms to GB 45438 §5.2."""

    found: bool
    corner: str = ""
    score: float = 0.0
    glyph_height_px: int = 0
    glyph_height_ratio: float = 0.0
    conforms: bool = False
    problem: str = ""


def _window_sums(values: np.ndarray, height: int, width: int) -> np.ndarray:
    integral = np.pad(values, ((1, 0), (1, 0))).cumsum(0).cumsum(1)
    return integral[height:, width:] - integral[:-height, width:] - integral[height:, :-width] + integral[:-height, :-width]


def _best_ncc(region: np.ndarray, template: np.ndarray) -> float:
    from scipy.signal import fftconvolve

    th, tw = template.shape
    if region.shape[0] < th or region.shape[1] < tw:
        return -1.0
    centred = template - template.mean()
    norm = math.sqrt(float((centred ** 2).sum()))
    numerator = fftconvolve(region, centred[::-1, ::-1], mode="valid")
    sums = _window_sums(region, th, tw)
    variance = _window_sums(region ** 2, th, tw) - sums ** 2 / (th * tw)
    ncc = numerator / (np.sqrt(np.maximum(variance, 1e-6)) * norm + 1e-9)
    return float(ncc.max())


def find_image_notice(image: Image.Image, *, expected_ratio: float = DEFAULT_HEIGHT_RATIO) -> NoticeMatch:
    """Look for the notice in the four corners at sizes around ``expected_ratio``.

    Sizes from 0.6x to 2x the expected em are tried (a resize keeps the ratio; a crop raises it).

    Parameters
    ----------
    image : PIL.Image.Image
    expected_ratio : float
        The em ratio the notice was drawn with.

    Returns
    -------
    NoticeMatch
    """
    gray_image = image.convert("L")
    scale = 1.0
    if min(gray_image.size) > _SEARCH_SIDE:
        # The notice scales with the picture, so search a smaller copy: same ratios, far less work.
        scale = _SEARCH_SIDE / min(gray_image.size)
        gray_image = gray_image.resize((round(gray_image.width * scale), round(gray_image.height * scale)), Image.BOX)
    gray = np.asarray(gray_image, dtype=np.float64)
    height, width = gray.shape
    shortest = min(height, width)
    expected = expected_ratio * shortest
    # Quarter-pixel steps while small (a halved image puts the em between integers), ~3% above.
    drawn = float(_em_for(shortest, expected_ratio))
    ems = {drawn} | {max(4.0, round(expected * f * 4) / 4) for f in np.geomspace(0.6, 2.0, 40)}
    best = (-1.0, "", 0, 0)
    reach = round(0.08 * shortest)  # the notice sits within a few % of the edges
    # Most likely sizes first (an unedited or re-encoded image has the drawn size): stop early.
    for em in sorted(ems, key=lambda e: (e != drawn, abs(math.log(e / expected)))):
        if best[0] >= EARLY_STOP:
            break
        for template, ink in _templates(em):
            th, tw = template.shape
            if th > height or tw > width:
                continue
            rh, rw = min(height, th + reach), min(width, tw + reach)
            for corner in CORNERS:
                y0 = 0 if corner.startswith("top") else height - rh
                x0 = 0 if corner.endswith("left") else width - rw
                score = _best_ncc(gray[y0:y0 + rh, x0:x0 + rw], template)
                if score > best[0]:
                    best = (score, corner, em, ink)
    score, corner, _em, ink = best
    if score < MATCH_THRESHOLD:
        return NoticeMatch(False, score=round(max(score, 0.0), 3), problem="no AI生成 notice found in any corner")
    ratio = ink / shortest
    ink = round(ink / scale)
    conforms = ratio >= MIN_HEIGHT_RATIO
    problem = "" if conforms else f"glyph height {ink}px is {ratio:.1%} of the shortest side; GB 45438 §5.2 needs >= 5%"
    return NoticeMatch(True, corner, round(score, 3), ink, round(ratio, 4), conforms, problem)
