"""Rendering executed notebooks to self-contained HTML: one with code, one for auditors without.

Figures are embedded as data; the pages load nothing from a CDN, so they open offline and in an
evidence archive years later; links to local evidence (a Data Docs site in the store) are made
relative, so they survive a copied project. Each page opens with the assessment's summary box (the verdict and
the checks that did not pass), moved there from where ``ctx.finish()`` showed it, and carries a
font stack with CJK fallbacks so Chinese text is not drawn as boxes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from assess.summary_box import SUMMARY_METADATA, error_html

_EMPTY_SCRIPT = re.compile(r'<script src=""></script>\s*')
_HEAD_END = re.compile(r"</head>", re.IGNORECASE)
_FILE_LINK = re.compile(r'href="(file://[^"]+)"')
#: Tag of the cell that carries the summary box at the top of a rendered report.
SUMMARY_TAG = "assess-summary"

#: Fonts for report text, CJK-capable ones before the generic family.
FONT_STACK = ('system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "Source Han Sans SC", '
              '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", sans-serif')

REPORT_STYLE = f"""<style id="assess-report-style">
body, .jp-RenderedHTMLCommon, .jp-RenderedMarkdown, .jp-OutputArea-output {{ font-family: {FONT_STACK}; }}
.jp-RenderedHTMLCommon table.assess-table td, .jp-RenderedHTMLCommon table.assess-table th {{ text-align: left; }}
</style>
"""


def relative_href(target: Path, from_dir: Path) -> str:
    """A URL-quoted relative link from a page in ``from_dir`` to ``target``, so a copied project keeps its links."""
    return quote(Path(os.path.relpath(Path(target).resolve(), Path(from_dir).resolve())).as_posix())


def relative_file_links(page: str, from_dir: Path) -> str:
    """``page`` with every ``href="file://..."`` (a notebook's link to local evidence) made relative to ``from_dir``."""
    return _FILE_LINK.sub(lambda m: f'href="{relative_href(Path(unquote(urlparse(m.group(1)).path)), from_dir)}"', page)


def summary_output(notebook) -> str | None:
    """The summary box's HTML among the notebook's outputs (the last one shown), or None."""
    found = None
    for cell in notebook.cells:
        for output in cell.get("outputs", ()):
            if output.get("metadata", {}).get(SUMMARY_METADATA):
                found = output
    return None if found is None else "".join(found["data"]["text/html"])


def lead_with_summary(notebook, title: str) -> None:
    """Put the summary box first in ``notebook`` (in place), removing it from where it was shown.

    A notebook that stopped with an error before ``ctx.finish()`` gets a box saying so; one that
    neither finished nor failed (a plain notebook) is left as it is.
    """
    import nbformat

    box = summary_output(notebook)
    for cell in notebook.cells:
        if "outputs" in cell:
            cell.outputs = [o for o in cell.outputs if not o.get("metadata", {}).get(SUMMARY_METADATA)]
    if box is None:
        failed = any(o.get("output_type") == "error" for c in notebook.cells for o in c.get("outputs", ()))
        if not failed:
            return
        box = error_html(title=title)
    # A code cell without input (raw cells are sanitised by nbconvert, which would drop the styles).
    cell = nbformat.v4.new_code_cell("", metadata={"tags": [SUMMARY_TAG]})
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": box})]
    cell.id = SUMMARY_TAG
    notebook.cells.insert(0, cell)


def render_html(notebook_path: Path, out_path: Path, *, hide_code: bool = False, title: str | None = None) -> Path:
    """Render an executed notebook to HTML that opens with its summary box.

    Parameters
    ----------
    notebook_path : Path
        The executed ``.ipynb`` (left unchanged).
    out_path : Path
        Where to write the HTML.
    hide_code : bool
        Leave out code cells' inputs and prompts (the auditor's view); outputs, including any error,
        are kept.
    title : str, optional
        The page title.

    Returns
    -------
    Path
        ``out_path``.
    """
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    notebook = nbformat.read(str(notebook_path), as_version=4)
    lead_with_summary(notebook, title or notebook_path.stem)
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_input_tags = {SUMMARY_TAG}
    exporter = HTMLExporter(
        config=config,
        template_name="lab",
        mathjax_url="",
        require_js_url="",
        exclude_input=hide_code,
        exclude_input_prompt=hide_code,
        exclude_output_prompt=hide_code,
    )
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title or notebook_path.stem}})
    body = _HEAD_END.sub(lambda _: REPORT_STYLE + "</head>", _EMPTY_SCRIPT.sub("", body), count=1)
    body = relative_file_links(body, out_path.parent)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(body, encoding="utf-8")
    return out_path
