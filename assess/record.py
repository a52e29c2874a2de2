"""What the store says about a run (metrics, parameters, the project's tags), and how that differs
from what a manifest recorded.

A manifest holds the record of its run as it was when the review closed; :func:`record_differences`
names, one line each, every value someone changed in the store since (an edited ``mlflow.db``).
"""

from __future__ import annotations

import math

from assess.manifest import sha256_json

#: Tags the project sets: only these are evidence (MLflow's own ``mlflow.*`` tags are bookkeeping).
TAG_PREFIX = "assess."


def run_record(client, run_id: str) -> dict:
    """The metrics (latest value and a digest of every logged value), parameters and ``assess.*`` tags of a run.

    Parameters
    ----------
    client : mlflow.MlflowClient
    run_id : str

    Returns
    -------
    dict
        ``{"metrics": {name: value}, "metric_history_sha256": str, "params": {...}, "tags": {...}}``.
    """
    data = client.get_run(run_id).data
    history = {name: sorted([m.step, m.timestamp, _number(m.value)] for m in client.get_metric_history(run_id, name))
               for name in sorted(data.metrics)}
    return {
        "metrics": {name: _number(value) for name, value in sorted(data.metrics.items())},
        "metric_history_sha256": sha256_json(history),
        "params": dict(sorted(data.params.items())),
        "tags": {key: value for key, value in sorted(data.tags.items()) if key.startswith(TAG_PREFIX)},
    }


def _number(value):
    # JSON has no NaN or infinity: keep them as strings, so a record round-trips and compares equal.
    value = float(value)
    return value if math.isfinite(value) else repr(value)


def record_differences(expected: dict, actual: dict, where: str) -> list[str]:
    """One line per metric, parameter or tag whose value in the store differs from the manifest.

    Parameters
    ----------
    expected : dict
        The ``record`` of a manifest.
    actual : dict
        :func:`run_record` of the same run now.
    where : str
        How the lines name the run, e.g. ``"run pii_training_data"``.

    Returns
    -------
    list of str
        Empty when the store holds exactly what the manifest recorded.
    """
    lines = []
    for kind, label in (("metrics", "metric"), ("params", "parameter"), ("tags", "tag")):
        stored, recorded = actual.get(kind, {}), expected.get(kind, {})
        for name in sorted(set(stored) | set(recorded)):
            if name not in stored:
                lines.append(f"{where}: {label} {name} is missing from the store (the manifest has {recorded[name]!r})")
            elif name not in recorded:
                lines.append(f"{where}: {label} {name} is {stored[name]!r} in the store, not in the manifest (added afterwards)")
            elif stored[name] != recorded[name]:
                lines.append(f"{where}: {label} {name} is {stored[name]!r} in the store, {recorded[name]!r} in the manifest")
    if "metric_history_sha256" in expected and actual.get("metric_history_sha256") != expected["metric_history_sha256"] \
            and actual.get("metrics") == expected.get("metrics"):
        lines.append(f"{where}: the logged history of its metrics differs from the manifest (an earlier value was edited)")
    return lines


def check_differences(expected: list[dict], actual: list[dict], where: str) -> list[str]:
    """One line per check whose value, threshold or status differs between checks.json and the manifest."""
    lines = []
    stored = {c.get("name"): c for c in actual}
    recorded = {c.get("name"): c for c in expected}
    for name in sorted(set(stored) | set(recorded), key=str):
        if name not in stored:
            lines.append(f"{where}: check {name} is missing from checks.json")
        elif name not in recorded:
            lines.append(f"{where}: check {name} is in checks.json but not in the manifest (added afterwards)")
        else:
            for key in ("status", "value", "threshold", "op"):
                if stored[name].get(key) != recorded[name].get(key):
                    lines.append(f"{where}: check {name} has {key} {stored[name].get(key)!r} in checks.json, "
                                 f"{recorded[name].get(key)!r} in the manifest")
    return lines
