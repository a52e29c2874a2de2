"""Small assessment notebooks for testing the runner: one that passes, one that raises."""

from __future__ import annotations

from pathlib import Path

import nbformat

PARAMETERS = '''plan = "review.yaml"
subject = "s"
tracking_uri = ""
run_id = ""
params = {}'''

OPEN = '''from assess.notebook import open_assessment
ctx = open_assessment({name!r}, plan=plan, subject=subject, tracking_uri=tracking_uri, run_id=run_id, params=params)
ctx.header()'''

BODIES = {
    "row_count": '''frame = ctx.load_dataset("train")
ctx.log_metric("rows", len(frame))
ctx.log_table("head", frame.head(3))
ctx.check("rows", len(frame), ctx.params["min_rows"], ">=", clause="Interim Art. 7(4)")''',
    "raises": '''frame = ctx.load_dataset("train")
raise RuntimeError("planted failure for the test")''',
    "sleeps": '''import time
time.sleep(600)''',
    "chatters": '''import os
ctx.load_dataset("train")  # an assessment that reads none of the subject's inputs cannot pass
# What a native library or a subprocess prints goes to the kernel's file descriptor 2, not to the notebook.
os.write(2, b"libfoo WARNING: record of customer 13812345678 has an odd encoding\\n")
ctx.check("chatter", 1, 1, "<=", clause="Interim Art. 7(4)")''',
    "naps": '''import time
ctx.log_metric("before_nap", 1)
time.sleep(8)
ctx.log_metric("after_nap", 1)''',
}


def write_notebook(folder: Path, name: str, *, parameters: dict | None = None, body: str | None = None,
                   clauses: tuple[str, ...] = ("Interim Art. 7(4)",)) -> Path:
    """Write notebook ``name`` (its ``body``, default BODIES[name]) declaring ``parameters`` and
    ``clauses`` into ``folder``."""
    cells = [
        nbformat.v4.new_markdown_cell(f"# Test assessment {name}"),
        nbformat.v4.new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(OPEN.format(name=name)),
        nbformat.v4.new_code_cell(body if body is not None else BODIES[name]),
        nbformat.v4.new_code_cell("ctx.finish()"),
    ]
    notebook = nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "assess": {"name": name, "title": f"Test {name}", "clauses": list(clauses), "key_metrics": ["rows"],
                   "parameters": parameters or {}},
    })
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(notebook, str(path))
    return path
