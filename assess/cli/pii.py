"""``assess pii``: scan a dataset for personal information, or write a redacted copy.

    assess pii scan data.csv --column text --id-column id --out findings.jsonl
    assess pii redact data.jsonl --out redacted.jsonl --mode placeholder

Output never shows a raw value: the summary has counts per type, the findings file has masked
values and keyed hashes (key: ``ASSESS_HASH_KEY`` / ``ASSESS_HASH_KEY_FILE`` / ``.assess/hash.key``).
"""

from __future__ import annotations

import argparse

FORMATS = ("csv", "jsonl", "parquet", "txt")
MODES = ("mask", "hash", "placeholder")


def register(subparsers) -> None:
    """Add ``assess pii scan`` and ``assess pii redact``."""
    parser = subparsers.add_parser(
        "pii", help="scan data for personal information (PIPL) or write a redacted copy",
        description="Scan csv/jsonl/parquet/txt data for personal information, or write a redacted copy. "
                    "Files are streamed in chunks on every core; no raw value is ever printed or written.",
    )
    actions = parser.add_subparsers(dest="pii_action", metavar="ACTION")
    parser.set_defaults(func=lambda args: _usage(parser))

    scan = actions.add_parser("scan", help="report personal information found in a file",
                              description="Print a summary per type and write one JSON object per finding.")
    _common(scan)
    scan.add_argument("--out", metavar="FINDINGS.jsonl", help="write findings here, one JSON object per line")
    scan.set_defaults(func=_scan)

    redact = actions.add_parser("redact", help="write a copy with personal information replaced",
                                description="Write a redacted copy in the same format; keyword flags stay.")
    _common(redact)
    redact.add_argument("--out", required=True, metavar="PATH", help="where to write the redacted copy")
    redact.add_argument("--mode", choices=MODES, default="placeholder",
                        help="mask: 138****5678; hash: <CN_MOBILE:keyed hash>; placeholder: <CN_MOBILE> (default)")
    redact.set_defaults(func=_redact)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", help="csv, jsonl, parquet or txt file (txt: one record per line)")
    parser.add_argument("--column", action="append", dest="columns", metavar="C",
                        help="text column to scan (repeatable; default: every string column)")
    parser.add_argument("--id-column", metavar="ID", help="column identifying a record (default: its row number)")
    parser.add_argument("--format", choices=FORMATS, help="file format (default: from the suffix)")
    parser.add_argument("--type", action="append", dest="types", metavar="TYPE", help="only this finding type (repeatable)")
    parser.add_argument("--min-confidence", type=float, default=0.5, help="drop findings below this (default 0.5)")
    parser.add_argument("--chunk-size", type=int, default=20_000, help="records per chunk (default 20000)")
    parser.add_argument("--processes", type=int, default=0, help="worker processes (default 0: every core)")
    parser.add_argument("--ner-model", metavar="NAME",
                        help="NER for names and addresses, never downloaded: 'lac' (Chinese, pip install "
                             "'assess[ner]') or an installed spaCy package; slow (default: heuristics only)")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _check(args) -> None:
    from assess.errors import InputError

    from pathlib import Path

    if Path(args.path).is_dir():
        raise InputError(f"{args.path} is a directory: pass one csv, jsonl, parquet or txt file")
    if not 0.0 <= args.min_confidence <= 1.0:
        raise InputError(f"--min-confidence must be between 0 and 1 (got {args.min_confidence})")


def _scan(args) -> int:
    import pandas as pd

    from assess.pii import scan_file
    from assess.pii.summary import record_summary, type_table

    _check(args)
    result = scan_file(args.path, fmt=args.format, columns=args.columns, id_column=args.id_column,
                       chunk_size=args.chunk_size, processes=args.processes, min_confidence=args.min_confidence,
                       types=args.types, out=args.out, ner_model=args.ner_model)
    megabytes = result.bytes / 1e6
    rate = f", {megabytes / result.seconds:.1f} MB/s" if result.seconds > 0 else ""
    print(f"scanned {result.path} ({result.format}): {result.records:,} records, column(s) "
          f"{', '.join(map(str, result.columns)) or '-'}; {result.processes} process(es), {result.seconds:.2f} s{rate}")
    table = type_table(result.findings, result.records)
    if table.empty:
        print("no personal information found")
    else:
        table["sensitive"] = table["sensitive"].map({True: "yes", False: "no"})
        table["distinct_values"] = [("-" if pd.isna(v) else str(v)) for v in table["distinct_values"]]
        print(table.to_string(index=False))
        summary = record_summary(result.findings, result.records)
        print(f"records with personal information: {summary['records_with_pi']:,} of {summary['records']:,} "
              f"({summary['pi_record_share']:.2%}); with sensitive personal information: "
              f"{summary['records_with_sensitive_pi']:,} ({summary['sensitive_record_share']:.2%})")
    if args.out:
        print(f"findings written to {args.out} ({len(result.findings):,} lines; masked values and keyed hashes only)")
    return 0


def _redact(args) -> int:
    from assess.pii import redact_file

    _check(args)
    result = redact_file(args.path, args.out, mode=args.mode, fmt=args.format, columns=args.columns,
                         id_column=args.id_column, chunk_size=args.chunk_size, processes=args.processes,
                         min_confidence=args.min_confidence, types=args.types, ner_model=args.ner_model)
    print(f"redacted {result.path} -> {result.out} (mode {result.mode}): {result.records:,} records, "
          f"{result.redacted_values:,} values changed, {result.findings:,} identifiers replaced in {result.seconds:.2f} s")
    for finding_type, count in sorted(result.by_type.items(), key=lambda item: (-item[1], item[0])):
        print(f"  {finding_type:22s} {count:,}")
    return 0
