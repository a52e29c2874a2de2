"""``assess run [PLAN]``: run the planned reviews and render their reports."""

from __future__ import annotations

from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("run", help="run the review of each subject in a plan")
    parser.add_argument("plan", nargs="?", default="review.yaml", help="review plan (default: review.yaml)")
    parser.add_argument("--subject", action="append", help="review only this subject (repeatable)")
    parser.add_argument("--only", action="append", metavar="ASSESSMENT", help="run only this assessment (repeatable)")
    parser.add_argument("--due", action="store_true", help="run only the assessments that are due (see `assess due`)")
    parser.add_argument("--reports", type=Path, help="folder for rendered reports (default: the plan's reports/)")
    parser.add_argument("--tracking-uri", help="MLflow tracking URI (default: $MLFLOW_TRACKING_URI or the embedded store)")
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="run N assessments of a review at a time, each in its own kernel "
                             "(default: the cores, at most the number of assessments; 1: one after another)")
    parser.add_argument("--verbose", action="store_true",
                        help="show what libraries and kernels print (default: kept in each review's logs/console.log)")
    parser.set_defaults(func=handle)


def _terminated(signum, frame) -> None:
    # SIGTERM (a CI job cancelled, a scheduler stopping) unwinds like Ctrl-C, so the review closes its runs.
    raise SystemExit(128 + signum)


def handle(args) -> int:
    import signal

    # Only while the command runs: a process that calls main() (a test, a notebook, a scheduler in
    # Python) keeps its own SIGTERM behaviour, and so do the worker processes it forks later.
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        return _run(args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(args) -> int:
    import contextlib

    from assess import console
    from assess.plan import load_plan
    from assess.runner import exit_code, run_plan

    plan = load_plan(args.plan)
    due = None
    if args.due:
        from assess.schedule import due_assessments

        due = due_assessments(plan, tracking_uri=args.tracking_uri)
    with contextlib.nullcontext() if args.verbose or console.verbose_requested() else console.captured():
        reviews = run_plan(plan, subjects=args.subject, only=args.only, tracking_uri=args.tracking_uri,
                           reports_dir=args.reports, due=due, jobs=args.jobs)
    for review in reviews:
        print(f"{review.subject}: review {review.review_id} -> {review.verdict.upper()} (run {review.run_id})")
        if review.error:
            print(f"  error: {review.error}")
        width = max([22, *(len(result.assessment) for result in review.results)])
        for result in review.results:
            line = f"  {result.assessment:<{width}} {result.verdict.upper():<8} {result.seconds:6.1f} s  run {result.run_id}"
            print(line + (f"\n    error: {result.error}" if result.error else ""))
    reports = args.reports or plan.reports_dir or plan.root / "reports"
    print(f"index: {Path(reports) / 'index.html'}")
    code = exit_code(reviews)
    print(EXIT_MEANINGS[code])
    return code


#: The closing line of `assess run`: what its exit status says.
EXIT_MEANINGS = {
    0: "exit 0: every assessment passed (warnings, if any, are in the reports)",
    1: "exit 1: at least one check failed, so the review's verdict is FAIL; the reports name each failed check",
    2: "exit 2: at least one assessment could not run; its notebook in the reports shows the error",
}
