"""Concurrent reviews of one embedded store: real `assess run` processes on one sqlite store."""

from __future__ import annotations

import os
import subprocess
import sys

from assess import tracking
from assess.reports import review_runs

ASSESS = [sys.executable, "-m", "assess"]


def test_four_parallel_reviews_are_distinct_and_the_chain_verifies(tiny_project):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    plan = str(tiny_project / "review.yaml")
    processes = [subprocess.Popen([*ASSESS, "run", plan, "--only", "row_count"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for _ in range(4)]
    outputs = [p.communicate(timeout=300)[0] for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], outputs

    client = tracking.client_for(tracking.embedded_uri(tiny_project))
    reviews = review_runs(client, "s")
    ids = {r.data.tags[tracking.TAG_REVIEW_ID] for r in reviews}
    assert len(reviews) == 4 and len(ids) == 4
    assert all(r.info.status == "FINISHED" for r in reviews)
    # Each review its own output folder with its own executed notebook.
    assert {p.name for p in (tiny_project / "reports" / "s").iterdir() if p.is_dir()} == ids
    for review_id in ids:
        assert (tiny_project / "reports" / "s" / review_id / "row_count.ipynb").is_file()

    verified = subprocess.run([*ASSESS, "verify", "--chain", "s"], cwd=tiny_project, env=env,
                              capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "OK: 8 run(s) checked" in verified.stdout
