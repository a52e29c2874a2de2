"""The parts every notebook template under ``notebooks/`` shares, for the ``tools/make_*_notebook.py`` scripts.

A template is, in this order: a markdown cell whose heading is the title, the standard parameters
cell (tagged ``parameters`` for papermill), the cell opening the assessment, then the notebook's
own cells. Its top-level metadata carries the ``assess`` declaration the runner and the plan
validator read (name, title, clauses, parameters, key_metrics). Templates are written without
outputs, with stable cell ids so that regenerating an unchanged template leaves git clean.

Each script imports this module by its plain name: ``python tools/make_<name>_notebook.py`` puts
``tools/`` first on ``sys.path``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import nbformat

#: The standard parameters cell: papermill overrides these names (``-p plan ...``).
PARAMETERS_CELL = '''plan = "../review.yaml"        # the review plan (path relative to the notebook's working dir)
subject = ""                   # subject name in the plan (-p subject NAME)
tracking_uri = ""              # "" -> $MLFLOW_TRACKING_URI or the plan's embedded sqlite store
run_id = ""                    # "" -> the notebook starts (and finishes) its own MLflow run
params = {}                    # overrides of the plan's parameters for this assessment'''

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
LANGUAGE_INFO = {"name": "python"}

#: Folder the templates are written to.
NOTEBOOKS_DIR = Path(__file__).resolve().parent.parent / "notebooks"

_CELL_KINDS = {"md": nbformat.v4.new_markdown_cell, "code": nbformat.v4.new_code_cell}


def open_cell(name: str, *, imports: str = "from IPython.display import Markdown, display",
              assess_imports: Iterable[str] = (), setup: str = "", after: str = "") -> str:
    """The code of the cell that opens assessment ``name`` and shows its header.

    Parameters
    ----------
    name : str
        The assessment's name (the notebook's file stem).
    imports : str
        Standard-library and third-party import lines, placed first ("" for none).
    assess_imports : iterable of str
        Further ``from assess... import ...`` lines; kept sorted together with the
        ``open_assessment`` import, in their own block.
    setup : str
        Statements run before the assessment is opened (display options, warning filters).
    after : str
        Code appended after ``p = ctx.params`` (notebook-wide constants and helpers); start it
        with blank lines (``"\\n\\n"``) before a ``def``.

    Returns
    -------
    str
        The cell's source: imports, then ``ctx = open_assessment(...)``, ``ctx.header()``,
        ``p = ctx.params``.
    """
    first_party = "\n".join(sorted({*assess_imports, "from assess.notebook import open_assessment"}))
    body = [setup] if setup else []
    body += [
        f"ctx = open_assessment({name!r}, plan=plan, subject=subject, tracking_uri=tracking_uri, run_id=run_id, params=params)",
        "ctx.header()",
        "p = ctx.params",
    ]
    if after:
        body.append(after)
    return "\n\n".join(block for block in (imports, first_party) if block) + "\n\n" + "\n".join(body)


def build_notebook(*, name: str, title: str, clauses: Sequence[str], parameters: dict, intro: str,
                   cells: Sequence[tuple[str, str]], key_metrics: Sequence[str], open_code: str | None = None,
                   ) -> nbformat.NotebookNode:
    """A notebook template: intro, the parameters cell, the opening cell, then ``cells``.

    Parameters
    ----------
    name : str
        The assessment's name; the notebook is ``notebooks/<name>.ipynb``.
    title : str
        Its title; ``intro`` must start with the heading ``# <title>``.
    clauses : sequence of str
        Clauses the assessment gives evidence for: ids of the clause catalogue (``assess/clauses.yaml``).
    parameters : dict
        The declared parameters (name -> {type, default, help, ...}).
    intro : str
        Markdown of the first cell: the title and the purpose.
    cells : sequence of (kind, source)
        The notebook's own cells after the opening one; kind is ``"md"`` or ``"code"``.
    key_metrics : sequence of str
        Names of metrics the notebook logs that the review index plots across reviews.
    open_code : str, optional
        Source of the opening cell; default ``open_cell(name)``.

    Returns
    -------
    nbformat.NotebookNode
        The notebook (nbformat v4), without outputs, with the parameters cell tagged
        ``parameters`` and cell ids ``cell-00``, ``cell-01``, ... (stable across regenerations).
    """
    if not intro.startswith(f"# {title}\n"):
        raise ValueError(f"the intro of {name!r} must start with the heading '# {title}': make title and heading agree")
    if not key_metrics or len(set(key_metrics)) != len(key_metrics):
        raise ValueError(f"key_metrics of {name!r} must be a non-empty list of distinct metric names")
    unknown = sorted({kind for kind, _ in cells} - set(_CELL_KINDS))
    if unknown:
        raise ValueError(f"unknown cell kind(s) {', '.join(map(repr, unknown))} in {name!r}: use 'md' or 'code'")
    notebook = nbformat.v4.new_notebook(metadata={
        "assess": {"name": name, "title": title, "clauses": list(clauses), "parameters": parameters,
                   "key_metrics": list(key_metrics)},
        "kernelspec": dict(KERNELSPEC),
        "language_info": dict(LANGUAGE_INFO),
    })
    notebook.cells = [
        nbformat.v4.new_markdown_cell(intro),
        nbformat.v4.new_code_cell(PARAMETERS_CELL, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(open_cell(name) if open_code is None else open_code),
        *(_CELL_KINDS[kind](source) for kind, source in cells),
    ]
    for index, cell in enumerate(notebook.cells):
        cell.id = f"cell-{index:02d}"
    return notebook


def write(notebook: nbformat.NotebookNode, name: str, notebooks_dir: Path | None = None) -> Path:
    """Write ``notebook`` to ``<notebooks_dir>/<name>.ipynb`` (default ``notebooks/``) and return the path."""
    path = Path(notebooks_dir or NOTEBOOKS_DIR) / f"{name}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(path))
    return path
