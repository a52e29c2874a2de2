"""Verifying stored evidence: one assessment run, a whole review, or a subject's chain of reviews.

Each review's manifest records the hash of every assessment manifest and of the previous review's
manifest, so altering, deleting or dropping a review breaks a link that :func:`verify_chain` finds.
"""

from __future__ import annotations

from assess import tracking
from assess.manifest import (
    MANIFEST_PATH,
    REVIEW_MANIFEST_PATH,
    REVIEW_SIGNATURE_PATH,
    canonical_json,
    load_json_artifact,
    sha256_json,
    verify_run,
)


def signatures_required() -> bool:
    """True when a verification key is configured: then every review manifest must carry a valid signature.

    Raises
    ------
    InputError
        The configured key is not a key (exit 2: a broken key is not evidence of tampering).
    """
    from assess.signing import public_key

    return public_key() is not None


def verify_review(client, run_id: str, *, require_signature: bool | None = None) -> tuple[list[str], int]:
    """Check a review's manifest (and signature) against its assessments, then each assessment run.

    With a verification key configured (``require_signature`` None: as configured), a review
    without a signature fails: deleting the signature file must not turn a rewritten review into
    an unsigned, and so unchecked, one.
    """
    manifest = load_json_artifact(client, run_id, REVIEW_MANIFEST_PATH)
    if manifest is None:
        return [f"{run_id}: {REVIEW_MANIFEST_PATH} is missing (review artifacts deleted?)"], 1
    problems, checked = [], 1
    if require_signature is None:
        require_signature = signatures_required()
    signature = load_json_artifact(client, run_id, REVIEW_SIGNATURE_PATH)
    if signature is not None:
        from assess.signing import check

        if check(canonical_json(manifest), signature) == "invalid":
            problems.append(f"{run_id}: the review manifest's Ed25519 signature does not verify")
    elif require_signature:
        problems.append(f"{run_id}: {REVIEW_SIGNATURE_PATH} is missing, but a verify key is configured: the signature "
                        "was deleted, or the review was made without a signing key (verify it without the key)")
    for name, entry in manifest.get("assessments", {}).items():
        child = load_json_artifact(client, entry["run_id"], MANIFEST_PATH)
        if child is None:
            problems.append(f"{entry['run_id']}: {MANIFEST_PATH} is missing ({name})")
            checked += 1
            continue
        if sha256_json(child) != entry.get("manifest_sha256"):
            problems.append(f"{entry['run_id']}: manifest differs from the one the review recorded ({name})")
        problems.extend(f"{line} ({name})" for line in verify_run(client, entry["run_id"]).lines())
        checked += 1
    return problems, checked


def verify_any(client, run_id: str) -> tuple[list[str], int]:
    """Verify a run by kind: a review verifies everything below it."""
    run = client.get_run(run_id)
    if run.data.tags.get(tracking.TAG_KIND) == "review":
        return verify_review(client, run_id)
    return verify_run(client, run_id).lines(), 1


def _run_or_none(client, run_id: str):
    try:
        run = client.get_run(run_id)
    except Exception:  # noqa: BLE001 - MlflowException: the run is gone
        return None
    return None if run.info.lifecycle_stage == "deleted" else run


def verify_chain(client, subject: str) -> tuple[list[str], int]:
    """Walk a subject's reviews from the newest back: every link, every review, every assessment."""
    from assess.reports import review_runs

    # Reviews chain in the order they completed; a review still running is not evidence yet. An
    # aborted review wrote no manifest: the next review's manifest names it as a gap and links past it.
    ended = sorted((r for r in review_runs(client, subject) if r.info.status != "RUNNING"),
                   key=lambda r: r.info.end_time or 0, reverse=True)
    aborted = {r.info.run_id: r for r in ended if r.data.tags.get(tracking.TAG_ABORTED) == "true"}
    reviews = [r for r in ended if r.info.run_id not in aborted]
    if not reviews and not aborted:
        return [f"subject {subject}: no review recorded"], 0
    problems, checked, named = [], 0, set()
    require_signature = signatures_required()
    for position, review in enumerate(reviews):
        run_id = review.info.run_id
        found, count = verify_review(client, run_id, require_signature=require_signature)
        problems.extend(found)
        checked += count
        manifest = load_json_artifact(client, run_id, REVIEW_MANIFEST_PATH)
        if manifest is None:
            continue
        named.update(gap["run_id"] for gap in manifest.get("aborted_since_previous", []))
        link = manifest.get("previous_review")
        older = reviews[position + 1] if position + 1 < len(reviews) else None
        if link is None:
            if older is not None:
                problems.append(f"{run_id}: records no previous review, but review {older.info.run_id} is older")
            continue
        previous = _run_or_none(client, link["run_id"])
        if previous is None:
            problems.append(f"{run_id}: its previous review {link['run_id']} ({link.get('review_id')}) is missing or deleted")
            continue
        if older is None or older.info.run_id != link["run_id"]:
            problems.append(f"{run_id}: its previous review {link['run_id']} is not the next older review in the store")
        previous_manifest = load_json_artifact(client, link["run_id"], REVIEW_MANIFEST_PATH)
        if previous_manifest is not None and sha256_json(previous_manifest) != link.get("manifest_sha256"):
            problems.append(f"{link['run_id']}: review manifest altered since review {run_id} recorded its hash")
    newest = reviews[0].info.end_time if reviews else 0
    for run_id, run in aborted.items():  # an aborted review older than the newest must be named as a gap
        if run_id not in named and (run.info.end_time or 0) < (newest or 0):
            problems.append(f"{run_id}: aborted review {run.data.tags.get(tracking.TAG_REVIEW_ID)} is named as a gap "
                            "by no later review (its aborted tag was added after the fact?)")
    return problems, checked
