"""What an embedded store holds, for tests that assert a failed command changed nothing."""

from __future__ import annotations

from assess import tracking


def store_snapshot(project) -> dict | None:
    """Every run of ``project``'s embedded store with its status, end time, tags, params and metrics
    (metrics as text, so that a NaN compares equal to itself); None when there is no store."""
    if not (project / "mlruns" / "mlflow.db").exists():
        return None
    client = tracking.client_for(tracking.embedded_uri(project))
    return {
        run.info.run_id: (run.info.status, run.info.end_time, dict(run.data.tags), dict(run.data.params),
                          {name: repr(value) for name, value in run.data.metrics.items()})
        for experiment in client.search_experiments()
        for run in client.search_runs([experiment.experiment_id])
    }
