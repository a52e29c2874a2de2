"""`assess run --jobs N`: a review's assessments in parallel kernels record what a sequential review records."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from itertools import pairwise

import pytest
from notebook_factory import write_notebook

from assess import tracking
from assess.cli import main
from assess.manifest import CHECKS_PATH, MANIFEST_PATH, REVIEW_MANIFEST_PATH
from assess.plan import load_plan
from assess.runner import longest_first

ASSESS = [sys.executable, "-m", "assess"]
PLANNED = ["row_count", "raises", "chatters"]


def _three_assessments(project):
    write_notebook(project / "notebooks", "chatters")
    plan = project / "review.yaml"
    plan.write_text(plan.read_text().replace("      raises: {}\n", "      raises: {}\n      chatters: {}\n"))
    return plan


def _reviews(client):
    experiment = client.get_experiment_by_name(tracking.experiment_name("s"))
    runs = client.search_runs([experiment.experiment_id], f"tags.`{tracking.TAG_KIND}` = 'review'",
                              order_by=["attributes.start_time ASC"])
    return runs


def _children(client, review):
    runs = client.search_runs([review.info.experiment_id], f"tags.`mlflow.parentRunId` = '{review.info.run_id}'")
    return {run.data.tags[tracking.TAG_ASSESSMENT]: run for run in runs}


def _json_artifact(client, run_id, path, folder):
    return json.loads(open(client.download_artifacts(run_id, path, str(folder)), encoding="utf-8").read())


def _what_a_review_recorded(client, review, folder):
    """Everything of a review that must not depend on --jobs: no ids, times or durations."""
    review_manifest = _json_artifact(client, review.info.run_id, REVIEW_MANIFEST_PATH, folder / "review")
    recorded = {"verdict": review.data.tags[tracking.TAG_VERDICT], "status": review.info.status,
                "manifest keys": sorted(review_manifest), "order": list(review_manifest["assessments"]),
                "inputs": review_manifest["inputs"], "assessments": {}}
    for name, run in _children(client, review).items():
        manifest = _json_artifact(client, run.info.run_id, MANIFEST_PATH, folder / name)
        checks = _json_artifact(client, run.info.run_id, CHECKS_PATH, folder / name) if not run.data.tags.get(
            tracking.TAG_ERROR) else None
        entry = review_manifest["assessments"][name]
        recorded["assessments"][name] = {
            "status": run.info.status, "verdict": entry["verdict"], "error": entry["error"],
            "tags": {k: v for k, v in run.data.tags.items() if k.startswith("assess.") and k != tracking.TAG_REVIEW_ID},
            "metrics": {k: v for k, v in run.data.metrics.items() if k != "execution_seconds"},
            "params": run.data.params,
            "outputs": sorted(manifest["outputs"]), "inputs": manifest["inputs"], "template": manifest["template"],
            "checks": None if checks is None else (checks["verdict"], checks["inputs"], checks["checks"]),
            "notebook": sorted(a.path for a in client.list_artifacts(run.info.run_id, "notebook")),
        }
    return recorded


def test_jobs_2_records_what_jobs_1_records_and_the_chain_verifies(tiny_project, capsys):
    plan = _three_assessments(tiny_project)
    assert main(["run", str(plan), "--jobs", "1"]) == 2  # `raises` raises
    assert main(["run", str(plan), "--jobs", "2"]) == 2
    client = tracking.client_for(tracking.embedded_uri(tiny_project))
    sequential, parallel = _reviews(client)

    in_order = _what_a_review_recorded(client, sequential, tiny_project / "dl1")
    at_once = _what_a_review_recorded(client, parallel, tiny_project / "dl2")
    assert at_once == in_order
    assert at_once["order"] == PLANNED  # the manifest lists the plan's order, not the order they ended in
    # The failing assessment is recorded as failed with its notebook while the others pass.
    assert at_once["assessments"]["raises"]["status"] == "FAILED"
    assert at_once["assessments"]["raises"]["error"] == "RuntimeError: planted failure for the test"
    assert at_once["assessments"]["raises"]["notebook"] == [
        "notebook/raises.auditor.html", "notebook/raises.html", "notebook/raises.ipynb"]
    assert at_once["assessments"]["row_count"]["verdict"] == at_once["assessments"]["chatters"]["verdict"] == "pass"
    review_manifest = _json_artifact(client, parallel.info.run_id, REVIEW_MANIFEST_PATH, tiny_project / "dl3")
    assert review_manifest["previous_review"]["run_id"] == sequential.info.run_id

    # They did run at the same time: the first two runs to start overlap.
    runs = sorted(_children(client, parallel).values(), key=lambda run: run.info.start_time)
    assert runs[1].info.start_time < runs[0].info.end_time
    # In sequence, each run starts after the one before it ended.
    runs = sorted(_children(client, sequential).values(), key=lambda run: run.info.start_time)
    assert all(later.info.start_time >= earlier.info.end_time for earlier, later in pairwise(runs))

    # The next parallel review starts the assessments that took longest in this one first.
    seconds = {name: run.data.metrics["execution_seconds"] for name, run in _children(client, parallel).items()}
    selected = list(load_plan(plan).subjects["s"].assessments.values())
    order = longest_first(client, parallel.info.experiment_id, "s", "no such run", selected)
    assert [selected[i].spec.name for i in order] == sorted(PLANNED, key=lambda name: -seconds[name])

    uri = tracking.embedded_uri(tiny_project)
    capsys.readouterr()
    assert main(["verify", parallel.info.run_id, "--tracking-uri", uri]) == 0
    assert main(["verify", "--chain", "s", "--tracking-uri", uri]) == 0, capsys.readouterr().out


def test_jobs_must_be_at_least_one(tiny_project, capsys):
    assert main(["run", str(tiny_project / "review.yaml"), "--jobs", "0"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "error: --jobs 0: at least one assessment must run at a time: use --jobs 1 or more"]
    assert not (tiny_project / "mlruns").exists()


def test_a_signal_ends_every_running_kernel_of_a_parallel_review_and_closes_its_runs(tiny_project):
    write_notebook(tiny_project / "notebooks", "sleeps")
    write_notebook(tiny_project / "notebooks", "sleeps_too", body="import time\ntime.sleep(600)")
    plan = tiny_project / "review.yaml"
    plan.write_text(plan.read_text().replace("      raises: {}\n", "      sleeps: {}\n      sleeps_too: {}\n"))
    review = subprocess.Popen([*ASSESS, "run", str(plan), "--jobs", "2"], cwd=tiny_project, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    client = None
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:  # row_count done, both sleepers open (the second starts once row_count ends)
        if any((tiny_project / "reports").glob("s/*/row_count.auditor.html")):
            client = client or tracking.client_for(tracking.embedded_uri(tiny_project))
            experiment = client.get_experiment_by_name(tracking.experiment_name("s"))
            names = {r.data.tags.get(tracking.TAG_ASSESSMENT) for r in client.search_runs([experiment.experiment_id])}
            if {"sleeps", "sleeps_too"} <= names:
                break
        assert review.poll() is None, review.communicate()
        time.sleep(1)
    else:
        review.kill()
        pytest.fail("the sleeping assessments never started")
    time.sleep(5)  # let both kernels reach their sleeping cell
    review.send_signal(signal.SIGTERM)
    started = time.monotonic()
    _, stderr = review.communicate(timeout=120)  # a kernel left running would hold the review for 600 s
    assert time.monotonic() - started < 60
    assert review.returncode == 128 + signal.SIGTERM
    assert "interrupted (SIGINT or SIGTERM) before the review finished" in stderr
    runs = {r.data.tags.get(tracking.TAG_ASSESSMENT) or "review": r
            for r in client.search_runs([experiment.experiment_id])}
    assert runs["row_count"].info.status == "FINISHED"
    for name in ("sleeps", "sleeps_too", "review"):
        assert runs[name].info.status == "KILLED", name
        assert runs[name].data.tags[tracking.TAG_ERROR] == "interrupted (SIGINT or SIGTERM) before the review finished"
