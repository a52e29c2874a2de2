"""The runner, end to end on a tiny project: real papermill, a real MLflow store, real HTML."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assess import tracking
from assess.cli import main
from assess.manifest import MANIFEST_PATH, REVIEW_MANIFEST_PATH

ASSESS = [sys.executable, "-m", "assess"]


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """The tiny project after one `assess run`: (project, exit code, client, review run)."""
    from conftest import make_tiny_project

    tiny_project = make_tiny_project(tmp_path_factory.mktemp("reviewed"))
    code = main(["run", str(tiny_project / "review.yaml")])
    client = tracking.client_for(tracking.embedded_uri(tiny_project))
    experiment = client.get_experiment_by_name("assess/s")
    review = client.search_runs([experiment.experiment_id], f"tags.`{tracking.TAG_KIND}` = 'review'")[0]
    return tiny_project, code, client, review


def children(client, review):
    runs = client.search_runs([review.info.experiment_id], f"tags.`mlflow.parentRunId` = '{review.info.run_id}'")
    return {run.data.tags[tracking.TAG_ASSESSMENT]: run for run in runs}


def test_review_records_parent_and_nested_runs(reviewed):
    project, code, client, review = reviewed
    assert code == 2  # one notebook raised
    runs = children(client, review)
    passing, raising = runs["row_count"], runs["raises"]
    assert passing.info.status == "FINISHED"
    assert passing.data.tags[tracking.TAG_VERDICT] == "pass"
    assert passing.data.metrics["rows"] == 3
    assert passing.data.params["min_rows"] == "2"
    assert passing.data.tags[tracking.TAG_CLAUSES] == "Interim Art. 7(4)"
    artifacts = {a.path for a in client.list_artifacts(passing.info.run_id, "notebook")}
    assert artifacts == {"notebook/row_count.ipynb", "notebook/row_count.html", "notebook/row_count.auditor.html"}
    assert review.data.tags[tracking.TAG_VERDICT] == "error"
    assert review.info.status == "FAILED"


def test_a_raising_notebook_is_failed_and_kept_while_the_rest_pass(reviewed):
    project, code, client, review = reviewed
    raising = children(client, review)["raises"]
    assert raising.info.status == "FAILED"
    assert raising.data.tags[tracking.TAG_ERROR] == "RuntimeError: planted failure for the test"
    folder = project / "reports" / "s" / review.data.tags[tracking.TAG_REVIEW_ID]
    auditor = (folder / "raises.auditor.html").read_text(encoding="utf-8")
    assert "planted failure for the test" in auditor
    assert "open_assessment" not in auditor  # code hidden from the auditor view
    assert "open_assessment" in (folder / "raises.html").read_text(encoding="utf-8")
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert "s/" + review.data.tags[tracking.TAG_REVIEW_ID] + "/raises.auditor.html" in index


def test_reports_load_nothing_from_the_network(reviewed):
    project, *_ = reviewed
    for page in (project / "reports").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert 'src="http' not in text and "href=\"http" not in text, page


def test_manifest_hashes_inputs_template_and_outputs(reviewed):
    project, code, client, review = reviewed
    passing = children(client, review)["row_count"]
    local = client.download_artifacts(passing.info.run_id, MANIFEST_PATH, str(project / "dl"))
    manifest = json.loads(Path(local).read_text(encoding="utf-8"))
    from assess.manifest import sha256_file

    assert manifest["inputs"]["datasets"]["train"]["sha256"] == sha256_file(project / "data.csv")
    assert manifest["template"]["sha256"] == sha256_file(project / "notebooks" / "row_count.ipynb")
    assert set(manifest["outputs"]) >= {"tables/head.csv", "evidence/checks.json", "notebook/row_count.ipynb"}
    assert manifest["parameters"] == {"min_rows": 2}
    assert manifest["environment"]["packages"]["mlflow"]
    review_manifest = client.download_artifacts(review.info.run_id, REVIEW_MANIFEST_PATH, str(project / "dl2"))
    assert set(json.loads(Path(review_manifest).read_text())["assessments"]) == {"row_count", "raises"}


def test_verify_passes_then_fails_on_one_changed_byte(reviewed, capsys):
    project, code, client, review = reviewed
    uri = tracking.embedded_uri(project)
    assert main(["verify", review.info.run_id, "--tracking-uri", uri]) == 0
    passing = children(client, review)["row_count"]
    stored = next((project / "mlruns" / "artifacts").rglob(f"{passing.info.run_id}/artifacts/tables/head.csv"))
    original = stored.read_bytes()
    changed = bytearray(original)
    changed[0] ^= 1
    stored.write_bytes(bytes(changed))
    try:
        capsys.readouterr()
        assert main(["verify", review.info.run_id, "--tracking-uri", uri]) == 1
        assert "tables/head.csv: content differs from the manifest" in capsys.readouterr().out
        assert main(["verify", passing.info.run_id, "--tracking-uri", uri]) == 1
    finally:
        stored.write_bytes(original)


def test_papermill_cli_runs_a_notebook_alone_and_logs_its_own_run(tiny_project):
    out = tiny_project / "alone.ipynb"
    subprocess.run(
        [sys.executable, "-m", "papermill", str(tiny_project / "notebooks" / "row_count.ipynb"), str(out),
         "-p", "plan", str(tiny_project / "review.yaml"), "-p", "subject", "s", "--no-progress-bar"],
        check=True, capture_output=True, cwd=tiny_project,
    )
    client = tracking.client_for(tracking.embedded_uri(tiny_project))
    experiment = client.get_experiment_by_name("assess/s")
    [run] = client.search_runs([experiment.experiment_id])
    assert run.info.status == "FINISHED"
    assert run.data.tags["assess.standalone"] == "true"
    assert run.data.tags[tracking.TAG_VERDICT] == "pass"
    assert {a.path for a in client.list_artifacts(run.info.run_id, "evidence")} >= {MANIFEST_PATH, "evidence/checks.json"}


def test_bad_plan_is_one_line_and_exit_2(tiny_project):
    plan = tiny_project / "review.yaml"
    plan.write_text(plan.read_text().replace("min_rows: 2", "min_rows: many"))
    result = subprocess.run([*ASSESS, "run", str(plan)], capture_output=True, text=True, cwd=tiny_project)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: review.yaml:8: subjects.s.assessments.row_count.min_rows: expected a integer, got 'many'"
    ]
    assert not (tiny_project / "mlruns" / "mlflow.db").exists()


def test_a_dataset_that_breaks_inside_a_notebook_is_recorded_on_its_run(tiny_project, capsys):
    # Past the preflight (it reads the first chunk only), a bad row further on fails the notebook.
    rows = "".join(f"{i},t{i},a\n" for i in range(1, 1200)) + '1200,"unclosed,a\n'
    (tiny_project / "data.csv").write_text("id,text,label\n" + rows, encoding="utf-8")
    handler = signal.getsignal(signal.SIGTERM)
    assert main(["run", str(tiny_project / "review.yaml"), "--only", "row_count"]) == 2
    out = capsys.readouterr().out
    assert "error: InputError: dataset 'train':" in out and "is not valid csv" in out
    # `assess run` unwinds on SIGTERM only while it runs: a caller's later pool workers must still die on
    # Pool.terminate() (with the handler left behind, a forked scan worker hung the test suite).
    assert signal.getsignal(signal.SIGTERM) is handler


def test_a_notebook_that_times_out_is_failed_and_kept(tiny_project, capsys):
    from notebook_factory import write_notebook

    write_notebook(tiny_project / "notebooks", "sleeps")
    plan = tiny_project / "review.yaml"
    plan.write_text(plan.read_text().replace("version: 1\n", "version: 1\ntimeout_seconds: 20\n")
                    .replace("      raises: {}\n", "      sleeps: {}\n"))
    assert main(["run", str(plan)]) == 2
    client = tracking.client_for(tracking.embedded_uri(tiny_project))
    experiment = client.get_experiment_by_name("assess/s")
    [run] = client.search_runs([experiment.experiment_id], f"tags.`{tracking.TAG_ASSESSMENT}` = 'sleeps'")
    assert run.info.status == "FAILED"
    assert run.data.tags[tracking.TAG_ERROR].startswith("CellTimeoutError: a cell ran longer than the plan's timeout_seconds")
    assert {a.path for a in client.list_artifacts(run.info.run_id, "notebook")} >= {"notebook/sleeps.auditor.html"}
    [passing] = client.search_runs([experiment.experiment_id], f"tags.`{tracking.TAG_ASSESSMENT}` = 'row_count'")
    assert passing.data.tags[tracking.TAG_VERDICT] == "pass"
