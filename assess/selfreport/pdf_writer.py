"""The self-assessment report as PDF, offline: the report's blocks as HTML, laid out by WeasyPrint
(Pango from Debian, no browser) with a CJK font embedded, so the Chinese text shows everywhere."""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

from assess.errors import InputError
from assess.selfreport.content import ReportContent
from assess.selfreport.labels import verdict_word
from assess.selfreport.layout import blocks

#: Debian packages the PDF needs, named in the error when one is missing.
FONT_PACKAGE = "fonts-wqy-microhei"
PANGO_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"
#: Families preferred among the installed fonts with Chinese glyphs (proportional before monospaced).
PREFERRED_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback")

_STYLE = """
@page { size: A4; margin: 18mm 16mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "ReportCJK", sans-serif; font-size: 9.5pt; color: #1b1f24; }
h1 { font-size: 17pt; margin: 0 0 6pt; } h2 { font-size: 13pt; margin: 16pt 0 4pt; border-bottom: 1px solid #ccc; }
h3 { font-size: 11pt; margin: 12pt 0 4pt; }
table { border-collapse: collapse; width: 100%; margin: 3pt 0 8pt; table-layout: auto; }
th, td { border: 1px solid #d0d7de; padding: 2pt 4pt; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f6f8fa; } table.fields th { width: 28%; }
.v { font-weight: bold; } .pass { color: #116329; } .warn { color: #7d4e00; } .pending { color: #0a3069; }
.fail, .error { color: #a40e26; }
.signoff p { margin: 14pt 0; }
"""


def cjk_font_file() -> Path:
    """A font file with Chinese glyphs, found with fontconfig.

    Raises
    ------
    InputError
        No such font is installed (names the Debian package to install).
    """
    missing = f"no font with Chinese glyphs is installed: run `sudo apt-get install {FONT_PACKAGE}` (or scripts/setup)"
    if shutil.which("fc-list") is None:
        raise InputError(f"fontconfig's fc-list is not installed: run `sudo apt-get install fontconfig {FONT_PACKAGE}` "
                         "(or scripts/setup)")
    listing = subprocess.run(["fc-list", ":lang=zh", "file", "family"], capture_output=True, text=True, timeout=30).stdout
    fonts = []
    for line in listing.splitlines():
        file, _, families = line.partition(":")
        if file.strip() and Path(file.strip()).is_file():
            fonts.append((Path(file.strip()), [f.strip() for f in families.split(",")]))
    if not fonts:
        raise InputError(missing)

    def rank(font) -> tuple:
        file, families = font
        preferred = min((PREFERRED_FAMILIES.index(f) for f in families if f in PREFERRED_FAMILIES), default=len(PREFERRED_FAMILIES))
        return preferred, any("mono" in f.lower() for f in families), str(file)

    return min(fonts, key=rank)[0]


def _verdict_class(text: str, verdict: str, lang: str) -> str:
    return f' class="v {verdict}"' if verdict and text == verdict_word(verdict, lang) else ""


def report_html(content: ReportContent, lang: str, font: Path) -> str:
    """The report as one HTML page, with ``font`` as its CJK face."""
    e = html.escape
    parts = []
    for block in blocks(content, lang):
        if block.kind == "title":
            parts.append(f"<h1>{e(block.text)}</h1>")
        elif block.kind == "heading":
            parts.append(f"<h{block.level + 1}>{e(block.text)}</h{block.level + 1}>")
        elif block.kind == "paragraph":
            parts.append(f"<p>{e(block.text)}</p>")
        elif block.kind == "fields":
            rows = "".join(f"<tr><th>{e(k)}</th><td{_verdict_class(v, block.verdict, lang)}>{e(v)}</td></tr>" for k, v in block.rows)
            parts.append(f'<table class="fields">{rows}</table>')
        elif block.kind == "table":
            head = "".join(f"<th>{e(h)}</th>" for h in block.header)
            rows = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in block.rows)
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        elif block.kind == "signoff":
            parts.append('<div class="signoff">' + "".join(f"<p>{e(label)}: ______________________________</p>"
                                                           for (label,) in block.rows) + "</div>")
    face = f'@font-face {{ font-family: "ReportCJK"; src: url("{font.resolve().as_uri()}"); }}'
    return (f'<!DOCTYPE html><html lang="{"en" if lang == "en" else "zh"}"><head><meta charset="utf-8">'
            f"<title>{e(content.subject)} {e(content.review_id)}</title><style>{face}{_STYLE}</style></head>"
            f"<body>{''.join(parts)}</body></html>")


def write_pdf(content: ReportContent, path: Path, lang: str = "both") -> Path:
    """Write the report of ``content`` to ``path`` (.pdf) with a CJK font embedded; return ``path``.

    Parameters
    ----------
    content : ReportContent
        From :func:`assess.selfreport.gather`.
    path : Path
        The file to write.
    lang : {"both", "zh", "en"}
        Chinese first with English, or one language.

    Returns
    -------
    Path

    Raises
    ------
    InputError
        WeasyPrint's Pango libraries or a CJK font are not installed (names the Debian packages).
    """
    font = cjk_font_file()
    try:
        from weasyprint import HTML
    except OSError as exc:  # WeasyPrint loads Pango when imported
        raise InputError(f"WeasyPrint cannot load Pango ({str(exc).splitlines()[0][:120]}): run "
                         f"`sudo apt-get install {PANGO_PACKAGES}` (or scripts/setup)") from None
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # No base_url and only a file:// font: WeasyPrint fetches nothing from the network.
    HTML(string=report_html(content, lang, font)).write_pdf(str(path))
    return path
