"""Benchmark: the §9.2 corpus samples of ``assess.safety.corpus`` against the obvious alternative.

Both sides draw a 4,000-record manual sample and scan a 10% technical sample of the same jsonl
corpus with the same keyword library (:class:`assess.safety.keywords.KeywordMatcher`):

- **assess (streamed)**: :func:`assess.safety.corpus.sample_corpus`: two passes over the file in
  chunks (count and hash; keys, a bounded heap, the scan), memory independent of the corpus size;
- **pandas (in memory)**: read the whole file (``pandas.read_json(lines=True)``), ``DataFrame.sample``
  for both samples, scan the technical sample; reproducible from the seed only (a changed file
  with the same row count gives the same rows).

Printed: seconds, peak traced memory (tracemalloc: Python allocations, so pandas' C buffers only
in part), records and flagged shares. A second run of the streamed side with another chunk size
checks that the manual sample is the same.

Run: .venv/bin/python benchmarks/corpus_sampling.py [--records 300000]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assess.safety.corpus import CorpusFile, sample_corpus
from assess.safety.keywords import KeywordMatcher

TOPICS = ["我的快递到哪里了", "怎么申请退款", "Where is my parcel", "How do I reset my password", "发票可以开电子版吗"]


def write_corpus(path: Path, records: int, seed: int = 0) -> None:
    rng = np.random.default_rng(seed)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(records):
            text = f"{TOPICS[rng.integers(len(TOPICS))]} {i}"
            if rng.random() < 0.02:
                text += " 我的手机号是"  # a keyword hit in 2% of records
            handle.write(json.dumps({"id": f"r{i}", "text": text}, ensure_ascii=False) + "\n")


def measure(function):
    tracemalloc.start()
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return result, seconds, peak / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=300_000)
    args = parser.parse_args()
    matcher = KeywordMatcher(["手机号是", "身份证号是", "card number is"])

    def scan(texts):
        return ["; ".join(h) for h in matcher.find_all(texts)]

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.jsonl"
        write_corpus(path, args.records)
        files = [CorpusFile("corpus", path, "jsonl", "text", "id")]
        streamed, s_seconds, s_peak = measure(lambda: sample_corpus(files, size=4000, share=0.10, seed=0, scan=scan))
        again = sample_corpus(files, size=4000, share=0.10, seed=0, scan=scan, chunk_size=7_919)

        def in_memory():
            import pandas as pd

            frame = pd.read_json(path, lines=True, dtype=False)
            manual = frame.sample(n=min(4000, len(frame)), random_state=0)
            technical = frame.sample(n=math.ceil(0.10 * len(frame)), random_state=1)
            flagged = sum(bool(r) for r in scan(technical["text"].tolist()))
            return manual, len(technical), flagged

        (_, technical_size, flagged), p_seconds, p_peak = measure(in_memory)
    print(f"corpus: {args.records:,} jsonl records; manual sample 4,000; technical sample 10%")
    print(f"{'method':<22}{'seconds':>9}{'peak MB':>9}{'technical':>11}{'flagged':>9}")
    print(f"{'assess (streamed)':<22}{s_seconds:>9.2f}{s_peak:>9.1f}{streamed.technical_size:>11,}"
          f"{streamed.technical_flagged / streamed.technical_size:>9.2%}")
    print(f"{'pandas (in memory)':<22}{p_seconds:>9.2f}{p_peak:>9.1f}{technical_size:>11,}{flagged / technical_size:>9.2%}")
    same = streamed.manual["id"].tolist() == again.manual["id"].tolist()
    print(f"streamed manual sample identical with chunk size 7,919: {same}")


if __name__ == "__main__":
    main()
