"""The named checks of the data-quality assessment: group, clause and meaning of each.

Every expectation the compiler adds carries its check name in ``meta.check``, so results, tables,
metrics and the verdict speak of "normalized_duplicates" or "overlap_by_id" rather than of GX
expectation types. No GX here.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Clause ids (assess/clauses.yaml) each group of checks gives evidence for.
GROUP_CLAUSES = {
    "contract": "Interim Art. 7(4); DS Art. 14",
    "duplicates": "Interim Art. 7(4); TC260-003 §5.1",
    "text": "Interim Art. 7(4); TC260-003 §5.1",
    "labels": "Interim Art. 7(4); Interim Art. 8",
    "overlap": "Interim Art. 7(4)",
    "drift": "Algo Rec Art. 8; DS Art. 15",
}

#: Order in which groups are reported.
GROUPS = tuple(GROUP_CLAUSES)


@dataclass(frozen=True)
class CheckInfo:
    """What one named check verifies."""

    name: str
    group: str
    meaning: str

    @property
    def clause(self) -> str:
        return GROUP_CLAUSES[self.group]


CHECKS = {c.name: c for c in (
    CheckInfo("row_count", "contract", "the number of rows is within the contract's bounds"),
    CheckInfo("columns", "contract", "the columns are the declared ones"),
    CheckInfo("logical_type", "contract", "a column has its declared type"),
    CheckInfo("parseable", "contract", "every value of a typed column parses as that type"),
    CheckInfo("not_null", "contract", "a column has no (or few enough) missing values"),
    CheckInfo("unique", "contract", "a column declared unique has no repeated value"),
    CheckInfo("unique_together", "contract", "a declared column combination has no repeated value"),
    CheckInfo("value_range", "contract", "numbers are within the declared range"),
    CheckInfo("value_set", "contract", "values are in the declared set"),
    CheckInfo("regex", "contract", "values match the declared pattern"),
    CheckInfo("text_length", "contract", "text lengths are within the declared bounds"),
    CheckInfo("exact_duplicates", "duplicates", "no text occurs twice"),
    CheckInfo("normalized_duplicates", "duplicates", "no text occurs twice once normalised (NFKC, case, whitespace, punctuation)"),
    CheckInfo("empty_text", "text", "no text is empty or whitespace only"),
    CheckInfo("garbled_text", "text", "no text carries U+FFFD, mojibake or control characters"),
    CheckInfo("labels_in_declared_set", "labels", "every label is in the declared label set"),
    CheckInfo("min_class_share", "labels", "every declared class holds at least the minimum share of rows"),
    CheckInfo("imbalance_ratio", "labels", "the largest class is at most the allowed multiple of the smallest"),
    CheckInfo("label_conflicts", "labels", "texts equal after normalisation carry one label"),
    CheckInfo("overlap_by_id", "overlap", "no record id also occurs in the other split"),
    CheckInfo("overlap_by_content", "overlap", "no text (normalised) also occurs in the other split"),
    CheckInfo("drift", "drift", "a column's distribution stays within the PSI limit of the previous review"),
)}
