"""The ``pii_training_data`` assessment's steps, one call per notebook cell.

Scans the plan's datasets (streamed, every core), logs masked findings and summary tables,
draws the counts per type, and records the checks: no sensitive personal information without a
declared lawful basis (PIPL Art. 28-29; GB/T 45652 draft §6.3 b)), the share of records with
personal information under the plan's ceiling (policy), and a declared basis for every other type
found (PIPL Art. 13; Interim Art. 7(3)), else a check waiting for a person.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from assess.pii.digest import FindingsDigest, digest_findings
from assess.pii.flag_rules import rules_table
from assess.pii.flag_settings import DEFAULT_FLAGS, FlagSettings, flag_settings, flag_terms
from assess.pii.pipeline import ScanResult, scan_file
from assess.pii.summary import check_lawful_basis

#: Clause ids (assess/clauses.yaml) of each check: sensitive PI needs separate consent (§6.3 b) of the
#: draft), every PI type a basis (§6.3 a)), and the share of records with PI as PIPL Art. 4 defines it.
CLAUSE_SENSITIVE = ["PIPL Art. 28", "PIPL Art. 29", "GB/T 45652 draft §6.3"]
CLAUSE_SHARE = ["DS Art. 14", "Interim Art. 7(3)", "PIPL Art. 4"]
CLAUSE_BASIS = ["PIPL Art. 13", "Interim Art. 7(3)", "GB/T 45652 draft §6.3"]


@dataclass
class DatasetScan:
    """One dataset's scan and its summary figures.

    ``findings`` is the masked findings: a pandas DataFrame (engine pandas) or a persisted Spark
    DataFrame (engine spark, never collected whole); ``digest`` holds every figure the report shows.
    """

    role: str
    result: ScanResult
    digest: FindingsDigest
    findings: object = None

    @property
    def summary(self) -> dict:
        return self.digest.summary


def scan_datasets(ctx, roles, *, min_confidence: float = 0.5, processes: int = 0, chunk_size: int = 20_000,
                  columns: dict | None = None, ner_model: str = "", flags: FlagSettings | None = None) -> list[DatasetScan]:
    """Scan each dataset role of the subject (whole file, in chunks, on every core).

    A dataset with ``engine: spark`` is scanned on the subject's Spark master instead, one
    partition at a time, and its figures are aggregated on the cluster (:mod:`assess.pii.spark_scan`).
    Columns: ``columns[role]`` if given, else every string column except the id and label columns.
    ``flags``: the plan's terms added to or excluded from the sensitive-category flags
    (:func:`validated_flags`); default the built-in terms and context rules.
    """
    from assess.datasets import check_columns
    from assess.pii.files import choose_columns, detect_format, iter_chunks

    key = ctx.hash_key()
    scans = []
    for role in roles:
        spec = ctx.dataset_spec(role)
        if not spec.path.exists():
            ctx.load_dataset(role)  # raises the plan-aware InputError
        chosen = (columns or {}).get(role)
        first = next(iter_chunks(spec.path, detect_format(spec.path, spec.format), 1000), None)
        if first is not None and spec.format != "txt":  # a misspelt column must not widen the scan silently
            check_columns(first.frame.columns, spec.columns(), role=role, file_name=spec.path.name)
        if chosen is None:
            chosen = [] if first is None else [
                c for c in choose_columns(first.frame, spec.format, None, spec.id_column if spec.format != "txt" else None)
                if c != spec.label_column
            ]
        id_column = spec.id_column if spec.format != "txt" else None
        if spec.engine == "spark":
            scans.append(_scan_on_spark(ctx, spec, chosen, key, min_confidence=min_confidence, ner_model=ner_model,
                                        flags=flags))
            continue
        result = scan_file(spec.path, fmt=spec.format, columns=chosen or None, id_column=id_column, key=key,
                           chunk_size=chunk_size, processes=processes, min_confidence=min_confidence,
                           ner_model=ner_model or None, flags=flags)
        scans.append(DatasetScan(role, result, digest_findings(result.findings, result.records), result.findings))
    return scans


def _scan_on_spark(ctx, spec, columns, key: bytes, *, min_confidence: float, ner_model: str,
                   flags: FlagSettings | None = None) -> DatasetScan:
    """Scan one dataset on the kernel's Spark session; aggregate its figures there."""
    import time

    from pyspark import StorageLevel

    from assess.pii.spark_scan import digest_spark, with_kind_columns
    from assess.spark import scan_spark
    from assess.spark_session import read_dataset, session_for

    spark = session_for(ctx)
    started = time.perf_counter()
    frame = read_dataset(spark, spec)
    findings = with_kind_columns(scan_spark(frame, columns, spec.id_column, key, min_confidence=min_confidence,
                                            ner_model=ner_model or None, flags=flags, row_key=True))
    findings = findings.persist(StorageLevel.MEMORY_AND_DISK)  # scanned once, aggregated several times
    records = frame.count()
    digest = digest_spark(findings, records)
    try:
        cores = spark.sparkContext.defaultParallelism
    except Exception:  # noqa: BLE001 - Spark Connect has no SparkContext on the client
        cores = 0
    result = ScanResult(path=spec.path, format=spec.format, columns=list(columns), records=records,
                        seconds=time.perf_counter() - started, processes=cores, findings=None)
    return DatasetScan(spec.role, result, digest, findings)


def datasets_table(scans: list[DatasetScan]) -> pd.DataFrame:
    """What was scanned: file, format, columns, records, time."""
    return pd.DataFrame([{
        "dataset": s.role, "file": s.result.path.name, "format": s.result.format,
        "columns scanned": ", ".join(map(str, s.result.columns)), "records": s.result.records,
        "MB": round(s.result.bytes / 1e6, 2), "seconds": round(s.result.seconds, 2), "processes": s.result.processes,
        "engine": "pandas" if isinstance(s.findings, pd.DataFrame) else "spark",
    } for s in scans])


def overview_table(scans: list[DatasetScan]) -> pd.DataFrame:
    """Per dataset: records with personal information and with sensitive personal information."""
    rows = []
    for s in scans:
        m = s.summary
        rows.append({
            "dataset": s.role, "records": m["records"],
            "records with PI": m["records_with_pi"], "share with PI": f"{m['pi_record_share']:.2%}",
            "records with sensitive PI": m["records_with_sensitive_pi"],
            "share with sensitive PI": f"{m['sensitive_record_share']:.2%}",
            "identifiers found": m["identifier_findings"], "distinct identifiers (keyed hash)": m["distinct_identifiers"],
        })
    return pd.DataFrame(rows)


def _stacked(scans: list[DatasetScan], table_of, columns=None) -> pd.DataFrame:
    """``table_of(scan)`` for every dataset, stacked with a leading ``dataset`` column."""
    frames = []
    for s in scans:
        table = table_of(s)
        if not table.empty:
            table.insert(0, "dataset", s.role)
            frames.append(table)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def types_table(scans: list[DatasetScan]) -> pd.DataFrame:
    """Per dataset and type: findings, records, distinct values, rate per 10k records."""
    columns = ["dataset", "type", "category", "sensitive", "findings", "records", "distinct_values", "per_10k_records"]
    return _stacked(scans, lambda s: s.digest.types(), columns)


def columns_table(scans: list[DatasetScan]) -> pd.DataFrame:
    """Findings per type (rows) and dataset/column (columns)."""
    frames = []
    for s in scans:
        table = s.digest.per_column.copy()
        if not table.empty:
            table.columns = [f"{s.role}.{c}" for c in table.columns]
            frames.append(table)
    return pd.concat(frames, axis=1).fillna(0).astype(int) if frames else pd.DataFrame()


def examples_table(scans: list[DatasetScan], per_type: int = 3) -> pd.DataFrame:
    """Masked examples per dataset and type (distinct values)."""
    return _stacked(scans, lambda s: s.digest.examples(per_type))


def repeated_table(scans: list[DatasetScan]) -> pd.DataFrame:
    """Identifiers (by keyed hash) found in two or more records of a dataset."""
    return _stacked(scans, lambda s: s.digest.repeated.copy())


def basis_table(scans: list[DatasetScan], lawful_basis: dict) -> pd.DataFrame:
    """Per dataset and type found: the basis the plan declares and what the law requires."""
    return _stacked(scans, lambda s: s.digest.basis_table(lawful_basis))


def counts_figure(scans: list[DatasetScan]):
    """Horizontal bars: findings per type and dataset; sensitive types marked ★."""
    import matplotlib.pyplot as plt

    table = types_table(scans)
    if table.empty:
        return None
    pivot = table.pivot_table(index="type", columns="dataset", values="findings", aggfunc="sum", fill_value=0)
    sensitive = table.groupby("type")["sensitive"].first()
    pivot = pivot.loc[pivot.sum(axis=1).sort_values().index]
    labels = [f"{t} ★" if sensitive[t] else t for t in pivot.index]
    figure, axis = plt.subplots(figsize=(8, 0.35 * len(pivot) + 1.5))
    left = None
    for dataset in pivot.columns:
        values = pivot[dataset].to_numpy()
        axis.barh(labels, values, left=left, label=dataset)
        left = values if left is None else left + values
    axis.set_xlabel("findings")
    axis.set_title("Personal information found per type (★ sensitive, PIPL Art. 28)")
    axis.legend(title="dataset", loc="lower right")
    figure.tight_layout()
    return figure


def _finding_records(findings):
    """The masked findings as records: a pandas frame's rows, or a Spark frame's streamed to the driver
    one partition at a time (without the Spark row key, which is no position in a file)."""
    if findings is None or isinstance(findings, pd.DataFrame):
        return findings if findings is not None else []
    return (row.asDict() for row in findings.drop("row", "flag").toLocalIterator())


def log_evidence(ctx, scans: list[DatasetScan], lawful_basis: dict, per_type: int = 3,
                 flags: FlagSettings | None = None) -> None:
    """Log masked findings, summary tables and metrics, and the keyword-flag terms and rules used."""
    for s in scans:
        ctx.log_findings(f"pii_{s.role}", _finding_records(s.findings))
        prefix = s.role
        ctx.log_metrics({
            f"{prefix}.records": s.summary["records"],
            f"{prefix}.records_with_pi": s.summary["records_with_pi"],
            f"{prefix}.pi_record_share": s.summary["pi_record_share"],
            f"{prefix}.records_with_sensitive_pi": s.summary["records_with_sensitive_pi"],
            f"{prefix}.sensitive_record_share": s.summary["sensitive_record_share"],
            f"{prefix}.distinct_identifiers": s.summary["distinct_identifiers"],
            f"{prefix}.findings": s.summary["findings"],
        })
        for row in s.digest.types().itertuples():
            ctx.log_metric(f"{prefix}.per_10k.{row.type}", row.per_10k_records)
    ctx.log_table("pii_datasets", datasets_table(scans))
    ctx.log_table("pii_overview", overview_table(scans))
    ctx.log_table("pii_types", types_table(scans))
    ctx.log_table("pii_columns", columns_table(scans).reset_index())
    ctx.log_table("pii_examples", examples_table(scans, per_type))
    ctx.log_table("pii_repeated_identifiers", repeated_table(scans))
    ctx.log_table("pii_lawful_basis", basis_table(scans, lawful_basis))
    ctx.log_dict("pii_summary", {s.role: s.summary for s in scans} | {"lawful_basis": lawful_basis})
    ctx.log_dict("pii_keyword_flags", (flags or DEFAULT_FLAGS).as_evidence())


def record_checks(ctx, scans: list[DatasetScan], *, lawful_basis: dict, max_pii_record_share: float) -> None:
    """The verdict's checks, per dataset."""
    for s in scans:
        ctx.check(
            f"{s.role}: records with sensitive PI and no declared lawful basis",
            s.digest.sensitive_without_basis(lawful_basis), 0, "==", severity="fail",
            clause=CLAUSE_SENSITIVE, basis="regulation",
            description="sensitive personal information needs separate consent or another legal basis; "
                        "declare it per type in lawful_basis",
        )
        ctx.check(
            f"{s.role}: share of records with PI", round(s.summary["pi_record_share"], 4), max_pii_record_share, "<=",
            severity="fail", clause=CLAUSE_SHARE, basis="policy",
            description="the plan's ceiling on personal information in training data",
        )
        missing = s.digest.types_without_basis(lawful_basis)
        if missing:
            ctx.pending(
                f"{s.role}: lawful basis for {', '.join(missing)}",
                "personal information without a declared consent or legal basis: a person confirms one "
                "(and declares it in lawful_basis) or removes the data",
                clause=CLAUSE_BASIS,
            )
        else:
            ctx.check(f"{s.role}: PI types without a declared basis", 0, 0, "==", clause=CLAUSE_BASIS, basis="regulation")


def validated_flags(terms_add, terms_exclude) -> FlagSettings:
    """The plan's ``keyword_terms_add`` / ``keyword_terms_exclude`` after validation (flag types, terms)."""
    return flag_settings(terms_add, terms_exclude)


def keyword_flags_table(flags: FlagSettings | None = None) -> pd.DataFrame:
    """Per flag type: its built-in terms, the terms the plan added and excluded, and its context rules."""
    flags = flags or DEFAULT_FLAGS
    rules = pd.DataFrame(rules_table() if flags.context_rules else [], columns=["type"])
    return pd.DataFrame([{
        "type": flag_type, "built-in terms": len(terms),
        "terms added by the plan": ", ".join(flags.added(flag_type)) or "—",
        "terms excluded by the plan": ", ".join(flags.excluded(flag_type)) or "—",
        "context rule conditions": int((rules["type"] == flag_type).sum()),
    } for flag_type, terms in sorted(flag_terms().items())])


def keyword_rules_table(flags: FlagSettings | None = None) -> pd.DataFrame:
    """The context rules in force: type, terms, condition, words, why (empty when they are off)."""
    return pd.DataFrame((flags or DEFAULT_FLAGS).as_evidence()["context_rules"],
                        columns=["type", "terms", "dropped when", "words", "why"])


def validated_basis(lawful_basis) -> dict:
    """The plan's ``lawful_basis`` after validation (type names, non-empty references)."""
    return check_lawful_basis(lawful_basis)


__all__ = [
    "DatasetScan", "basis_table", "columns_table", "counts_figure", "datasets_table", "examples_table",
    "keyword_flags_table", "keyword_rules_table", "log_evidence", "overview_table", "record_checks", "repeated_table", "scan_datasets",
    "types_table", "validated_basis", "validated_flags",
]
