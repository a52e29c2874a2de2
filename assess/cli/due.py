"""``assess due [PLAN]``: what is due, from the evidence store; exit 3 when anything is overdue."""

from __future__ import annotations

EXIT_OVERDUE = 3


def register(subparsers) -> None:
    parser = subparsers.add_parser("due", help="list each planned assessment's last review and next due date")
    parser.add_argument("plan", nargs="?", default="review.yaml", help="review plan (default: review.yaml)")
    parser.add_argument("--subject", action="append", help="only this subject (repeatable)")
    parser.add_argument("--tracking-uri", help="MLflow tracking URI (default: $MLFLOW_TRACKING_URI or the embedded store)")
    parser.set_defaults(func=handle)


def _day(moment) -> str:
    return moment.strftime("%Y-%m-%d") if moment else "—"


def handle(args) -> int:
    from datetime import datetime, timezone

    from assess import tracking
    from assess.plan import load_plan
    from assess.schedule import due_status

    plan = load_plan(args.plan)
    client, uri = tracking.read_only_client(args.tracking_uri, plan.root, plan.tracking_uri)
    if client is None:
        print(f"nothing reviewed yet: {tracking.no_store_message(uri)}")
    now = datetime.now(timezone.utc)
    lines = due_status(client, plan, args.subject)
    print(f"{'subject':<18} {'assessment':<22} {'every':>6}  {'last review':<11} {'verdict':<8} {'next due':<11} status")
    for line in lines:
        status = "NEVER REVIEWED" if line.never_reviewed else ("OVERDUE" if line.overdue(now) else "ok")
        every = f"{line.every_days}d" if line.every_days else "—"
        print(f"{line.subject:<18} {line.assessment:<22} {every:>6}  {_day(line.last_review):<11} "
              f"{(line.last_verdict or '—'):<8} {_day(line.next_due):<11} {status}")
    overdue = [line for line in lines if line.overdue(now)]
    if overdue:
        print(f"{len(overdue)} assessment(s) overdue or never reviewed: run `assess run --due {args.plan}`")
        return EXIT_OVERDUE
    return 0
