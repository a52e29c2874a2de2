"""Reading csv / jsonl / parquet / txt files in chunks, so that a file larger than memory works.

A chunk is read, handed to a worker process as plain column lists, scanned (and redacted), and
its findings come back; at most a few chunks are in flight at once, so memory stays bounded by
the chunk size whatever the file size.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from assess.errors import InputError

FORMATS = ("csv", "jsonl", "parquet", "txt")
#: Records per chunk by default: large enough to amortise the per-chunk work, small enough to
#: keep a few chunks per worker in memory.
DEFAULT_CHUNK_SIZE = 20_000
_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".parquet": "parquet",
             ".pq": "parquet", ".txt": "txt", ".text": "txt"}


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The file format: ``fmt`` if given, else from the suffix."""
    if fmt:
        if fmt not in FORMATS:
            raise InputError(f"format {fmt!r} is not supported: use one of {', '.join(FORMATS)}")
        return fmt
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise InputError(f"cannot tell the format of {path.name} from its suffix: name it .csv/.jsonl/.parquet/.txt or pass --format")
    return found


@dataclass
class Chunk:
    """Records ``row_offset .. row_offset + len(frame)`` of a file.

    ``frame`` holds the values to scan; ``raw`` is what a redacted copy is written from (the
    frame itself, or the list of JSON objects of a jsonl file, or the lines of a txt file).
    """

    frame: pd.DataFrame
    raw: object
    row_offset: int


def _utf8_error(path: Path) -> InputError:
    return InputError(
        f"{path} is not UTF-8: re-encode it, e.g. iconv -f GB18030 -t UTF-8 {path.name} > {path.stem}.utf8{path.suffix}"
    )


def iter_chunks(path: Path, fmt: str, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[Chunk]:
    """Yield the records of ``path`` in chunks of ``chunk_size``.

    A txt file gives one record per line in a column ``text``.
    """
    if chunk_size < 1:
        raise InputError(f"chunk size must be at least 1 (got {chunk_size})")
    if not path.exists():
        raise InputError(f"{path} does not exist: check the path")
    if not path.is_file():
        raise InputError(f"{path} is not a file: pass a csv, jsonl, parquet or txt file")
    offset = 0
    try:
        if fmt == "csv":
            try:
                reader = pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=chunk_size, encoding="utf-8")
                for frame in reader:
                    frame = frame.reset_index(drop=True)
                    yield Chunk(frame, frame, offset)
                    offset += len(frame)
            except pd.errors.EmptyDataError:
                return
            except pd.errors.ParserError as exc:
                first = str(exc).splitlines()[0]
                raise InputError(f"{path} is not valid csv ({first}): fix the file or pass --format") from None
        elif fmt == "jsonl":
            yield from _jsonl_chunks(path, chunk_size)
        elif fmt == "parquet":
            import pyarrow.parquet as pq

            try:
                parquet = pq.ParquetFile(path)
            except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a bad file
                raise InputError(f"{path} is not a readable parquet file ({type(exc).__name__}): fix the file or pass --format") from None
            for batch in parquet.iter_batches(batch_size=chunk_size):
                frame = batch.to_pandas()
                yield Chunk(frame, frame, offset)
                offset += len(frame)
        elif fmt == "txt":
            lines: list[str] = []
            with path.open(encoding="utf-8", newline="") as handle:
                for line in handle:
                    lines.append(line.rstrip("\r\n"))
                    if len(lines) == chunk_size:
                        yield Chunk(pd.DataFrame({"text": lines}), lines, offset)
                        offset += len(lines)
                        lines = []
            if lines:
                yield Chunk(pd.DataFrame({"text": lines}), lines, offset)
        else:
            raise InputError(f"format {fmt!r} is not supported: use one of {', '.join(FORMATS)}")
    except UnicodeDecodeError:
        raise _utf8_error(path) from None


def _jsonl_chunks(path: Path, chunk_size: int) -> Iterator[Chunk]:
    records: list[dict] = []
    offset = 0
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path} line {number} is not valid JSON ({exc.msg}): fix that line") from None
            if not isinstance(record, dict):
                raise InputError(f"{path} line {number} is not a JSON object: write one object per line")
            records.append(record)
            if len(records) == chunk_size:
                yield Chunk(pd.DataFrame(records, dtype=object), records, offset)
                offset += len(records)
                records = []
    if records:
        yield Chunk(pd.DataFrame(records, dtype=object), records, offset)


def choose_columns(frame: pd.DataFrame, fmt: str, columns: Sequence[str] | None, id_column: str | None) -> list[str]:
    """The columns to scan: ``columns``, or every column holding strings except the id column."""
    if id_column is not None and id_column not in frame.columns:
        raise InputError(f"id column {id_column!r} is not in the file (columns: {', '.join(map(str, frame.columns))}): fix --id-column")
    if columns:
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise InputError(f"column {missing[0]!r} is not in the file (columns: {', '.join(map(str, frame.columns))}): fix --column")
        return list(columns)
    chosen = []
    for column in frame.columns:
        if column == id_column:
            continue
        values = frame[column].dropna()
        if len(values) and values.map(lambda v: isinstance(v, str)).any():
            chosen.append(column)
    if not chosen:
        raise InputError(f"no text column found (columns: {', '.join(map(str, frame.columns))}): name one with --column")
    return chosen


def payload(chunk: Chunk, columns: Sequence[str], id_column: str | None) -> dict:
    """What a worker needs from a chunk: plain lists, cheap to send to another process."""
    frame = chunk.frame
    if isinstance(chunk.raw, list) and chunk.raw and isinstance(chunk.raw[0], str):  # txt: the lines as they are
        return {"row_offset": chunk.row_offset, "records": len(chunk.raw), "ids": None, "columns": {"text": chunk.raw}}
    return {
        "row_offset": chunk.row_offset,
        "records": len(frame),
        "ids": frame[id_column].tolist() if id_column else None,
        "columns": {c: (frame[c].tolist() if c in frame.columns else [None] * len(frame)) for c in columns},
    }


def cpu_count() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
