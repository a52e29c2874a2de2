"""``assess label``: write and check AI-generated-content labels (GB 45438-2025).

``assess label mark FILE --producer NAME [--produce-id ID] [--explicit] [--watermark] [--out OUT]``
``assess label check PATH [--require-explicit] [--no-watermark]``
"""

from __future__ import annotations


def register(subparsers) -> None:
    """Add the ``label`` command and its ``mark`` / ``check`` subcommands."""
    parser = subparsers.add_parser(
        "label",
        help="write or check AIGC content labels (metadata, visible notice, watermark)",
        description="Labels on AI-generated content per the Labeling Measures and GB 45438-2025 "
        "(PNG, JPEG, WAV, UTF-8 text; formats are recognised by their magic bytes).",
    )
    actions = parser.add_subparsers(dest="label_command", metavar="ACTION")

    mark = actions.add_parser("mark", help="add the metadata label (and optionally the explicit label / watermark)")
    mark.add_argument("file", help="PNG, JPEG, WAV or UTF-8 text file")
    mark.add_argument("--producer", required=True, help="ContentProducer: provider name or code (ASCII, no spaces)")
    mark.add_argument("--produce-id", default=None, help="ProduceID: unique content ID (default: a random UUID)")
    mark.add_argument("--label", default="1", choices=["1", "2", "3"], help="Label: 1 generated, 2 possibly, 3 suspected")
    mark.add_argument("--explicit", action="store_true", help="also add the explicit label (notice AI生成 / 短长短短 cue)")
    mark.add_argument("--watermark", action="store_true", help="also embed the invisible watermark (images)")
    mark.add_argument("--out", default=None, help="output file (default: rewrite FILE in place)")
    mark.set_defaults(func=_mark)

    check = actions.add_parser("check", help="report which labels each file carries; exit 1 if any file fails")
    check.add_argument("path", help="a file or a folder (searched recursively)")
    check.add_argument("--require-explicit", action="store_true", help="fail files without a conforming explicit label")
    check.add_argument("--no-watermark", action="store_true", help="skip decoding the image watermark")
    check.set_defaults(func=_check)

    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])


def _mark(args) -> int:
    from assess.content_labels.mark import mark_file

    result = mark_file(
        args.file, out=args.out, producer=args.producer, produce_id=args.produce_id, label=args.label,
        explicit=args.explicit, watermark=args.watermark,
    )
    target = args.out or args.file
    added = ["metadata label"] + (["explicit label"] if result.explicit else []) + (["watermark"] if result.watermark else [])
    print(f"{target}: {result.format}: added {', '.join(added)}; ProduceID={result.label.produce_id}")
    if not result.integrity_code:
        print("note: ASSESS_LABEL_KEY is not set, so no ReservedCode1 integrity code was written")
    return 0


def _check(args) -> int:
    from assess.content_labels.check import check_path, reports_table

    reports = check_path(args.path, require_explicit=args.require_explicit, watermark=not args.no_watermark)
    table = reports_table(reports)
    with __import__("pandas").option_context("display.width", 200, "display.max_colwidth", 90):
        print(table.to_string(index=False))
    failed = sum(not r.passed for r in reports)
    print(f"\n{len(reports) - failed} of {len(reports)} file(s) pass")
    return 1 if failed else 0
