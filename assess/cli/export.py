"""``assess export REVIEW_ID|SUBJECT --out bundle.zip``: one review's evidence as a self-contained bundle."""

from __future__ import annotations

from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("export", help="write one review's evidence as a bundle that verifies with no store")
    parser.add_argument("review", metavar="REVIEW_ID|SUBJECT", help="a review id (or review run id), or a subject for its latest review")
    parser.add_argument("--out", type=Path, required=True, help="the zip to write, e.g. bundle.zip")
    parser.add_argument("--reports", type=Path, default=Path("reports"),
                        help="folder of the rendered reports to include (default: ./reports)")
    parser.add_argument("--tracking-uri", help="MLflow tracking URI (default: $MLFLOW_TRACKING_URI or ./mlruns)")
    parser.set_defaults(func=handle)


def handle(args) -> int:
    from assess import tracking
    from assess.bundle import export, resolve_review
    from assess.cli.verify import print_report
    from assess.sources import StoreEvidence
    from assess.verify import verify_review

    client = tracking.existing_store_client(args.tracking_uri, Path.cwd())
    source = StoreEvidence(client, args.reports, str(args.reports))
    review = resolve_review(client, args.review)
    # Evidence that does not verify in the store is not handed over as if it did.
    report = verify_review(source, review.info.run_id)
    if report.problems:
        print(f"not exported: review {review.data.tags.get(tracking.TAG_REVIEW_ID)} does not verify")
        return print_report(report)
    summary = export(source, review, args.out)
    for note in report.notes:
        print(f"note: {note}")
    print(f"exported review {summary['review_id']} of {summary['subject']} ({summary['verdict'].upper()}, "
          f"{len(summary['files'])} files) -> {args.out}")
    return 0
