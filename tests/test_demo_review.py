"""The demo review end to end, into a temporary folder: every assessment of review.yaml runs on the
demo subject with real papermill, a real MLflow store, real GX and real models."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from assess import tracking
from assess.manifest import MANIFEST_PATH
from conftest import REPO

pytestmark = pytest.mark.slow
SUBJECT = "demo-assistant"


@pytest.fixture(scope="module")
def demo_review(tmp_path_factory):
    """(project folder, exit code, stdout, client, review run, {assessment: run})."""
    project = tmp_path_factory.mktemp("demo")
    plan = (REPO / "review.yaml").read_text(encoding="utf-8")
    (project / "review.yaml").write_text(plan.replace("version: 1\n", f"version: 1\nnotebooks_dir: {REPO / 'notebooks'}\n", 1), encoding="utf-8")
    shutil.copytree(REPO / "contracts", project / "contracts")
    result = subprocess.run([sys.executable, "-m", "assess", "run", "review.yaml"], cwd=project, capture_output=True, text=True)
    client = tracking.client_for(tracking.embedded_uri(project))
    experiment = client.get_experiment_by_name(tracking.experiment_name(SUBJECT))
    [review] = client.search_runs([experiment.experiment_id], f"tags.`{tracking.TAG_KIND}` = 'review'")
    children = client.search_runs([experiment.experiment_id], f"tags.`mlflow.parentRunId` = '{review.info.run_id}'")
    runs = {run.data.tags[tracking.TAG_ASSESSMENT]: run for run in children}
    return project, result, client, review, runs


def test_every_planned_assessment_ran_and_recorded_a_verdict(demo_review):
    project, result, client, review, runs = demo_review
    planned = set(re.findall(r"^      (\w+):$", (REPO / "review.yaml").read_text(encoding="utf-8"), flags=re.M))
    assert set(runs) == planned, result.stdout + result.stderr
    for name, run in runs.items():
        assert run.info.status == "FINISHED", (name, run.data.tags.get(tracking.TAG_ERROR))
        assert run.data.tags[tracking.TAG_VERDICT] in ("pass", "warn", "pending", "fail")
        artifacts = {a.path for a in client.list_artifacts(run.info.run_id, "notebook")}
        assert artifacts == {f"notebook/{name}.ipynb", f"notebook/{name}.html", f"notebook/{name}.auditor.html"}
        assert run.data.metrics["checks_total"] >= 1
    # The demo data is built to fail: it holds personal data and wrong labels.
    assert review.data.tags[tracking.TAG_VERDICT] == "fail"
    assert result.returncode == 1
    assert (project / "reports" / "index.html").exists()


def test_demo_models_are_registered_and_tagged_with_the_review(demo_review):
    project, result, client, review, runs = demo_review
    for name in ("assess-demo-intent-classifier", "assess-demo-text-generator"):
        [version] = client.search_model_versions(f"name = '{name}'")
        assert version.tags["assess.last_review_run_id"] == review.info.run_id
        assert version.tags["assess.last_review_verdict"] == "fail"


def test_verify_passes_and_one_changed_byte_fails_it(demo_review):
    project, result, client, review, runs = demo_review
    verify = [sys.executable, "-m", "assess", "verify", review.info.run_id]
    assert subprocess.run(verify, cwd=project, capture_output=True).returncode == 0
    run = next(iter(runs.values()))
    stored = next((project / "mlruns" / "artifacts").rglob(f"{run.info.run_id}/artifacts/{MANIFEST_PATH}")).parent.parent
    target = stored / "evidence" / "checks.json"
    original = target.read_bytes()
    target.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))
    try:
        failed = subprocess.run(verify, cwd=project, capture_output=True, text=True)
    finally:
        target.write_bytes(original)
    assert failed.returncode == 1
    assert "evidence/checks.json: content differs from the manifest" in failed.stdout


IDENTIFIERS = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dX]|1[3-9]\d{9}|62\d{14,17}|[a-z]+\.\d+@[a-z.]+)(?![0-9A-Za-z])")


def test_no_raw_personal_data_in_any_evidence_or_report(demo_review):
    """Every identifier planted in the demo data is absent from every artifact and report."""
    project, result, client, review, runs = demo_review
    planted = set()
    for path in (project / "datasets" / "demo").glob("*.*"):
        if path.suffix in (".csv", ".jsonl"):
            planted.update(IDENTIFIERS.findall(path.read_text(encoding="utf-8")))
    assert len(planted) > 500
    folders = [project / "reports"] + [next((project / "mlruns" / "artifacts").glob(run.info.run_id)) for run in runs.values()]
    leaks = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in (".json", ".jsonl", ".csv", ".html", ".ipynb", ".txt", ".md", ".yaml"):
                text = path.read_text(encoding="utf-8", errors="replace")
                leaks.extend((path.name, value[:4]) for value in set(IDENTIFIERS.findall(text)) & planted)
    assert leaks == []
