"""What reading a file costs the PII scan: ``scan_file`` per format beside the scan of the same records in memory.

    .venv/bin/python benchmarks/pii_files.py                     # 300k records, 1% and 10% with personal data
    .venv/bin/python benchmarks/pii_files.py --records 100000 --formats txt csv

For each density and format, the records of ``benchmarks/pii_scan.py``'s corpus are written to a
temporary file (txt: one record per line; csv, jsonl and parquet: columns ``id`` and ``text``).
Printed, side by side: ``Engine.scan_batch`` on the same records already in memory, in chunks as
``scan_file`` makes them (the alternative: no file at all), then ``scan_file`` with one process and
with every core, wall time, reading the file included and writing nothing. MB are of the records'
UTF-8 text, the same figure in every column, so the rates compare.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
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


def main(argv=None) -> int:
    from assess.pii import scan_file
    from assess.pii.engine import get_engine
    from assess.pii.files import DEFAULT_CHUNK_SIZE, cpu_count

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=300_000, help="records per corpus (default 300000)")
    parser.add_argument("--shares", type=float, nargs="+", default=[0.01, 0.1],
                        help="shares of records with personal data (look-alikes: twice as many; default 0.01 0.1)")
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the fastest counts (default 2)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    engine = get_engine()
    cores = cpu_count()
    print(f"{args.records:,} records per corpus; wall seconds, best of {args.repeat}; {cores} cores")
    print(f"{'personal':>8s} {'format':8s} {'MB':>5s} | {'in memory':>16s} | {'scan_file, 1 process':>20s} | "
          f"{f'scan_file, {cores} processes':>22s}")
    for share in args.shares:
        texts = [text for text, _ in build_corpus(args.records, args.seed, share, min(1.0, 2 * share))]
        megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6

        def in_memory():
            for i in range(0, len(texts), DEFAULT_CHUNK_SIZE):
                engine.scan_batch(texts[i:i + DEFAULT_CHUNK_SIZE], key=KEY, column="text")

        memory = _best(in_memory, args.repeat)
        with tempfile.TemporaryDirectory() as folder:
            for fmt in args.formats:
                path = write(texts, fmt, Path(folder))
                columns = None if fmt == "txt" else ["text"]
                one, every = (_best(lambda n=n: scan_file(path, key=KEY, columns=columns, processes=n, collect=False),
                                    args.repeat) for n in (1, cores))
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
