"""Make a Great Expectations Data Docs site open offline, with nothing fetched from the network.

GX's page templates load Bootstrap, Font Awesome, jQuery, bootstrap-table and Vega from eight
public CDNs. An auditor who opens the evidence would thereby contact those hosts (and, on an
offline machine, see errors and an unstyled page); the logo is even fetched with a timestamp on
every view. :func:`make_site_offline` rewrites every page of a built site: remote stylesheets,
scripts, images and CSS ``url()`` are removed, as are the inline scripts and ``onclick`` handlers
that need them, and a small local stylesheet takes their place. The content,
which GX renders to plain HTML, is untouched; collapsed sections are shown open.
"""

from __future__ import annotations

import re
from pathlib import Path

_REMOTE_LINK = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?(?:https?:)?//[^>]*>\s*""", re.IGNORECASE)
_REMOTE_SCRIPT = re.compile(r"""<script\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//[^>]*>\s*</script>\s*""", re.IGNORECASE)
# Inline scripts of GX's templates are jQuery / bootstrap-table / Vega calls: without those
# libraries they only raise errors.
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>.*?</script>\s*", re.IGNORECASE | re.DOTALL)
_ONCLICK = re.compile(r"""\s+onclick\s*=\s*(?:"[^"]*"|'[^']*')""", re.IGNORECASE)
_REMOTE_IMAGE = re.compile(r"""<img\b[^>]*\bsrc\s*=\s*["']?(?:https?:)?//[^>]*>""", re.IGNORECASE)
_REMOTE_CSS_URL = re.compile(r"""url\(\s*["']?(?:https?:)?//[^)]*\)""", re.IGNORECASE)
_HEAD_END = re.compile(r"</head>", re.IGNORECASE)

#: Marks a rewritten page (and makes the rewrite idempotent).
MARKER = "<!-- assess: offline Data Docs (remote assets removed) -->"

OFFLINE_STYLE = MARKER + """
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", sans-serif;
       margin: 1.5rem; line-height: 1.45; color: #212529; }
a { color: #0b5ed7; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; }
th, td { border: 1px solid #dee2e6; padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f1f3f5; }
.collapse { display: block; }
.card { border: 1px solid #dee2e6; border-radius: 4px; padding: 0.5rem 1rem; margin: 0.5rem 0; }
.text-danger { color: #b02a37; } .text-success { color: #146c43; }
nav, .navbar, .sticky { position: static; }
/* Font Awesome status icons, which came from a CDN, as text */
.fa-check-circle::before { content: "\\2713  pass"; font-style: normal; font-weight: 600; white-space: nowrap; }
.fa-times::before { content: "\\2717  fail"; font-style: normal; font-weight: 600; white-space: nowrap; }
.fa-exclamation-triangle::before { content: "\\26A0  error"; font-style: normal; font-weight: 600; white-space: nowrap; }
button { display: none; }  /* they drive scripts that were removed */
</style>
"""


def offline_page(html: str) -> str:
    """One Data Docs page without remote assets or the scripts that need them."""
    if MARKER in html:
        return html
    html = _REMOTE_LINK.sub("", html)
    html = _REMOTE_SCRIPT.sub("", html)
    html = _INLINE_SCRIPT.sub("", html)
    html = _ONCLICK.sub("", html)
    html = _REMOTE_IMAGE.sub("", html)  # GX's logo, fetched with a timestamp on every view
    html = _REMOTE_CSS_URL.sub("none", html)
    if _HEAD_END.search(html):
        return _HEAD_END.sub(lambda _: OFFLINE_STYLE + "</head>", html, count=1)
    return OFFLINE_STYLE + html


def make_site_offline(site_dir: Path) -> int:
    """Rewrite every HTML page under ``site_dir`` with :func:`offline_page`; return how many changed."""
    changed = 0
    for page in sorted(Path(site_dir).rglob("*.html")):
        before = page.read_text(encoding="utf-8")
        after = offline_page(before)
        if after != before:
            page.write_text(after, encoding="utf-8")
            changed += 1
    return changed
