"""Only reviewed runs are baselines: an ad-hoc notebook run never becomes the next review's reference."""

from __future__ import annotations

import time

from assess import tracking


def test_the_baseline_is_the_latest_reviewed_run_not_an_ad_hoc_one(tmp_path):
    client = tracking.client_for(tracking.embedded_uri(tmp_path))
    experiment = tracking.ensure_experiment(client, tracking.experiment_name("s"))
    tags = {tracking.TAG_SUBJECT: "s", tracking.TAG_ASSESSMENT: "data_quality", tracking.TAG_KIND: "assessment"}

    def finished(run):
        client.set_terminated(run.info.run_id, "FINISHED")
        time.sleep(0.01)  # distinct start times
        return run

    review = finished(client.create_run(experiment, tags={tracking.TAG_KIND: "review", tracking.TAG_SUBJECT: "s"}))
    reviewed = finished(client.create_run(experiment, tags={**tags, "mlflow.parentRunId": review.info.run_id}))
    finished(client.create_run(experiment, tags=tags))  # ad hoc: papermill on the notebook, no review
    not_a_review = finished(client.create_run(experiment, tags={tracking.TAG_KIND: "demo-build"}))
    finished(client.create_run(experiment, tags={**tags, "mlflow.parentRunId": not_a_review.info.run_id}))
    failed = client.create_run(experiment, tags={**tags, "mlflow.parentRunId": review.info.run_id})
    client.set_terminated(failed.info.run_id, "FAILED")
    time.sleep(0.01)
    current = client.create_run(experiment, tags={**tags, "mlflow.parentRunId": review.info.run_id})
    previous = tracking.previous_assessment_run(client, client.get_run(current.info.run_id), "s", "data_quality")
    assert previous.info.run_id == reviewed.info.run_id
    assert tracking.previous_assessment_run(client, client.get_run(reviewed.info.run_id), "s", "data_quality") is None
