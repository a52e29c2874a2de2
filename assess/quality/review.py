"""Review several datasets of one subject: prepare, compile, validate, mask, summarise, profile.

This is the one call the ``data_quality`` notebook makes. It imports GX only when it runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from assess.errors import InputError
from assess.quality.contract import Contract
from assess.quality.prepare import (
    Roles,
    SplitKeys,
    add_helper_columns,
    add_label_conflicts,
    add_overlap_columns,
    conform_frame,
    split_keys,
)
from assess.quality.profile import build_profile, check_profile
from assess.quality.summary import failed_findings, failures_by_group, review_metrics, summarise

SUITE_PREFIX = "data_quality_"


@dataclass
class DatasetInput:
    """One dataset to review.

    Attributes
    ----------
    role : str
        The dataset's role in the plan (train, holdout, ...).
    frame : pandas.DataFrame
        The records, as loaded.
    contract : Contract
    roles : Roles
        Id, text and label columns.
    overlap_with : tuple of str
        Roles of the other datasets this one must not share records with.
    baseline : dict, optional
        The previous review's profile of this dataset (drift checks are added when present).
    """

    role: str
    frame: pd.DataFrame
    contract: Contract
    roles: Roles
    overlap_with: tuple[str, ...] = ()
    baseline: dict | None = None


@dataclass
class QualityReview:
    """Outcome of :func:`review_datasets`; every value in it is masked or aggregate."""

    results: dict[str, dict]
    summary: pd.DataFrame
    by_group: pd.DataFrame
    metrics: dict[str, float]
    findings: list[dict]
    profiles: dict[str, dict]
    docs_dir: Path | None
    notes: list[str] = field(default_factory=list)

    def table(self, dataset: str) -> pd.DataFrame:
        """The per-expectation rows of one dataset, failures first."""
        part = self.summary[self.summary["dataset"] == dataset]
        return part.sort_values(["success", "group", "check"], kind="stable").reset_index(drop=True)

    def failed(self, dataset: str | None = None, group: str | None = None) -> pd.DataFrame:
        """The failed expectations, optionally of one dataset and/or check group."""
        part = self.summary[~self.summary["success"]]
        if dataset is not None:
            part = part[part["dataset"] == dataset]
        if group is not None:
            part = part[part["group"] == group]
        return part.reset_index(drop=True)


def overlap_targets(datasets, overlap_pairs) -> dict[str, tuple[str, ...]]:
    """For each dataset, the datasets it must not overlap (the first of each pair is checked).

    Raises
    ------
    InputError
        A pair is not two roles, or names a role that is not reviewed.
    """
    targets: dict[str, list[str]] = {role: [] for role in datasets}
    for pair in overlap_pairs or []:
        if not isinstance(pair, (list, tuple)) or len(pair) != 2 or pair[0] == pair[1]:
            raise InputError(f"overlap_pairs: {pair!r} is not a pair of two different dataset roles: write e.g. [train, holdout]")
        for role in pair:
            if role not in targets:
                raise InputError(f"overlap_pairs: {role!r} is not among the reviewed datasets ({', '.join(datasets)}): "
                                 f"add it to datasets or remove the pair")
        if pair[1] not in targets[pair[0]]:
            targets[pair[0]].append(pair[1])
    return {role: tuple(others) for role, others in targets.items()}


def review_datasets(inputs: list[DatasetInput], policy=None, docs_dir: Path | None = None) -> QualityReview:
    """Validate each dataset against its contract and the ML checks; build masked evidence.

    Parameters
    ----------
    inputs : list of DatasetInput
    policy : QualityPolicy, optional
        Thresholds of the ML checks.
    docs_dir : Path, optional
        Folder for the GX Data Docs site (built from the masked results).

    Returns
    -------
    QualityReview
    """
    from assess.quality.compile import QualityPolicy, compile_suite
    from assess.quality.gx_run import Validation, run_validations
    from assess.quality.spark_prepare import is_spark_frame

    policy = policy or QualityPolicy()
    by_role = {item.role: item for item in inputs}
    notes = []
    staged: dict = {}
    for item in inputs:
        if is_spark_frame(item.frame):  # engine: spark, per partition (assess.quality.spark_prepare)
            from assess.quality.spark_prepare import stage

            staged[item.role] = stage(item.frame, item.contract, item.roles)
        else:
            staged[item.role] = add_helper_columns(conform_frame(item.frame, item.contract), item.contract, item.roles)
    keys: dict[str, SplitKeys] = {}
    for item in inputs:
        for other in item.overlap_with:
            if other not in by_role:
                raise InputError(f"dataset {item.role!r} is to be compared with {other!r}, which is not reviewed: add it to datasets")
            if other not in keys:
                if is_spark_frame(staged[other]):
                    from assess.quality.spark_prepare import spark_split_keys

                    keys[other] = spark_split_keys(staged[other], by_role[other].roles)
                else:
                    keys[other] = split_keys(staged[other], by_role[other].roles)
    validations, profiles = [], {}
    for item in inputs:
        others = {o: keys[o] for o in item.overlap_with}
        if is_spark_frame(staged[item.role]):
            from pyspark import StorageLevel

            from assess.quality import spark_prepare

            frame = spark_prepare.add_label_conflicts(spark_prepare.add_overlaps(staged[item.role], item.roles, others),
                                                      item.roles)
            frame = frame.persist(StorageLevel.MEMORY_AND_DISK)  # prepared once, read by every expectation
        else:
            frame = add_overlap_columns(staged[item.role], item.roles, others)
            frame = add_label_conflicts(frame, item.roles)
        baseline = None
        if item.baseline is not None:
            try:
                baseline = check_profile(item.baseline)
            except ValueError:
                notes.append(f"{item.role}: the previous profile is not readable by this version; drift not checked, "
                             f"this review stores a new baseline")
        if baseline is None and item.baseline is None:
            notes.append(f"{item.role}: no profile from a previous review; drift not checked, this review stores the baseline")
        suite = compile_suite(item.contract, name=f"{SUITE_PREFIX}{item.role}", roles=item.roles, policy=policy,
                              overlap_with=item.overlap_with, baseline=baseline)
        validations.append(Validation(name=f"{SUITE_PREFIX}{item.role}", frame=frame, suite=suite,
                                      public_columns=item.contract.public_columns))
        if is_spark_frame(frame):
            from assess.quality.spark_prepare import build_profile_spark

            profiles[item.role] = build_profile_spark(frame, item.contract, item.roles, dataset=item.role)
        else:
            profiles[item.role] = build_profile(frame, item.contract, item.roles, dataset=item.role)
    raw = run_validations(validations, docs_dir=docs_dir)
    results = {name[len(SUITE_PREFIX):]: value for name, value in raw.items()}
    summary = summarise(results)
    return QualityReview(
        results=results,
        summary=summary,
        by_group=failures_by_group(summary),
        metrics=review_metrics(results, summary),
        findings=failed_findings(summary),
        profiles=profiles,
        docs_dir=Path(docs_dir) if docs_dir is not None else None,
        notes=notes,
    )
