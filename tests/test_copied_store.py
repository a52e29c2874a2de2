"""A store belongs to its folder: a copied project verifies on its own and writes only into itself."""

from __future__ import annotations

import shutil
import subprocess
import sys

from assess import tracking

ASSESS = [sys.executable, "-m", "assess"]


def files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_a_copied_project_verifies_without_the_original_and_never_writes_into_it(tiny_project, tmp_path_factory):
    run = [*ASSESS, "run", "review.yaml", "--only", "row_count"]
    assert subprocess.run(run, cwd=tiny_project, capture_output=True).returncode == 0
    copy = tmp_path_factory.mktemp("handed-over") / "project"
    shutil.copytree(tiny_project, copy)
    original_artifacts = files(tiny_project / "mlruns" / "artifacts")
    # The copy's second review writes into the copy, not into the original folder.
    result = subprocess.run(run, cwd=copy, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert files(tiny_project / "mlruns" / "artifacts") == original_artifacts
    client = tracking.client_for(tracking.embedded_uri(copy))
    for review in client.search_runs([client.get_experiment_by_name(tracking.experiment_name("s")).experiment_id]):
        assert review.info.artifact_uri.startswith((copy / "mlruns").resolve().as_uri())
    # With the original gone, the copy's whole chain still verifies.
    shutil.rmtree(tiny_project)
    verified = subprocess.run([*ASSESS, "verify", "--chain", "s"], cwd=copy, capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "OK:" in verified.stdout
