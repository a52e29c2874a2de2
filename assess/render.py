"""Rendering executed notebooks to self-contained HTML: one with code, one for auditors without.

Figures are embedded as data; the pages load nothing from a CDN, so they open offline and in an
evidence archive years later.
"""

from __future__ import annotations

import re
from pathlib import Path

_EMPTY_SCRIPT = re.compile(r'<script src=""></script>\s*')


def render_html(notebook_path: Path, out_path: Path, *, hide_code: bool = False, title: str | None = None) -> Path:
    """Render an executed notebook to HTML.

    Parameters
    ----------
    notebook_path : Path
        The executed ``.ipynb``.
    out_path : Path
        Where to write the HTML.
    hide_code : bool
        Leave out code cells' inputs and prompts (the auditor's view); outputs, including any error,
        are kept.
    title : str, optional
        The page title.
    """
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.read(str(notebook_path), as_version=4)
    exporter = HTMLExporter(
        template_name="lab",
        mathjax_url="",
        require_js_url="",
        exclude_input=hide_code,
        exclude_input_prompt=hide_code,
        exclude_output_prompt=hide_code,
    )
    body, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title or notebook_path.stem}})
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(_EMPTY_SCRIPT.sub("", body), encoding="utf-8")
    return out_path
