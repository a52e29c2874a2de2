"""Compile a data contract and the ML checks into a Great Expectations 1.x ExpectationSuite.

The compiler reads only the contract, the column roles, the thresholds and (for drift) the
baseline profile; it never sees a data source, a batch or the data. The suite it returns is
therefore independent of where the data lives: the same ``ExpectationSuite`` runs through a
``ValidationDefinition`` on GX's pandas data source (as :mod:`assess.quality.gx_run` does) or on
its Spark data source (``context.data_sources.add_spark(...)``), because every expectation in it
is either a GX built-in or a class of :mod:`assess.quality.expectations` built on metrics GX
implements for both engines (``tests/test_spark.py`` checks every one against pandas). The helper
columns the ML checks read are added beforehand by :func:`assess.quality.prepare.prepare_frame`, a
per-chunk function (meant for ``mapInPandas`` on Spark; so far tested with pandas only).

Every expectation carries ``meta.check`` (a name from :data:`assess.quality.checks.CHECKS`),
``meta.group``, ``meta.column`` and ``meta.clause``, so results are reported by check name.
"""

from __future__ import annotations

from dataclasses import dataclass

from assess.quality.offline import disable_gx_analytics

disable_gx_analytics()  # before GX is imported

import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402

from assess.errors import InputError  # noqa: E402
from assess.quality import expectations as dq  # noqa: E402
from assess.quality.checks import CHECKS  # noqa: E402
from assess.quality.contract import Contract  # noqa: E402
from assess.quality.prepare import Roles, expected_helper_columns, helper_column  # noqa: E402


@dataclass(frozen=True)
class QualityPolicy:
    """Thresholds of the ML checks (all policy: no rule sets these numbers).

    Attributes
    ----------
    max_duplicate_share : float
        Largest share of rows whose text occurs more than once (exactly, or after normalisation).
    max_label_conflict_share : float
        Largest share of rows whose normalised text occurs with more than one label.
    min_class_share : float
        Smallest share of rows any declared class may hold.
    max_imbalance_ratio : float
        Largest allowed ratio of the biggest class to the smallest.
    max_overlap_share : float
        Largest share of rows that may also occur in another split (by id or by content).
    max_empty_text_share, max_garbled_share : float
        Largest share of empty / garbled texts.
    max_drift_psi : float
        Largest population stability index of a column against the previous review's profile.
    """

    max_duplicate_share: float = 0.0
    max_label_conflict_share: float = 0.0
    min_class_share: float = 0.02
    max_imbalance_ratio: float = 20.0
    max_overlap_share: float = 0.0
    max_empty_text_share: float = 0.0
    max_garbled_share: float = 0.0
    max_drift_psi: float = 0.2

    def __post_init__(self):
        for name in ("max_duplicate_share", "max_label_conflict_share", "min_class_share", "max_overlap_share",
                     "max_empty_text_share", "max_garbled_share"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise InputError(f"{name} is {value}: use a share between 0 and 1")
        if self.max_imbalance_ratio < 1:
            raise InputError(f"max_imbalance_ratio is {self.max_imbalance_ratio}: use a ratio of at least 1")
        if self.max_drift_psi < 0:
            raise InputError(f"max_drift_psi is {self.max_drift_psi}: use a non-negative number")


def _mostly(max_share: float) -> dict:
    """``mostly`` for a map expectation allowing ``max_share`` of unexpected rows (omitted at 0)."""
    return {} if max_share <= 0 else {"mostly": round(1.0 - max_share, 10)}


class _SuiteBuilder:
    """Collects expectations; the suite is built at the end, so no data context is needed."""

    def __init__(self, name: str):
        self.name = name
        self.expectations: list = []

    def add(self, expectation, check: str, column: str | None = None, **meta):
        info = CHECKS[check]
        expectation.meta = {"check": check, "group": info.group, "column": column, "clause": info.clause, **meta}
        self.expectations.append(expectation)

    def build(self):
        suite = gx.ExpectationSuite(name=self.name, expectations=self.expectations)
        if len(suite.expectations) != len(self.expectations):  # GX drops invalid ones with only a log line
            raise RuntimeError(f"suite {self.name}: GX rejected {len(self.expectations) - len(suite.expectations)} expectation(s)")
        return suite


def compile_suite(contract: Contract, *, name: str, roles: Roles | None = None, policy: QualityPolicy | None = None,
                  overlap_with=(), baseline: dict | None = None, ml_checks: bool = True):
    """Build the ExpectationSuite of one dataset.

    Parameters
    ----------
    contract : Contract
        The dataset's data contract.
    name : str
        Suite name (usually ``data_quality_<role>``).
    roles : Roles, optional
        Id, text and label columns; the ML checks that need a role are left out without it.
    policy : QualityPolicy, optional
        Thresholds of the ML checks (defaults when omitted).
    overlap_with : sequence of str
        Splits this dataset must not share records with; adds overlap-by-id and by-content checks
        on the helper columns :func:`~assess.quality.prepare.prepare_frame` fills.
    baseline : dict, optional
        The previous review's profile of this dataset; adds one PSI drift check per column.
    ml_checks : bool
        False compiles the contract alone (used by the benchmark and by ``contract suggest``).

    Returns
    -------
    great_expectations.ExpectationSuite
        Not yet added to any data context.
    """
    roles = roles or Roles()
    policy = policy or QualityPolicy()
    overlap_with = tuple(overlap_with) if ml_checks else ()
    builder = _SuiteBuilder(name)
    _add_contract(builder, contract, roles, overlap_with, ml_checks)
    if ml_checks:
        _add_ml(builder, contract, roles, policy, overlap_with, baseline)
    return builder.build()


def _add_contract(builder: _SuiteBuilder, contract: Contract, roles: Roles, overlap_with, ml_checks: bool) -> None:
    if contract.min_rows is not None or contract.max_rows is not None:
        builder.add(gxe.ExpectTableRowCountToBeBetween(min_value=contract.min_rows, max_value=contract.max_rows),
                    "row_count")
    helpers = expected_helper_columns(contract, roles, overlap_with) if ml_checks else \
        [helper_column("unparseable", n) for n, c in contract.columns.items() if c.type != "string"]
    builder.add(gxe.ExpectTableColumnsToMatchSet(column_set=[*contract.columns, *helpers],
                                                 exact_match=contract.extra_columns == "forbid"), "columns")
    for name, column in contract.columns.items():
        builder.add(dq.ExpectColumnToHaveLogicalType(column=name, logical_type=column.type), "logical_type", name)
        if column.type != "string":
            builder.add(dq.ExpectColumnValuesToBeParseableAsType(
                column=helper_column("unparseable", name), source_column=name, logical_type=column.type), "parseable", name)
        if not column.nullable:
            builder.add(gxe.ExpectColumnValuesToNotBeNull(column=name), "not_null", name)
        elif column.max_null_share is not None:
            builder.add(gxe.ExpectColumnValuesToNotBeNull(column=name, **_mostly(column.max_null_share)), "not_null", name)
        if column.unique:
            builder.add(gxe.ExpectColumnValuesToBeUnique(column=name), "unique", name)
        if column.min is not None or column.max is not None:
            builder.add(gxe.ExpectColumnValuesToBeBetween(column=name, min_value=column.min, max_value=column.max),
                        "value_range", name)
        if column.values is not None:
            check = "labels_in_declared_set" if ml_checks and name == roles.label else "value_set"
            builder.add(gxe.ExpectColumnValuesToBeInSet(column=name, value_set=list(column.values)), check, name)
        if column.regex is not None:
            builder.add(gxe.ExpectColumnValuesToMatchRegex(column=name, regex=column.regex), "regex", name)
        if column.min_length is not None or column.max_length is not None:
            builder.add(gxe.ExpectColumnValueLengthsToBeBetween(column=name, min_value=column.min_length,
                                                                max_value=column.max_length), "text_length", name)
    for group in contract.unique_together:
        builder.add(gxe.ExpectCompoundColumnsToBeUnique(column_list=list(group)), "unique_together", ",".join(group))


def _add_ml(builder: _SuiteBuilder, contract: Contract, roles: Roles, policy: QualityPolicy, overlap_with,
            baseline: dict | None) -> None:
    text, label, record_id = roles.text, roles.label, roles.id
    if text:
        builder.add(gxe.ExpectColumnValuesToBeUnique(column=text, **_mostly(policy.max_duplicate_share)),
                    "exact_duplicates", text)
        builder.add(dq.ExpectColumnValuesToHaveNoNormalizedDuplicates(
            column=helper_column("norm", text), source_column=text, **_mostly(policy.max_duplicate_share)),
            "normalized_duplicates", text)
        builder.add(dq.ExpectColumnValuesToNotBeEmptyText(column=text, **_mostly(policy.max_empty_text_share)),
                    "empty_text", text)
        builder.add(dq.ExpectColumnValuesToNotBeGarbledText(column=text, regex_list=list(dq.GARBLED_PATTERNS),
                                                            **_mostly(policy.max_garbled_share)), "garbled_text", text)
    if label:
        classes = list(contract.columns[label].values) if contract.columns[label].values is not None else None
        builder.add(dq.ExpectColumnMinClassShareToBeAtLeast(column=label, min_value=policy.min_class_share,
                                                            classes=classes), "min_class_share", label)
        builder.add(dq.ExpectColumnClassImbalanceRatioToBeAtMost(column=label, max_value=policy.max_imbalance_ratio,
                                                                 classes=classes), "imbalance_ratio", label)
        if text:
            builder.add(dq.ExpectColumnValuesToHaveConsistentLabels(
                column=helper_column("label_conflict", text), source_column=text, label_column=label,
                **_mostly(policy.max_label_conflict_share)), "label_conflicts", text)
    for other in overlap_with:
        if record_id:
            builder.add(dq.ExpectColumnValuesToNotOverlapSplit(
                column=helper_column("overlap_id", record_id, other), other_split=other, key="id",
                source_column=record_id, **_mostly(policy.max_overlap_share)), "overlap_by_id", record_id, other_split=other)
        if text:
            builder.add(dq.ExpectColumnValuesToNotOverlapSplit(
                column=helper_column("overlap_content", text, other), other_split=other, key="content",
                source_column=text, **_mostly(policy.max_overlap_share)), "overlap_by_content", text, other_split=other)
    for entry in (baseline or {}).get("columns", {}).values():
        source = entry.get("source")
        if source not in contract.columns:
            continue  # the column left the contract since the baseline was taken
        kept = {k: entry[k] for k in ("kind", "edges", "shares") if k in entry}
        builder.add(dq.ExpectColumnDriftPsiToBeAtMost(column=entry["column"], baseline=kept,
                                                      max_value=policy.max_drift_psi),
                    "drift", entry["name"], baseline_rows=(baseline or {}).get("rows"))
