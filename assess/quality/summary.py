"""Tables and metrics from masked GX validation results (no GX needed).

The input is what :func:`assess.quality.gx_run.run_validations` returns: masked
``ExpectationSuiteValidationResult`` JSON dicts. Everything here reads only those, so no raw
value can reach a table, a metric name or a finding.
"""

from __future__ import annotations

import re

import pandas as pd

from assess.display import format_value
from assess.quality.checks import CHECKS, GROUPS

#: Columns of the per-expectation table.
SUMMARY_COLUMNS = ("dataset", "check", "group", "column", "other_split", "expectation", "success",
                   "unexpected_count", "unexpected_percent", "allowed_percent", "observed", "sample", "sample_rows", "clause")
_METRIC_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]+")
SAMPLE_SIZE = 5


def _sample(result: dict) -> str:
    values = result.get("partial_unexpected_list") or []
    return " | ".join(str(v) for v in values[:SAMPLE_SIZE])


def _sample_rows(result: dict) -> str:
    """Row numbers (0-based positions in the dataset) of the sampled unexpected values."""
    rows = result.get("partial_unexpected_index_list") or []
    return ", ".join(str(row) for row in rows[:SAMPLE_SIZE])


def _observed(result: dict):
    value = result.get("observed_value")
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, (list, dict)):
        return format_value(value)[:200]
    return value


def _allowed_percent(config: dict, result: dict):
    """The share of rows (%) a row-level expectation allows to break it: ``1 - mostly``, else 0."""
    if not isinstance(result.get("unexpected_percent"), (int, float)):
        return None  # an aggregate expectation: no share of rows
    mostly = (config.get("kwargs") or {}).get("mostly")
    return round((1.0 - mostly) * 100, 6) if isinstance(mostly, (int, float)) else 0.0


def summarise(results: dict[str, dict]) -> pd.DataFrame:
    """One row per expectation evaluated, over every dataset.

    Parameters
    ----------
    results : dict
        Masked suite results by dataset role.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SUMMARY_COLUMNS`; ``sample`` holds masked values, ``sample_rows`` their
        row numbers; ``allowed_percent`` is the share of rows a row-level expectation tolerates
        (the policy's limit, from its ``mostly``).
    """
    rows = []
    for dataset, suite_result in results.items():
        for item in suite_result.get("results", []):
            config = item.get("expectation_config") or {}
            meta = config.get("meta") or {}
            result = item.get("result") or {}
            check = meta.get("check", config.get("type", ""))
            info = CHECKS.get(check)
            raised = any(v.get("raised_exception") for v in _exception_entries(item.get("exception_info")))
            rows.append({
                "dataset": dataset,
                "check": check,
                "group": meta.get("group", info.group if info else ""),
                "column": meta.get("column"),
                "other_split": meta.get("other_split"),
                "expectation": config.get("type", ""),
                "success": bool(item.get("success")) and not raised,
                "unexpected_count": result.get("unexpected_count"),
                "unexpected_percent": (round(result["unexpected_percent"], 3)
                                       if isinstance(result.get("unexpected_percent"), (int, float)) else None),
                "allowed_percent": _allowed_percent(config, result),
                "observed": "error: see results JSON" if raised else _observed(result),
                "sample": _sample(result),
                "sample_rows": _sample_rows(result),
                "clause": meta.get("clause", info.clause if info else ""),
            })
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def _exception_entries(info) -> list[dict]:
    if not isinstance(info, dict):
        return []
    if "raised_exception" in info:
        return [info]
    return [v for v in info.values() if isinstance(v, dict)]


def failures_by_group(summary: pd.DataFrame) -> pd.DataFrame:
    """Failed / evaluated expectations per dataset and check group (every group shown, 0 included)."""
    rows = []
    for dataset in summary["dataset"].unique():
        part = summary[summary["dataset"] == dataset]
        for group in GROUPS:
            in_group = part[part["group"] == group]
            failed = in_group[~in_group["success"]]
            rows.append({"dataset": dataset, "group": group, "evaluated": len(in_group), "failed": len(failed),
                         "failed_checks": ", ".join(sorted(set(failed["check"])))})
    return pd.DataFrame(rows, columns=["dataset", "group", "evaluated", "failed", "failed_checks"])


def metric_name(*parts) -> str:
    """An MLflow-safe metric name from parts (unsafe characters become ``_``)."""
    kept = [p for p in parts if p is not None and p == p and p != ""]  # p == p drops NaN
    return ".".join(_METRIC_UNSAFE.sub("_", str(p)) for p in kept)


def review_metrics(results: dict[str, dict], summary: pd.DataFrame) -> dict[str, float]:
    """Metrics: expectations evaluated / failed / success percent (overall and per dataset), and
    for each failed expectation its unexpected count (or observed value, for aggregates)."""
    metrics: dict[str, float] = {}
    evaluated = failed = 0
    for dataset, suite_result in results.items():
        stats = suite_result.get("statistics", {})
        n = int(stats.get("evaluated_expectations", 0))
        bad = int(stats.get("unsuccessful_expectations", 0))
        evaluated, failed = evaluated + n, failed + bad
        metrics[metric_name(dataset, "expectations_evaluated")] = n
        metrics[metric_name(dataset, "expectations_failed")] = bad
        metrics[metric_name(dataset, "success_percent")] = float(stats.get("success_percent") or 0.0)
    metrics["expectations_evaluated"] = evaluated
    metrics["expectations_failed"] = failed
    metrics["success_percent"] = 100.0 * (evaluated - failed) / evaluated if evaluated else 100.0
    for row in summary[~summary["success"]].itertuples():
        base = metric_name(row.dataset, "failed", row.check, row.column, row.other_split)
        if row.unexpected_count is not None and row.unexpected_count == row.unexpected_count:
            metrics[base + ".unexpected_count"] = float(row.unexpected_count)
        elif isinstance(row.observed, (int, float)) and not isinstance(row.observed, bool):
            metrics[base + ".observed"] = float(row.observed)
    return metrics


def failed_findings(summary: pd.DataFrame) -> list[dict]:
    """One finding per failed expectation: check, column, counts and the masked sample."""
    failed = summary[~summary["success"]]
    return [
        {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
        for row in failed.to_dict(orient="records")
    ]
