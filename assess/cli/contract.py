"""``assess contract suggest``: profile a dataset and write a starter data contract to review."""

from __future__ import annotations

import sys
from pathlib import Path

from assess.errors import InputError

# The CLI must start fast: the format list is spelled here, not imported with pandas.
_FORMATS = ("csv", "jsonl", "parquet", "txt")


def register(subparsers) -> None:
    """Add ``contract`` (with its ``suggest`` subcommand) to the ``assess`` command line."""
    parser = subparsers.add_parser("contract", help="data contracts for the data-quality assessment")
    commands = parser.add_subparsers(dest="contract_command", metavar="SUBCOMMAND")
    suggest = commands.add_parser(
        "suggest", help="profile a dataset and write a starter contract for a person to review",
        description="Profile PATH and write a starter data contract (YAML) describing it. The result "
                    "describes the data as it is: review every rule before using it.")
    suggest.add_argument("path", metavar="PATH", help="dataset file (csv, jsonl, parquet or txt)")
    suggest.add_argument("--out", metavar="CONTRACT.yaml", help="write here instead of standard output")
    suggest.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    suggest.add_argument("--format", choices=_FORMATS, help="file format (default: from the extension)")
    suggest.add_argument("--dataset", help="dataset name written in the contract (default: the file name)")
    suggest.add_argument("--id-column", metavar="I", help="column holding the record id")
    suggest.add_argument("--text-column", metavar="T", help="column holding the text")
    suggest.add_argument("--label-column", metavar="L", help="column holding the label")
    suggest.set_defaults(func=suggest_command)
    parser.set_defaults(func=lambda args: _usage(parser))


def _usage(parser) -> int:
    parser.print_help()
    return 2


def suggest_command(args) -> int:
    """Handle ``assess contract suggest``; return the exit code."""
    from assess.datasets import detect_format, read_frame
    from assess.quality.suggest import suggest_contract

    path = Path(args.path)
    if not path.is_file():
        raise InputError(f"dataset {path} does not exist: pass the path of a csv, jsonl, parquet or txt file")
    fmt = detect_format(path, args.format)
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not args.force:
        raise InputError(f"{out} exists: choose another --out, or pass --force to overwrite it")
    frame = read_frame(path, fmt)
    text = suggest_contract(frame, dataset=args.dataset or path.stem, source=str(path),
                            id_column=args.id_column, text_column=args.text_column, label_column=args.label_column)
    if out is None:
        sys.stdout.write(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}: review every rule before using it (see the comments)", file=sys.stderr)
    return 0
