"""``assess contract suggest``: profile a dataset and write a starter data contract to review."""

from __future__ import annotations

import sys
from pathlib import Path

from assess.errors import InputError

_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".json": "jsonl", ".parquet": "parquet", ".txt": "txt"}


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
    suggest.add_argument("--format", choices=sorted(set(_FORMATS.values())), help="file format (default: from the extension)")
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
    from assess.datasets import read_frame
    from assess.quality.suggest import suggest_contract

    path = Path(args.path)
    if not path.is_file():
        raise InputError(f"dataset {path} does not exist: pass the path of a csv, jsonl, parquet or txt file")
    fmt = args.format or _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"dataset {path}: cannot tell the format from {path.suffix or 'no extension'!r}: pass --format")
    out = Path(args.out) if args.out else None
    if out is not None and out.exists() and not args.force:
        raise InputError(f"{out} exists: choose another --out, or pass --force to overwrite it")
    try:
        frame = read_frame(path, fmt)
    except UnicodeDecodeError:
        raise InputError(f"dataset {path} is not UTF-8: re-encode it (e.g. iconv -f GB18030 -t UTF-8)") from None
    except Exception as exc:  # noqa: BLE001 - parser errors differ by format; the user needs one line
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"dataset {path} is not valid {fmt} ({first}): fix the file or pass --format") from None
    text = suggest_contract(frame, dataset=args.dataset or path.stem, source=str(path),
                            id_column=args.id_column, text_column=args.text_column, label_column=args.label_column)
    if out is None:
        sys.stdout.write(text)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}: review every rule before using it (see the comments)", file=sys.stderr)
    return 0
