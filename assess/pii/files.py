"""Scanning files in chunks, so that a file larger than memory works.

The chunked reader itself is :func:`assess.datasets.iter_chunks`. A chunk is read, handed to a
worker process as plain column lists (a jsonl chunk as its lines, parsed there), scanned (and
redacted), and its findings come back; at most a few chunks are in flight at once, so memory
stays bounded by the chunk size whatever the file size.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pandas as pd

from assess.datasets import DEFAULT_CHUNK_SIZE, FORMATS, Chunk, detect_format, iter_chunks  # noqa: F401 - re-exported
from assess.errors import InputError

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
    """What a worker needs from a chunk: plain lists, cheap to send to another process; a jsonl
    chunk goes as its unparsed lines, which the worker parses (see :func:`task_columns`)."""
    task = {"row_offset": chunk.row_offset, "records": len(chunk)}
    if chunk.fmt == "jsonl":
        return {**task, "jsonl": chunk.raw, "id_column": id_column, "column_names": list(columns)}
    return {**task, "ids": chunk.column(id_column) if id_column else None,
            "columns": {c: chunk.column(c) for c in columns}}


def task_columns(task: dict) -> tuple[list | None, dict[str, list], list[dict] | None]:
    """The ids, the columns to scan and (jsonl) the parsed records of a :func:`payload`."""
    if "jsonl" not in task:
        return task["ids"], task["columns"], None
    chunk = Chunk(task["jsonl"], task["row_offset"], "jsonl")
    id_column = task["id_column"]
    return (chunk.column(id_column) if id_column else None, {c: chunk.column(c) for c in task["column_names"]},
            chunk.records)


def cpu_count() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
