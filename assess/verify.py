"""Verifying stored evidence: one assessment run, a whole review, or a subject's chain of reviews.

Each review's manifest records the hash of every assessment manifest and of the previous review's
manifest, so altering, deleting or dropping a review breaks a link that :func:`verify_chain` finds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from assess import tracking
from assess.gate import TAG_REVIEW_ID, TAG_REVIEW_RUN
from assess.manifest import (
    MANIFEST_PATH,
    REVIEW_MANIFEST_PATH,
    REVIEW_SIGNATURE_PATH,
    canonical_json,
    sha256_file,
    sha256_json,
    verify_run,
)
from assess.record import record_differences


def signatures_required() -> bool:
    """True when a verification key is configured: then every review manifest must carry a valid signature.

    Raises
    ------
    InputError
        The configured key is not a key (exit 2: a broken key is not evidence of tampering).
    """
    from assess.signing import public_key

    return public_key() is not None


@dataclass
class VerifyReport:
    """What a verification found: problems (exit 1), notes (informative only) and how many runs it checked."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checked: int = 0

    def add(self, other: "VerifyReport") -> None:
        self.problems.extend(other.problems)
        self.notes.extend(other.notes)
        self.checked += other.checked


def verify_review(source, run_id: str, *, require_signature: bool | None = None) -> VerifyReport:
    """Check a review's manifest (and signature) against its run, its assessments, its model tags and reports.

    With a verification key configured (``require_signature`` None: as configured), a review
    without a signature fails: deleting the signature file must not turn a rewritten review into
    an unsigned, and so unchecked, one.

    Parameters
    ----------
    source : StoreEvidence, BundleEvidence or mlflow.MlflowClient
        Where the evidence is (see :mod:`assess.sources`); a client means its store, reports unchecked.
    run_id : str
        The review (parent) run.

    Returns
    -------
    VerifyReport
    """
    source = _as_source(source)
    report = VerifyReport(checked=1)
    manifest = load_or_corrupt(source, run_id, REVIEW_MANIFEST_PATH, report.problems)
    if manifest is None:
        report.problems.append(f"{run_id}: {REVIEW_MANIFEST_PATH} is missing (review artifacts deleted?)")
        return report
    if manifest is CORRUPT:
        return report
    if require_signature is None:
        require_signature = signatures_required()
    signature = load_or_corrupt(source, run_id, REVIEW_SIGNATURE_PATH, report.problems)
    if signature is CORRUPT:
        signature, require_signature = None, False  # named above
    if signature is not None:
        from assess.signing import check

        if check(canonical_json(manifest), signature) == "invalid":
            report.problems.append(f"{run_id}: the review manifest's Ed25519 signature does not verify")
    elif require_signature:
        report.problems.append(f"{run_id}: {REVIEW_SIGNATURE_PATH} is missing, but a verify key is configured: the "
                               "signature was deleted, or the review was made without a signing key (verify it without the key)")
    for name, entry in manifest.get("assessments", {}).items():
        report.checked += 1
        child = load_or_corrupt(source, entry["run_id"], MANIFEST_PATH, report.problems)
        if child is None:
            report.problems.append(f"{entry['run_id']}: {MANIFEST_PATH} is missing ({name})")
            continue
        if child is CORRUPT:
            continue
        if sha256_json(child) != entry.get("manifest_sha256"):
            report.problems.append(f"{entry['run_id']}: manifest differs from the one the review recorded ({name})")
        run = verify_run(source, entry["run_id"])
        report.problems.extend(f"{line} ({name})" for line in run.lines())
        report.problems.extend(run.changed)
        report.notes.extend(f"{entry['run_id']}: {note} ({name})" for note in run.notes)
    where = f"review {manifest.get('review_id')} ({run_id})"
    if "record" not in manifest:
        report.notes.append(f"{where}: review manifest schema {manifest.get('schema', 1)}: its tags, model version "
                            "tags and rendered reports were not recorded, so they were not checked")
        return report
    stored = load_or_corrupt(source, run_id, None, report.problems)
    if stored is CORRUPT:
        pass
    elif stored is None:
        report.problems.append(f"{where}: its record (tags) is missing")
    else:
        report.problems.extend(record_differences(manifest["record"], stored, where))
    for entry in manifest.get("registered_models", []):
        report.problems.extend(model_tag_differences(source, entry, run_id))
    problems, notes = report_differences(source, manifest.get("reports", {}), where)
    report.problems.extend(problems)
    report.notes.extend(notes)
    return report


def model_tag_differences(source, entry: dict, run_id: str) -> list[str]:
    """Lines naming each tag of a model version that differs from what review ``run_id`` gave it.

    A later review of the same version retags it: then the tags name that review, which checks them.
    """
    label = f"model {entry['name']} version {entry['version']}"
    tags = source.model_version_tags(entry["name"], entry["version"])
    if tags is None:
        return []  # the version was deleted from the registry: nothing left to pass a gate
    if tags.get(TAG_REVIEW_RUN) not in (None, run_id):
        return []
    lines = []
    for key, value in entry["tags"].items():
        if tags.get(key) != value:
            lines.append(f"{label}: tag {key} is {tags.get(key)!r} in the registry, {value!r} in review "
                         f"{entry['tags'].get(TAG_REVIEW_ID)}'s manifest")
    return lines


def model_version_evidence(source, version) -> VerifyReport:
    """Verify the review a model version's tags name, and the tags against that review's manifest."""
    source = _as_source(source)
    tags = dict(version.tags or {})
    label = f"model {version.name} version {version.version}"
    run_id = tags.get(TAG_REVIEW_RUN)
    if run_id is None:
        return VerifyReport(problems=[f"{label}: its tags name no review run ({TAG_REVIEW_RUN}), so they cannot be verified"])
    report = verify_review(source, run_id)
    manifest = load_or_corrupt(source, run_id, REVIEW_MANIFEST_PATH, [])
    if manifest in (None, CORRUPT) or "record" not in manifest:
        return report
    entry = next((e for e in manifest.get("registered_models", [])
                  if e["name"] == version.name and str(e["version"]) == str(version.version)), None)
    if entry is None:
        report.problems.append(f"{label}: its tags name review {tags.get(TAG_REVIEW_ID)} ({run_id}), which did not tag it")
    else:
        report.problems.extend(model_tag_differences(source, entry, run_id))
    return report


def report_differences(source, expected: dict[str, str], where: str) -> tuple[list[str], list[str]]:
    """``(problems, notes)``: each rendered report of a review re-hashed against its manifest.

    A reports folder that is not here (a store handed over without it) is a note, not a failure:
    the same notebooks and HTML are artifacts of the runs, which are checked.
    """
    if not expected:
        return [], []
    label = source.reports_label
    folders = sorted({relative.rsplit("/", 1)[0] for relative in expected})
    first = source.report_file(folders[0]) if folders else None
    if first is None or not first.is_dir():
        shown = f"{label}/{folders[0]}/" if folders else label
        return [], [f"{where}: rendered reports not checked: {shown} is not here (pass --reports DIR)"]
    problems, notes = [], []
    for relative, digest in sorted(expected.items()):
        path = source.report_file(relative)
        if not path.is_file():
            problems.append(f"{label}/{relative} is missing since the review")
        elif sha256_file(path) != digest:
            problems.append(f"{label}/{relative} changed since the review")
    for folder in folders:
        for path in sorted(source.report_file(folder).rglob("*")):
            relative = f"{folder}/{path.relative_to(source.report_file(folder)).as_posix()}"
            if path.is_file() and relative not in expected:
                notes.append(f"{label}/{relative} was added after the review: no manifest covers it")
    return problems, notes


#: What :func:`load_or_corrupt` returns for a JSON file that no longer parses (its problem already recorded).
CORRUPT = object()


def load_or_corrupt(source, run_id: str, path: str | None, problems: list[str]):
    """A run's JSON artifact at ``path`` (its record when None), None when missing, CORRUPT when it does not parse."""
    from assess.sources import CorruptEvidence

    try:
        return source.record(run_id) if path is None else source.load_json(run_id, path)
    except CorruptEvidence as exc:
        problems.append(str(exc))
        return CORRUPT


def _as_source(source):
    if hasattr(source, "load_json"):
        return source
    from assess.sources import StoreEvidence

    return StoreEvidence(source)


def verify_any(source, run_id: str) -> VerifyReport:
    """Verify a run by kind: a review verifies everything below it."""
    source = _as_source(source)
    run = source.client.get_run(run_id)
    if run.data.tags.get(tracking.TAG_KIND) == "review":
        return verify_review(source, run_id)
    result = verify_run(source, run_id)
    return VerifyReport(problems=result.lines() + result.changed, notes=[f"{run_id}: {n}" for n in result.notes], checked=1)


def _run_or_none(client, run_id: str):
    try:
        run = client.get_run(run_id)
    except Exception:  # noqa: BLE001 - MlflowException: the run is gone
        return None
    return None if run.info.lifecycle_stage == "deleted" else run


def verify_chain(source, subject: str, *, log: Path | None = None) -> VerifyReport:
    """Walk a subject's reviews from the newest back: every link, every review, every assessment.

    Parameters
    ----------
    source : StoreEvidence or mlflow.MlflowClient
    subject : str
    log : Path, optional
        An evidence.log (see :mod:`assess.evidence_log`) to check each review's manifest digest against:
        it covers the head of the chain, which the chain itself cannot.

    Returns
    -------
    VerifyReport
    """
    from assess.reports import review_runs

    source = _as_source(source)
    client = source.client
    # Reviews chain in the order they completed; a review still running is not evidence yet. An
    # aborted review wrote no manifest: the next review's manifest names it as a gap and links past it.
    ended = sorted((r for r in review_runs(client, subject) if r.info.status != "RUNNING"),
                   key=lambda r: r.info.end_time or 0, reverse=True)
    aborted = {r.info.run_id: r for r in ended if r.data.tags.get(tracking.TAG_ABORTED) == "true"}
    reviews = [r for r in ended if r.info.run_id not in aborted]
    if not reviews and not aborted:
        return VerifyReport(problems=[f"subject {subject}: no review recorded"])
    report, named, digests, latest_tagger, old_schema_seen = VerifyReport(), set(), {}, {}, False
    problems = report.problems
    require_signature = signatures_required()
    for position, review in enumerate(reviews):
        run_id = review.info.run_id
        report.add(verify_review(source, run_id, require_signature=require_signature))
        manifest = load_or_corrupt(source, run_id, REVIEW_MANIFEST_PATH, [])  # verify_review named any problem
        signature = load_or_corrupt(source, run_id, REVIEW_SIGNATURE_PATH, [])
        manifest, signature = (None if doc is CORRUPT else doc for doc in (manifest, signature))
        digests[run_id] = (review.data.tags.get(tracking.TAG_REVIEW_ID), sha256_json(manifest) if manifest else None,
                           sha256_json(signature) if signature is not None else None)
        if manifest is None:
            continue
        for entry in manifest.get("registered_models", []):
            # A newer review with an old (schema 1) manifest may have tagged it too, unrecorded: then who did is unknown.
            if not old_schema_seen:
                latest_tagger.setdefault((entry["name"], str(entry["version"])), (run_id, digests[run_id][0]))
        old_schema_seen = old_schema_seen or "record" not in manifest
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
        previous_manifest = load_or_corrupt(source, link["run_id"], REVIEW_MANIFEST_PATH, [])
        if previous_manifest not in (None, CORRUPT) and sha256_json(previous_manifest) != link.get("manifest_sha256"):
            problems.append(f"{link['run_id']}: review manifest altered since review {run_id} recorded its hash")
    newest = reviews[0].info.end_time if reviews else 0
    for run_id, run in aborted.items():  # an aborted review older than the newest must be named as a gap
        if run_id not in named and (run.info.end_time or 0) < (newest or 0):
            problems.append(f"{run_id}: aborted review {run.data.tags.get(tracking.TAG_REVIEW_ID)} is named as a gap "
                            "by no later review (its aborted tag was added after the fact?)")
    for (name, version), (run_id, review_id) in latest_tagger.items():
        tags = source.model_version_tags(name, version)
        if tags is not None and tags.get(TAG_REVIEW_RUN) != run_id:
            problems.append(f"model {name} version {version}: its tags name review run {tags.get(TAG_REVIEW_RUN)}, but the "
                            f"latest review that tagged it is {review_id} ({run_id})")
    if log is not None:
        from assess import evidence_log

        entries, broken = evidence_log.read(log)
        found, notes = evidence_log.compare(entries, digests, subject, Path(log).name)
        problems.extend(broken + found)
        report.notes.extend(notes)
    return report
