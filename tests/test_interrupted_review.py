"""An interrupted review leaves no run RUNNING: SIGTERM and SIGINT close them (KILLED), with the reason."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from assess import tracking

ASSESS = [sys.executable, "-m", "assess"]


def _runs(project):
    client = tracking.client_for(tracking.embedded_uri(project))
    experiment = client.get_experiment_by_name("assess/s")
    return [] if experiment is None else client.search_runs([experiment.experiment_id])


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130)])
def test_a_signal_mid_review_closes_every_run_of_the_review(tiny_project, signum, code):
    from notebook_factory import write_notebook

    write_notebook(tiny_project / "notebooks", "sleeps")
    plan = tiny_project / "review.yaml"
    plan.write_text(plan.read_text().replace("      raises: {}\n", "      sleeps: {}\n"))
    review = subprocess.Popen([*ASSESS, "run", str(plan)], cwd=tiny_project, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:  # wait until the sleeping notebook's run is open
        # Opening the store only once a report exists keeps this test clear of the review's own migrations.
        if any((tiny_project / "reports").glob("s/*/row_count.auditor.html")) and any(
                r.data.tags.get(tracking.TAG_ASSESSMENT) == "sleeps" for r in _runs(tiny_project)):
            break
        time.sleep(1)
    else:
        review.kill()
        pytest.fail("the sleeping assessment never started")
    time.sleep(3)  # let papermill reach the sleeping cell
    review.send_signal(signum)
    _, stderr = review.communicate(timeout=120)
    assert review.returncode == code
    assert "interrupted (SIGINT or SIGTERM) before the review finished" in stderr
    runs = _runs(tiny_project)
    assert {r.info.status for r in runs} <= {"FINISHED", "KILLED"}
    by_kind = {r.data.tags.get(tracking.TAG_ASSESSMENT) or "review": r for r in runs}
    assert by_kind["row_count"].info.status == "FINISHED"
    for name in ("sleeps", "review"):
        assert by_kind[name].info.status == "KILLED"
        assert by_kind[name].data.tags[tracking.TAG_ERROR] == "interrupted (SIGINT or SIGTERM) before the review finished"


def test_after_a_sigkill_the_next_run_closes_the_review_and_the_chain_heals_yet_detects_tampering(tiny_project):
    import os
    from pathlib import Path
    from urllib.parse import urlparse

    from notebook_factory import write_notebook

    from assess.manifest import REVIEW_MANIFEST_PATH

    plan = tiny_project / "review.yaml"
    first = subprocess.run([*ASSESS, "run", str(plan), "--only", "row_count"], cwd=tiny_project, capture_output=True)
    assert first.returncode == 0
    write_notebook(tiny_project / "notebooks", "sleeps")
    plan.write_text(plan.read_text().replace("      raises: {}\n", "      sleeps: {}\n"))
    killed = subprocess.Popen([*ASSESS, "run", str(plan), "--only", "sleeps"], cwd=tiny_project,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 180
    while not any(r.data.tags.get(tracking.TAG_ASSESSMENT) == "sleeps" for r in _runs(tiny_project)):
        assert time.monotonic() < deadline, "the sleeping assessment never started"
        time.sleep(1)
    os.killpg(killed.pid, signal.SIGKILL)  # the review and its kernel: nothing can close the runs
    killed.wait(timeout=60)
    assert "RUNNING" in {r.info.status for r in _runs(tiny_project)}

    again = subprocess.run([*ASSESS, "run", str(plan), "--only", "row_count"], cwd=tiny_project,
                           capture_output=True, text=True)
    assert again.returncode == 0
    assert "as FAILED: its process ended without closing it" in again.stderr
    runs = _runs(tiny_project)
    assert "RUNNING" not in {r.info.status for r in runs}
    reviews = sorted((r for r in runs if r.data.tags.get(tracking.TAG_KIND) == "review"), key=lambda r: r.info.start_time)
    assert [r.info.status for r in reviews] == ["FINISHED", "FAILED", "FINISHED"]
    assert reviews[1].data.tags[tracking.TAG_ABORTED] == "true"
    healed = subprocess.run([*ASSESS, "verify", "--chain", "s"], cwd=tiny_project, capture_output=True, text=True)
    assert healed.returncode == 0, healed.stdout

    oldest = reviews[0]
    manifest = Path(urlparse(oldest.info.artifact_uri).path) / REVIEW_MANIFEST_PATH
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"pass"', '"fail"'), encoding="utf-8")
    tampered = subprocess.run([*ASSESS, "verify", "--chain", "s"], cwd=tiny_project, capture_output=True, text=True)
    assert tampered.returncode == 1
    assert f"{oldest.info.run_id}: review manifest altered since review" in tampered.stdout
