"""The team set-up: reviews on an `mlflow server` whose runs live in PostgreSQL and whose artifacts it
serves itself (--serve-artifacts). Reviewed, verified, chained, exported and verified as a bundle elsewhere.

CI runs this: without PostgreSQL's server binaries it fails and says how to install them, never skips.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

import pytest
from postgres_server import MISSING, running_postgres, server_binaries
from tracking_server import running_mlflow_server

from assess import tracking

ASSESS = [sys.executable, "-m", "assess"]


@pytest.fixture
def postgres_mlflow_server(tmp_path):
    """(port, database URI, artifacts folder) of an mlflow server on a fresh PostgreSQL database."""
    if server_binaries() is None:
        pytest.fail(MISSING)
    with running_postgres() as database, running_mlflow_server(tmp_path / "server", database) as (port, _):
        yield port, database, tmp_path / "server" / "artifacts"


def _assess(*args, cwd, env):
    return subprocess.run([*ASSESS, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_reviews_on_a_server_with_postgresql_verify_chain_and_export(tiny_project, postgres_mlflow_server, tmp_path):
    import psycopg

    port, database, artifacts = postgres_mlflow_server
    log = tmp_path / "evidence.log"
    env = {**os.environ, "MLFLOW_TRACKING_URI": f"http://127.0.0.1:{port}", "ASSESS_EVIDENCE_LOG": str(log)}
    for _ in range(2):  # two reviews: the second links to the first through the server
        reviewed = _assess("run", "review.yaml", "--only", "row_count", cwd=tiny_project, env=env)
        assert reviewed.returncode == 0, reviewed.stdout + reviewed.stderr
    assert not (tiny_project / "mlruns").exists()  # no embedded store was made

    client = tracking.client_for(f"http://127.0.0.1:{port}")
    experiment = client.get_experiment_by_name(tracking.experiment_name("s"))
    first, latest = client.search_runs([experiment.experiment_id], f"tags.`{tracking.TAG_KIND}` = 'review'",
                                       order_by=["attributes.start_time ASC"])
    verified = _assess("verify", latest.info.run_id, cwd=tiny_project, env=env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    chain = _assess("verify", "--chain", "s", "--log", str(log), cwd=tiny_project, env=env)
    assert chain.returncode == 0, chain.stdout + chain.stderr
    assert "OK: 4 run(s) checked, 0 problem(s)" in chain.stdout

    exported = _assess("export", "s", "--out", str(tmp_path / "bundle.zip"), cwd=tiny_project, env=env)
    assert exported.returncode == 0, exported.stdout + exported.stderr
    auditor = tmp_path / "auditor"  # another folder, no store: only the bundle
    auditor.mkdir()
    alone = {k: v for k, v in os.environ.items() if k not in ("MLFLOW_TRACKING_URI", "ASSESS_EVIDENCE_LOG")}
    bundle = _assess("verify", "--bundle", str(tmp_path / "bundle.zip"), cwd=auditor, env=alone)
    assert bundle.returncode == 0, bundle.stdout + bundle.stderr
    assert "OK: 2 run(s) checked, 0 problem(s)" in bundle.stdout
    with zipfile.ZipFile(tmp_path / "bundle.zip") as archive:
        assert json.loads(archive.read("summary.json"))["review_id"] == latest.data.tags[tracking.TAG_REVIEW_ID]

    # The evidence really is in PostgreSQL, and its artifacts in the server's artifact root.
    with psycopg.connect(database) as connection, connection.cursor() as cursor:
        cursor.execute("select r.run_uuid, r.status from runs r join tags t on t.run_uuid = r.run_uuid "
                       "where t.key = %s and t.value = 'review' order by r.start_time", (tracking.TAG_KIND,))
        assert cursor.fetchall() == [(first.info.run_id, "FINISHED"), (latest.info.run_id, "FINISHED")]
        cursor.execute("select m.value from metrics m join tags t on t.run_uuid = m.run_uuid "
                       "where m.key = 'rows' and t.key = %s and t.value = %s", (tracking.TAG_REVIEW_ID,
                                                                               latest.data.tags[tracking.TAG_REVIEW_ID]))
        assert cursor.fetchall() == [(3.0,)]
    assert list(artifacts.rglob(f"{latest.info.run_id}/artifacts/evidence/review_manifest.json"))
