"""Scanning and redacting whole files: chunks streamed through a pool of worker processes.

The parent reads chunk *n+k* while workers scan chunks *n..n+k-1*; results come back in file
order, findings go to a JSONL file as they arrive, and a redacted copy is written chunk by chunk.
"""

from __future__ import annotations

import json
import multiprocessing
import time
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import compress
from pathlib import Path

import pandas as pd

from assess.errors import InputError
from assess.pii.engine import DEFAULT_MIN_CONFIDENCE, get_engine
from assess.pii.files import (DEFAULT_CHUNK_SIZE, choose_columns, cpu_count, detect_format, iter_chunks, payload,
                              task_columns)
from assess.pii.findings import FINDING_COLUMNS, default_key, is_flag
from assess.pii.flag_settings import FlagSettings
from assess.pii.frames import _types, as_texts
from assess.pii.redact import check_mode, redact_values

#: Columns of a file scan's findings: :data:`FINDING_COLUMNS` plus the record's position in the file.
FILE_FINDING_COLUMNS = ("row",) + FINDING_COLUMNS + ("identifying",)

_WORKER: dict = {}


def _init_worker(key: bytes, min_confidence: float, types, mode: str | None, ner_model: str | None = None,
                 flags: FlagSettings | None = None) -> None:
    from assess.pii.ner import load_ner

    _WORKER.update(key=key, min_confidence=min_confidence, types=types, mode=mode,
                   ner=load_ner(ner_model) if ner_model else None, flags=flags)
    get_engine(flags)  # compile once per process, before the first chunk


def _process(task: dict) -> dict:
    """Scan (and redact) one chunk; runs in a worker or in the parent."""
    key, min_confidence, types, mode = _WORKER["key"], _WORKER["min_confidence"], _WORKER["types"], _WORKER["mode"]
    ner = _WORKER["ner"]
    engine = get_engine(_WORKER["flags"])
    offset = task["row_offset"]
    ids, columns, records = task_columns(task)
    rows: list[tuple] = []
    redacted: dict[str, list] = {}
    characters = 0
    for column, values in columns.items():
        if mode is None:
            texts, positions = as_texts(values)
            characters += sum(map(len, texts))
            found = engine.scan_batch(texts, key=key, min_confidence=min_confidence, column=column, types=types, ner=ner)
        else:
            redacted[column], per_value = redact_values(values, mode=mode, key=key, column=column,
                                                        min_confidence=min_confidence, types=types, ner=ner)
            positions = [i for i, f in enumerate(per_value) if f]
            found = [per_value[i] for i in positions]
        for position, findings in compress(zip(positions, found), found):  # records with findings only
            record_id = ids[position] if ids is not None else offset + position
            for f in findings:
                rows.append((offset + position, record_id, column, f.type, f.start, f.end, f.masked, f.confidence,
                             f.value_hash, f.category, f.sensitive, f.identifying))
    rows.sort(key=lambda r: (r[0], r[2], r[4]))
    done = {"rows": rows, "records": task["records"], "characters": characters, "redacted": redacted}
    if mode is not None and records is not None:  # jsonl: the redacted copy's lines, written here, in the worker
        done["lines"] = _redacted_jsonl(records, redacted)
    return done


def _redacted_jsonl(records: list[dict], redacted: dict[str, list]) -> list[str]:
    """The lines of a redacted jsonl copy: each object with its scanned fields redacted, the rest as it was."""
    lines = []
    for i, record in enumerate(records):
        for column, values in redacted.items():
            if column in record:
                record[column] = values[i]
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    return lines


@dataclass
class ScanResult:
    """Outcome of scanning a file."""

    path: Path
    format: str
    columns: list[str]
    records: int = 0
    characters: int = 0
    seconds: float = 0.0
    processes: int = 1
    findings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(FILE_FINDING_COLUMNS)))

    @property
    def bytes(self) -> int:
        """Size of the file on disk."""
        from assess.datasets import dataset_bytes

        return dataset_bytes(self.path, self.format)


def _pool(processes: int, initargs: tuple):
    if processes <= 1:
        _init_worker(*initargs)
        return None
    # fork: workers inherit the compiled engine and start at once; spawn elsewhere.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method).Pool(processes, initializer=_init_worker, initargs=initargs)


def _run(tasks: Iterable[tuple[object, dict]], processes: int, initargs: tuple):
    """Yield ``(context, result)`` in input order, with at most ``2 * processes`` tasks in flight."""
    pool = _pool(processes, initargs)
    if pool is None:
        for context, task in tasks:
            yield context, _process(task)
        return
    try:
        pending: deque = deque()
        for context, task in tasks:
            pending.append((context, pool.apply_async(_process, (task,))))
            if len(pending) >= 2 * processes:
                context, result = pending.popleft()
                yield context, result.get()
        while pending:
            context, result = pending.popleft()
            yield context, result.get()
    finally:
        pool.terminate()
        pool.join()


def _resolve_processes(processes: int | None) -> int:
    if processes is None or processes == 0:
        return cpu_count()
    if processes < 0:
        raise InputError(f"processes must be 0 (all cores) or more (got {processes})")
    return processes


def _write_rows(handle, rows: Sequence[tuple]) -> None:
    for row in rows:
        handle.write(json.dumps(dict(zip(FILE_FINDING_COLUMNS, row)), ensure_ascii=False, default=str) + "\n")


def scan_file(path, *, fmt: str | None = None, columns: Sequence[str] | None = None, id_column: str | None = None,
              key: bytes | None = None, chunk_size: int = DEFAULT_CHUNK_SIZE, processes: int | None = None,
              min_confidence: float = DEFAULT_MIN_CONFIDENCE, types: Iterable[str] | None = None,
              out=None, collect: bool = True, ner_model: str | None = None,
              flags: FlagSettings | None = None) -> ScanResult:
    """Scan a csv / jsonl / parquet / txt file for personal information, chunk by chunk, on every core.

    Parameters
    ----------
    path : path-like
        The file; its format comes from the suffix unless ``fmt`` is given.
    columns : sequence of str, optional
        Text columns to scan; default every column holding strings except ``id_column``
        (a txt file has one column, ``text``: one record per line).
    id_column : str, optional
        Column identifying a record (reported as ``record_id``); default the record's position.
    key : bytes, optional
        Key of the keyed hash; default :func:`assess.secrets.hash_key`.
    chunk_size : int
        Records per chunk.
    processes : int, optional
        Worker processes; None or 0: every core; 1: in this process.
    out : path-like, optional
        Write findings there as JSON lines (one object per finding), as they are found.
    collect : bool
        Keep the findings in :attr:`ScanResult.findings` (turn off for huge outputs with ``out``).
    ner_model : str, optional
        Name of a locally installed spaCy pipeline whose PERSON / LOCATION entities are added
        (never downloaded; slow, so off by default).
    flags : FlagSettings, optional
        Terms added to or excluded from the sensitive-category flags, context rules on or off
        (:func:`assess.pii.flag_settings.flag_settings`); default the built-in terms and rules.

    Returns
    -------
    ScanResult
        Records, characters, seconds and the findings (masked; with ``row``, the record's position).
    """
    path = Path(path)
    fmt = detect_format(path, fmt)
    key = key or default_key()
    processes = _resolve_processes(processes)
    chosen_types = _types(types)
    _check_ner(ner_model)
    chunks = iter_chunks(path, fmt, chunk_size)
    started = time.perf_counter()
    first = next(chunks, None)
    result = ScanResult(path=path, format=fmt, columns=[], processes=processes)
    if first is None:
        return result
    result.columns = choose_columns(first.frame, fmt, columns, id_column if fmt != "txt" else None)
    if fmt == "txt" and id_column:
        raise InputError("a txt file has no id column (a record is a line; its row is the line number - 1): drop --id-column")

    def tasks():
        for chunk in _chain(first, chunks):
            yield None, payload(chunk, result.columns, id_column)

    collected: list[tuple] = []
    handle = Path(out).open("w", encoding="utf-8") if out else None
    try:
        for _, done in _run(tasks(), processes, (key, min_confidence, chosen_types, None, ner_model, flags)):
            result.records += done["records"]
            result.characters += done["characters"]
            if handle:
                _write_rows(handle, done["rows"])
            if collect:
                collected.extend(done["rows"])
    finally:
        if handle:
            handle.close()
    result.seconds = time.perf_counter() - started
    result.findings = pd.DataFrame(collected, columns=list(FILE_FINDING_COLUMNS))
    return result


def _check_ner(ner_model: str | None) -> None:
    """Fail early, in the parent, when the NER model is not installed."""
    if ner_model:
        from assess.pii.ner import load_ner

        load_ner(ner_model)


def _chain(first, rest):
    yield first
    yield from rest


@dataclass
class RedactionResult:
    """Outcome of writing a redacted copy."""

    path: Path
    out: Path
    mode: str
    columns: list[str]
    records: int = 0
    redacted_values: int = 0
    findings: int = 0
    seconds: float = 0.0
    by_type: dict = field(default_factory=dict)


class _Writer:
    """Writes chunks of a redacted copy in the source's format."""

    def __init__(self, out: Path, fmt: str):
        self.out, self.fmt = out, fmt
        self.parquet = None
        self.schema = None
        self.first = True
        self.handle = None if fmt == "parquet" else out.open("w", encoding="utf-8", newline="")

    def write(self, chunk, done: dict) -> None:
        """Write one chunk's redacted records (``done``: the worker's result for it)."""
        redacted = done["redacted"]
        if self.fmt == "jsonl":
            self.handle.writelines(done["lines"])
        elif self.fmt == "txt":
            for line in redacted["text"]:
                self.handle.write(line + "\n")
        else:
            frame = chunk.raw.copy()
            for column, values in redacted.items():
                frame[column] = pd.Series(values, index=frame.index, dtype=object)
            if self.fmt == "csv":
                frame.to_csv(self.handle, header=self.first, index=False)
            else:
                self._write_parquet(frame)
        self.first = False

    def _write_parquet(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, schema=self.schema, preserve_index=False)
        if self.parquet is None:
            self.schema = table.schema
            self.parquet = pq.ParquetWriter(self.out, self.schema)
        self.parquet.write_table(table)

    def close(self) -> None:
        if self.handle:
            self.handle.close()
        if self.parquet is not None:
            self.parquet.close()
        elif self.fmt == "parquet" and self.first:
            pd.DataFrame().to_parquet(self.out)


def redact_file(path, out, *, mode: str = "placeholder", fmt: str | None = None, columns: Sequence[str] | None = None,
                id_column: str | None = None, key: bytes | None = None, chunk_size: int = DEFAULT_CHUNK_SIZE,
                processes: int | None = None, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
                types: Iterable[str] | None = None, ner_model: str | None = None) -> RedactionResult:
    """Write a redacted copy of a csv / jsonl / parquet / txt file (same format), chunk by chunk.

    Parameters
    ----------
    mode : {"mask", "hash", "placeholder"}
        See :func:`assess.pii.redact.redact_frame`.
    Other parameters as :func:`scan_file`; ``id_column`` is never redacted.
    """
    path, out = Path(path), Path(out)
    check_mode(mode)
    fmt = detect_format(path, fmt)
    if out.resolve() == path.resolve():
        raise InputError(f"--out {out} is the input file: write the redacted copy to another path")
    key = key or default_key()
    processes = _resolve_processes(processes)
    chosen_types = _types(types)
    _check_ner(ner_model)
    chunks = iter_chunks(path, fmt, chunk_size)
    started = time.perf_counter()
    first = next(chunks, None)
    result = RedactionResult(path=path, out=out, mode=mode, columns=[])
    out.parent.mkdir(parents=True, exist_ok=True)
    writer = _Writer(out, fmt)
    try:
        if first is not None:
            result.columns = choose_columns(first.frame, fmt, columns, id_column if fmt != "txt" else None)

            def tasks():
                for chunk in _chain(first, chunks):
                    yield chunk, payload(chunk, result.columns, id_column)

            for chunk, done in _run(tasks(), processes, (key, min_confidence, chosen_types, mode, ner_model)):
                writer.write(chunk, done)
                result.records += done["records"]
                redacted_rows = {(r[0], r[2]) for r in done["rows"] if not is_flag(r[3])}
                result.redacted_values += len(redacted_rows)
                for row in done["rows"]:
                    if not is_flag(row[3]):
                        result.findings += 1
                        result.by_type[row[3]] = result.by_type.get(row[3], 0) + 1
    finally:
        writer.close()
    result.seconds = time.perf_counter() - started
    return result
