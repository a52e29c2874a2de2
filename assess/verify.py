"""Verifying stored evidence: one assessment run, or a whole review and its assessments."""

from __future__ import annotations

from assess import tracking
from assess.manifest import MANIFEST_PATH, REVIEW_MANIFEST_PATH, load_json_artifact, sha256_json, verify_run


def verify_review(client, run_id: str) -> tuple[list[str], int]:
    """Check a review's manifest against its assessments' manifests, then each assessment run."""
    manifest = load_json_artifact(client, run_id, REVIEW_MANIFEST_PATH)
    if manifest is None:
        return [f"{run_id}: {REVIEW_MANIFEST_PATH} is missing"], 1
    problems, checked = [], 1
    for name, entry in manifest.get("assessments", {}).items():
        child = load_json_artifact(client, entry["run_id"], MANIFEST_PATH)
        if child is None:
            problems.append(f"{entry['run_id']} ({name}): {MANIFEST_PATH} is missing")
        elif sha256_json(child) != entry.get("manifest_sha256"):
            problems.append(f"{entry['run_id']} ({name}): manifest differs from the one the review recorded")
        result = verify_run(client, entry["run_id"])
        problems.extend(line + f" ({name})" for line in result.lines() if child is not None or "manifest.json is missing" not in line)
        checked += 1
    return problems, checked


def verify_any(client, run_id: str) -> tuple[list[str], int]:
    """Verify a run by kind: a review verifies everything below it."""
    run = client.get_run(run_id)
    if run.data.tags.get(tracking.TAG_KIND) == "review":
        return verify_review(client, run_id)
    return verify_run(client, run_id).lines(), 1
