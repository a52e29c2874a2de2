"""Wall time of the demo review with its assessments one after another (--jobs 1) and in parallel (--jobs 2).

Run:  .venv/bin/python benchmarks/review_jobs.py [--jobs 1 2] [--rounds 1] [--only ASSESSMENT ...]

The demo subject is built once into a temporary project (its prepare hook: data, models, outputs;
about a minute) by a review of one assessment, which is not timed. Then the same review of every
assessment in review.yaml runs with each --jobs value, alternating, ``--rounds`` times; printed:
each run's wall time (the whole `assess run` command), its assessments' seconds, and the ratio of
each --jobs value's median to the first one's. Figures depend on how busy the machine's cores are.

A review in parallel lasts at least as long as its longest assessment: where one assessment is most
of the review (the demo's model_leakage), ``--only`` the others shows what parallel kernels give on
assessments of similar length.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ASSESSMENT_LINE = re.compile(r"^  (\S+)\s+(PASS|WARN|PENDING|FAIL|ERROR)\s+([\d.]+) s\s+run ")


def project_copy(folder: Path) -> Path:
    """The repository's review.yaml and contracts in ``folder``, reading the repository's notebooks."""
    plan = (REPO / "review.yaml").read_text(encoding="utf-8")
    (folder / "review.yaml").write_text(plan.replace("version: 1\n", f"version: 1\nnotebooks_dir: {REPO / 'notebooks'}\n", 1),
                                        encoding="utf-8")
    shutil.copytree(REPO / "contracts", folder / "contracts")
    return folder / "review.yaml"


def review(plan: Path, *args: str) -> tuple[float, dict[str, float], int]:
    """Run `assess run` on ``plan``; return (wall seconds, {assessment: seconds}, exit code)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "assess", "run", str(plan), *args], cwd=plan.parent, env=env,
                            capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"assess run {' '.join(args)} ended with exit {result.returncode}:\n{result.stdout}{result.stderr}")
    seconds = {m.group(1): float(m.group(3)) for m in map(ASSESSMENT_LINE.match, result.stdout.splitlines()) if m}
    return wall, seconds, result.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--only", action="append", default=[], metavar="ASSESSMENT",
                        help="review only these assessments (repeatable; default: all of review.yaml)")
    args = parser.parse_args()

    print(f"cores available: {len(os.sched_getaffinity(0))}, load average now: "
          + " ".join(f"{x:.1f}" for x in os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="assess-bench-jobs-") as tmp:
        plan = project_copy(Path(tmp))
        started = time.perf_counter()
        review(plan, "--only", "content_labels", "--jobs", "1")  # builds the demo subject; not timed
        print(f"demo subject built (and one assessment reviewed) in {time.perf_counter() - started:.0f} s, not timed\n")
        walls: dict[int, list[float]] = {jobs: [] for jobs in args.jobs}
        for round_ in range(1, args.rounds + 1):
            for jobs in args.jobs:
                wall, seconds, code = review(plan, "--jobs", str(jobs), *(f"--only={name}" for name in args.only))
                walls[jobs].append(wall)
                print(f"round {round_} --jobs {jobs}: {wall:6.1f} s wall (exit {code}); assessments: "
                      + ", ".join(f"{name} {s:.1f} s" for name, s in seconds.items()), flush=True)
        base = statistics.median(walls[args.jobs[0]])
        print()
        for jobs, values in walls.items():
            median = statistics.median(values)
            print(f"--jobs {jobs}: median {median:6.1f} s wall over {len(values)} run(s), "
                  f"{median / base:.2f}x the --jobs {args.jobs[0]} time; load average after: "
                  + " ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
