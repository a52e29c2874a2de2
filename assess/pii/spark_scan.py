"""``pii_training_data`` on Spark: the scan per partition, the report's figures aggregated on the cluster.

:func:`assess.spark.scan_spark` with ``row_key=True`` runs :func:`assess.pii.scan_frame` on every
Arrow batch of every partition (``mapInPandas``) and numbers each record with a row key of its own
(ids may repeat; a record is counted once however often its id occurs).
:func:`digest_spark` reduces the findings to a :class:`~assess.pii.digest.FindingsDigest` with
``groupBy`` and window aggregates, so only per-type figures, a few masked example candidates and
counts per set of sensitive types reach the driver. Distinct identifiers are counted by keyed
hash: the key travels to the executors inside the serialised scan function, never as data.
"""

from __future__ import annotations


import pandas as pd

from assess.pii.digest import EXAMPLE_CANDIDATES, FindingsDigest
from assess.pii.findings import FLAG_PREFIX
from assess.spark import ROW


def with_kind_columns(findings):
    """``findings`` plus ``identifying`` (the type names a person) and ``flag`` (a sensitive-category term)."""
    from pyspark.sql import functions as F

    from assess.pii.summary import known_types

    identifying = F.create_map(*[F.lit(v) for name, info in sorted(known_types().items())
                                 for v in (name, bool(info["identifying"]))])
    return (findings.withColumn("identifying", F.coalesce(identifying[F.col("type")], F.lit(True)))
            .withColumn("flag", F.col("type").startswith(FLAG_PREFIX)))


def digest_spark(findings, records: int) -> FindingsDigest:
    """The :class:`FindingsDigest` of Spark findings (from :func:`with_kind_columns`), aggregated on the cluster.

    Equal to :func:`assess.pii.digest.digest_findings` of the same findings collected into pandas.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    ident, sensitive = F.col("identifying"), F.col("sensitive")
    totals = findings.agg(
        F.count(F.lit(1)).alias("findings"),
        F.coalesce(F.sum(ident.cast("long")), F.lit(0)).alias("identifier_findings"),
        F.countDistinct(F.when(ident, F.col(ROW))).alias("records_with_pi"),
        F.countDistinct(F.when(ident, F.col("value_hash"))).alias("distinct_identifiers"),
    ).first()

    per_record = findings.groupBy(ROW).agg(
        F.max(ident).alias("pi"),
        F.collect_set(F.when(ident & sensitive, F.col("type"))).alias("identifiers"),
        F.collect_set(F.when(F.col("flag"), F.col("type"))).alias("flags"))
    kinds = F.array_sort(F.array_union("identifiers", F.when(F.col("pi"), F.col("flags"))
                                       .otherwise(F.array().cast("array<string>"))))
    sets = {tuple(row["kinds"]): int(row["count"]) for row in
            per_record.select(kinds.alias("kinds")).where(F.size("kinds") > 0).groupBy("kinds").count().collect()}
    sensitive_records = sum(sets.values())

    summary = {
        "records": int(records),
        "findings": int(totals["findings"]),
        "identifier_findings": int(totals["identifier_findings"]),
        "records_with_pi": int(totals["records_with_pi"]),
        "pi_record_share": totals["records_with_pi"] / records if records else 0.0,
        "records_with_sensitive_pi": sensitive_records,
        "sensitive_record_share": sensitive_records / records if records else 0.0,
        "distinct_identifiers": int(totals["distinct_identifiers"]),
    }

    count_columns = ["type", "category", "sensitive", "identifying", "findings", "records", "distinct_values"]
    counts = findings.groupBy("type").agg(
        F.first("category", ignorenulls=True).alias("category"),
        F.first("sensitive", ignorenulls=True).alias("sensitive"),
        F.first("identifying", ignorenulls=True).alias("identifying"),
        F.count(F.lit(1)).alias("findings"),
        F.countDistinct(ROW).alias("records"),
        F.countDistinct("value_hash").alias("distinct_values"),
    ).toPandas()
    counts = (counts.sort_values("type").reset_index(drop=True)[count_columns] if len(counts)
              else pd.DataFrame(columns=count_columns))
    for name in ("findings", "records", "distinct_values"):
        counts[name] = counts[name].astype("int64")
    counts["sensitive"] = counts["sensitive"].astype(bool)
    counts["identifying"] = counts["identifying"].astype(bool)

    by_column = findings.groupBy("type", "column").count().toPandas()
    per_column = (by_column.pivot_table(index="type", columns="column", values="count", aggfunc="sum", fill_value=0)
                  if len(by_column) else pd.DataFrame())

    first_place = Window.partitionBy("type", "value_hash").orderBy(
        F.col("record_id").asc_nulls_last(), F.col("column"), F.col("start"))
    by_hash = Window.partitionBy("type").orderBy(F.col("value_hash").asc_nulls_last())
    candidates = (findings.withColumn("_first", F.row_number().over(first_place)).where(F.col("_first") == 1)
                  .withColumn("_rank", F.row_number().over(by_hash)).where(F.col("_rank") <= EXAMPLE_CANDIDATES)
                  .drop("_first", "_rank", "flag").toPandas())

    per_value = (findings.where(ident & F.col("value_hash").isNotNull()).groupBy("type", "value_hash")
                 .agg(F.countDistinct(ROW).alias("n")))
    repeated = pd.DataFrame(
        [{"type": row["type"], "values_in_2plus_records": int(row["repeated"]), "max_records_per_value": int(row["most"])}
         for row in per_value.groupBy("type").agg(F.sum((F.col("n") >= 2).cast("long")).alias("repeated"),
                                                  F.max("n").alias("most")).orderBy("type").collect()],
        columns=["type", "values_in_2plus_records", "max_records_per_value"])

    return FindingsDigest(records=int(records), summary=summary, counts=counts, per_column=per_column,
                          candidates=candidates, repeated=repeated, sensitive_sets=sets,
                          candidate_limit=EXAMPLE_CANDIDATES)
