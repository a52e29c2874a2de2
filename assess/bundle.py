"""A self-contained evidence bundle of one review, verifiable with no store.

``assess export`` writes a zip holding, by relative path only::

    summary.json                          machine-readable summary (verdicts, checks, file hashes)
    registry.json                         the tags of each model version the review tagged, at export
    runs/<run id>/artifacts/...           every artifact of the review run and of each assessment run
                                          (manifests, signature, checks.json, tables, notebooks, HTML)
    runs/<run id>/record.json             the run's metrics, parameters and assess.* tags
    reports/<subject>/<review id>/...     the rendered reports

``assess verify --bundle`` checks it exactly as ``assess verify`` checks a store (see
:mod:`assess.verify`), reading the bundle through :class:`assess.sources.BundleEvidence`.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from assess import tracking
from assess.errors import InputError
from assess.manifest import MANIFEST_PATH, REVIEW_MANIFEST_PATH, sha256_tree
from assess.sources import BUNDLE_RECORD, BUNDLE_REGISTRY, BUNDLE_REPORTS, BUNDLE_RUNS, BundleEvidence, StoreEvidence

SUMMARY = "summary.json"
#: Check fields a summary repeats from checks.json.
CHECK_FIELDS = ("name", "status", "value", "threshold", "op", "clause", "basis")


def summarise(review_manifest: dict, run_id: str, assessment_manifests: dict[str, dict]) -> dict:
    """The summary of a review, from its manifests alone (so a verifier can recompute it).

    Parameters
    ----------
    review_manifest : dict
    run_id : str
        The review run.
    assessment_manifests : dict
        Assessment name -> its manifest.

    Returns
    -------
    dict
    """
    assessments = []
    for name, entry in sorted(review_manifest.get("assessments", {}).items()):
        manifest = assessment_manifests.get(name, {})
        assessments.append({
            "assessment": name, "run_id": entry["run_id"], "verdict": entry.get("verdict"), "error": entry.get("error", ""),
            "clauses": manifest.get("clauses", []),
            "checks": [{key: check.get(key) for key in CHECK_FIELDS} for check in manifest.get("checks", [])],
        })
    return {
        "subject": review_manifest.get("subject"),
        "review_id": review_manifest.get("review_id"),
        "run_id": run_id,
        "verdict": review_manifest.get("verdict"),
        "previous_review": review_manifest.get("previous_review"),
        "assessments": assessments,
    }


def resolve_review(client, wanted: str):
    """The review run ``wanted`` names: a review id, a review run id, or a subject (its latest completed review)."""
    from assess.reports import review_runs

    completed = [r for r in review_runs(client, wanted)
                 if r.info.status != "RUNNING" and r.data.tags.get(tracking.TAG_ABORTED) != "true"]
    if completed:
        return max(completed, key=lambda r: r.info.end_time or 0)
    experiments = [e.experiment_id for e in client.search_experiments() if e.name.startswith(tracking.EXPERIMENT_PREFIX)]
    if experiments:
        found = client.search_runs(experiments, filter_string=(
            f"tags.`{tracking.TAG_KIND}` = 'review' and tags.`{tracking.TAG_REVIEW_ID}` = '{wanted}'"), max_results=2)
        if found:
            return found[0]
    try:
        run = client.get_run(wanted)
    except Exception:  # noqa: BLE001 - MlflowException: not a run id either
        run = None
    if run is not None and run.data.tags.get(tracking.TAG_KIND) == "review":
        return run
    raise InputError(f"{wanted} is neither a subject with a completed review nor a review id in {client.tracking_uri}: "
                     "check it with `assess due`, or pass --tracking-uri")


def export(source: StoreEvidence, review_run, out: Path) -> dict:
    """Write the bundle of ``review_run`` to ``out`` (a zip); return its summary.

    Raises
    ------
    InputError
        The review has no manifest (aborted), or ``out`` cannot be written.
    """
    client = source.client
    run_id = review_run.info.run_id
    manifest = source.load_json(run_id, REVIEW_MANIFEST_PATH)
    if manifest is None:
        raise InputError(f"review run {run_id} has no {REVIEW_MANIFEST_PATH} (it was aborted): export a completed review")
    with tempfile.TemporaryDirectory(prefix="assess-bundle-") as scratch:
        root = Path(scratch) / "bundle"
        runs = [run_id] + [entry["run_id"] for entry in manifest.get("assessments", {}).values()]
        for each in runs:
            folder = root / BUNDLE_RUNS / each / "artifacts"
            folder.mkdir(parents=True)
            client.download_artifacts(each, "", str(folder))
            (root / BUNDLE_RUNS / each / BUNDLE_RECORD).write_text(
                json.dumps(source.record(each), ensure_ascii=False, indent=2), encoding="utf-8")
        registry = [{"name": e["name"], "version": e["version"], "tags": source.model_version_tags(e["name"], e["version"])}
                    for e in manifest.get("registered_models", [])]
        (root / BUNDLE_REGISTRY).write_text(json.dumps([r for r in registry if r["tags"] is not None], indent=2), encoding="utf-8")
        for relative in manifest.get("reports", {}):
            path = source.report_file(relative)
            if path is not None and path.is_file():
                target = root / BUNDLE_REPORTS / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
        children = {name: BundleEvidence(root).load_json(entry["run_id"], MANIFEST_PATH) or {}
                    for name, entry in manifest.get("assessments", {}).items()}
        summary = summarise(manifest, run_id, children)
        summary["exported"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        summary["files"] = sha256_tree(root)
        (root / SUMMARY).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        out = Path(out)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(root.rglob("*")):
                    if path.is_file():
                        archive.write(path, path.relative_to(root).as_posix())
        except OSError as exc:
            raise InputError(f"cannot write the bundle {out} ({exc.strerror}): choose a writable --out path") from None
    return summary


def unpack(bundle: Path, folder: Path) -> Path:
    """Extract ``bundle`` into ``folder``, refusing any member that is not a plain relative path."""
    bundle = Path(bundle)
    try:
        archive = zipfile.ZipFile(bundle)
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(f"{bundle} is not a readable zip ({exc}): pass the file `assess export` wrote") from None
    with archive:
        for name in archive.namelist():
            parts = PurePosixPath(name).parts
            if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
                raise InputError(f"{bundle} holds {name!r}, which is not a relative path inside the bundle: "
                                 "not a bundle `assess export` wrote")
        archive.extractall(folder)
    if not (Path(folder) / SUMMARY).is_file():
        raise InputError(f"{bundle} has no {SUMMARY}: not a bundle `assess export` wrote")
    return Path(folder)


def verify_bundle(bundle: Path):
    """Verify a bundle with no store: the review, its assessments, model tags, reports and the summary.

    Returns
    -------
    VerifyReport
    """
    from assess.verify import CORRUPT, load_or_corrupt, verify_review

    with tempfile.TemporaryDirectory(prefix="assess-verify-bundle-") as scratch:
        root = unpack(bundle, Path(scratch))
        try:
            summary = json.loads((root / SUMMARY).read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            from assess.verify import VerifyReport

            return VerifyReport(problems=[f"{SUMMARY} is not JSON any more ({exc}): edited after export"], checked=0)
        source = BundleEvidence(root)
        run_id = summary.get("run_id", "")
        report = verify_review(source, run_id)
        manifest = load_or_corrupt(source, run_id, REVIEW_MANIFEST_PATH, [])  # verify_review named any problem with it
        if manifest not in (None, CORRUPT):
            children = {name: load_or_corrupt(source, entry["run_id"], MANIFEST_PATH, []) for name, entry in manifest.get("assessments", {}).items()}
            children = {name: child if isinstance(child, dict) else {} for name, child in children.items()}
            expected = summarise(manifest, run_id, children)
            for key, value in expected.items():
                if summary.get(key) != value:
                    report.problems.append(f"{SUMMARY}: {key} differs from what the manifests record")
        listed = summary.get("files", {})
        for relative, digest in sorted(sha256_tree(root).items()):
            if relative == SUMMARY:
                continue
            if relative not in listed:
                report.notes.append(f"{relative} was added to the bundle after export")
            elif listed[relative] != digest and not _covered(relative):
                report.problems.append(f"{relative} changed since the export")
    return report


def _covered(relative: str) -> bool:
    """Whether the manifest checks already name a change to this file (run artifacts and records, reports)."""
    return relative.startswith((f"{BUNDLE_RUNS}/", f"{BUNDLE_REPORTS}/"))

