"""Fonts for figures with Chinese text: choose a CJK-capable font, and check a figure's glyphs.

Matplotlib's default DejaVu Sans has no CJK glyphs, so a Chinese label is drawn as boxes (with only
a log warning). :func:`use_cjk_font` puts the first installed CJK font of :data:`CJK_FONTS` ahead
of the defaults (matplotlib falls back glyph by glyph along the list), and :func:`missing_glyphs`
finds the characters of a figure that no font in its list can draw, so the report can say so.
"""

from __future__ import annotations

import re
import warnings
from functools import lru_cache
from pathlib import Path

#: CJK-capable fonts, preferred first (Debian: fonts-noto-cjk, fonts-wqy-microhei, fonts-wqy-zenhei).
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "PingFang SC",
             "Microsoft YaHei", "SimHei", "Noto Sans SC")
#: File names of CJK fonts, for fonts installed after matplotlib cached its font list.
_CJK_FILE = re.compile(r"cjk|wqy|sourcehan|pingfang|msyh|simhei|notosanssc", re.IGNORECASE)

#: What to install when no CJK font is found.
INSTALL_HINT = "install a CJK font (Debian: apt-get install fonts-noto-cjk or fonts-wqy-microhei; scripts/setup does)"


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of the first installed font of :data:`CJK_FONTS`, or None.

    Fonts installed after matplotlib built its font cache are found by file name and added.
    """
    from matplotlib import font_manager

    def installed():
        names = {entry.name for entry in font_manager.fontManager.ttflist}
        return next((name for name in CJK_FONTS if name in names), None)

    found = installed()
    if found is None:
        for path in font_manager.findSystemFonts():
            if _CJK_FILE.search(Path(path).name):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):  # an unreadable font file is skipped
                    continue
        found = installed()
    return found


def use_cjk_font() -> str | None:
    """Put the installed CJK font first in matplotlib's sans-serif list; return its name (None: none installed)."""
    import matplotlib

    font = cjk_font()
    if font is not None:
        families = [f for f in matplotlib.rcParams["font.sans-serif"] if f != font]
        matplotlib.rcParams["font.sans-serif"] = [font, *families]
        matplotlib.rcParams["font.family"] = ["sans-serif"]
        matplotlib.rcParams["axes.unicode_minus"] = False  # CJK fonts often lack U+2212
    return font


@lru_cache(maxsize=64)
def _charmap(path: str) -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(path).get_charmap())


def text_fonts(text_artist) -> list[str]:
    """Paths of the font files matplotlib draws ``text_artist`` with, in fallback order."""
    from matplotlib import font_manager

    properties = text_artist.get_fontproperties()
    try:  # the fallback list matplotlib itself renders with (matplotlib >= 3.6)
        paths = font_manager.fontManager._find_fonts_by_props(properties)
    except AttributeError:
        paths = [font_manager.findfont(properties)]
    return [str(path) for path in paths]


def missing_glyphs(figure) -> str:
    """The characters of ``figure``'s text that none of its fonts has a glyph for ('' when all draw).

    Parameters
    ----------
    figure : matplotlib.figure.Figure

    Returns
    -------
    str
        The missing characters, each once, in order of appearance.
    """
    from matplotlib.text import Text

    with warnings.catch_warnings():  # matplotlib's per-glyph warnings: what is missing is returned instead
        warnings.simplefilter("ignore", UserWarning)
        figure.draw_without_rendering()  # tick labels get their text only when the figure is laid out
    missing: dict[str, None] = {}
    for artist in figure.findobj(Text):
        text = artist.get_text()
        if not text or text.isascii():
            continue
        covered = frozenset().union(*(_charmap(path) for path in text_fonts(artist)))
        for char in text:
            if not char.isspace() and ord(char) not in covered and char != "$":
                missing[char] = None
    return "".join(missing)
