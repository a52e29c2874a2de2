"""Benchmark: a data contract's suite run through ``assess`` against the same suite in bare GX.

Both sides validate the same frame in the same process with the same GX version and result
format (SUMMARY, 20 unexpected values with their row numbers):

- **assess**: load the contract YAML, compile it (``compile_suite(..., ml_checks=False)``), type
  the frame as the contract says (``conform_frame``), run it through a ValidationDefinition and
  Checkpoint in an offline ephemeral context, and mask the results;
- **bare GX**: the same expectations written by hand with GX built-ins (``ExpectColumnValuesToBeOfType``
  for the types), the same kind of context, checkpoint and result format, no masking.

The frame looks like the demo intents data (id, text, label, lang) with a few planted defects, so
that some expectations fail and masking has values to mask. Goal: overhead ratio <= 1.2.

Run: .venv/bin/python benchmarks/data_quality.py [--rows 1000000] [--repeat 2]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CONTRACT = ROOT / "contracts" / "intents.yaml"
LABELS = ("billing", "refund", "delivery", "account", "complaint", "product_info")
WORDS = ("order", "refund", "parcel", "invoice", "password", "courier", "warranty", "coupon", "address", "card")


def make_frame(rows: int, seed: int = 0) -> pd.DataFrame:
    """``rows`` intents-like records as a CSV loads them (text columns), with a few defects."""
    rng = np.random.default_rng(seed)
    words = np.array(WORDS)
    first, second = rng.integers(0, len(WORDS), rows), rng.integers(0, len(WORDS), rows)
    frame = pd.DataFrame({
        # one letter and five digits, as the contract says: unique up to 2.6 million rows
        "id": [f"{chr(97 + i // 100_000)}{i % 100_000:05d}" for i in range(rows)],
        "text": [f"question {i} about my {a} and the {b}" for i, a, b in zip(range(rows), words[first], words[second])],
        "label": np.array(LABELS)[rng.integers(0, len(LABELS), rows)],
        "lang": np.where(rng.random(rows) < 0.5, "zh", "en"),
    }).astype("str")
    planted = rng.choice(rows, size=min(50, rows), replace=False)
    frame.loc[planted[:10], "label"] = "refunds"                          # unknown label
    frame.loc[planted[10:20], "text"] = "call me on 13812345678 please"   # duplicates with personal data
    frame.loc[planted[20:30], "lang"] = ""                                # missing values
    frame.loc[planted[30:35], "id"] = "13812345678"                        # personal data as an id
    return frame


def bare_suite(name: str):
    """The contract of ``contracts/intents.yaml`` written by hand with GX built-ins."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    labels = list(LABELS)
    expectations = [
        gxe.ExpectTableRowCountToBeBetween(min_value=100, max_value=5_000_000),
        gxe.ExpectTableColumnsToMatchSet(column_set=["id", "text", "label", "lang"], exact_match=True),
        gxe.ExpectColumnValuesToBeOfType(column="id", type_="str"),
        gxe.ExpectColumnValuesToNotBeNull(column="id"),
        gxe.ExpectColumnValuesToBeUnique(column="id"),
        gxe.ExpectColumnValuesToMatchRegex(column="id", regex=r"^[a-z]\d{5}$"),
        gxe.ExpectColumnValuesToBeOfType(column="text", type_="str"),
        gxe.ExpectColumnValuesToNotBeNull(column="text"),
        gxe.ExpectColumnValueLengthsToBeBetween(column="text", min_value=2, max_value=300),
        gxe.ExpectColumnValuesToBeOfType(column="label", type_="str"),
        gxe.ExpectColumnValuesToNotBeNull(column="label"),
        gxe.ExpectColumnValuesToBeInSet(column="label", value_set=labels),
        gxe.ExpectColumnValuesToBeOfType(column="lang", type_="str"),
        gxe.ExpectColumnValuesToNotBeNull(column="lang"),
        gxe.ExpectColumnValuesToBeInSet(column="lang", value_set=["zh", "en"]),
    ]
    return gx.ExpectationSuite(name=name, expectations=expectations)


def run_bare(frame: pd.DataFrame) -> tuple[float, dict]:
    """Bare GX: hand-written suite, ephemeral context, checkpoint; seconds and the result."""
    import great_expectations as gx

    from assess.quality.gx_run import offline_context, result_format

    start = time.perf_counter()
    context = offline_context(None)
    batch = context.data_sources.add_pandas("bare").add_dataframe_asset("intents").add_batch_definition_whole_dataframe("whole")
    suite = context.suites.add(bare_suite("bare_intents"))
    definition = context.validation_definitions.add(gx.ValidationDefinition(name="bare", data=batch, suite=suite))
    checkpoint = context.checkpoints.add(gx.Checkpoint(name="bare", validation_definitions=[definition], actions=[],
                                                       result_format=result_format()))
    result = next(iter(checkpoint.run(batch_parameters={"dataframe": frame}).run_results.values())).to_json_dict()
    return time.perf_counter() - start, result


def run_assess(frame: pd.DataFrame) -> tuple[float, dict, dict]:
    """assess: contract -> suite -> conform -> validate -> mask; seconds, result, step times."""
    from assess.quality.compile import compile_suite
    from assess.quality.contract import load_contract
    from assess.quality.gx_run import Validation, run_validations
    from assess.quality.prepare import Roles, conform_frame

    steps = {}
    start = time.perf_counter()
    contract = load_contract(CONTRACT)
    roles = Roles.resolve(contract)
    suite = compile_suite(contract, name="assess_intents", roles=roles, ml_checks=False)
    steps["contract+compile"] = time.perf_counter() - start
    mark = time.perf_counter()
    typed = conform_frame(frame, contract)
    steps["conform"] = time.perf_counter() - mark
    mark = time.perf_counter()
    results = run_validations([Validation("assess_intents", typed, suite)])
    steps["validate+mask"] = time.perf_counter() - mark
    return time.perf_counter() - start, results["assess_intents"], steps


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the benchmark frame (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=2, help="timed runs of each side, alternating (default 2)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    import great_expectations  # noqa: F401 - import time is reported, not timed in the runs

    import_seconds = time.perf_counter() - start
    frame = make_frame(args.rows)
    # Warm-up on a small frame: registries, lazy imports and caches on both sides.
    warm = make_frame(2_000, seed=1)
    run_bare(warm)
    run_assess(warm)

    bare_times, assess_times, step_times = [], [], []
    for _ in range(args.repeat):
        seconds, bare_result = run_bare(frame)
        bare_times.append(seconds)
        seconds, assess_result, steps = run_assess(frame)
        assess_times.append(seconds)
        step_times.append(steps)

    bare, ours = statistics.median(bare_times), statistics.median(assess_times)
    raw_phone_in_assess = "13812345678" in str(assess_result)
    print(f"data_quality benchmark: {args.rows:,} rows, contract {CONTRACT.name}, {args.repeat} run(s) each, median")
    print(f"GX import (once): {import_seconds:.1f} s")
    print(f"{'':28}{'bare GX':>12}{'assess':>12}")
    print(f"{'wall time (s)':28}{bare:12.2f}{ours:12.2f}")
    print(f"{'expectations evaluated':28}{bare_result['statistics']['evaluated_expectations']:12d}"
          f"{assess_result['statistics']['evaluated_expectations']:12d}")
    print(f"{'expectations failed':28}{bare_result['statistics']['unsuccessful_expectations']:12d}"
          f"{assess_result['statistics']['unsuccessful_expectations']:12d}")
    print(f"{'raw phone number in results':28}{str('13812345678' in str(bare_result)):>12}{str(raw_phone_in_assess):>12}")
    print(f"overhead ratio assess / bare GX: {ours / bare:.3f} (goal <= 1.2)")
    middle = step_times[len(step_times) // 2]
    print("assess steps (s): " + ", ".join(f"{k} {v:.2f}" for k, v in middle.items()))
    print("all runs (s): bare " + ", ".join(f"{t:.2f}" for t in bare_times) +
          "; assess " + ", ".join(f"{t:.2f}" for t in assess_times))
    return 0


if __name__ == "__main__":
    sys.exit(main())
