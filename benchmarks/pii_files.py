"""What reading a file costs the PII scan: ``scan_file`` per format beside the scan of the same records in memory.

    .venv/bin/python benchmarks/pii_files.py                     # 300k records, 1% and 10% with personal data
    .venv/bin/python benchmarks/pii_files.py --records 100000 --formats txt csv

For each density and format, the records of ``benchmarks/pii_scan.py``'s corpus are written to a
temporary file (txt: one record per line; csv, jsonl and parquet: columns ``id`` and ``text``).
Printed, side by side: ``Engine.scan_batch`` on the same records already in memory, in chunks as
``scan_file`` makes them (the alternative: no file at all), then ``scan_file`` with one process and
with every core, wall time, reading the file included and writing nothing. Each figure comes
from a fresh process. MB are of the records'
UTF-8 text, the same figure in every column, so the rates compare.
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from pii_scan import KEY, build_corpus  # noqa: E402

FORMATS = ("txt", "csv", "jsonl", "parquet")


def write(texts: list[str], fmt: str, folder: Path) -> Path:
    """The records as a file of ``fmt``."""
    import pandas as pd

    path = folder / f"corpus.{fmt}"
    if fmt == "txt":
        path.write_text("\n".join(texts) + "\n", encoding="utf-8")
        return path
    frame = pd.DataFrame({"id": [f"r{i}" for i in range(len(texts))], "text": texts})
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    else:
        frame.to_parquet(path, index=False)
    return path


def in_memory(records: int, seed: int, share: float, repeat: int) -> tuple[float, float]:
    """MB and best wall seconds of ``Engine.scan_batch`` on the records, in chunks as ``scan_file`` makes them."""
    from assess.pii.engine import get_engine
    from assess.pii.files import DEFAULT_CHUNK_SIZE

    texts = [text for text, _ in build_corpus(records, seed, share, min(1.0, 2 * share))]
    engine = get_engine()

    def scan():
        for i in range(0, len(texts), DEFAULT_CHUNK_SIZE):
            engine.scan_batch(texts[i:i + DEFAULT_CHUNK_SIZE], key=KEY, column="text")

    return sum(len(t.encode("utf-8")) for t in texts) / 1e6, _best(scan, repeat)


def from_file(path: str, processes: int, repeat: int) -> float:
    """Best wall seconds of ``scan_file`` on ``path``."""
    from assess.pii import scan_file
    from assess.pii.engine import get_engine

    get_engine()
    columns = None if path.endswith(".txt") else ["text"]
    return _best(lambda: scan_file(path, key=KEY, columns=columns, processes=processes, collect=False), repeat)


def main(argv=None) -> int:
    from assess.pii.files import cpu_count

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=300_000, help="records per corpus (default 300000)")
    parser.add_argument("--shares", type=float, nargs="+", default=[0.01, 0.1],
                        help="shares of records with personal data (look-alikes: twice as many; default 0.01 0.1)")
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the fastest counts (default 3)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    cores = cpu_count()
    # Each figure in a fresh process that holds nothing else, as a CLI run would: a process that
    # also holds the corpus runs the same scan up to a third slower (its heap slows every allocation).
    spawn = multiprocessing.get_context("spawn")

    def fresh(function, *arguments):  # not a Pool: its daemonic workers may not start scan_file's workers
        with ProcessPoolExecutor(1, mp_context=spawn) as executor:
            return executor.submit(function, *arguments).result()

    print(f"{args.records:,} records per corpus; wall seconds, best of {args.repeat}, each in a fresh process; "
          f"{cores} cores")
    print(f"{'personal':>8s} {'format':8s} {'MB':>5s} | {'in memory':>16s} | {'scan_file, 1 process':>20s} | "
          f"{f'scan_file, {cores} processes':>22s}")
    for share in args.shares:
        megabytes, memory = fresh(in_memory, args.records, args.seed, share, args.repeat)
        texts = [text for text, _ in build_corpus(args.records, args.seed, share, min(1.0, 2 * share))]
        with tempfile.TemporaryDirectory() as folder:
            paths = {fmt: str(write(texts, fmt, Path(folder))) for fmt in args.formats}
            for fmt, path in paths.items():
                one, every = (fresh(from_file, path, processes, args.repeat) for processes in (1, cores))
                print(f"{share:8.0%} {fmt:8s} {megabytes:5.1f} | {memory:6.2f} s {megabytes / memory:5.1f} MB/s | "
                      f"{one:6.2f} s {megabytes / one:5.1f} MB/s | {every:8.2f} s {megabytes / every:5.1f} MB/s")
    return 0


def _best(work, repeat: int) -> float:
    best = float("inf")
    for _ in range(max(1, repeat)):
        gc.collect()
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


if __name__ == "__main__":
    sys.exit(main())
