"""Running a review: every planned assessment of a subject, one papermill execution each.

One MLflow parent run per subject review and one nested run per assessment. A notebook that
raises or times out marks its own run FAILED with the error; its executed notebook is still kept
and rendered, and the other assessments still run.
"""

from __future__ import annotations

import json
import secrets
import signal
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from assess import console, evidence_log, preflight, tracking
from assess.manifest import (
    REVIEW_MANIFEST_PATH,
    REVIEW_SIGNATURE_PATH,
    SCHEMA,
    canonical_json,
    input_hashes,
    load_json_artifact,
    log_json,
    sha256_file,
    sha256_json,
    write_manifest,
)
from assess.notebook import worst_verdict
from assess.plan import AssessmentPlan, Plan, SubjectSpec
from assess.render import render_html
from assess.signing import sign

ERROR = "error"


@dataclass
class AssessmentResult:
    """What one assessment of a review produced."""

    subject: str
    assessment: str
    run_id: str
    verdict: str  # pass / warn / pending / fail, or "error" when the notebook did not complete
    seconds: float
    error: str = ""
    manifest_sha256: str | None = None
    notebook: Path | None = None
    html: Path | None = None
    auditor_html: Path | None = None


@dataclass
class ReviewResult:
    """What one subject's review produced."""

    subject: str
    review_id: str
    run_id: str
    results: list[AssessmentResult] = field(default_factory=list)
    error: str = ""

    @property
    def verdict(self) -> str:
        if self.error or any(r.verdict == ERROR for r in self.results):
            return ERROR
        return worst_verdict(r.verdict for r in self.results)


def exit_code(reviews: list[ReviewResult]) -> int:
    """2 if anything errored, else 1 if a verdict failed, else 0."""
    verdicts = [review.verdict for review in reviews]
    if ERROR in verdicts:
        return 2
    return 1 if "fail" in verdicts else 0


def _progress(message: str) -> None:
    console.current().line(message)


def _error_line(exc: BaseException, canaries=()) -> str:
    """One line that says what went wrong in a notebook, masked like findings (it becomes evidence)."""
    from assess.masking import mask_error_text

    ename = getattr(exc, "ename", None)
    text = str(exc).strip().splitlines()
    name = type(exc).__name__
    if ename:  # PapermillExecutionError: the notebook's own exception
        evalue = str(getattr(exc, "evalue", "")).strip().splitlines()
        line = f"{ename}: {evalue[0] if evalue else ''}".strip()
    elif name == "CellTimeoutError" or "timed out" in (text[0] if text else ""):
        line = f"CellTimeoutError: a cell ran longer than the plan's timeout_seconds ({text[0] if text else ''})"
    else:
        line = f"{name}: {text[0] if text else ''}"
    return mask_error_text(line, canaries=canaries)


def review_id_now() -> str:
    """A review id that sorts by time and is unique: ``YYYYmmddTHHMMSSZ-xxxxxx`` (random suffix).

    Reviews started in the same second (parallel CI jobs) get distinct ids, so distinct output folders.
    """
    return f"{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"


class ReviewStopped(Exception):
    """An assessment's kernel was ended because its review stopped; the review closes its run."""


def run_assessment(client, plan: Plan, subject: SubjectSpec, assessment: AssessmentPlan, *, parent_run_id: str,
                   experiment_id: str, review_id: str, out_dir: Path, inputs: dict,
                   canaries=frozenset(), stopping: threading.Event | None = None) -> AssessmentResult:
    """Execute one assessment notebook into its own nested run and record its evidence.

    ``canaries`` (from :func:`assess.error_masking.subject_canaries`) are masked, with identifiers
    and record texts, in the error tag and the executed notebook's tracebacks before either is kept.
    ``stopping``, once set, means the review is stopping: a notebook that ends then (its kernel was
    ended, see :mod:`assess.kernels`) raises :class:`ReviewStopped` and leaves its run to the review.
    """
    import papermill
    from mlflow.utils.mlflow_tags import MLFLOW_PARENT_RUN_ID

    from assess.kernels import TrackedKernelManager

    name = assessment.spec.name
    run = client.create_run(experiment_id, run_name=name, tags={
        MLFLOW_PARENT_RUN_ID: parent_run_id,
        tracking.TAG_KIND: "assessment",
        tracking.TAG_SUBJECT: subject.name,
        tracking.TAG_ASSESSMENT: name,
        tracking.TAG_REVIEW_ID: review_id,
    })
    run_id = run.info.run_id
    executed = out_dir / f"{name}.ipynb"
    started = time.monotonic()
    error = ""
    try:
        papermill.execute_notebook(
            str(Path(assessment.spec.notebook).resolve()),
            str(executed.resolve()),
            parameters={
                "plan": str(plan.path),
                "subject": subject.name,
                "tracking_uri": client.tracking_uri,
                "run_id": run_id,
                "params": {},
            },
            # The kernel starts in the plan's folder. Not papermill's cwd=: that changes the working
            # directory of this whole process, which parallel assessments (--jobs) share.
            resources={"metadata": {"path": str(plan.root)}},
            kernel_manager_class=TrackedKernelManager,
            progress_bar=False,
            execution_timeout=plan.timeout_seconds,
            kernel_name="python3",
        )
    except Exception as exc:  # noqa: BLE001 - PapermillExecutionError, CellTimeoutError, dead kernel...
        error = _error_line(exc, canaries)
    if stopping is not None and stopping.is_set():
        raise ReviewStopped(f"{name}: its review stopped while it ran")
    seconds = time.monotonic() - started

    result = AssessmentResult(subject.name, name, run_id, ERROR if error else "", seconds, error)
    if executed.exists():
        from assess.error_masking import mask_notebook_errors

        mask_notebook_errors(executed, canaries)
        title = f"{assessment.spec.title} — {subject.name} — review {review_id}"
        result.notebook = executed
        result.html = render_html(executed, out_dir / f"{name}.html", title=title)
        result.auditor_html = render_html(executed, out_dir / f"{name}.auditor.html", hide_code=True, title=title)
        for path in (result.notebook, result.html, result.auditor_html):
            client.log_artifact(run_id, str(path), "notebook")
    if error:
        client.set_tag(run_id, tracking.TAG_ERROR, error[:5000])
        client.set_tag(run_id, tracking.TAG_VERDICT, ERROR)
    else:
        verdict = client.get_run(run_id).data.tags.get(tracking.TAG_VERDICT)
        if verdict is None:  # the notebook never called ctx.finish(): that is an error in the template
            result.error = "the notebook did not call ctx.finish(), so it recorded no verdict"
            client.set_tag(run_id, tracking.TAG_ERROR, result.error)
            client.set_tag(run_id, tracking.TAG_VERDICT, ERROR)
            verdict = ERROR
        result.verdict = verdict
    client.log_metric(run_id, "execution_seconds", seconds)
    manifest = write_manifest(client, run_id, plan=plan, subject=subject, assessment=assessment, inputs=inputs)
    # What is stored is the JSON round trip of the manifest; hash that, as verify does.
    result.manifest_sha256 = sha256_json(json.loads(json.dumps(manifest, default=str)))
    client.set_terminated(run_id, "FAILED" if result.verdict == ERROR else "FINISHED")
    return result


def previous_review(client, experiment_id: str, subject: str, before_run_id: str):
    """``(review, gaps)``: the review of ``subject`` completed last (any verdict) or None, and the
    aborted reviews that ended after it (newest first), which the next manifest names as gaps.

    Reviews link in the order they complete, not start: a review that started earlier but is still
    running (a concurrent one) links to this one when it closes. An aborted review wrote no
    manifest, so nothing can link to it; the chain links past it and records that it did.
    """
    runs = client.search_runs(
        [experiment_id],
        filter_string=(f"tags.`{tracking.TAG_KIND}` = 'review' and tags.`{tracking.TAG_SUBJECT}` = '{subject}'"
                       " and attributes.status != 'RUNNING'"),
        order_by=["attributes.end_time DESC"],
        max_results=200,
    )
    gaps = []
    for run in runs:
        if run.info.run_id == before_run_id:
            continue
        if run.data.tags.get(tracking.TAG_ABORTED) != "true":
            return run, gaps
        gaps.append({"run_id": run.info.run_id, "review_id": run.data.tags.get(tracking.TAG_REVIEW_ID),
                     "reason": run.data.tags.get(tracking.TAG_ERROR, "")})
    return None, gaps


def close_abandoned_reviews(client, experiment_id: str) -> list[str]:
    """Close as FAILED (aborted) every review of this host left RUNNING by a process that is gone.

    A SIGKILL, an out-of-memory kill or a power cut leaves no chance to close a review's runs; the
    next command that opens the store does it. A review whose process still runs (a concurrent
    review) or that runs on another host is left alone.
    """
    import os
    import socket

    closed = []
    runs = client.search_runs([experiment_id], filter_string=(
        f"tags.`{tracking.TAG_KIND}` = 'review' and attributes.status = 'RUNNING'"))
    for run in runs:
        host, _, pid = run.data.tags.get(tracking.TAG_PROCESS, "").rpartition(":")
        if host != socket.gethostname() or not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
            continue  # still running
        except ProcessLookupError:
            pass
        except PermissionError:
            continue  # another user's live process
        review_id = run.data.tags.get(tracking.TAG_REVIEW_ID)
        _abort_review(client, experiment_id, review_id, RuntimeError(f"its process {pid} ended without closing it"),
                      quiet=True)
        closed.append(review_id)
    return closed


def review_subject(client, plan: Plan, subject: SubjectSpec, *, only: list[str] | None, reports_dir: Path,
                   due_only: set[str] | None = None, jobs: int | None = None) -> ReviewResult:
    """Run one subject's review (already prepared by the preflight): each assessment, then close the parent run.

    ``jobs`` assessments run at a time (default: :func:`default_jobs`).
    """
    import os
    import socket

    with tracking.store_lock(client.tracking_uri):
        experiment_id = tracking.ensure_experiment(client, subject.name)
        for closed in close_abandoned_reviews(client, experiment_id):
            _progress(f"closed review {closed} of {subject.name} as FAILED: its process ended without closing it")
    review_id = review_id_now()
    parent = client.create_run(experiment_id, run_name=f"review {review_id}", tags={
        tracking.TAG_KIND: "review",
        tracking.TAG_SUBJECT: subject.name,
        tracking.TAG_REVIEW_ID: review_id,
        tracking.TAG_PROCESS: f"{socket.gethostname()}:{os.getpid()}",
    })
    review = ReviewResult(subject.name, review_id, parent.info.run_id)
    canaries: frozenset = frozenset()
    try:
        from assess.error_masking import subject_canaries

        canaries = frozenset(subject_canaries(subject, client))
        _run_review(client, plan, subject, review, experiment_id, only=only, reports_dir=reports_dir,
                    due_only=due_only, canaries=canaries, jobs=jobs)
    except BaseException as exc:  # interrupted or broken: no run of this review may stay RUNNING
        from assess.diskspace import disk_full_error

        full = disk_full_error(exc, _written_folders(client.tracking_uri, reports_dir), subject.name)
        _abort_review(client, experiment_id, review_id, full or exc, canaries=canaries)
        if full is not None:
            raise full from exc
        raise
    return review


def _written_folders(uri: str, reports_dir: Path) -> list[Path]:
    """The folders a review writes to on this machine: the reports and an embedded store's."""
    folders = [Path(reports_dir)]
    if uri.startswith("sqlite:///"):
        folders.append(Path(uri[len("sqlite:///"):]).parent)
    return folders


def _abort_review(client, experiment_id: str, review_id: str, exc: BaseException, quiet: bool = False,
                  canaries=()) -> None:
    """Close every run of review ``review_id`` still RUNNING: KILLED if interrupted, else FAILED."""
    interrupted = isinstance(exc, (KeyboardInterrupt, SystemExit))
    reason = "interrupted (SIGINT or SIGTERM) before the review finished" if interrupted else \
        f"the review stopped before it finished: {_error_line(exc, canaries)}"
    try:
        runs = client.search_runs([experiment_id], filter_string=(
            f"tags.`{tracking.TAG_REVIEW_ID}` = '{review_id}' and attributes.status = 'RUNNING'"))
        for run in runs:
            if run.data.tags.get(tracking.TAG_KIND) == "review":
                client.set_tag(run.info.run_id, tracking.TAG_ABORTED, "true")
            client.set_tag(run.info.run_id, tracking.TAG_ERROR, reason[:5000])
            client.set_tag(run.info.run_id, tracking.TAG_VERDICT, ERROR)
            client.set_terminated(run.info.run_id, "KILLED" if interrupted else "FAILED")
    except Exception:  # noqa: BLE001 - the store may be what failed; the original error is what to report
        pass
    if not quiet:
        _progress(f"  review {review_id}: {reason}")


def _run_review(client, plan: Plan, subject: SubjectSpec, review: ReviewResult, experiment_id: str, *,
                only: list[str] | None, reports_dir: Path, due_only: set[str] | None, canaries=frozenset(),
                jobs: int | None = None) -> None:
    review_id = review.review_id
    out_dir = reports_dir / subject.name / review_id
    out_dir.mkdir(parents=True, exist_ok=True)
    selected = [a for name, a in subject.assessments.items()
                if (not only or name in only) and (due_only is None or name in due_only)]
    _progress(f"review {review_id} of {subject.name}: {len(selected)} assessment(s) -> {out_dir}")
    try:  # the prepare hook already ran in the preflight (assess.preflight)
        inputs = input_hashes(subject, client.tracking_uri, plan.root)
    except Exception as exc:  # noqa: BLE001 - recorded on the review run, then reported
        review.error = f"hashing the inputs failed: {_error_line(exc, canaries)}"
        _progress(f"  {review.error}")
        inputs = None
    if inputs is not None and selected:
        def run_one(index: int, assessment: AssessmentPlan, stopping: threading.Event | None) -> AssessmentResult:
            with console.current().step(f"  [{index}/{len(selected)}] {assessment.spec.name:<{width}}") as outcome:
                result = run_assessment(client, plan, subject, assessment, parent_run_id=review.run_id,
                                        experiment_id=experiment_id, review_id=review_id, out_dir=out_dir, inputs=inputs,
                                        canaries=canaries, stopping=stopping)
                outcome(f"{result.verdict.upper():<7}" + (f" ({result.error})" if result.error else ""))
            return result

        width = max(len(a.spec.name) for a in selected)
        jobs = min(jobs or default_jobs(), len(selected))
        if jobs == 1:
            for index, assessment in enumerate(selected, start=1):
                review.results.append(run_one(index, assessment, None))
        else:
            order = longest_first(client, experiment_id, subject.name, review.run_id, selected)
            review.results.extend(_in_parallel(run_one, selected, jobs, order))
    _keep_console_log(client, review.run_id, out_dir, canaries)
    with tracking.store_lock(client.tracking_uri):
        _close_review(client, plan, subject, review, experiment_id, inputs, reports_dir)


def default_jobs() -> int:
    """How many assessments run at a time by default: the cores this process may use."""
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def longest_first(client, experiment_id: str, subject: str, review_run_id: str,
                  selected: list[AssessmentPlan]) -> list[int]:
    """The order to start ``selected`` in on parallel kernels: longest first.

    A review in parallel ends when its last assessment does; started last, a long one would run alone
    at the end. Each assessment's ``execution_seconds`` in the subject's last completed review is its
    expected length; one that review did not time (new, or left out by ``--only``) starts first, in plan
    order, as it may be the longest.

    Returns
    -------
    list of int
        Indices into ``selected``.
    """
    previous, _ = previous_review(client, experiment_id, subject, review_run_id)
    seconds = {}
    if previous is not None:
        for run in client.search_runs([experiment_id], f"tags.`mlflow.parentRunId` = '{previous.info.run_id}'"):
            seconds[run.data.tags.get(tracking.TAG_ASSESSMENT)] = run.data.metrics.get("execution_seconds")
    never_timed = float("inf")
    return sorted(range(len(selected)), key=lambda i: -(seconds.get(selected[i].spec.name) or never_timed))


def _in_parallel(run_one, selected: list[AssessmentPlan], jobs: int, order: list[int]) -> list[AssessmentResult]:
    """Run ``run_one(index, assessment, stopping)`` for each assessment on ``jobs`` threads, started in
    ``order`` (indices into ``selected``); return the results in plan order.

    Each thread drives its own kernel. An interruption (SIGINT, SIGTERM: the main thread's) or an error
    that ends one assessment stops the review as it does a sequential one: no further assessment starts,
    the running kernels are ended, their runs are left for the review to close, and the error is raised.
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed, wait

    from assess.kernels import end_kernels

    stopping = threading.Event()
    workers: set[int] = set()

    def on_worker(index: int, assessment: AssessmentPlan) -> AssessmentResult:
        workers.add(threading.get_ident())
        return run_one(index, assessment, stopping)

    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="assess-job")
    started = {i: pool.submit(on_worker, i + 1, selected[i]) for i in order}
    futures = [started[i] for i in range(len(selected))]
    try:
        for future in as_completed(futures):
            future.result()
    except BaseException:
        stopping.set()
        for future in futures:
            future.cancel()
        since = time.monotonic()
        while not all(future.done() for future in futures):
            # Again each second: a kernel may start just after the first round; SIGKILL one that lingers.
            end_kernels(workers, signal.SIGTERM if time.monotonic() - since < 10 else signal.SIGKILL)
            wait(futures, timeout=1)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return [future.result() for future in futures]


def _keep_console_log(client, run_id: str, out_dir: Path, canaries=()) -> None:
    """Keep what third-party code printed during the command so far as the review's ``logs/console.log``,
    masked as errors are (a library's warning may quote a value of the data)."""
    from assess.masking import mask_error_text

    text = console.current().log_text()
    if text:
        text = mask_error_text(text, canaries=canaries)
        path = out_dir / "console.log"
        path.write_text(text, encoding="utf-8")
        client.log_artifact(run_id, str(path), "logs")


def _close_review(client, plan: Plan, subject: SubjectSpec, review: ReviewResult, experiment_id: str, inputs,
                  reports_dir: Path) -> None:
    """Log the review manifest (chained to the previous review) and finish the parent run."""
    previous, gaps = previous_review(client, experiment_id, subject.name, review.run_id)
    previous_entry = None
    if previous is not None:
        previous_manifest = load_json_artifact(client, previous.info.run_id, REVIEW_MANIFEST_PATH)
        previous_entry = {
            "run_id": previous.info.run_id,
            "review_id": previous.data.tags.get(tracking.TAG_REVIEW_ID),
            "manifest_sha256": sha256_json(previous_manifest) if previous_manifest is not None else None,
        }
    assessments = {}
    for result in review.results:
        assessments[result.assessment] = {
            "run_id": result.run_id,
            "verdict": result.verdict,
            "error": result.error,
            "manifest_sha256": result.manifest_sha256,
        }
    from assess.gate import apply_model_tags, planned_model_tags
    from assess.record import run_record
    from assess.sources import report_hashes

    # Everything the review records goes into the run before the manifest, so the manifest covers it.
    client.set_tag(review.run_id, tracking.TAG_VERDICT, review.verdict)
    if review.error:
        client.set_tag(review.run_id, tracking.TAG_ERROR, review.error[:5000])
    now = datetime.now(timezone.utc)
    model_tags = planned_model_tags(client, subject, review, now) if review.results else []
    manifest = {
        "schema": SCHEMA,
        "review_id": review.review_id,
        "subject": subject.name,
        "verdict": review.verdict,
        "error": review.error,
        "plan": {"path": plan.path.name, "sha256": sha256_file(plan.path)},
        "inputs": inputs,
        "assessments": assessments,
        "previous_review": previous_entry,
        "aborted_since_previous": gaps,
        "record": run_record(client, review.run_id),
        "registered_models": model_tags,
        # Paths relative to the reports folder, so the rendered reports verify wherever it is copied.
        "reports": report_hashes(reports_dir / subject.name / review.review_id, reports_dir),
    }
    stored = json.loads(json.dumps(manifest, default=str))  # what the store holds: hash and sign that
    log_json(client, review.run_id, REVIEW_MANIFEST_PATH, manifest)
    signature = sign(canonical_json(stored))
    if signature is not None:
        log_json(client, review.run_id, REVIEW_SIGNATURE_PATH, signature)
    log = evidence_log.log_path(client.tracking_uri)
    if log is not None:
        evidence_log.append(log, evidence_log.entry_for(client.get_run(review.run_id), sha256_json(stored),
                                                        sha256_json(signature) if signature is not None else None,
                                                        now.isoformat(timespec="seconds")))
    client.set_terminated(review.run_id, "FAILED" if review.verdict == ERROR else "FINISHED")
    apply_model_tags(client, model_tags)


def run_plan(plan: Plan, *, subjects: list[str] | None = None, only: list[str] | None = None,
             tracking_uri: str | None = None, reports_dir: Path | None = None,
             due: dict[str, set[str]] | None = None, jobs: int | None = None) -> list[ReviewResult]:
    """Review every selected subject of ``plan``; return what each review produced.

    Parameters
    ----------
    subjects : list of str, optional
        Subjects to review; all when None.
    only : list of str, optional
        Assessments to run; all planned ones when None.
    due : dict, optional
        Subject -> the assessments that are due; subjects with nothing due are skipped.
    jobs : int, optional
        How many assessments of a review run at a time, each in its own kernel (default: the cores,
        at most the number of assessments). 1 runs them one after another. The evidence, the review
        manifest (assessments in plan order) and the chain are the same either way.
    """
    from assess.errors import InputError
    from assess.reports import write_index

    if jobs is not None and jobs < 1:
        raise InputError(f"--jobs {jobs}: at least one assessment must run at a time: use --jobs 1 or more")
    names = subjects or list(plan.subjects)
    for name in names:
        plan.subject(name)
    for name in only or ():
        if not any(name in plan.subjects[s].assessments for s in names):
            raise InputError(f"--only {name}: no selected subject plans this assessment: use one of "
                             f"{', '.join(sorted({a for s in names for a in plan.subjects[s].assessments}))}")
    reviewed = []
    for name in names:
        if due is not None and not due.get(name):
            _progress(f"{name}: nothing is due")
            continue
        reviewed.append(plan.subjects[name])
    uri = tracking.resolve_tracking_uri(tracking_uri, plan.root, plan.tracking_uri, create=False)
    reports_dir = Path(reports_dir or plan.reports_dir or plan.root / "reports")
    # Subjects without a prepare hook are checked before the store is touched; a hook may need it.
    surroundings = preflight.environment_problems(uri, reports_dir, require_signing=plan.require_signing)
    preflight.check(plan, [s for s in reviewed if not s.prepare], surroundings)
    uri = tracking.resolve_tracking_uri(tracking_uri, plan.root, plan.tracking_uri)
    with tracking.store_lock(uri):  # the first access creates (migrates) a new sqlite store
        client = tracking.client_for(uri)
        client.search_experiments(max_results=1)
    reviews = []
    with tracking.using_store(uri):  # prepare hooks use MLflow's fluent API
        preflight.check(plan, [s for s in reviewed if s.prepare])
        for subject in reviewed:
            due_only = None if due is None else due[subject.name]
            reviews.append(review_subject(client, plan, subject, only=only, reports_dir=reports_dir, due_only=due_only,
                                          jobs=jobs))
        write_index(client, plan, reports_dir)
    return reviews
