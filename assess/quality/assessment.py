"""The steps of the ``data_quality`` notebook, each one call (the notebook tells the story).

These functions take the notebook's :class:`assess.notebook.AssessmentContext` for its inputs
(dataset specs, previous run) and its evidence calls; the checks themselves live in
:mod:`assess.quality.review` and are plain functions of data frames.
"""

from __future__ import annotations

import json

import pandas as pd

from assess.errors import InputError
from assess.quality.checks import CHECKS, GROUP_CLAUSES, GROUPS
from assess.quality.contract import load_contract
from assess.quality.prepare import Roles
from assess.quality.review import DatasetInput, QualityReview, overlap_targets

ASSESSMENT = "data_quality"
#: Parameters that are thresholds of :class:`assess.quality.compile.QualityPolicy`.
POLICY_PARAMETERS = ("max_duplicate_share", "max_label_conflict_share", "min_class_share", "max_imbalance_ratio",
                     "max_overlap_share", "max_empty_text_share", "max_garbled_share", "max_drift_psi")


def profile_artifact(role: str) -> str:
    """Artifact path of a dataset's profile (what the next review reads as its baseline)."""
    return f"evidence/profile_{role}.json"


def policy_from_params(params: dict):
    """The :class:`~assess.quality.compile.QualityPolicy` from the notebook parameters."""
    from assess.quality.compile import QualityPolicy

    return QualityPolicy(**{name: params[name] for name in POLICY_PARAMETERS if params.get(name) is not None})


def load_baselines(ctx, roles) -> tuple[dict, pd.DataFrame]:
    """Each dataset's profile from the previous review of this subject (None when there is none).

    Returns
    -------
    (dict, pandas.DataFrame)
        Profiles by role, and a table saying where each came from.
    """
    import os

    # One small file per dataset: MLflow's progress bars would only clutter the rendered notebook.
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    previous = ctx.previous_run()
    baselines, rows = {}, []
    for role in roles:
        path = ctx.download_previous_artifact(profile_artifact(role)) if previous is not None else None
        profile = None
        if path is not None:
            try:
                profile = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError):
                profile = None
        baselines[role] = profile
        rows.append({
            "dataset": role,
            "baseline": (f"profile of run {previous.info.run_id[:12]} ({profile.get('rows')} rows)" if profile
                         else "none: this review stores the first baseline"),
        })
    return baselines, pd.DataFrame(rows)


def dataset_inputs(ctx, roles, overlap_pairs, baselines: dict) -> tuple[list[DatasetInput], pd.DataFrame]:
    """Load each dataset and its contract; return the review inputs and a table describing them.

    Raises
    ------
    InputError
        A dataset has no contract, or the contract does not fit the plan's columns.
    """
    targets = overlap_targets(list(roles), overlap_pairs)
    inputs, rows = [], []
    for role in roles:
        spec = ctx.dataset_spec(role)
        if spec.contract is None:
            raise InputError(
                f"dataset {role!r} has no data contract: add contract: PATH under datasets.{role} in the plan "
                f"(write a first one with `assess contract suggest {spec.path} --out contracts/{role}.yaml`)"
            )
        contract = load_contract(spec.contract)
        column_roles = Roles.resolve(contract, id_column=spec.id_column, text_column=spec.text_column,
                                     label_column=spec.label_column)
        if spec.engine == "spark":  # validated on GX's Spark data source (assess.quality.spark_prepare)
            from assess.spark_session import read_dataset, session_for

            frame = read_dataset(session_for(ctx), spec)
            count = frame.count()
        else:
            frame = ctx.load_dataset(role)
            count = len(frame)
        inputs.append(DatasetInput(role=role, frame=frame, contract=contract, roles=column_roles,
                                   overlap_with=targets[role], baseline=baselines.get(role)))
        rows.append({"dataset": role, "file": spec.path.name, "engine": spec.engine, "rows": count,
                     "contract": spec.contract.name,
                     "id": column_roles.id, "text": column_roles.text, "label": column_roles.label,
                     "must not overlap": ", ".join(targets[role]) or "—"})
    return inputs, pd.DataFrame(rows)


def log_evidence(ctx, review: QualityReview) -> None:
    """Log the masked GX results, the Data Docs site, metrics, findings, tables and profiles."""
    for role, result in review.results.items():
        ctx.log_dict(f"gx_validation_{role}", result)
    if review.docs_dir is not None:
        ctx.log_dir(review.docs_dir, "data_docs")
    ctx.log_metrics(review.metrics)
    ctx.log_table("expectations", review.summary)
    ctx.log_table("failures_by_group", review.by_group)
    ctx.log_findings("failed_expectations", review.findings)
    for role, profile in review.profiles.items():
        ctx.log_dict(f"profile_{role}", profile)


def data_docs_note(ctx) -> str:
    """Markdown linking the Data Docs index this run logged (a file link the rendered report makes relative)."""
    from assess.quality.docs_index import ARTIFACT_DIR, INDEX_NAME, local_docs_index

    index = local_docs_index(ctx.client.get_run(ctx.run_id).info.artifact_uri)
    if index is None:
        return (f"**Data Docs:** logged with this run's artifacts (MLflow run `{ctx.run_id}`) under "
                f"`{ARTIFACT_DIR}/{INDEX_NAME}`; download the folder to open it offline.")
    return (f"**[Data Docs index]({index.as_uri()})** (opens offline): each dataset's GX validation result "
            "and expectation suite, from the masked results.")


#: Columns of the per-dataset tables shown to the reader.
DISPLAY_COLUMNS = ["check", "column", "other_split", "success", "unexpected_count", "unexpected_percent",
                   "allowed_percent", "observed",
                   "sample", "sample_rows"]


def readable_table(review: QualityReview, dataset: str) -> pd.DataFrame:
    """One dataset's expectations for the reader: failures first, blanks instead of NaN."""
    table = review.table(dataset)[DISPLAY_COLUMNS].copy()
    table["unexpected_count"] = table["unexpected_count"].map(lambda v: "" if v is None or v != v else int(v))
    return table.astype(object).where(table.notna(), "")


def overview(review: QualityReview) -> pd.DataFrame:
    """Failed / evaluated expectations per dataset (rows) and check group (columns)."""
    table = review.by_group.copy()
    table["result"] = table.apply(lambda r: "—" if r["evaluated"] == 0 else f"{r['failed']} / {r['evaluated']} failed",
                                  axis=1)
    return table.pivot(index="dataset", columns="group", values="result")[list(GROUPS)]


def record_checks(ctx, review: QualityReview, *, drift_severity: str = "warn") -> None:
    """One check per dataset and check group: no failed expectation (drift gives ``drift_severity``)."""
    for row in review.by_group.itertuples():
        if row.evaluated == 0:
            continue
        names = sorted({CHECKS[c].meaning for c in row.failed_checks.split(", ") if c in CHECKS})
        ctx.check(
            f"{row.dataset}.{row.group}.failed_expectations", int(row.failed), 0, "<=",
            severity=drift_severity if row.group == "drift" else "fail",
            clause=GROUP_CLAUSES[row.group], basis="policy",
            description=(f"{row.evaluated} expectations; failed: {row.failed_checks}" if row.failed else
                         f"{row.evaluated} expectations, all met") + ("" if not names else " (" + "; ".join(names) + ")"),
        )
