"""Registry verdicts: the reviewed model version carries its last review; a deployment gate reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

TAG_REVIEW_ID = "assess.last_review_id"
TAG_REVIEW_RUN = "assess.last_review_run_id"
TAG_REVIEW_DATE = "assess.last_review_date"
TAG_REVIEW_VERDICT = "assess.last_review_verdict"
TAG_NEXT_DUE = "assess.next_review_due"

EXIT_OK, EXIT_BLOCKED, EXIT_OVERDUE = 0, 1, 3
_MODELS_URI = re.compile(r"^models:/(?P<name>[^/@]+)(?:/(?P<version>[^/]+)|@(?P<alias>[^/]+))$")


def resolve_model_version(client, uri: str):
    """The registered ``ModelVersion`` a ``models:/`` URI points at now, or None for other URIs."""
    match = _MODELS_URI.match(uri)
    if not match:
        return None
    name, version, alias = match.group("name"), match.group("version"), match.group("alias")
    if alias:
        return client.get_model_version_by_alias(name, alias)
    if version and version != "latest":
        return client.get_model_version(name, version)
    versions = client.search_model_versions(f"name = '{name}'", order_by=["version_number DESC"], max_results=1)
    return versions[0] if versions else None


def planned_model_tags(client, subject, review, when: datetime) -> list[dict]:
    """The tags a review gives each registered model version of ``subject``: its id, run, date, verdict, next due.

    The review manifest records them before they are set, so `assess verify` can check a version's
    tags against the review they name.

    Returns
    -------
    list of dict
        ``{"name": ..., "version": ..., "tags": {...}}`` per registered version (unregistered models carry none).
    """
    cadences = [a.every.days for a in subject.assessments.values() if a.every]
    next_due = (when + timedelta(days=min(cadences))).isoformat(timespec="seconds") if cadences else ""
    planned = []
    for model in subject.models.values():
        try:
            version = resolve_model_version(client, model.uri)
        except Exception:  # noqa: BLE001 - an unregistered model cannot carry tags; the review says so
            version = None
        if version is None or any(p["name"] == version.name and p["version"] == str(version.version) for p in planned):
            continue
        planned.append({"name": version.name, "version": str(version.version), "tags": {
            TAG_REVIEW_ID: review.review_id, TAG_REVIEW_RUN: review.run_id,
            TAG_REVIEW_DATE: when.isoformat(timespec="seconds"), TAG_REVIEW_VERDICT: review.verdict, TAG_NEXT_DUE: next_due}})
    return planned


def apply_model_tags(client, planned: list[dict]) -> list[str]:
    """Set the tags :func:`planned_model_tags` chose; return ``name/version`` of each tagged version."""
    for entry in planned:
        for key, value in entry["tags"].items():
            client.set_model_version_tag(entry["name"], entry["version"], key, value)
    return [f"{entry['name']}/{entry['version']}" for entry in planned]


@dataclass
class GateDecision:
    """What ``assess gate`` decided for one model version."""

    code: int
    message: str


def decide(client, uri: str, now: datetime | None = None) -> GateDecision:
    """Pass a model version only if its latest review verifies, did not fail and is not overdue."""
    from assess.errors import InputError

    now = now or datetime.now(timezone.utc)
    try:
        version = resolve_model_version(client, uri)
    except Exception as exc:  # noqa: BLE001 - unknown model or version
        raise InputError(f"model {uri} is not in the registry of {client.tracking_uri} ({str(exc).splitlines()[0][:120]}): check the URI") from None
    if version is None:
        raise InputError(f"{uri} is not a registered model URI (models:/NAME/VERSION, models:/NAME/latest or models:/NAME@ALIAS)")
    label = f"{version.name} version {version.version}"
    tags = version.tags or {}
    verdict = tags.get(TAG_REVIEW_VERDICT)
    if verdict is None:
        return GateDecision(EXIT_BLOCKED, f"BLOCKED: {label} has never been reviewed: run `assess run`")
    review = f"review {tags.get(TAG_REVIEW_ID)} of {tags.get(TAG_REVIEW_DATE, '?')[:10]}"
    from assess.verify import model_version_evidence

    # The tags are only as good as the evidence behind them: an edited tag or store fails closed.
    evidence = model_version_evidence(client, version)
    if evidence.problems:
        return GateDecision(EXIT_BLOCKED, f"BLOCKED: {label}: the evidence of {review} does not verify "
                            f"({evidence.problems[0]}; {len(evidence.problems)} problem(s)): run `assess verify "
                            f"{tags.get(TAG_REVIEW_RUN, '--chain SUBJECT')}`")
    if verdict in ("fail", "error"):
        return GateDecision(EXIT_BLOCKED, f"BLOCKED: {label}: the latest {review} ended {verdict.upper()}")
    due = tags.get(TAG_NEXT_DUE)
    if due and datetime.fromisoformat(due) <= now:
        return GateDecision(EXIT_OVERDUE, f"BLOCKED: {label}: the next review was due {due[:10]} ({review} is too old)")
    return GateDecision(EXIT_OK, f"OK: {label}: {review} ended {verdict.upper()}; next due {due[:10] if due else 'not scheduled'}")
