"""How fast the PII engine could be in Python at best: its scan beside the floor of its own design.

    .venv/bin/python benchmarks/pii_floor.py                  # the densities of pii_scan.py's sweep
    .venv/bin/python benchmarks/pii_floor.py --records 20000

Issue 3 asks for 50 MB/s per core on mixed text. This prints, for each density of personal data of
``benchmarks/pii_scan.py``'s corpus, the CPU time of ``Engine.scan_batch`` beside the least that
any Python implementation of the same design must spend, measured piece by piece on the same
corpus:

- **fixed passes**: joining a batch's records, the byte view, and the candidate passes with
  nothing done per candidate (the digit-token regex, the scan recognizers' anchors, the Chinese
  and English keyword prefilters);
- **per token**: for each digit token, slicing its shape and one dictionary lookup, the least a
  Python loop over candidates does before any recognizer runs;
- **per finding**: for each value the scan reports, the keyed hash, the mask and the ``Finding``
  tuple, which the issue's output requires of every finding.

Recognizer patterns, checksums, context words and overlap resolution are left out of the floor:
they are free there. What is left is the budget per candidate at 50 MB/s, which says whether
moving work around in Python can reach the goal or whether the per-candidate work has to leave
the interpreter. Each density runs in a fresh process (see ``pii_scan.py`` for why).
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

GOAL_MB_PER_S = 50.0
BATCH_RECORDS = 20_000  # as pii_scan.py and scan_file's chunks


def _cpu_best(work, repeat: int) -> float:
    """Fastest CPU time of ``work()`` over ``repeat`` runs, with the cyclic collector off as in a scan."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
        gc.enable()
    return best


def measure(records: int, seed: int, share: float, decoys: float, repeat: int) -> dict:
    """Seconds of the scan and of each part of the floor, on one generated corpus."""
    from pii_scan import KEY, build_corpus

    from assess.pii.engine import _TOKEN, get_engine
    from assess.pii.findings import Finding, _keyed

    texts = [text for text, _ in build_corpus(records, seed, share, decoys)]
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    engine = get_engine()
    batches = [texts[i:i + BATCH_RECORDS] for i in range(0, len(texts), BATCH_RECORDS)]
    results = [found for batch in batches for found in engine.scan_batch(batch, key=KEY)]
    by_type = {rec.type: rec for rec in engine.recognizers}
    # The corpus is synthetic: its values may be held here to time the per-finding work on them.
    reported = [(text[f.start:f.end], by_type[f.type]) for text, found in zip(texts, results) for f in found]
    joined = []
    for batch in batches:
        text = "\n" + "\n".join(batch)
        joined.append((text, *engine.view_builder.build(text)))
    tokens = sum(1 for _, view, _ in joined for _ in _TOKEN.finditer(view))

    def scan():
        for batch in batches:
            engine.scan_batch(batch, key=KEY)

    def fixed_passes():
        for batch in batches:
            text = "\n" + "\n".join(batch)
            view, code_points = engine.view_builder.build(text)
            for _ in _TOKEN.finditer(view):
                pass
            for rec in engine.scan_recognizers:
                for pattern in rec.view_patterns:
                    for _ in pattern.finditer(view):
                        pass
            for _ in engine.chinese.occurrences(text, view, code_points):
                pass
            for _ in engine.english.occurrences(view):
                pass

    def per_token():
        shapes: dict = {}
        for _, view, _ in joined:
            for match in _TOKEN.finditer(view):
                start, end = match.span()
                key = (view[start - 1], view[start:end])
                if shapes.get(key) is None:
                    shapes[key] = ()

    keyed = _keyed(KEY)

    def per_finding():
        out = []
        for value, rec in reported:
            digest = keyed.hexdigest(value.encode("utf-8"))
            out.append(Finding(rec.type, 0, len(value), rec.mask(value), 0.9, digest, rec.category, rec.sensitive,
                               rec.identifying))

    seconds = {name: _cpu_best(work, repeat) for name, work in
               (("scan", scan), ("fixed", fixed_passes), ("token", per_token), ("finding", per_finding))}
    return {"share": share, "decoys": decoys, "megabytes": megabytes, "tokens": tokens, "findings": len(reported),
            **seconds}


def main(argv=None) -> int:
    from pii_scan import SWEEP

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000, help="records per corpus (default 100000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each part; the fastest counts (default 5)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    print(f"CPU seconds, best of {args.repeat}, {args.records:,} records per corpus, in batches of "
          f"{BATCH_RECORDS:,}; MB of UTF-8 text")
    print(f"{'personal':>8s} {'look-':>5s} {'MB':>5s} {'tokens':>7s} {'finds':>6s} | {'assess':>7s} {'MB/s':>6s} | "
          f"{'fixed':>6s} {'+token':>6s} {'+find':>6s} {'floor':>6s} {'MB/s':>6s} | {'budget at 50 MB/s':>19s}")
    print(f"{'data':>8s} {'alike':>5s} {'':5s} {'':7s} {'':6s} | {'scan':>7s} {'':6s} | "
          f"{'passes':>6s} {'loop':>6s} {'work':>6s} {'':6s} {'':6s} | {'per token+finding':>19s}")
    spawn = multiprocessing.get_context("spawn")
    for share, decoys in SWEEP:
        with spawn.Pool(1) as pool:
            m = pool.apply(measure, (args.records, args.seed, share, decoys, args.repeat))
        floor = m["fixed"] + m["token"] + m["finding"]
        items = m["tokens"] + m["findings"]
        left = m["megabytes"] / GOAL_MB_PER_S - m["fixed"]
        budget = "no candidates" if not items else (f"{left / items * 1e6:6.2f} us" if left > 0 else "none left")
        print(f"{share:8.0%} {decoys:5.0%} {m['megabytes']:5.1f} {m['tokens']:7,d} {m['findings']:6,d} | "
              f"{m['scan']:7.3f} {m['megabytes'] / m['scan']:6.1f} | {m['fixed']:6.3f} {m['token']:6.3f} "
              f"{m['finding']:6.3f} {floor:6.3f} {m['megabytes'] / floor:6.1f} | {budget:>19s}")
    print("\nfloor = fixed passes + the least per-token loop + per-finding hash, mask and Finding; validators, "
          "context words and overlaps are free in it.\nbudget = what 50 MB/s leaves per token and finding after the "
          "fixed passes, for everything a recognizer does.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
