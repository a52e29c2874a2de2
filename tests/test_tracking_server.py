"""A review against a real `mlflow server` on 127.0.0.1 instead of the embedded store, with a
password in the tracking URI: the review works, and the password is in no output."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from tracking_server import running_mlflow_server

from assess import tracking

PASSWORD = "PLANTED-pw-7f3a"


@pytest.fixture
def mlflow_server(tmp_path):
    server_dir = tmp_path / "server"
    with running_mlflow_server(server_dir) as (port, process):
        yield port, server_dir, process


def test_a_review_on_a_tracking_server_keeps_its_credentials_out_of_every_output(tiny_project, mlflow_server):
    port, server_dir, _ = mlflow_server
    env = {**os.environ, "MLFLOW_TRACKING_URI": f"http://assessor:{PASSWORD}@127.0.0.1:{port}"}
    result = subprocess.run([sys.executable, "-m", "assess", "run", "review.yaml", "--only", "row_count"],
                            cwd=tiny_project, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (tiny_project / "mlruns").exists()  # the server's store was used, not an embedded one
    client = tracking.client_for(f"http://127.0.0.1:{port}")
    experiment = client.get_experiment_by_name(tracking.experiment_name("s"))
    [review] = client.search_runs([experiment.experiment_id], f"tags.`{tracking.TAG_KIND}` = 'review'")
    assert review.info.status == "FINISHED"
    verified = subprocess.run([sys.executable, "-m", "assess", "verify", review.info.run_id], cwd=tiny_project, env=env,
                              capture_output=True, text=True, timeout=300)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    leaks = [str(path) for folder in (tiny_project, server_dir) for path in folder.rglob("*")
             if path.is_file() and PASSWORD.encode() in path.read_bytes()]
    assert leaks == []
    assert PASSWORD not in result.stdout + result.stderr + verified.stdout + verified.stderr
    for run in client.search_runs([experiment.experiment_id]):
        assert not any(PASSWORD in str(v) for v in (*run.data.tags.values(), *run.data.params.values()))


def test_a_server_lost_mid_review_fails_within_a_minute_with_one_line(tiny_project, mlflow_server):
    from notebook_factory import write_notebook

    port, server_dir, server = mlflow_server
    write_notebook(tiny_project / "notebooks", "naps")
    plan = tiny_project / "review.yaml"
    plan.write_text(plan.read_text().replace("      raises: {}\n", "      raises: {}\n      naps: {}\n"))
    env = {**os.environ, "MLFLOW_TRACKING_URI": f"http://127.0.0.1:{port}"}
    review = subprocess.Popen([sys.executable, "-m", "assess", "run", "review.yaml", "--only", "naps"], cwd=tiny_project,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    client = tracking.client_for(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 180
    while True:  # wait until the notebook is napping: its first metric is on the server
        experiment = client.get_experiment_by_name(tracking.experiment_name("s"))
        runs = client.search_runs([experiment.experiment_id], "metrics.before_nap = 1") if experiment else []
        if runs:
            break
        assert review.poll() is None and time.monotonic() < deadline, review.communicate()
        time.sleep(0.5)
    server.terminate()
    server.wait(timeout=30)
    lost = time.monotonic()
    stdout, stderr = review.communicate(timeout=300)
    assert time.monotonic() - lost < 60, stderr
    assert review.returncode != 0
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert errors and f"the tracking server http://127.0.0.1:{port} stopped answering" in errors[-1], stderr
    assert "Traceback" not in stderr
