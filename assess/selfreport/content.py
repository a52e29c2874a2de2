"""What a self-assessment report says, read from the evidence store alone.

:func:`gather` is a pure function of an MLflow client and a review (its id, or a subject meaning its
latest review): the review run and its manifest, each assessment run's tags, metrics, executed
notebook metadata and ``evidence/checks.json``, and the subject's chain of reviews. Every free text
taken from the evidence passes the PII scanner and is masked, so the report never carries raw
personal data even where an assessment let some into a check's name or an error message.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from assess import tracking
from assess.errors import InputError
from assess.manifest import REVIEW_MANIFEST_PATH, REVIEW_SIGNATURE_PATH, canonical_json, load_json_artifact, sha256_json
from assess.selfreport.methods import Method, method_of
from assess.verify import verify_review

CHECKS_PATH = "evidence/checks.json"
#: Metrics every assessment logs about itself, not about the subject.
OWN_METRICS = ("checks_", "execution_seconds")
OPEN_STATUSES = ("fail", "warn", "pending")


@dataclass
class ModelEntry:
    """One model of the review, as its manifest recorded it."""

    role: str
    uri: str
    kind: str | None
    version: str | None
    sha256: str | None


@dataclass
class DatasetEntry:
    """One dataset of the review: the file name and the SHA-256 the manifest recorded."""

    role: str
    path: str
    sha256: str | None


@dataclass
class CheckEntry:
    """One check of ``checks.json``."""

    name: str
    value: object
    op: str
    threshold: object
    basis: str
    clause: str
    status: str
    description: str = ""


@dataclass
class AssessmentEntry:
    """One assessment of the review."""

    name: str
    title: str
    run_id: str
    verdict: str
    method: Method
    clauses: list[str]
    metrics: list[tuple[str, float]]
    checks: list[CheckEntry]
    error: str = ""
    manifest_sha256: str | None = None


@dataclass
class ChainPosition:
    """Where the review sits in its subject's chain of completed reviews."""

    position: int
    total: int
    previous_review_id: str | None
    previous_manifest_sha256: str | None


@dataclass
class ReportContent:
    """Everything a self-assessment report of one review says; see :func:`gather`."""

    subject: str
    review_id: str
    review_run_id: str
    started: str
    ended: str
    verdict: str
    store: str
    plan_path: str
    plan_sha256: str | None
    models: list[ModelEntry]
    datasets: list[DatasetEntry]
    assessments: list[AssessmentEntry]
    manifest_sha256: str | None
    chain: ChainPosition
    signature: str  # "valid", "invalid", "unchecked" or "unsigned"
    #: What re-hashing the review's evidence found when the report was drawn (empty: all intact), and how many runs.
    verification: list[str] = field(default_factory=list)
    runs_verified: int = 0
    error: str = ""
    open_findings: list[tuple[str, CheckEntry]] = field(default_factory=list)


def _time(ms: int | None) -> str:
    from assess.reports import _time as index_time  # the review index's format, so both read alike

    return index_time(ms) if ms else ""


def _review_filter(extra: str = "") -> str:
    return f"tags.`{tracking.TAG_KIND}` = 'review'" + (f" and {extra}" if extra else "")


def _assess_experiments(client) -> list[str]:
    experiments = client.search_experiments(filter_string=f"name LIKE '{tracking.EXPERIMENT_PREFIX}%'", max_results=1000)
    return [e.experiment_id for e in experiments]


def list_reviews(client) -> list:
    """Every review run of the store, newest first."""
    ids = _assess_experiments(client)
    if not ids:
        return []
    return client.search_runs(ids, filter_string=_review_filter(), order_by=["attributes.start_time DESC"], max_results=5000)


def review_rows(client) -> list[tuple[str, str, str, str]]:
    """``(subject, review id, started, verdict)`` of every review of the store, newest first."""
    return [(r.data.tags.get(tracking.TAG_SUBJECT, ""), r.data.tags.get(tracking.TAG_REVIEW_ID, ""), _time(r.info.start_time),
             (r.data.tags.get(tracking.TAG_VERDICT) or r.info.status.lower()).upper()) for r in list_reviews(client)]


def find_review(client, review: str):
    """The review run of review id ``review``, else the latest completed review of subject ``review``.

    Raises
    ------
    InputError
        Neither a review id nor a subject with a completed review (exit 2).
    """
    ids = _assess_experiments(client)
    if ids and "'" not in review:
        found = client.search_runs(ids, filter_string=_review_filter(f"tags.`{tracking.TAG_REVIEW_ID}` = '{review}'"),
                                   max_results=2)
        if found:
            return found[0]
        from assess.reports import review_runs

        completed = [r for r in review_runs(client, review) if r.info.status != "RUNNING"]
        if completed:
            return completed[0]
    raise InputError(f"{review} is neither a review id nor a reviewed subject in {tracking.without_user_info(client.tracking_uri)}: "
                     "list the reviews with `assess report --list`")


def _masked_texts(texts: list[str]) -> list[str]:
    """``texts`` with every identifier the PII scanner finds masked (keyword flags name nobody: kept)."""
    from assess.pii.redact import redact_values

    if not texts:
        return []
    # The keyed hash is not shown in mask mode; a throwaway key keeps a read-only command from creating one.
    masked, _ = redact_values(texts, mode="mask", key=os.urandom(32))
    return [str(t) for t in masked]


def _notebook_declaration(client, run_id: str, name: str) -> dict:
    """``metadata.assess`` of the executed notebook stored with the run ({} when it is missing)."""
    with tempfile.TemporaryDirectory(prefix="assess-report-") as folder:
        try:
            local = client.download_artifacts(run_id, f"notebook/{name}.ipynb", folder)
            return json.loads(Path(local).read_text(encoding="utf-8")).get("metadata", {}).get("assess", {}) or {}
        except Exception:  # noqa: BLE001 - an errored run may have no executed notebook
            return {}


def _key_metrics(metrics: dict, declared) -> list[tuple[str, float]]:
    names = [m for m in declared or () if m in metrics] or sorted(m for m in metrics if not m.startswith(OWN_METRICS))
    return [(m, metrics[m]) for m in names if not (isinstance(metrics[m], float) and math.isnan(metrics[m]))]


def _checks(client, run_id: str) -> list[CheckEntry]:
    document = load_json_artifact(client, run_id, CHECKS_PATH) or {}
    return [CheckEntry(name=str(c.get("name", "")), value=c.get("value"), op=str(c.get("op") or ""),
                       threshold=c.get("threshold"), basis=str(c.get("basis") or ""), clause=str(c.get("clause") or ""),
                       status=str(c.get("status") or ""), description=str(c.get("description") or ""))
            for c in document.get("checks", [])]


def _assessment(client, run, entry: dict) -> AssessmentEntry:
    name = run.data.tags.get(tracking.TAG_ASSESSMENT, run.info.run_name or "")
    declared = _notebook_declaration(client, run.info.run_id, name)
    title = declared.get("title") or name
    clauses = [c.strip() for c in run.data.tags.get(tracking.TAG_CLAUSES, "").split(";") if c.strip()]
    return AssessmentEntry(
        name=name, title=title, run_id=run.info.run_id,
        verdict=run.data.tags.get(tracking.TAG_VERDICT) or entry.get("verdict") or "error",
        method=method_of(name, title), clauses=clauses or list(declared.get("clauses", ())),
        metrics=_key_metrics(run.data.metrics, declared.get("key_metrics")), checks=_checks(client, run.info.run_id),
        error=run.data.tags.get(tracking.TAG_ERROR, "") or entry.get("error", ""),
        manifest_sha256=entry.get("manifest_sha256"))


def _chain_position(client, subject: str, review_run, manifest: dict) -> ChainPosition:
    from assess.reports import review_runs

    chain = sorted((r for r in review_runs(client, subject)
                    if r.info.status != "RUNNING" and r.data.tags.get(tracking.TAG_ABORTED) != "true"),
                   key=lambda r: r.info.end_time or 0)
    ids = [r.info.run_id for r in chain]
    previous = manifest.get("previous_review") or {}
    return ChainPosition(position=ids.index(review_run.info.run_id) + 1 if review_run.info.run_id in ids else 0,
                         total=len(ids), previous_review_id=previous.get("review_id"),
                         previous_manifest_sha256=previous.get("manifest_sha256"))


def _signature(client, run_id: str, manifest: dict | None) -> str:
    signature = load_json_artifact(client, run_id, REVIEW_SIGNATURE_PATH)
    if signature is None or manifest is None:
        return "unsigned"
    from assess.signing import check

    return check(canonical_json(manifest), signature)


def mask_content(content: ReportContent) -> ReportContent:
    """Mask identifiers in every free text of ``content`` that came from the evidence."""
    holders = [content] + content.assessments + [c for a in content.assessments for c in a.checks]
    fields = {ReportContent: ("error",), AssessmentEntry: ("error", "title"),
              CheckEntry: ("name", "description", "clause")}
    slots = [(holder, name) for holder in holders for name in fields[type(holder)] if getattr(holder, name)]
    for (holder, name), text in zip(slots, _masked_texts([getattr(h, n) for h, n in slots])):
        setattr(holder, name, text)
    for check in (c for a in content.assessments for c in a.checks):
        if isinstance(check.value, str):  # numbers name nobody; a text value might
            check.value = _masked_texts([check.value])[0]
    return content


def gather(client, review: str) -> ReportContent:
    """The content of the self-assessment report of ``review``, from the store alone.

    Parameters
    ----------
    client : mlflow.tracking.MlflowClient
        Client of the evidence store.
    review : str
        A review id (``20261202T140435Z-3fa9c1``), or a subject name meaning its latest completed review.

    Returns
    -------
    ReportContent
        Identical for the same store and review, whenever it is gathered.
    """
    from assess.reports import assessment_runs

    run = find_review(client, review)
    run_id = run.info.run_id
    subject = run.data.tags.get(tracking.TAG_SUBJECT, "")
    manifest = load_json_artifact(client, run_id, REVIEW_MANIFEST_PATH)
    recorded = manifest or {}
    inputs = recorded.get("inputs") or {}
    entries = recorded.get("assessments", {})
    children = {c.data.tags.get(tracking.TAG_ASSESSMENT, ""): c for c in assessment_runs(client, run)}
    names = list(entries) + sorted(n for n in children if n not in entries)
    assessments = [_assessment(client, children[n], entries.get(n, {})) for n in names if n in children]
    content = ReportContent(
        subject=subject, review_id=run.data.tags.get(tracking.TAG_REVIEW_ID, ""), review_run_id=run_id,
        started=_time(run.info.start_time), ended=_time(run.info.end_time),
        verdict=run.data.tags.get(tracking.TAG_VERDICT) or recorded.get("verdict") or "error",
        store=tracking.without_user_info(client.tracking_uri),
        plan_path=(recorded.get("plan") or {}).get("path", ""), plan_sha256=(recorded.get("plan") or {}).get("sha256"),
        models=[ModelEntry(role, tracking.without_user_info(str(m.get("uri", ""))), m.get("kind"), m.get("version"), m.get("sha256"))
                for role, m in (inputs.get("models") or {}).items()],
        datasets=[DatasetEntry(role, Path(str(d.get("path", ""))).name, d.get("sha256"))
                  for role, d in (inputs.get("datasets") or {}).items()],
        assessments=assessments,
        manifest_sha256=sha256_json(manifest) if manifest is not None else None,
        chain=_chain_position(client, subject, run, recorded),
        signature=_signature(client, run_id, manifest),
        error=run.data.tags.get(tracking.TAG_ERROR, "") or recorded.get("error", ""),
    )
    # The report states what the evidence showed only if the evidence is what the review recorded.
    verified = verify_review(client, run_id)
    content.verification, content.runs_verified = verified.problems, verified.checked
    content = mask_content(content)
    content.open_findings = [(a.name, c) for a in content.assessments for c in a.checks if c.status in OPEN_STATUSES]
    return content
