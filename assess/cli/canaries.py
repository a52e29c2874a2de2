"""``assess canaries``: make a team's canaries and plant them in a training file before training.

``assess canaries make --out FILE [--n N] [--seed S] [--lang zh|en]``
``assess canaries insert --canaries FILE --into DATA --out DATA2 [--repeats 1,5,20] [--id-column id] [--text-column text]``

The canary file format is in ``docs/canaries.md``; ``model_leakage`` reads it as ``canaries_file``.
Canary texts are secrets: this command never prints them.
"""

from __future__ import annotations

from pathlib import Path


def register(subparsers) -> None:
    """Add the ``canaries`` command and its ``make`` / ``insert`` subcommands."""
    parser = subparsers.add_parser(
        "canaries",
        help="make canaries and insert them into training data (for model_leakage's exposure test)",
        description="Canaries are random secrets planted in the training data before training; model_leakage "
        "measures afterwards how strongly the model prefers them (exposure). Format: docs/canaries.md.",
    )
    actions = parser.add_subparsers(dest="canaries_command", metavar="ACTION")

    make = actions.add_parser("make", help="write a canary file of N random canaries of one format")
    make.add_argument("--out", required=True, help="canary file to write (JSON Lines)")
    make.add_argument("--n", type=int, default=12, help="number of canaries (default 12: 3 per group with --repeats 1,5,20)")
    make.add_argument("--seed", type=int, default=None, help="seed of the secrets (default: a random seed, not recorded)")
    make.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of the canary sentence (default zh)")
    make.set_defaults(func=_make)

    insert = actions.add_parser("insert", help="add each canary to a training file as often as its group says")
    insert.add_argument("--canaries", required=True, help="canary file (written by make, or the team's own)")
    insert.add_argument("--into", required=True, help="training file: csv, jsonl, parquet or txt (.gz/.zst too)")
    insert.add_argument("--out", required=True, help="training file with the canaries, same format as its suffix says")
    insert.add_argument("--repeats", default=None,
                        help="insertion counts of the groups, e.g. 1,5,20 (a control group of 0 is always added); "
                             "default: the repetitions the canary file records, else 1,5,20")
    insert.add_argument("--id-column", default="id", help="id column of the training file (default id)")
    insert.add_argument("--text-column", default="text", help="text column of the training file (default text)")
    insert.add_argument("--seed", type=int, default=0, help="seed of the positions the canaries are inserted at")
    insert.set_defaults(func=_insert)

    parser.set_defaults(func=lambda args: (parser.print_help(), 2)[1])


def _make(args) -> int:
    import secrets

    from assess.errors import InputError
    from assess.leakage.canaries import make_canaries
    from assess.leakage.canary_file import MAKE_FORMATS, write_canary_file

    if args.n < 1:
        raise InputError(f"--n {args.n}: make at least 1 canary")
    seed = args.seed if args.seed is not None else secrets.randbits(63)
    made = make_canaries(MAKE_FORMATS[args.lang], seed=seed, repetitions=(0,), per_repetition=args.n)
    unplanted = [type(c)(f"k{i:03d}", c.text, c.index, -1) for i, c in enumerate(made.canaries, start=1)]
    path = write_canary_file(type(made)(made.template, made.seed, (), 0, unplanted), args.out)
    print(f"wrote {len(unplanted)} canaries ({made.format.space_bits:.1f} bits of secret each) to {path}; "
          "keep this file as secret as the training data, and plant them with assess canaries insert")
    return 0


def _insert(args) -> int:
    from assess.datasets import check_columns, detect_format, read_frame
    from assess.errors import InputError
    from assess.leakage.canaries import insert_canaries
    from assess.leakage.canary_file import read_canary_file, with_repetitions, write_canary_file

    canaries = read_canary_file(args.canaries, require_repetitions=False)
    recorded = all(c.repetitions >= 0 for c in canaries.canaries)
    if args.repeats is not None or not recorded:
        try:
            counts = [int(v) for v in (args.repeats or "1,5,20").split(",") if v.strip()]
        except ValueError:
            raise InputError(f"--repeats {args.repeats!r}: give whole numbers separated by commas, e.g. 1,5,20") from None
        canaries = with_repetitions(canaries, counts)
    source, target = Path(args.into), Path(args.out)
    if source.resolve() == target.resolve():
        raise InputError(f"--out {target} is the --into file: write the planted copy to a new file")
    fmt, out_fmt = detect_format(source), detect_format(target)
    frame = read_frame(source, fmt)
    if fmt == "txt":  # one record a line; the id is the line number
        id_column, text_column = "id", "text"
    else:
        id_column, text_column = args.id_column, args.text_column
        check_columns(frame.columns, [id_column, text_column], role="--into", file_name=source.name,
                      where="--id-column/--text-column")
    planted = insert_canaries(frame, canaries, id_column=id_column, text_column=text_column, seed=args.seed)
    _write(planted, target, out_fmt, text_column)
    write_canary_file(canaries, args.canaries)  # the record of how often each canary was planted
    inserted = sum(c.repetitions for c in canaries.canaries)
    groups = ", ".join(f"{sum(c.repetitions == r for c in canaries.canaries)} x {r}" for r in canaries.repetitions)
    print(f"wrote {target}: {len(frame)} records + {inserted} canary records (canaries x repetitions: {groups}); "
          f"repetitions recorded in {args.canaries}")
    return 0


def _write(frame, path: Path, fmt: str, text_column: str) -> None:
    """Write ``frame`` as ``fmt``; a ``.gz``/``.zst`` suffix compresses it (pandas infers it)."""
    from assess.compression import compression

    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    elif fmt == "parquet":
        frame.to_parquet(path, index=False)
    else:
        text = "\n".join(frame[text_column].astype(str)) + "\n"
        path.write_bytes(_compressed(text.encode("utf-8"), compression(path)))


def _compressed(data: bytes, kind: str | None) -> bytes:
    if kind == "gzip":
        import gzip

        return gzip.compress(data)
    if kind == "zstd":
        import zstandard

        return zstandard.ZstdCompressor().compress(data)
    return data
