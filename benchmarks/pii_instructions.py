"""Instructions per scan of the PII engine, counted by valgrind: an A/B figure a noisy machine cannot blur.

    .venv/bin/python benchmarks/pii_instructions.py                      # this checkout
    git worktree add /tmp/before HEAD~5
    .venv/bin/python benchmarks/pii_instructions.py --tree /tmp/before --tree .   # before / after

Timings of the same code on a shared machine vary by a fifth from run to run; the number of
instructions does not. Each tree scans the same generated corpus (``benchmarks/pii_scan.py``'s
generator, written to a temporary file) under ``valgrind --tool=callgrind``, once with one scan
and once with two in the same process; the difference is one warm scan, without start-up,
imports and corpus loading. Run with the interpreter of this checkout's venv (it must have what
each tree imports). Takes about three minutes per tree and density (12 min for the default two
densities and two trees, measured).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

KEY = b"benchmark-key-not-secret"


def _worker(corpus: str, tree: str, scans: int) -> None:
    sys.path.insert(0, tree)
    from assess.pii.engine import get_engine

    texts = json.loads(Path(corpus).read_text(encoding="utf-8"))
    engine = get_engine()
    for _ in range(scans):
        engine.scan_batch(texts, key=KEY)


def _instructions(corpus: Path, tree: Path, scans: int) -> int:
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, str(Path(__file__).resolve()),
               "--worker", str(corpus), "--tree", str(tree), "--scans", str(scans)]
    done = subprocess.run(command, cwd=tree, capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", done.stderr).group(1))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", help="checkout whose assess to count (repeatable; default: this one)")
    parser.add_argument("--records", type=int, default=20_000, help="records per corpus (default 20000)")
    parser.add_argument("--density", action="append", metavar="PII,DECOYS",
                        help="share of records with personal data and with a look-alike (default: 0.1,0.2 and 0,0)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--scans", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker, args.tree[0], args.scans)
        return 0

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from pii_scan import build_corpus

    trees = [Path(t).resolve() for t in (args.tree or [Path(__file__).resolve().parent.parent])]
    densities = [tuple(float(x) for x in d.split(",")) for d in (args.density or ["0.1,0.2", "0,0"])]
    with tempfile.TemporaryDirectory() as folder:
        for share, decoys in densities:
            texts = [text for text, _ in build_corpus(args.records, args.seed, share, decoys)]
            megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
            corpus = Path(folder) / f"corpus_{share}_{decoys}.json"
            corpus.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
            print(f"{args.records:,} records, {share:.0%} with personal data, {decoys:.0%} with a look-alike ({megabytes:.2f} MB):")
            for tree in trees:
                one_scan = _instructions(corpus, tree, 1) - _instructions(corpus, tree, 0)
                two_scans = _instructions(corpus, tree, 2) - _instructions(corpus, tree, 0)
                warm = two_scans - one_scan
                print(f"  {str(tree):40s} {warm / 1e6:9.1f} M instructions per warm scan "
                      f"({warm / megabytes / 1e6:6.1f} M per MB; first scan {one_scan / 1e6:.1f} M)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
