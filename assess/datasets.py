"""Reading a plan's datasets, with errors a person can act on.

Each reader returns a pandas DataFrame for one file or yields chunks of it, so that the same
checks run on a chunk here and on a Spark partition elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from assess.errors import InputError
from assess.plan import DatasetSpec


def _check_utf8(path: Path) -> None:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError(
                    f"dataset {path} is not UTF-8 (line {number}): re-encode it, "
                    f"e.g. iconv -f GB18030 -t UTF-8 {path.name} > {path.stem}.utf8{path.suffix}"
                ) from None


def read_frame(path: Path, fmt: str, *, chunksize: int | None = None):
    """Read a csv / jsonl / parquet / txt file into a DataFrame (or an iterator of chunks).

    A txt file gives one record per line in a column ``text``, with ``id`` the line number.
    """
    if fmt == "csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=chunksize, encoding="utf-8")
    if fmt == "jsonl":
        return pd.read_json(path, lines=True, dtype=False, chunksize=chunksize, encoding="utf-8")
    if fmt == "parquet":
        frame = pd.read_parquet(path)
        return frame if chunksize is None else (frame.iloc[i:i + chunksize] for i in range(0, len(frame), chunksize))
    if fmt == "txt":
        lines = path.read_text(encoding="utf-8").splitlines()
        frame = pd.DataFrame({"id": [str(i) for i in range(1, len(lines) + 1)], "text": lines})
        return frame if chunksize is None else (frame.iloc[i:i + chunksize] for i in range(0, len(frame), chunksize))
    raise InputError(f"dataset {path}: format {fmt!r} is not supported: use csv, jsonl, parquet or txt")


def load_dataset(spec: DatasetSpec) -> pd.DataFrame:
    """Load a plan dataset and check that it can be reviewed.

    Raises
    ------
    InputError
        The file is missing, not UTF-8, not parseable, empty, or lacks a column the plan names.
    """
    path = spec.path
    if not path.exists():
        raise InputError(f"dataset {spec.role!r}: {path} does not exist: fix datasets.{spec.role}.path in the plan")
    if spec.format != "parquet":
        _check_utf8(path)
    try:
        frame = read_frame(path, spec.format)
    except pd.errors.EmptyDataError:
        raise InputError(f"dataset {spec.role!r}: {path} is empty: provide at least one record") from None
    except (ValueError, json.JSONDecodeError, pd.errors.ParserError) as exc:
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"dataset {spec.role!r}: {path} is not valid {spec.format} ({first_line}): fix the file or its format") from None
    if frame.empty:
        raise InputError(f"dataset {spec.role!r}: {path} has no records: provide at least one record")
    missing = [c for c in spec.columns() if c not in frame.columns]
    if missing:
        raise InputError(
            f"dataset {spec.role!r}: column {missing[0]!r} named in the plan is not in {path.name} "
            f"(columns: {', '.join(map(str, frame.columns))}): fix the plan's column name"
        )
    if spec.id_column:
        frame[spec.id_column] = frame[spec.id_column].astype(str)
    return frame


def iter_chunks(spec: DatasetSpec, chunksize: int = 50_000) -> Iterator[pd.DataFrame]:
    """Yield a plan dataset in chunks, for files larger than memory."""
    if not spec.path.exists():
        raise InputError(f"dataset {spec.role!r}: {spec.path} does not exist: fix datasets.{spec.role}.path in the plan")
    yield from read_frame(spec.path, spec.format, chunksize=chunksize)
