"""A tiny built-in stroke font for the image notice "AI生成".

No CJK font is installed on this project's machines (``fc-list :lang=zh`` is empty) and CI gets
a fresh machine, so the notice cannot depend on a system font. Each glyph is a few polylines in
a unit box (x right, y down), drawn with round joins at 4x and downsampled: the output is the
same on every machine, which also lets :mod:`assess.content_labels.image_notice` find the notice
again by template matching.
"""

from __future__ import annotations

from PIL import Image, ImageDraw

# glyph -> (advance width in em, strokes as polylines of (x, y) in a 1 x 1 em box)
GLYPHS: dict[str, tuple[float, list[list[tuple[float, float]]]]] = {
    "A": (0.78, [[(0.04, 1.0), (0.39, 0.0), (0.74, 1.0)], [(0.17, 0.64), (0.61, 0.64)]]),
    "I": (0.42, [[(0.21, 0.0), (0.21, 1.0)], [(0.04, 0.0), (0.38, 0.0)], [(0.04, 1.0), (0.38, 1.0)]]),
    "生": (1.0, [
        [(0.30, 0.03), (0.24, 0.22), (0.10, 0.42)],  # 丿
        [(0.22, 0.28), (0.86, 0.28)],  # top 一
        [(0.52, 0.0), (0.52, 0.96)],  # 丨
        [(0.18, 0.61), (0.84, 0.61)],  # middle 一
        [(0.04, 0.96), (0.96, 0.96)],  # bottom 一
    ]),
    "成": (1.0, [
        [(0.14, 0.24), (0.94, 0.24)],  # top 一
        [(0.16, 0.24), (0.16, 0.66), (0.10, 0.86), (0.02, 0.98)],  # left 丿
        [(0.16, 0.50), (0.42, 0.50), (0.42, 0.82), (0.33, 0.78)],  # 𠃌 with hook
        [(0.56, 0.0), (0.60, 0.40), (0.75, 0.74), (0.97, 0.97), (0.97, 0.78)],  # 戈 slant hook
        [(0.90, 0.44), (0.72, 0.72), (0.50, 0.94)],  # 丿 across
        [(0.72, 0.04), (0.84, 0.14)],  # 丶
    ]),
}
#: stroke width as a share of the em height
STROKE = 0.11
_SUPERSAMPLE = 4


def text_width(text: str) -> float:
    """Advance width of ``text`` in em (glyph spacing included)."""
    return sum(GLYPHS[ch][0] for ch in text) + 0.12 * (len(text) - 1)


def render_text(text: str, em: float) -> Image.Image:
    """Render ``text`` as a grey-scale mask (255 = ink) whose em box is ``em`` pixels high.

    The ink spans the em box vertically (strokes touch y = 0 and y = 1), so the glyph height
    the standard measures is ``em`` plus the stroke's round caps.

    Parameters
    ----------
    text : str
        Characters from :data:`GLYPHS`.
    em : float
        Em height in pixels (quarter pixels are honoured).

    Returns
    -------
    PIL.Image.Image
        Mode ``L``, about (width * em + stroke) x (em + stroke) pixels.
    """
    unknown = sorted(set(text) - set(GLYPHS))
    if unknown:
        raise ValueError(f"no built-in glyph for {''.join(unknown)!r}; use characters from {''.join(GLYPHS)}")
    scale = max(_SUPERSAMPLE, round(em * _SUPERSAMPLE))
    stroke = max(1, round(STROKE * scale))
    pad = stroke // 2 + 1
    width = int(text_width(text) * scale) + 2 * pad
    height = scale + 2 * pad
    canvas = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(canvas)
    x0 = pad
    for ch in text:
        advance, strokes = GLYPHS[ch]
        for line in strokes:
            points = [(x0 + x * scale, pad + y * scale) for x, y in line]
            draw.line(points, fill=255, width=stroke, joint="curve")
            for px, py in (points[0], points[-1]):  # round caps
                r = stroke / 2
                draw.ellipse((px - r, py - r, px + r, py + r), fill=255)
        x0 += (advance + 0.12) * scale
    small = (max(1, round(width / _SUPERSAMPLE)), max(1, round(height / _SUPERSAMPLE)))
    return canvas.resize(small, Image.LANCZOS)
