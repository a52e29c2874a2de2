"""What a dataset's PII scan reports, reduced to small tables: the same from pandas or from Spark.

A scan of a terabyte corpus cannot bring its findings to one machine. The report needs only
figures per type, per column and per record class, a few masked examples and the repeated
identifiers; :class:`FindingsDigest` holds exactly those. :func:`digest_findings` builds it from a
pandas findings frame (with :mod:`assess.pii.summary`); :func:`assess.pii.spark_scan.digest_spark`
builds the same object on a Spark cluster. The report's tables and checks are methods of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from assess.errors import InputError
from assess.pii.findings import is_flag
from assess.pii.summary import (
    _identifying,
    _record_key,
    basis_for,
    column_table,
    examples,
    lawful_basis_table_from_counts,
    record_summary,
    repeated_identifiers,
    type_counts,
    type_table_from_counts,
)

#: Distinct values per type kept as example candidates: examples_per_type may be at most this.
EXAMPLE_CANDIDATES = 50


@dataclass
class FindingsDigest:
    """The figures of one dataset's scan that the report shows and checks.

    Attributes
    ----------
    records : int
        Records scanned.
    summary : dict
        :func:`assess.pii.summary.record_summary`.
    counts : pandas.DataFrame
        :func:`assess.pii.summary.type_counts` (per type, in name order).
    per_column : pandas.DataFrame
        :func:`assess.pii.summary.column_table`.
    candidates : pandas.DataFrame
        Findings :func:`assess.pii.summary.examples` chooses from: all of them (pandas), or for each
        type the first occurrence of its :data:`EXAMPLE_CANDIDATES` distinct values with the smallest
        keyed hashes (Spark; :func:`example_candidates` is the same choice in pandas).
    repeated : pandas.DataFrame
        :func:`assess.pii.summary.repeated_identifiers`.
    sensitive_sets : dict
        Sorted tuple of the types that make a record sensitive -> number of such records.
    """

    records: int
    summary: dict
    counts: pd.DataFrame
    per_column: pd.DataFrame
    candidates: pd.DataFrame
    repeated: pd.DataFrame
    sensitive_sets: dict
    #: Distinct values per type held in ``candidates``; None: all (a pandas scan keeps every finding).
    candidate_limit: int | None = None

    def types(self) -> pd.DataFrame:
        """:func:`assess.pii.summary.type_table`."""
        return type_table_from_counts(self.counts, self.records)

    def examples(self, per_type: int = 3) -> pd.DataFrame:
        """:func:`assess.pii.summary.examples`."""
        if self.candidate_limit is not None and per_type > self.candidate_limit:
            raise InputError(f"examples_per_type={per_type}: engine: spark keeps {self.candidate_limit} example "
                             f"candidates per type; set examples_per_type to at most {self.candidate_limit}")
        return examples(self.candidates, per_type)

    def basis_table(self, lawful_basis: Mapping[str, str]) -> pd.DataFrame:
        """:func:`assess.pii.summary.lawful_basis_table`."""
        return lawful_basis_table_from_counts(self.counts, lawful_basis)

    def sensitive_without_basis(self, lawful_basis: Mapping[str, str]) -> int:
        """:func:`assess.pii.summary.sensitive_records_without_basis`: records with a sensitive type lacking a basis."""
        return int(sum(n for kinds, n in self.sensitive_sets.items()
                       if any(basis_for(t, lawful_basis) is None for t in kinds)))

    def types_without_basis(self, lawful_basis: Mapping[str, str]) -> list[str]:
        """:func:`assess.pii.summary.pi_types_without_basis`."""
        ids = self.counts[self.counts["identifying"].astype(bool) & ~self.counts["sensitive"].astype(bool)]
        return sorted(t for t in ids["type"] if basis_for(t, lawful_basis) is None)


def example_candidates(findings: pd.DataFrame, per_type: int = EXAMPLE_CANDIDATES) -> pd.DataFrame:
    """The rows of ``findings`` :func:`assess.pii.summary.examples` can show with up to ``per_type`` per type."""
    if findings.empty:
        return findings
    ordered = findings.sort_values(["type", "value_hash", "record_id", "column", "start"], kind="stable",
                                   na_position="last")
    return ordered.drop_duplicates(["type", "value_hash"]).groupby("type", sort=True).head(per_type)


def sensitive_sets(findings: pd.DataFrame) -> dict[tuple, int]:
    """Sorted tuple of types -> records whose sensitive personal information is of those types.

    A record's types are its sensitive identifiers, plus its sensitive-category flags when it
    also holds an identifier (as :func:`assess.pii.summary.record_sets` counts it).
    """
    if findings.empty:
        return {}
    key = _record_key(findings)
    identifying = _identifying(findings)
    flags = findings["type"].map(is_flag).astype(bool)
    with_pi = set(findings.loc[identifying, key])
    chosen = findings[(identifying & findings["sensitive"].astype(bool)) | (flags & findings[key].isin(with_pi))]
    per_record = chosen.groupby(key, sort=False)["type"].agg(lambda kinds: tuple(sorted(set(kinds))))
    return {kinds: int(n) for kinds, n in per_record.value_counts().items()}


def digest_findings(findings: pd.DataFrame, records: int) -> FindingsDigest:
    """The :class:`FindingsDigest` of a pandas findings frame (a file scan's or :func:`scan_frame`'s)."""
    return FindingsDigest(
        records=int(records),
        summary=record_summary(findings, records),
        counts=type_counts(findings),
        per_column=column_table(findings),
        candidates=findings,
        repeated=repeated_identifiers(findings),
        sensitive_sets=sensitive_sets(findings),
    )
