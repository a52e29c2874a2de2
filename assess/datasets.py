"""Reading a plan's datasets, with errors a person can act on.

Each reader returns a pandas DataFrame for one file or yields chunks of it, so that the same
checks run on a chunk here and on a Spark partition elsewhere.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import orjson
import pandas as pd

from assess.compression import compression, data_suffix, open_binary, open_text
from assess.errors import InputError
from assess.plan import DatasetSpec

FORMATS = ("csv", "jsonl", "parquet", "txt")
#: Records per chunk by default: large enough to amortise the per-chunk work, small enough to
#: keep a few chunks per worker in memory.
DEFAULT_CHUNK_SIZE = 20_000
_SUFFIXES = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".parquet": "parquet",
             ".pq": "parquet", ".txt": "txt", ".text": "txt"}


def data_files(folder: Path, fmt: str | None = None) -> list[Path]:
    """The part files of a dataset folder, in path order (Spark's ``part-00000...`` order).

    Hidden and bookkeeping files (``.part.crc``, ``_SUCCESS``, ``_committed_*``) are not data, nor
    (with ``fmt``) files whose suffix names another format. Sub-folders (partition columns such as
    ``lang=zh/``) are read too.
    """
    folder = Path(folder)
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not any(part.startswith((".", "_")) for part in p.relative_to(folder).parts)
                  and (fmt is None or _SUFFIXES.get(data_suffix(p)) == fmt))


def folder_format(folder: Path) -> str:
    """The format of a dataset folder's part files (from their suffix), or "" when it cannot tell."""
    found = {_SUFFIXES.get(data_suffix(p)) for p in data_files(folder)}
    found.discard(None)
    return found.pop() if len(found) == 1 else ""


def dataset_bytes(path: Path, fmt: str | None = None) -> int:
    """Size on disk of a dataset file, or of every part file of a dataset folder."""
    path = Path(path)
    return sum(p.stat().st_size for p in data_files(path, fmt)) if path.is_dir() else path.stat().st_size


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The file format: ``fmt`` if given, else from the suffix."""
    if fmt:
        if fmt not in FORMATS:
            raise InputError(f"format {fmt!r} is not supported: use one of {', '.join(FORMATS)}")
        return fmt
    found = _SUFFIXES.get(data_suffix(path))
    if found is None:
        raise InputError(f"cannot tell the format of {path.name} from its suffix: name it .csv/.jsonl/.parquet/.txt "
                         "(optionally compressed: .csv.gz, .jsonl.zst) or pass --format")
    return found


#: Value types orjson reads exactly as ``json`` does.
_EXACT = {str, int, bool, type(None)}


def _load_json(line: str):
    """``json.loads(line)``, through orjson where that gives the same value.

    orjson parses a line in a quarter of json's time; with the check below, a line of the benchmark
    corpus costs 1.5-1.8 µs instead of 2.8-3.0 µs.

    orjson reads an integer beyond 64 bits as a float, which would change the digits scanned and
    those written back to a redacted copy, and it rejects what ``json`` accepts (NaN, Infinity,
    lone surrogates). So an object of strings, integers, booleans and nulls is orjson's; one with
    a float or a nested value, and any line orjson rejects, is read again by ``json``, which also
    words the error of an invalid line.
    """
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        return json.loads(line)
    if type(value) is dict and set(map(type, value.values())) <= _EXACT:
        return value
    return json.loads(line)


class JsonLines:
    """The lines of a jsonl chunk, not yet parsed (blank lines left out), with their line numbers.

    A file scan sends these to a worker process, which parses them: parsing JSON costs more than
    scanning the text it holds, and in the parent it would leave the workers waiting.
    """

    __slots__ = ("path", "numbers", "lines")

    def __init__(self, path: str, numbers: list[int], lines: list[str]):
        self.path, self.numbers, self.lines = path, numbers, lines

    def __len__(self) -> int:
        return len(self.lines)

    def parse(self) -> list[dict]:
        """The JSON objects, one per line.

        Raises
        ------
        InputError
            A line is not valid JSON or not an object (the message names the line, never its content).
        """
        records = []
        for number, line in zip(self.numbers, self.lines):
            try:
                record = _load_json(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{self.path} line {number} is not valid JSON ({exc.msg}): fix that line") from None
            if not isinstance(record, dict):
                raise InputError(f"{self.path} line {number} is not a JSON object: write one object per line")
            records.append(record)
        return records


class Chunk:
    """Records ``row_offset .. row_offset + len(chunk)`` of a file, as the file gives them.

    ``raw`` is a DataFrame (csv, parquet), the lines of a txt file (one column, ``text``), or the
    :class:`JsonLines` of a jsonl file, whose objects :attr:`records` parses on first use. A scan
    takes columns with :meth:`column`; :attr:`frame`, a DataFrame of the records, is built only
    when asked for (for jsonl it cost 0.6 µs a record, an eighth of a scan of the file).
    """

    __slots__ = ("raw", "row_offset", "fmt", "_records", "_frame")

    def __init__(self, raw, row_offset: int, fmt: str):
        self.raw, self.row_offset, self.fmt = raw, row_offset, fmt
        self._records = None
        self._frame = raw if isinstance(raw, pd.DataFrame) else None

    def __len__(self) -> int:
        return len(self.raw)

    @property
    def records(self) -> list[dict]:
        """The JSON objects of a jsonl chunk."""
        if self._records is None:
            self._records = self.raw.parse()
        return self._records

    @property
    def frame(self) -> pd.DataFrame:
        """The records as a DataFrame (object columns for jsonl, one ``text`` column for txt)."""
        if self._frame is None:
            self._frame = (pd.DataFrame({"text": self.raw}) if self.fmt == "txt"
                           else pd.DataFrame(self.records, dtype=object))
        return self._frame

    def column(self, name: str) -> list:
        """The values of column ``name``, one per record; None where a record has none."""
        if self.fmt == "txt":
            return self.raw if name == "text" else [None] * len(self.raw)
        if self.fmt == "jsonl":
            return [record.get(name) for record in self.records]
        return self.raw[name].tolist() if name in self.raw.columns else [None] * len(self.raw)


def _utf8_error(path: Path, where: str = "") -> InputError:
    if compression(path):
        stem = Path(path.stem)
        command = f"zcat {path.name} | iconv -f GB18030 -t UTF-8 | gzip > {stem.stem}.utf8{stem.suffix}.gz"
    else:
        command = f"iconv -f GB18030 -t UTF-8 {path.name} > {path.stem}.utf8{path.suffix}"
    return InputError(f"{path} is not UTF-8{where}: re-encode it, e.g. {command}")


def iter_chunks(path: Path, fmt: str, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[Chunk]:
    """Yield the records of ``path`` in chunks of ``chunk_size``.

    A txt file gives one record per line in a column ``text``. A folder gives the records of its
    part files (:func:`data_files`) one file after the other, positions counted across files.
    """
    if chunk_size < 1:
        raise InputError(f"chunk size must be at least 1 (got {chunk_size})")
    if not path.exists():
        raise InputError(f"{path} does not exist: check the path")
    if path.is_dir():
        files = data_files(path, fmt)
        if not files:
            raise InputError(f"{path} is a folder without {fmt} part files: put the dataset's part files in it")
        offset = 0
        for part in files:
            for chunk in iter_chunks(part, fmt, chunk_size):
                chunk.row_offset = offset
                offset += len(chunk)
                yield chunk
        return
    if not path.is_file():
        raise InputError(f"{path} is not a file: pass a csv, jsonl, parquet or txt file")
    offset = 0
    if fmt == "parquet" and compression(path):
        raise InputError(f"{path.name}: parquet compresses its own pages; decompress the file, or write it as "
                         "parquet with compression='zstd'")
    try:
        if fmt == "csv":
            try:
                with open_text(path, newline="") as handle:
                    reader = pd.read_csv(handle, dtype=str, keep_default_na=False, chunksize=chunk_size)
                    for frame in reader:
                        frame = frame.reset_index(drop=True)
                        yield Chunk(frame, offset, fmt)
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
                yield Chunk(frame, offset, fmt)
                offset += len(frame)
        elif fmt == "txt":
            # newline="": a line ends at \n, \r\n or a lone \r, and no other character (str.splitlines
            # would also split at \x0b, \x1c, \u2028 ...).
            with open_text(path, newline="") as handle:
                while lines := [line.rstrip("\r\n") for line in islice(handle, chunk_size)]:
                    yield Chunk(lines, offset, fmt)
                    offset += len(lines)
        else:
            raise InputError(f"format {fmt!r} is not supported: use one of {', '.join(FORMATS)}")
    except UnicodeDecodeError:
        raise _utf8_error(path) from None
    except (OSError, EOFError) as exc:  # a truncated or corrupt .gz / .zst
        if compression(path) is None:
            raise
        raise InputError(f"{path} cannot be decompressed ({exc}): the file is truncated or not {compression(path)}; "
                         "compress it again") from None


def _jsonl_chunks(path: Path, chunk_size: int) -> Iterator[Chunk]:
    offset, read = 0, 0  # records yielded, lines read
    with open_text(path) as handle:
        while True:
            numbers: list[int] = []
            lines: list[str] = []
            while len(lines) < chunk_size and (block := list(islice(handle, chunk_size - len(lines)))):
                if any(map(str.isspace, block)):  # blank lines are no records
                    kept = [(read + i, line) for i, line in enumerate(block, start=1) if not line.isspace()]
                    numbers += [number for number, _ in kept]
                    lines += [line for _, line in kept]
                else:
                    numbers += range(read + 1, read + 1 + len(block))
                    lines += block
                read += len(block)
            if not lines:
                return
            yield Chunk(JsonLines(str(path), numbers, lines), offset, "jsonl")
            offset += len(lines)


def _check_utf8(path: Path) -> None:
    with open_binary(path) as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                raise _utf8_error(path, f" (line {number})") from None


def read_frame(path: Path, fmt: str) -> pd.DataFrame:
    """Read a whole csv / jsonl / parquet / txt file (through :func:`iter_chunks`).

    A txt file gives one record per line in a column ``text``, with ``id`` the line number.
    """
    frames = [chunk.frame for chunk in iter_chunks(Path(path), fmt)]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if fmt == "txt":
        frame.insert(0, "id", [str(i) for i in range(1, len(frame) + 1)])
    return frame


def check_columns(found, named, *, role: str, file_name: str, where: str = "the plan") -> None:
    """Raise :class:`InputError` naming the first of ``named`` that is not among ``found``.

    Parameters
    ----------
    found : sequence of str
        The columns the file has.
    named : sequence of str
        The columns the plan names (a dataset's id/text/label columns, a model's feature columns).
    role, file_name : str
        Dataset role and file name, for the message.
    where : str
        Where the columns are named, e.g. ``"models.classifier.feature_columns"``.
    """
    found = [str(c) for c in found]
    missing = [c for c in named if c not in found]
    if missing:
        raise InputError(
            f"dataset {role!r}: column {missing[0]!r} named in {where} is not in {file_name} "
            f"(columns: {', '.join(found)}): fix the column name in {where}"
        )


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
    if spec.format != "parquet" and not path.is_dir():
        try:
            _check_utf8(path)
        except (OSError, EOFError) as exc:  # a truncated or corrupt .gz / .zst
            raise InputError(f"dataset {spec.role!r}: {path} cannot be decompressed ({exc}): compress it again") from None
    if dataset_bytes(path, spec.format) == 0:
        raise InputError(f"dataset {spec.role!r}: {path} is empty: provide at least one record")
    try:
        frame = read_frame(path, spec.format)
    except InputError as exc:
        raise InputError(f"dataset {spec.role!r}: {exc}") from None
    if frame.empty:
        raise InputError(f"dataset {spec.role!r}: {path} has no records: provide at least one record")
    check_columns(frame.columns, spec.columns(), role=spec.role, file_name=path.name)
    if spec.id_column:
        frame[spec.id_column] = frame[spec.id_column].astype(str)
    return frame
