"""Cadence: when each planned assessment was last reviewed and when it is due again.

Read from the MLflow store, so ``assess due`` answers the same on a laptop and in CI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from assess import tracking


@dataclass
class DueStatus:
    """One subject x assessment line of ``assess due``."""

    subject: str
    assessment: str
    every_days: int | None
    last_review: datetime | None
    last_verdict: str | None
    next_due: datetime | None

    @property
    def never_reviewed(self) -> bool:
        return self.last_review is None

    def overdue(self, now: datetime) -> bool:
        """Never reviewed, or past its due date."""
        return self.never_reviewed or (self.next_due is not None and self.next_due <= now)


def last_assessment_run(client, subject: str, assessment: str):
    """The latest completed review run of ``assessment`` for ``subject`` (FINISHED or FAILED), or None."""
    if client is None:  # no store yet: nothing was ever reviewed
        return None
    experiment = client.get_experiment_by_name(tracking.experiment_name(subject))
    if experiment is None:
        return None
    runs = client.search_runs(
        [experiment.experiment_id],
        filter_string=(f"tags.`{tracking.TAG_ASSESSMENT}` = '{assessment}' and tags.`{tracking.TAG_SUBJECT}` = '{subject}' "
                       f"and tags.`{tracking.TAG_KIND}` = 'assessment'"),
        order_by=["attributes.start_time DESC"],
        max_results=5,
    )
    return next((r for r in runs if r.info.status in ("FINISHED", "FAILED")), None)


def due_status(client, plan, subjects: list[str] | None = None) -> list[DueStatus]:
    """The due status of every planned assessment of the selected subjects (``client`` None: no store yet)."""
    lines = []
    for name in subjects or list(plan.subjects):
        subject = plan.subject(name)
        for assessment_name, assessment in subject.assessments.items():
            run = last_assessment_run(client, name, assessment_name)
            last = datetime.fromtimestamp(run.info.start_time / 1000, tz=timezone.utc) if run else None
            every = assessment.every.days if assessment.every else None
            next_due = last + timedelta(days=every) if (last and every) else None
            verdict = run.data.tags.get(tracking.TAG_VERDICT) if run else None
            lines.append(DueStatus(name, assessment_name, every, last, verdict, next_due))
    return lines


def due_assessments(plan, tracking_uri: str | None = None, now: datetime | None = None) -> dict[str, set[str]]:
    """Subject -> the assessments that are due now (never reviewed or past due)."""
    client, _ = tracking.read_only_client(tracking_uri, plan.root, plan.tracking_uri)
    now = now or datetime.now(timezone.utc)
    due: dict[str, set[str]] = {name: set() for name in plan.subjects}
    for line in due_status(client, plan):
        if line.overdue(now):
            due[line.subject].add(line.assessment)
    return due
