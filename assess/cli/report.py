"""``assess report REVIEW_ID --format docx|pdf``: the self-assessment report draft of a review, from its evidence."""

from __future__ import annotations


def register(subparsers) -> None:
    parser = subparsers.add_parser("report", help="write the algorithm security self-assessment report (算法安全自评估报告) "
                                                  "of a review as docx or PDF, from the evidence store")
    parser.add_argument("review", nargs="?", help="a review id (e.g. 20261202T140435Z-3fa9c1), or a subject for its latest review")
    parser.add_argument("--format", choices=("docx", "pdf"), default="docx", help="output format (default docx)")
    parser.add_argument("--lang", choices=("zh", "en"), help="one language only (default: Chinese first with English)")
    parser.add_argument("--out", help="the file to write (default: reports/<subject>/<review id>/self_assessment[.LANG].FORMAT)")
    parser.add_argument("--list", action="store_true", help="list the reviews of the store and exit")
    parser.add_argument("--tracking-uri", help="MLflow tracking URI (default: $MLFLOW_TRACKING_URI or ./mlruns)")
    parser.set_defaults(func=handle)


def handle(args) -> int:
    from pathlib import Path

    from assess import tracking
    from assess.errors import InputError

    if bool(args.review) == bool(args.list):
        raise InputError("give a REVIEW_ID (or a subject) or --list: e.g. `assess report demo-assistant --format pdf`")
    client = tracking.existing_store_client(args.tracking_uri, Path.cwd())
    from assess import selfreport

    if args.list:
        rows = selfreport.review_rows(client)
        if not rows:
            print(f"no review in {tracking.without_user_info(client.tracking_uri)}: run `assess run` first")
        for subject, review_id, started, verdict in rows:
            print(f"{subject:<24} {review_id:<26} {started}  {verdict}")
        return 0
    if args.out and Path(args.out).is_dir():
        raise InputError(f"--out {args.out} is a folder: give the file to write, e.g. {Path(args.out) / ('self_assessment.' + args.format)}")
    content = selfreport.gather(client, args.review)
    lang = args.lang or "both"
    suffix = f".{args.lang}" if args.lang else ""
    out = Path(args.out) if args.out else Path("reports") / content.subject / content.review_id / f"self_assessment{suffix}.{args.format}"
    writer = selfreport.write_docx if args.format == "docx" else selfreport.write_pdf
    writer(content, out, lang)
    print(f"{out}: self-assessment report of review {content.review_id} of {content.subject} "
          f"({content.verdict.upper()}, {len(content.open_findings)} open finding(s))")
    for line in content.verification:
        print(line)
    if content.verification:  # written all the same, saying so: the reader sees which evidence is in doubt
        print(f"FAILED: the review's evidence does not verify ({len(content.verification)} problem(s)); the report says so")
        return 1
    return 0
