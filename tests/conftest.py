"""Shared fixtures: a tiny project with two test notebooks, and the environment for real runs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")

from notebook_factory import write_notebook  # noqa: E402

from assess import tracking  # noqa: E402

REPO = Path(__file__).resolve().parent.parent

TINY_PLAN = """version: 1
notebooks_dir: notebooks
subjects:
  s:
    datasets:
      train: {path: data.csv, id_column: id, text_column: text, label_column: label}
    assessments:
      row_count: {every: 30d, min_rows: 2}
      raises: {}
"""


#: Debian's headless Chromium (installed by `scripts/setup --test`), for the browser tests.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--allow-file-access-from-files"]


def make_tiny_project(folder: Path) -> Path:
    """A plan with one passing and one raising assessment, and its own embedded MLflow store."""
    write_notebook(folder / "notebooks", "row_count", parameters={
        "min_rows": {"type": "integer", "min": 0, "default": 2, "basis": "policy", "help": "fewest rows"},
    })
    write_notebook(folder / "notebooks", "raises")
    (folder / "data.csv").write_text("id,text,label\n1,hello,a\n2,world,b\n3,again,a\n", encoding="utf-8")
    (folder / "review.yaml").write_text(TINY_PLAN, encoding="utf-8")
    return folder


def register_tiny_model(project):
    """Register a fitted sklearn model as ``tiny-model`` version 1 in the project's embedded store."""
    import mlflow
    import mlflow.sklearn
    from sklearn.dummy import DummyClassifier

    uri = tracking.embedded_uri(project)
    with tracking.using_store(uri), mlflow.start_run(experiment_id=tracking.ensure_experiment(tracking.client_for(uri), "model-build")):
        mlflow.sklearn.log_model(DummyClassifier().fit([[0], [1]], [0, 1]), name="m", registered_model_name="tiny-model",
                                 serialization_format="cloudpickle")


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    """A fresh tiny project (see :func:`make_tiny_project`)."""
    return make_tiny_project(tmp_path)


@pytest.fixture(autouse=True)
def _isolated_tracking(monkeypatch):
    """Tests choose their store explicitly; a developer's MLFLOW_TRACKING_URI must not leak in."""
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
