"""Precision and recall of the sensitive-category keyword flags, before and after the context rules.

    .venv/bin/python benchmarks/keyword_flags.py                  # figures + speed (about a minute)
    .venv/bin/python benchmarks/keyword_flags.py --skip-speed     # figures only
    .venv/bin/python benchmarks/keyword_flags.py --errors         # also list every false flag and miss

Two labelled sets of e-commerce and customer-service sentences in Chinese and English, written by
hand for this benchmark, each sentence labelled with the sensitive categories it discloses about a
real person (the labelling rules are at the top of ``benchmarks/data/keyword_flags.tsv``):

- ``dev`` (``keyword_flags.tsv``): written first; the context rules were written and then
  corrected against it, so its ``after`` figures are optimistic;
- ``held-out`` (``keyword_flags_heldout.tsv``): written after the rules were frozen and never used
  to change them: its figures are the ones to quote.

A sentence counts per category: a flag of the category on a sentence labelled with it is a true
positive, on another sentence a false flag; a labelled sentence without the flag is a miss.

Three scans of the same sentences, side by side:

- ``before``: the scanner as it was: the old term lists (without 支付账户, payment password,
  payment account) and no context rules;
- ``terms only``: today's term lists without context rules;
- ``after``: today's term lists with the context rules (the default of every scan).

Speed: CPU seconds of one process scanning two corpora with the ``before`` and ``after`` engines,
alternated, best of ``--repeat``: ``pii_scan.py``'s generated corpus (10% of records with personal
data) and the labelled sentences repeated, where nearly every record holds a flag term.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from assess.pii.engine import get_engine  # noqa: E402
from assess.pii.findings import is_flag  # noqa: E402
from assess.pii.flag_settings import FlagSettings, flag_settings  # noqa: E402

SETS = {"dev": HERE / "data" / "keyword_flags.tsv", "held-out": HERE / "data" / "keyword_flags_heldout.tsv"}
KEY = b"benchmark-key-not-secret"
CATEGORIES = {"minor": "SENSITIVE_MINOR", "financial": "SENSITIVE_FINANCIAL", "health": "SENSITIVE_HEALTH",
              "biometric": "SENSITIVE_BIOMETRIC", "religion": "SENSITIVE_RELIGION",
              "identity": "SENSITIVE_SPECIFIC_IDENTITY", "whereabouts": "SENSITIVE_WHEREABOUTS"}
#: Terms added with the context rules; ``before`` leaves them out to be the scanner as it was.
NEW_TERMS = {"SENSITIVE_FINANCIAL": ["支付账户", "payment password", "payment account"]}
SETTINGS = {
    "before": flag_settings(exclude=NEW_TERMS, context_rules=False),
    "terms only": FlagSettings(context_rules=False),
    "after": FlagSettings(),
}


def load(path: Path) -> list[tuple[str, frozenset[str]]]:
    """``(text, flag types)`` per labelled sentence."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        labels, text = line.split("\t", 1)
        unknown = [label for label in labels.split(",") if label != "-" and label not in CATEGORIES]
        if unknown:
            raise SystemExit(f"{path.name}:{number}: unknown label {unknown[0]!r}: use {', '.join(CATEGORIES)} or -")
        rows.append((text, frozenset(CATEGORIES[label] for label in labels.split(",") if label != "-")))
    return rows


def flagged(texts: list[str], settings: FlagSettings) -> list[frozenset[str]]:
    """The flag types found in each text."""
    found = get_engine(settings).scan_batch(texts, key=KEY)
    return [frozenset(f.type for f in findings if is_flag(f.type)) for findings in found]


def counts(gold: list[frozenset[str]], predicted: list[frozenset[str]]) -> dict[str, Counter]:
    """Per flag type: tp, fp, fn over sentences."""
    table = {flag_type: Counter() for flag_type in CATEGORIES.values()}
    for truth, guess in zip(gold, predicted):
        for flag_type, c in table.items():
            if flag_type in guess:
                c["tp" if flag_type in truth else "fp"] += 1
            elif flag_type in truth:
                c["fn"] += 1
    return table


def precision_recall(c: Counter) -> tuple[float, float]:
    flagged_, labelled = c["tp"] + c["fp"], c["tp"] + c["fn"]
    return (c["tp"] / flagged_ if flagged_ else float("nan")), (c["tp"] / labelled if labelled else float("nan"))


def print_table(gold, runs: dict[str, list[frozenset[str]]]) -> None:
    names = list(runs)
    by_run = {name: counts(gold, predicted) for name, predicted in runs.items()}
    header = f"{'type':<28}{'labelled':>9}" + "".join(f" | {name:^27}" for name in names)
    print(header)
    print(f"{'':<37}" + "".join(f" | {'P':>6} {'R':>6} {'flags':>6} {'false':>6}" for _ in names))
    print("-" * len(header))
    totals = {name: Counter() for name in names}
    for flag_type in CATEGORIES.values():
        labelled = by_run[names[0]][flag_type]["tp"] + by_run[names[0]][flag_type]["fn"]
        cells = []
        for name in names:
            c = by_run[name][flag_type]
            totals[name].update(c)
            p, r = precision_recall(c)
            cells.append(f" | {p:6.2f} {r:6.2f} {c['tp'] + c['fp']:6d} {c['fp']:6d}")
        print(f"{flag_type:<28}{labelled:>9}" + "".join(cells))
    print("-" * len(header))
    labelled = totals[names[0]]["tp"] + totals[names[0]]["fn"]
    cells = []
    for name in names:
        p, r = precision_recall(totals[name])
        cells.append(f" | {p:6.2f} {r:6.2f} {totals[name]['tp'] + totals[name]['fp']:6d} {totals[name]['fp']:6d}")
    print(f"{'all (micro)':<28}{labelled:>9}" + "".join(cells))


def print_errors(rows, predicted: list[frozenset[str]]) -> None:
    for (text, truth), guess in zip(rows, predicted):
        for flag_type in sorted(guess - truth):
            print(f"  false flag {flag_type:<28} {text}")
        for flag_type in sorted(truth - guess):
            print(f"  miss       {flag_type:<28} {text}")


def cpu_seconds(texts: list[str], settings: FlagSettings) -> float:
    engine = get_engine(settings)
    gc.collect()
    cpu = time.process_time()
    for i in range(0, len(texts), 20_000):
        engine.scan_batch(texts[i:i + 20_000], key=KEY)
    return time.process_time() - cpu


def speed(rows, records: int, repeat: int) -> None:
    from pii_scan import build_corpus

    corpora = {
        f"pii_scan corpus ({records:,} records)": [text for text, _ in build_corpus(records, 7, 0.1, 0.2)],
        f"labelled sentences x{records // len(rows)}": [text for text, _ in rows] * (records // len(rows)),
    }
    print(f"\nSpeed: CPU seconds of one process, best of {repeat}, runs alternated (MB/s of UTF-8 text)")
    for name, texts in corpora.items():
        megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
        best = {label: float("inf") for label in ("before", "after")}
        for label in best:
            get_engine(SETTINGS[label])  # compile outside the timed region
        for _ in range(repeat):
            for label in best:
                best[label] = min(best[label], cpu_seconds(texts, SETTINGS[label]))
        figures = "  ".join(f"{label}: {megabytes / seconds:6.1f} MB/s ({seconds:.3f} s)" for label, seconds in best.items())
        print(f"  {name:<40} {megabytes:6.1f} MB   {figures}   after/before time {best['after'] / best['before']:.3f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the false flags and misses of 'after'")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--records", type=int, default=50_000, help="records per speed corpus (default 50000)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per engine; the fastest counts (default 5)")
    args = parser.parse_args(argv)

    every: list[tuple[str, frozenset[str]]] = []
    for set_name, path in SETS.items():
        rows = load(path)
        every += rows
        texts, gold = [text for text, _ in rows], [labels for _, labels in rows]
        chinese = sum(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in texts)
        print(f"{set_name} set: {len(rows)} labelled sentences ({chinese} Chinese, {len(rows) - chinese} English), "
              f"{sum(1 for g in gold if g)} with a sensitive category, {path.relative_to(HERE.parent)}")
        print("P: precision, R: recall (per sentence and category); flags: sentences flagged; false: false flags")
        runs = {name: flagged(texts, settings) for name, settings in SETTINGS.items()}
        print_table(gold, runs)
        if args.errors:
            print(f"\nFalse flags and misses of 'after' ({set_name}):")
            print_errors(rows, runs["after"])
        print()
    if not args.skip_speed:
        speed(every, args.records, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
