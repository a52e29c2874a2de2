"""Benchmark: ``assess.labels.audit`` against the standard confident-learning recipe.

Both sides find wrong labels in the same noisy labels, in the same run:

- **standard**: 5-fold ``LogisticRegression()`` probabilities via ``cross_val_predict`` into
  ``cleanlab.filter.find_label_issues`` (its defaults), the recipe of cleanlab's documentation;
- **standard+scaled** (for reference only): the same with ``StandardScaler`` in front of the
  logistic regression, the obvious first fix;
- **assess**: ``assess.labels.audit(X, noisy, cv=5)`` with its defaults (ensemble of calibrated
  models, one refining pass, calibrated-count flagging).

Data: scikit-learn's built-in ``digits`` (1,797 rows, 10 classes) and ``breast_cancer`` (569 rows,
2 classes; the largest other built-in classification set), with 10% and 20% class-conditional noise
(``assess.labels.inject_noise(kind="class_conditional")``: per class, that share of labels moved to
one or two confusable classes). Scores are precision, recall and F1 of the flagged records against
the flipped ones, averaged over ``--seeds`` noise draws. Times: each side runs ``--repeat`` times per
draw and keeps its fastest run (other jobs on a shared machine only ever add time), then the median
over draws. Every side runs with the native thread pools limited to one thread, so that neither is
slowed by oversubscription.

Goal: on every case, F1 at least 0.05 above **standard**, at no more than 10x its time.

Run: .venv/bin/python benchmarks/label_issues.py [--seeds 3] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATASETS = ("digits", "breast_cancer")
RATES = (0.10, 0.20)
F1_GAIN_GOAL = 0.05
TIME_RATIO_GOAL = 10.0


def load(name: str):
    from sklearn import datasets

    return getattr(datasets, f"load_{name}")(return_X_y=True)


def standard(X, noisy, scaled: bool = False) -> np.ndarray:
    """The documented recipe: cross-validated LogisticRegression probabilities into cleanlab."""
    from cleanlab.filter import find_label_issues
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    model = make_pipeline(StandardScaler(), LogisticRegression()) if scaled else LogisticRegression()
    probabilities = cross_val_predict(model, X, noisy, cv=5, method="predict_proba")
    return np.asarray(find_label_issues(noisy, probabilities), dtype=bool)


def with_assess(X, noisy) -> np.ndarray:
    from assess.labels import audit

    return audit(X, noisy, cv=5).scores["is_suspect"].to_numpy()


METHODS = {
    "standard": lambda X, y: standard(X, y),
    "standard+scaled": lambda X, y: standard(X, y, scaled=True),
    "assess": with_assess,
}


def score(flagged: np.ndarray, truth: np.ndarray) -> tuple[float, float, float]:
    hits = int((flagged & truth).sum())
    precision = hits / max(int(flagged.sum()), 1)
    recall = hits / max(int(truth.sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run(seeds: int, repeat: int) -> list[dict]:
    from assess.labels import inject_noise

    rows = []
    for name in DATASETS:
        X, y = load(name)
        for rate in RATES:
            results = {method: {"scores": [], "seconds": []} for method in METHODS}
            for seed in range(seeds):
                noisy = inject_noise(y, rate, "class_conditional", seed=seed)
                truth = noisy != y
                for method, find in METHODS.items():
                    times = []
                    for _ in range(repeat):  # every run flags the same records: all are seeded
                        started = time.perf_counter()
                        flagged = find(X, noisy)
                        times.append(time.perf_counter() - started)
                    results[method]["seconds"].append(min(times))
                    results[method]["scores"].append(score(flagged, truth))
            for method, result in results.items():
                precision, recall, f1 = np.mean(result["scores"], axis=0)
                rows.append({"dataset": name, "rate": rate, "method": method, "precision": precision, "recall": recall,
                             "f1": f1, "seconds": statistics.median(result["seconds"])})
    return rows


def report(rows: list[dict]) -> bool:
    print(f"{'dataset':<14} {'noise':>5}  {'method':<16} {'precision':>9} {'recall':>7} {'F1':>6} {'time s':>8}")
    met = True
    for row in rows:
        print(f"{row['dataset']:<14} {row['rate']:>5.0%}  {row['method']:<16} {row['precision']:>9.3f} "
              f"{row['recall']:>7.3f} {row['f1']:>6.3f} {row['seconds']:>8.2f}")
    print()
    print(f"{'dataset':<14} {'noise':>5}  {'F1 gain':>8} {'time ratio':>10}  goal (gain >= {F1_GAIN_GOAL}, ratio <= {TIME_RATIO_GOAL:g})")
    keyed = {(r["dataset"], r["rate"], r["method"]): r for r in rows}
    for name in DATASETS:
        for rate in RATES:
            ours, theirs = keyed[(name, rate, "assess")], keyed[(name, rate, "standard")]
            gain = ours["f1"] - theirs["f1"]
            ratio = ours["seconds"] / theirs["seconds"]
            ok = gain >= F1_GAIN_GOAL and ratio <= TIME_RATIO_GOAL
            met &= ok
            print(f"{name:<14} {rate:>5.0%}  {gain:>+8.3f} {ratio:>10.1f}  {'met' if ok else 'NOT MET'}")
    return met


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="noise draws per case (default 3)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per draw and side; the fastest counts (default 3)")
    args = parser.parse_args()
    from threadpoolctl import threadpool_limits

    warnings.filterwarnings("ignore")  # the standard recipe's unscaled LogisticRegression warns of non-convergence
    with threadpool_limits(limits=1):
        met = report(run(args.seeds, args.repeat))
    print("\nall goals met" if met else "\nsome goals NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
