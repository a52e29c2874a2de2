"""A full disk and a read-only mount, for real: a review on a small tmpfs that a notebook fills.

The review must end with one line that names the full disk and the recovery, leave no run
RUNNING after the next command, count none of its partial files as evidence, and let the chain go
on. A disk already too full is refused before any run opens.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_tiny_project
from notebook_factory import write_notebook

from assess import tracking

ASSESS = [sys.executable, "-m", "assess"]

#: The notebook's cell leaves 4 KB free on the disk it runs on; everything written after it fails.
FILLS = '''import os
frame = ctx.load_dataset("train")
ctx.log_metric("rows", len(frame))
disk = os.statvfs(".")
with open("filler.bin", "wb") as out:
    out.write(b"\\0" * max(disk.f_bavail * disk.f_frsize - 4096, 0))
ctx.check("rows", len(frame), 1, ">=", clause="Interim Art. 7(4)")'''


@pytest.fixture
def small_disk(tmp_path):
    """A 96 MB tmpfs mounted for the test (needs root, which CI has)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", str(mount)], capture_output=True, text=True)
    if made.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"mounting a tmpfs failed ({made.stderr.strip()}): CI runs as root and needs it")
        pytest.skip(f"mounting a tmpfs needs root: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _run(project, *args):
    return subprocess.run([*ASSESS, *args], cwd=project, capture_output=True, text=True, timeout=600)


def _runs(project):
    client = tracking.client_for(tracking.embedded_uri(project))
    experiment = client.get_experiment_by_name(tracking.experiment_name("s"))
    return client.search_runs([experiment.experiment_id])


def test_a_disk_that_fills_mid_review_is_one_line_and_the_next_command_closes_the_review(small_disk):
    project = make_tiny_project(small_disk / "project")
    write_notebook(project / "notebooks", "fills", body=FILLS)
    plan = project / "review.yaml"
    plan.write_text(plan.read_text().replace("      raises: {}\n", "      fills: {}\n"), encoding="utf-8")
    first = _run(project, "run", "review.yaml", "--only", "row_count")
    assert first.returncode == 0, first.stderr

    full = _run(project, "run", "review.yaml")

    assert full.returncode == 2, full.stdout + full.stderr
    errors = [line for line in full.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "the disk filled up while the review wrote its evidence" in errors[0], full.stderr
    assert str(project / "reports") in errors[0] and "assess verify --chain s" in errors[0]
    assert "Traceback" not in full.stderr and "JSONDecodeError" not in full.stderr

    (project / "filler.bin").unlink()
    verified = _run(project, "verify", "--chain", "s")
    assert verified.returncode == 0, verified.stdout
    assert "closed review " in verified.stdout or all(r.info.status != "RUNNING" for r in _runs(project))
    runs = _runs(project)
    assert all(r.info.status != "RUNNING" for r in runs)
    reviews = [r for r in runs if r.data.tags.get(tracking.TAG_KIND) == "review"]
    [aborted] = [r for r in reviews if r.data.tags.get(tracking.TAG_ABORTED) == "true"]
    assert aborted.info.status == "FAILED" and aborted.data.tags[tracking.TAG_VERDICT] == "error"
    # The aborted review wrote no review manifest: whatever it left half-written is never counted.
    assert "evidence/review_manifest.json" not in {a.path for a in tracking.client_for(
        tracking.embedded_uri(project)).list_artifacts(aborted.info.run_id, "evidence")}

    after = _run(project, "run", "review.yaml", "--only", "row_count")
    assert after.returncode == 0, after.stderr
    chain = _run(project, "verify", "--chain", "s")
    assert chain.returncode == 0 and chain.stdout.strip().endswith("OK: 4 run(s) checked, 0 problem(s)"), chain.stdout


def test_a_disk_too_full_to_start_is_refused_before_any_run(small_disk):
    project = make_tiny_project(small_disk / "project")
    filler = small_disk / "filler.bin"
    with open(filler, "wb") as out:  # leave about 10 MB of the 96
        out.write(b"\0" * (shutil.disk_usage(small_disk).free - (10 << 20)))

    refused = _run(project, "run", "review.yaml")

    assert refused.returncode == 2
    assert "the review did not start" in refused.stderr and "no run was opened" in refused.stderr
    assert f"reports folder {project / 'reports'} is on a disk with" in refused.stderr
    assert "less than the 50.0 MB a review needs: free space there (or set ASSESS_MIN_FREE_MB)" in refused.stderr
    assert not (project / "mlruns").exists() or not _runs(project)
    allowed = subprocess.run([*ASSESS, "run", "review.yaml", "--only", "row_count"], cwd=project, capture_output=True,
                             text=True, timeout=600, env={**os.environ, "ASSESS_MIN_FREE_MB": "5"})
    assert allowed.returncode == 0, allowed.stderr
    assert Path(project / "reports" / "index.html").exists()


def test_a_reports_folder_on_a_read_only_mount_is_found_before_any_run(small_disk, tmp_path):
    # A read-only mount refuses root too, unlike a chmod; os.access() would still say yes.
    project = make_tiny_project(tmp_path / "project")
    reports = project / "reports"
    reports.mkdir()
    subprocess.run(["mount", "--bind", str(small_disk), str(reports)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(reports)], check=True)
        refused = _run(project, "run", "review.yaml")
    finally:
        subprocess.run(["umount", "-l", str(reports)], check=False)

    assert refused.returncode == 2
    lines = refused.stderr.strip().splitlines()
    assert lines[0] == "error: the review did not start (1 problem; no run was opened):"
    assert lines[1].strip() == (f"reports folder {reports} is not writable (Read-only file system): make it writable or "
                                "set reports_dir in the plan")
    assert not (project / "mlruns").exists()
