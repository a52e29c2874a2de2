"""The corpus samples of TC260-003 §9.2, drawn from the whole training corpus as it streams past.

**Keys.** Every record gets a uniform key in [0, 1): the ``row``-th draw (0-based, in file order)
of a PCG64 generator seeded with the plan's ``seed`` and the first 128 bits of the file's SHA-256
(:func:`record_keys`). The generator is advanced to a chunk's first row, so a chunk's keys depend
on its position only: any chunk size, any partitioning (Spark's ``mapInPandas`` included) gives
the same keys, and the same seed and file give the same sample. A changed file gives a new one.

**Manual sample.** The ``size`` records with the smallest keys over all the corpus files: a
simple random sample without replacement (bottom-k sampling), kept in a heap of ``size`` records
while the files stream, so memory does not grow with the corpus. A corpus with fewer records is
taken whole.

**Technical sample.** The ``ceil(share * N)`` records with the smallest keys (a simple random
sample of at least ``share`` of the corpus), each scanned by the technical check (the keyword
library, optionally a classifier). A first pass counts the records and hashes the files; the
second computes keys, keeps the manual sample and scans every record whose key is below a bound a
few standard deviations above ``share`` (so that at least ``ceil(share * N)`` are scanned), keeping
only (key, source, flagged) of each; the sample is then cut to exactly ``ceil(share * N)``.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from assess.datasets import iter_chunks
from assess.errors import InputError


@dataclass(frozen=True)
class CorpusFile:
    """One file of the training corpus: its dataset role, path, format and columns."""

    role: str
    path: Path
    format: str
    text_column: str
    id_column: str | None = None
    source_column: str | None = None


def record_keys(seed: int, data_hash: str, row_offset: int, count: int) -> np.ndarray:
    """Uniform keys of rows ``row_offset .. row_offset + count`` of the file whose SHA-256 is ``data_hash``."""
    generator = np.random.PCG64(np.random.SeedSequence([int(seed), int(data_hash[:32], 16)]))
    generator.advance(int(row_offset))
    return np.random.Generator(generator).random(int(count))


def technical_bound(share: float, total: int) -> float:
    """A key bound under which at least ``ceil(share * total)`` of ``total`` uniform keys fall, but for
    a chance below 1e-6 (the binomial count is more than 5 standard deviations above its mean)."""
    if total == 0:
        return 1.0
    return min(1.0, share + 5.0 * math.sqrt(share * (1 - share) / total) + 5.0 / total)


@dataclass
class CorpusSample:
    """The manual and technical samples of a corpus (see the module docstring).

    Attributes
    ----------
    files : pandas.DataFrame
        One row per file: ``role``, ``file``, ``sha256``, ``records``.
    total : int
    manual : pandas.DataFrame
        ``id`` (``role:row``, rows from 1), ``source``, ``record_id``, ``text``, ``key``, in key order.
    technical_size, technical_flagged : int
    per_source : pandas.DataFrame
        ``source``, ``records`` (in the corpus), ``sampled``, ``flagged``, ``violation_rate``.
    flagged : list of dict
        Flagged records of the technical sample: ``id``, ``source``, ``record_id``, ``reason``.
    """

    files: pd.DataFrame
    total: int
    manual: pd.DataFrame
    technical_size: int
    technical_flagged: int
    per_source: pd.DataFrame
    flagged: list = field(default_factory=list)
    seed: int = 0
    share: float = 0.1
    size: int = 0


def _sources(chunk, spec: CorpusFile) -> list[str]:
    if spec.source_column is None:
        return [spec.role] * len(chunk)
    return [f"{spec.role}/{v}" if v not in (None, "") else f"{spec.role}/(none)" for v in chunk.column(spec.source_column)]


def sample_corpus(files: list[CorpusFile], *, size: int, share: float, seed: int,
                  scan: Callable[[list[str]], list[str]], chunk_size: int = 50_000) -> CorpusSample:
    """Draw the manual sample and scan the technical sample of ``files`` in two streamed passes.

    Parameters
    ----------
    files : list of CorpusFile
    size : int
        Records in the manual sample (the standard: at least 4,000).
    share : float
        Share of the corpus in the technical sample (the standard: at least 10%).
    seed : int
    scan : callable
        ``scan(texts) -> reasons``: why each text is flagged ("" when it is not); the keyword library
        and optionally a classifier.
    chunk_size : int

    Returns
    -------
    CorpusSample
    """
    from assess.manifest import sha256_file

    if not files:
        raise InputError("corpus: no files: name the training corpus datasets in the plan (corpus: [...])")
    if not 0 < share <= 1:
        raise InputError(f"technical_sample_share={share!r}: use a share above 0 and at most 1")
    rows = []
    for spec in files:  # pass 1: hash and count
        records = sum(len(chunk) for chunk in iter_chunks(spec.path, spec.format, chunk_size))
        rows.append({"role": spec.role, "file": spec.path.name, "sha256": sha256_file(spec.path), "records": records})
    total = sum(r["records"] for r in rows)
    bound = technical_bound(share, total)
    heap: list = []  # (-key, order, id, source, record_id, text): the manual sample, worst on top
    kept_keys, kept_sources, kept_flags = [], [], []
    candidates: dict[str, tuple] = {}
    order = 0
    for spec, row in zip(files, rows):  # pass 2: keys, manual sample, technical scan
        for chunk in iter_chunks(spec.path, spec.format, chunk_size):
            keys = record_keys(seed, row["sha256"], chunk.row_offset, len(chunk))
            texts = chunk.column(spec.text_column)
            if all(t is None for t in texts) and len(chunk):
                raise InputError(f"corpus {spec.role!r}: no column {spec.text_column!r} in {spec.path.name}: "
                                 "set the dataset's text_column")
            record_ids = chunk.column(spec.id_column) if spec.id_column else [None] * len(chunk)
            sources = _sources(chunk, spec)
            worst = -heap[0][0] if len(heap) >= size else 1.0
            below = np.flatnonzero(keys < worst)
            if len(below) > size:  # only a chunk's `size` smallest keys can enter the sample
                below = np.sort(below[np.argpartition(keys[below], size - 1)[:size]])
            for i in below:
                item = (-float(keys[i]), order, f"{spec.role}:{chunk.row_offset + i + 1}", sources[i],
                        record_ids[i], "" if texts[i] is None else str(texts[i]))
                order += 1
                if len(heap) < size:
                    heapq.heappush(heap, item)
                elif item[0] > heap[0][0]:
                    heapq.heapreplace(heap, item)
            chosen = np.flatnonzero(keys < bound)
            if len(chosen):
                reasons = scan(["" if texts[i] is None else str(texts[i]) for i in chosen])
                for i, reason in zip(chosen, reasons):
                    kept_keys.append(float(keys[i]))
                    kept_sources.append(sources[i])
                    kept_flags.append(bool(reason))
                    if reason:
                        candidates[f"{spec.role}:{chunk.row_offset + i + 1}"] = (float(keys[i]), sources[i], record_ids[i], reason)
    wanted = min(total, math.ceil(share * total))
    keys = np.asarray(kept_keys)
    keep = np.argsort(keys, kind="stable")[:wanted]
    cut = keys[keep].max() if len(keep) else -1.0
    technical = pd.DataFrame({"source": np.asarray(kept_sources, dtype=object)[keep] if len(keep) else [],
                              "flagged": np.asarray(kept_flags, dtype=bool)[keep] if len(keep) else []})
    flagged = [{"id": i, "source": s, "record_id": rid, "reason": reason}
               for i, (k, s, rid, reason) in sorted(candidates.items(), key=lambda kv: kv[1][0]) if k <= cut]
    manual = pd.DataFrame(sorted(heap, key=lambda item: -item[0]), columns=["key", "order", "id", "source", "record_id", "text"])
    manual["key"] = -manual["key"]
    manual = manual.drop(columns="order")[["id", "source", "record_id", "text", "key"]]
    return CorpusSample(files=pd.DataFrame(rows), total=total, manual=manual, technical_size=len(technical),
                        technical_flagged=int(technical["flagged"].sum()) if len(technical) else 0,
                        per_source=per_source_table(files, technical), flagged=flagged,
                        seed=seed, share=share, size=size)


def per_source_table(files, technical: pd.DataFrame) -> pd.DataFrame:
    """Per source: records sampled technically, flagged, and the violation rate."""
    grouped = technical.groupby("source").agg(sampled=("flagged", "size"), flagged=("flagged", "sum")) if len(technical) \
        else pd.DataFrame(columns=["sampled", "flagged"])
    sources = sorted(set(grouped.index) | {spec.role for spec in files if spec.source_column is None})
    table = pd.DataFrame({"source": sources})
    table["sampled"] = [int(grouped["sampled"].get(s, 0)) for s in sources]
    table["flagged"] = [int(grouped["flagged"].get(s, 0)) for s in sources]
    table["violation_rate"] = [f / s if s else None for f, s in zip(table["flagged"], table["sampled"])]
    return table
