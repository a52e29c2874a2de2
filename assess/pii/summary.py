"""Summaries of findings for evidence: counts per type and column, record shares, distinct values,
masked examples, and the lawful-basis evaluation (PIPL Art. 13, 28, 29; GB/T 45652 draft §6.3).

Every function takes the findings DataFrame of a scan (masked; ``row`` or ``record_id`` names
the record) and returns tables that are safe to log: counts, types, masked values.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from assess.errors import InputError
from assess.pii.engine import get_engine
from assess.pii.findings import is_flag

#: lawful_basis key that declares one basis for every type.
ALL_TYPES = "*"


def _record_key(findings: pd.DataFrame) -> str:
    return "row" if "row" in findings.columns else "record_id"


def _identifying(findings: pd.DataFrame) -> pd.Series:
    if "identifying" in findings.columns:
        return findings["identifying"].astype(bool)
    known = {r.type: r.identifying for r in get_engine().recognizers}
    return findings["type"].map(lambda t: known.get(t, True)).astype(bool)


def known_types() -> dict[str, dict]:
    """Every finding type with its category, sensitivity and whether it identifies a person."""
    types: dict[str, dict] = {}
    for rec in get_engine().recognizers:
        types.setdefault(rec.type, {"category": rec.category, "sensitive": rec.sensitive,
                                    "identifying": rec.identifying, "flag": is_flag(rec.type)})
    return types


def record_sets(findings: pd.DataFrame) -> dict[str, set]:
    """Records (by ``row`` or ``record_id``) with personal information, and with sensitive personal
    information: a sensitive identifier, or a sensitive-category flag plus any identifier."""
    if findings.empty:
        return {"pi": set(), "sensitive": set(), "flagged": set()}
    key = _record_key(findings)
    identifying = _identifying(findings)
    flags = findings["type"].map(is_flag)
    pi = set(findings.loc[identifying, key])
    flagged = set(findings.loc[flags, key])
    sensitive_ids = set(findings.loc[identifying & findings["sensitive"].astype(bool), key])
    return {"pi": pi, "sensitive": sensitive_ids | (flagged & pi), "flagged": flagged}


def record_summary(findings: pd.DataFrame, records: int) -> dict:
    """Headline figures: records scanned, with PI, with sensitive PI, shares, distinct identifiers."""
    sets = record_sets(findings)
    identifying = findings[_identifying(findings)] if not findings.empty else findings
    return {
        "records": int(records),
        "findings": int(len(findings)),
        "identifier_findings": int(len(identifying)),
        "records_with_pi": len(sets["pi"]),
        "pi_record_share": len(sets["pi"]) / records if records else 0.0,
        "records_with_sensitive_pi": len(sets["sensitive"]),
        "sensitive_record_share": len(sets["sensitive"]) / records if records else 0.0,
        "distinct_identifiers": int(identifying["value_hash"].nunique()) if len(identifying) else 0,
    }


def type_counts(findings: pd.DataFrame) -> pd.DataFrame:
    """Per type (in name order): category, sensitive, identifying, findings, records, distinct values (by keyed hash).

    The figures every per-type table is made from (:func:`type_table_from_counts`,
    :func:`lawful_basis_table_from_counts`); on Spark they come from one ``groupBy``.
    """
    columns = ["type", "category", "sensitive", "identifying", "findings", "records", "distinct_values"]
    if findings.empty:
        return pd.DataFrame(columns=columns)
    key = _record_key(findings)
    grouped = findings.groupby("type", sort=True)
    table = pd.DataFrame({
        "category": grouped["category"].first(),
        "sensitive": grouped["sensitive"].first().astype(bool),
        "identifying": _identifying(findings).groupby(findings["type"], sort=True).first().astype(bool),
        "findings": grouped.size(),
        "records": grouped[key].nunique(),
        "distinct_values": grouped["value_hash"].nunique(),
    })
    return table.rename_axis("type").reset_index()[columns]


def type_table(findings: pd.DataFrame, records: int) -> pd.DataFrame:
    """Per type: category, sensitivity, findings, records, distinct values (by keyed hash), rate per 10k records."""
    return type_table_from_counts(type_counts(findings), records)


def type_table_from_counts(counts: pd.DataFrame, records: int) -> pd.DataFrame:
    """:func:`type_table` from the per-type figures of :func:`type_counts`."""
    columns = ["type", "category", "sensitive", "findings", "records", "distinct_values", "per_10k_records"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    table = counts.set_index("type")[["category", "sensitive", "findings", "records", "distinct_values"]].copy()
    table["sensitive"] = table["sensitive"].astype(bool)
    for name in ("findings", "records", "distinct_values"):
        table[name] = table[name].astype("int64")
    table["per_10k_records"] = (table["records"] * 10_000 / records).round(2) if records else 0.0
    table["distinct_values"] = table["distinct_values"].astype("Int64")
    table.loc[[is_flag(t) for t in table.index], "distinct_values"] = pd.NA  # a term is not a person
    return table.reset_index().sort_values(["findings", "type"], ascending=[False, True])[columns].reset_index(drop=True)


def column_table(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings per type (rows) and column (columns)."""
    if findings.empty:
        return pd.DataFrame()
    return findings.pivot_table(index="type", columns="column", values="start", aggfunc="count", fill_value=0)


def examples(findings: pd.DataFrame, per_type: int = 3) -> pd.DataFrame:
    """Up to ``per_type`` masked examples per type (distinct values), for a reader to judge hits.

    The values shown are those with the smallest keyed hashes, each at its first record (by record
    id, column, position): a choice that depends on neither the order of the file nor how it was
    partitioned, so a scan on Spark shows the same examples.
    """
    columns = ["type", "column", "record_id", "masked", "confidence"]
    if findings.empty:
        return pd.DataFrame(columns=columns)
    ordered = findings.sort_values(["type", "value_hash", "record_id", "column", "start"], kind="stable",
                                   na_position="last")
    distinct = ordered.drop_duplicates(["type", "value_hash"])
    return distinct.groupby("type", sort=True).head(per_type)[columns].reset_index(drop=True)


def repeated_identifiers(findings: pd.DataFrame) -> pd.DataFrame:
    """Per type, identifiers (by keyed hash) that occur in two or more records: memorisation risk."""
    columns = ["type", "values_in_2plus_records", "max_records_per_value"]
    if findings.empty:
        return pd.DataFrame(columns=columns)
    key = _record_key(findings)
    ids = findings[_identifying(findings)]
    per_value = ids.groupby(["type", "value_hash"])[key].nunique()
    rows = [
        {"type": t, "values_in_2plus_records": int((counts >= 2).sum()), "max_records_per_value": int(counts.max())}
        for t, counts in per_value.groupby(level=0)
    ]
    return pd.DataFrame(rows, columns=columns)


def check_lawful_basis(lawful_basis: Mapping[str, str] | None) -> dict[str, str]:
    """Validate a plan's ``lawful_basis`` mapping: finding type (or ``*``) -> reference."""
    lawful_basis = dict(lawful_basis or {})
    known = known_types()
    for name, reference in lawful_basis.items():
        if name != ALL_TYPES and name not in known:
            raise InputError(f"lawful_basis names unknown type {name!r}: use one of {', '.join(sorted(known))} or '*'")
        if not isinstance(reference, str) or not reference.strip():
            raise InputError(f"lawful_basis[{name!r}] must name the consent ledger or legal basis (a non-empty string)")
    return lawful_basis


def basis_for(finding_type: str, lawful_basis: Mapping[str, str]) -> str | None:
    """The declared basis covering ``finding_type``, if any."""
    return lawful_basis.get(finding_type) or lawful_basis.get(ALL_TYPES)


def lawful_basis_table(findings: pd.DataFrame, lawful_basis: Mapping[str, str]) -> pd.DataFrame:
    """Per type found: records, whether sensitive, the declared basis, and what is required."""
    return lawful_basis_table_from_counts(type_counts(findings), lawful_basis)


def lawful_basis_table_from_counts(counts: pd.DataFrame, lawful_basis: Mapping[str, str]) -> pd.DataFrame:
    """:func:`lawful_basis_table` from the per-type figures of :func:`type_counts`."""
    columns = ["type", "sensitive", "records", "lawful_basis", "required"]
    rows = []
    for row in counts.sort_values("type").itertuples():
        if not is_flag(row.type) and not row.identifying:
            continue  # organisation codes: not personal information
        sensitive = bool(row.sensitive)
        rows.append({
            "type": row.type,
            "sensitive": sensitive,
            "records": int(row.records),
            "lawful_basis": basis_for(row.type, lawful_basis) or "— none declared —",
            "required": "separate consent or other legal basis (PIPL Art. 29)" if sensitive
            else "consent or other legal basis (PIPL Art. 13)",
        })
    return pd.DataFrame(rows, columns=columns)


def sensitive_records_without_basis(findings: pd.DataFrame, lawful_basis: Mapping[str, str]) -> int:
    """Records with sensitive personal information of a type for which no basis is declared.

    A flag (health, religion, ...) counts only in a record that also identifies someone.
    """
    if findings.empty:
        return 0
    key = _record_key(findings)
    sets = record_sets(findings)
    identifying = _identifying(findings)
    flags = findings["type"].map(is_flag)
    sensitive = findings[(identifying & findings["sensitive"].astype(bool)) | (flags & findings[key].isin(sets["pi"]))]
    uncovered = sensitive.loc[[basis_for(t, lawful_basis) is None for t in sensitive["type"]]]  # .loc: [] selects no rows, not no columns
    return int(uncovered[key].nunique())


def pi_types_without_basis(findings: pd.DataFrame, lawful_basis: Mapping[str, str]) -> list[str]:
    """Identifying, non-sensitive types found for which no basis is declared."""
    if findings.empty:
        return []
    ids = findings[_identifying(findings) & ~findings["sensitive"].astype(bool)]
    return sorted(t for t in ids["type"].unique() if basis_for(t, lawful_basis) is None)
