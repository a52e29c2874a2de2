"""The PII scan and the GX validation of a large corpus: Spark ``local[1]`` and ``local[2]`` beside the pandas path.

    .venv/bin/python benchmarks/scale.py                       # 1 GB of text (about 12M records)
    .venv/bin/python benchmarks/scale.py --mb 100 --keep /tmp/corpus

A parquet folder of generated zh/en customer-service records (``benchmarks/pii_scan.py``'s
generator: 10% with personal data, 20% with look-alikes; plus a label and a language column) is
written to a temporary folder, one part file per 250,000 records. Then, each in a fresh process:

- **PII scan**: what ``pii_training_data`` computes for a dataset: the scan of the text column and
  its figures (counts per type and column, distinct identifiers by keyed hash, masked examples,
  repeated identifiers). pandas: ``scan_file`` with 1 and 2 worker processes plus
  ``digest_findings``; Spark: ``scan_findings_spark`` per partition plus ``digest_spark`` on the
  cluster, master ``local[1]`` and ``local[2]``.
- **GX validation**: what ``data_quality`` computes: the dataset read, typed and prepared (helper
  columns, the label-conflict groupBy), profiled, and validated against the compiled suite.
  pandas: ``load_dataset`` + ``review_datasets`` (GX's pandas data source, one process: the pandas
  path has no parallel validation); Spark: ``read_dataset`` + ``review_datasets`` on GX's Spark data
  source, ``local[1]`` and ``local[2]``.

Printed: wall seconds (session start excluded, reading included), MB/s of the text column's UTF-8,
records/s, and the speed-up per core against the pandas path on one core. The figures of each
engine are checked equal (PII summary; GX success and unexpected counts), so the runs compare.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

KEY = b"benchmark-key-not-secret"
PART_RECORDS = 250_000
LABELS = ("billing", "refund", "delivery", "account")
CONTRACT = """
version: 1
dataset: corpus
columns:
  id: {type: string, nullable: false, unique: true, regex: '^p\\d+-\\d+$'}
  text: {type: string, nullable: false, min_length: 1, max_length: 4000}
  label: {type: string, nullable: false, values: [billing, refund, delivery, account], personal: false}
  lang: {type: string, nullable: false, values: [zh, en], personal: false}
roles: {id: id, text: text, label: label}
"""


def _write_part(args: tuple[Path, int, int]) -> int:
    """Write part ``index`` (``records`` records); return the UTF-8 bytes of its texts."""
    import pandas as pd
    from pii_scan import build_corpus

    folder, index, records = args
    texts = [text for text, _ in build_corpus(records, seed=1000 + index)]
    rng = random.Random(index)
    frame = pd.DataFrame({
        "id": [f"p{index}-{i}" for i in range(records)],
        "text": texts,
        "label": [rng.choice(LABELS) for _ in range(records)],
        "lang": ["zh" if any("\u4e00" <= ch <= "\u9fff" for ch in t[:8]) else "en" for t in texts],
    })
    frame.to_parquet(folder / f"part-{index:05d}.parquet", index=False)
    return sum(len(t.encode("utf-8")) for t in texts)


def make_corpus(folder: Path, megabytes: float) -> tuple[int, float]:
    """Parts of :data:`PART_RECORDS` records until the texts hold ``megabytes`` MB; (records, MB)."""
    from multiprocessing import Pool

    per_record = 83.0  # bytes of UTF-8 text per generated record (measured on 100k)
    parts = max(1, round(megabytes * 1e6 / per_record / PART_RECORDS))
    records = min(PART_RECORDS, int(megabytes * 1e6 / per_record)) if parts == 1 else PART_RECORDS
    folder.mkdir(parents=True, exist_ok=True)
    with Pool(2) as pool:
        sizes = pool.map(_write_part, [(folder, i, records) for i in range(parts)])
    return parts * records, sum(sizes) / 1e6


def _spec(folder: Path):
    from assess.plan import DatasetSpec

    return DatasetSpec(role="corpus", path=folder, format="parquet", id_column="id", text_column="text",
                       label_column="label")


def _session(master: str):
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from assess.spark_session import DEFAULT_CONF, LOCAL_CONF

    builder = SparkSession.builder.master(master).appName(f"assess scale benchmark {master}")
    for name, value in {**DEFAULT_CONF, **LOCAL_CONF, "spark.driver.memory": "6g",
                        "spark.sql.shuffle.partitions": "8"}.items():
        builder = builder.config(name, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run_one(kind: str, engine: str, folder: Path, workers: int) -> dict:
    """One measurement (in this process): seconds and the figures to compare."""
    if kind == "pii":
        if engine == "pandas":
            from assess.pii.digest import digest_findings
            from assess.pii.engine import get_engine
            from assess.pii.pipeline import scan_file

            get_engine()
            started = time.perf_counter()
            result = scan_file(folder, fmt="parquet", columns=["text"], id_column="id", key=KEY, processes=workers)
            digest = digest_findings(result.findings, result.records)
        else:
            from pyspark import StorageLevel

            from assess.pii.spark_scan import digest_spark, scan_findings_spark, with_kind_columns
            from assess.spark_session import read_dataset

            spark = _session(f"local[{workers}]")
            started = time.perf_counter()
            frame = read_dataset(spark, _spec(folder))
            findings = with_kind_columns(scan_findings_spark(frame, ["text"], "id", KEY))
            findings = findings.persist(StorageLevel.MEMORY_AND_DISK)
            digest = digest_spark(findings, frame.count())
        seconds = time.perf_counter() - started
        return {"seconds": seconds, "figures": digest.summary}
    from assess.quality.contract import parse_contract
    from assess.quality.prepare import Roles
    from assess.quality.review import DatasetInput, review_datasets

    contract = parse_contract(CONTRACT)
    roles = Roles.resolve(contract)
    import great_expectations  # noqa: F401 - imported before the clock starts (seconds of its own)

    if engine == "pandas":
        from assess.datasets import load_dataset

        started = time.perf_counter()
        frame = load_dataset(_spec(folder))
    else:
        from assess.spark_session import read_dataset

        spark = _session(f"local[{workers}]")
        started = time.perf_counter()
        frame = read_dataset(spark, _spec(folder))
    review = review_datasets([DatasetInput(role="corpus", frame=frame, contract=contract, roles=roles)])
    seconds = time.perf_counter() - started
    table = review.summary[["check", "column", "success", "unexpected_count"]].sort_values(["check", "column"])
    return {"seconds": seconds, "figures": json.loads(table.to_json(orient="records"))}


def _measure(kind: str, engine: str, folder: Path, workers: int) -> dict:
    """:func:`run_one` in a fresh process."""
    done = subprocess.run([sys.executable, __file__, "--one", kind, engine, str(workers), "--corpus", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{kind} {engine} {workers} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=1000.0, help="MB of UTF-8 text to generate (default 1000)")
    parser.add_argument("--corpus", type=Path, help="an existing corpus folder written by this script")
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    parser.add_argument("--only", choices=("pii", "gx"), help="measure one of the two")
    parser.add_argument("--one", nargs=3, metavar=("KIND", "ENGINE", "WORKERS"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        kind, engine, workers = args.one
        print(json.dumps(run_one(kind, engine, args.corpus, int(workers)), default=str))
        return 0

    temporary = None
    if args.corpus:
        folder = args.corpus
        import pyarrow.parquet as pq

        records = sum(pq.ParquetFile(p).metadata.num_rows for p in sorted(folder.glob("part-*.parquet")))
        megabytes = sum(pq.read_table(p, columns=["text"]).column("text").to_pandas().str.encode("utf-8").str.len().sum()
                        for p in sorted(folder.glob("part-*.parquet"))) / 1e6
        generated = 0.0
    else:
        folder = args.keep or Path(temporary := tempfile.mkdtemp(prefix="assess-scale-")) / "corpus"
        started = time.perf_counter()
        records, megabytes = make_corpus(folder, args.mb)
        generated = time.perf_counter() - started
    on_disk = sum(p.stat().st_size for p in folder.glob("part-*.parquet")) / 1e6
    print(f"corpus: {records:,} records, {megabytes:,.0f} MB of UTF-8 text ({on_disk:,.0f} MB of parquet on disk, "
          f"{len(list(folder.glob('part-*.parquet')))} part files){f', generated in {generated:.0f} s' if generated else ''}")
    print(f"machine: {os.cpu_count()} cores (shared: other processes may run; each figure is one run)")
    runs = [("pandas", 1), ("pandas", 2), ("spark", 1), ("spark", 2)]
    try:
        for kind in ("pii", "gx") if not args.only else (args.only,):
            title = {"pii": "PII scan + figures (pii_training_data)", "gx": "GX validation (data_quality)"}[kind]
            print(f"\n{title}")
            print(f"{'engine':<22}{'cores':>6}{'seconds':>10}{'MB/s':>9}{'records/s':>12}{'per core vs pandas 1':>22}")
            results = {}
            for engine, workers in runs:
                if kind == "gx" and engine == "pandas" and workers == 2:
                    continue  # the pandas path validates in one process
                result = _measure(kind, engine, folder, workers)
                results[(engine, workers)] = result
                base = results[("pandas", 1)]["seconds"]
                name = {"pandas": "pandas (scan_file)" if kind == "pii" else "pandas (GX pandas)",
                        "spark": f"Spark local[{workers}]"}[engine]
                per_core = base / result["seconds"] / workers
                print(f"{name:<22}{workers:>6}{result['seconds']:>10.1f}{megabytes / result['seconds']:>9.1f}"
                      f"{records / result['seconds']:>12,.0f}{per_core:>21.2f}x", flush=True)
            figures = {json.dumps(r["figures"], sort_keys=True) for r in results.values()}
            print("same figures on every engine: " + ("yes" if len(figures) == 1 else "NO"))
            spark1, spark2 = results[("spark", 1)]["seconds"], results[("spark", 2)]["seconds"]
            print(f"Spark local[1] / pandas 1 core: {spark1 / results[('pandas', 1)]['seconds']:.2f}x the time; "
                  f"local[2] speed-up over local[1]: {spark1 / spark2:.2f}x")
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
