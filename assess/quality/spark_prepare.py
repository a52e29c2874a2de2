"""``data_quality`` on Spark: the helper columns of :mod:`assess.quality.prepare`, and the profile.

The per-record helpers (types as the contract says, normalised text, lengths, overlap with
another split) are the pandas functions themselves, run per partition through ``mapInPandas``;
the other split's keys reach the executors inside the serialised function. The label-conflict
helper needs the whole dataset: here it is a ``groupBy`` on the normalised text joined back.
The profile (drift baseline) is aggregated on the cluster with the same figures as
:func:`assess.quality.profile.build_profile`.
"""

from __future__ import annotations

import pandas as pd

from assess.quality.contract import Contract
from assess.quality.prepare import (
    Roles,
    SplitKeys,
    add_helper_columns,
    add_overlap_columns,
    conform_frame,
    helper_column,
    split_keys,
)
from assess.spark import _quoted


def _parsed_type(logical: str):
    from pyspark.sql import types as T

    return {"integer": T.LongType(), "number": T.DoubleType(), "boolean": T.BooleanType(),
            "datetime": T.TimestampType()}[logical]


def staged_schema(schema, contract: Contract, roles: Roles):
    """The Spark schema of :func:`assess.quality.prepare.add_helper_columns` of a conformed frame of ``schema``."""
    from pyspark.sql import types as T

    fields = []
    for field in schema.fields:
        column = contract.columns.get(field.name)
        kind = field.dataType
        if column is not None and column.type != "string" and isinstance(kind, T.StringType):
            kind = _parsed_type(column.type)  # text parsed as the contract says
        fields.append(T.StructField(field.name, kind, True))
    names = set(schema.names)
    for name, column in contract.columns.items():
        if name in names and column.type != "string":
            fields.append(T.StructField(helper_column("unparseable", name), T.StringType(), True))
    if roles.text and roles.text in names:
        fields.append(T.StructField(helper_column("norm", roles.text), T.StringType(), True))
    for name, column in contract.columns.items():
        if column.type == "string" and name in names and name != roles.id:
            fields.append(T.StructField(helper_column("length", name), T.LongType(), True))
    return T.StructType(fields)


def stage(frame, contract: Contract, roles: Roles):
    """``frame`` conformed to its contract with its per-record helpers (:func:`add_helper_columns`), per partition."""
    schema = staged_schema(frame.schema, contract, roles)
    names = schema.names

    def staged(batches):
        for batch in batches:
            yield add_helper_columns(conform_frame(batch, contract), contract, roles)[names]

    return frame.mapInPandas(staged, schema=schema)


def spark_split_keys(staged, roles: Roles) -> SplitKeys:
    """:func:`assess.quality.prepare.split_keys` of a staged Spark split (its ids and text digests, collected)."""
    wanted = [c for c in (roles.id, helper_column("norm", roles.text) if roles.text else None) if c and c in staged.columns]
    if not wanted:
        return SplitKeys(ids=frozenset(), contents=frozenset())
    keys = staged.select(*[_quoted(c) for c in wanted]).toPandas()
    if roles.text and roles.text not in keys:
        keys[roles.text] = None
    return split_keys(keys, roles)


def add_overlaps(staged, roles: Roles, other_splits: dict[str, SplitKeys]):
    """:func:`assess.quality.prepare.add_overlap_columns`, per partition."""
    from pyspark.sql import types as T

    if not other_splits:
        return staged
    fields = list(staged.schema.fields)
    for other in other_splits:
        if roles.id and roles.id in staged.columns:
            fields.append(T.StructField(helper_column("overlap_id", roles.id, other), staged.schema[roles.id].dataType, True))
        if roles.text and roles.text in staged.columns:
            fields.append(T.StructField(helper_column("overlap_content", roles.text, other), T.StringType(), True))
    schema = T.StructType(fields)

    def overlaps(batches):
        for batch in batches:
            yield add_overlap_columns(batch, roles, other_splits)[schema.names]

    return staged.mapInPandas(overlaps, schema=schema)


def add_label_conflicts(frame, roles: Roles):
    """``_dq_label_conflict__<text>``: the text where its normalised group has several labels (a ``groupBy``)."""
    from pyspark.sql import functions as F

    if not (roles.text and roles.label and roles.text in frame.columns and roles.label in frame.columns):
        return frame
    norm = helper_column("norm", roles.text)
    groups = (frame.where(F.col(_quoted(norm)).isNotNull()).groupBy(_quoted(norm))
              .agg(F.countDistinct(_quoted(roles.label)).alias("__assess_labels__")))
    joined = frame.join(groups, on=norm, how="left")
    conflict = F.when(F.col("__assess_labels__") > 1, F.col(_quoted(roles.text)))
    return joined.withColumn(helper_column("label_conflict", roles.text), conflict).select(
        *[_quoted(c) for c in frame.columns], _quoted(helper_column("label_conflict", roles.text)))


def build_profile_spark(frame, contract: Contract, roles: Roles, *, dataset: str = "") -> dict:
    """:func:`assess.quality.profile.build_profile` of a prepared Spark frame, aggregated on the cluster."""
    from pyspark.sql import functions as F

    from assess.quality.profile import (
        EDGE_QUANTILES,
        PROFILE_FORMAT,
        bin_shares_from_counts,
        declared_shares_from_counts,
        profile_columns,
        round_significant,
    )

    entries = [e for e in profile_columns(contract, roles) if e["column"] in frame.columns]
    numeric = [e for e in entries if e["kind"] != "categorical"]
    first = frame.agg(
        F.count(F.lit(1)).alias("__rows__"),
        *[F.count(_quoted(e["column"])).alias(f"n{i}") for i, e in enumerate(entries)],
        *[F.percentile(F.col(_quoted(e["column"])).cast("double"), list(EDGE_QUANTILES)).alias(f"q{i}")
          for i, e in enumerate(numeric)],
    ).first()
    edges_of = {}
    for i, entry in enumerate(numeric):
        quantiles = first[f"q{i}"]
        if not quantiles:
            edges = [0.0, 1.0]
        else:
            edges = sorted({round_significant(float(q)) for q in quantiles})
            if len(edges) == 1:
                edges.append(edges[0] + max(abs(edges[0]) * 0.01, 1.0))
        edges_of[entry["name"]] = edges
    bins = []
    for i, entry in enumerate(numeric):
        value, edges = F.col(_quoted(entry["column"])).cast("double"), edges_of[entry["name"]]
        bins.append(F.sum((value < edges[0]).cast("long")).alias(f"b{i}_below"))
        for j in range(len(edges) - 1):
            last = j == len(edges) - 2  # numpy.histogram: [a, b) except the last bin, [a, b]
            inside = (value >= edges[j]) & ((value <= edges[j + 1]) if last else (value < edges[j + 1]))
            bins.append(F.sum(inside.cast("long")).alias(f"b{i}_{j}"))
        bins.append(F.sum((value > edges[-1]).cast("long")).alias(f"b{i}_above"))
    counted = frame.agg(*bins).first() if bins else None
    columns = {}
    numeric_index = {e["name"]: i for i, e in enumerate(numeric)}
    for i, entry in enumerate(entries):
        item = dict(entry, count=int(first[f"n{i}"]))
        if entry["kind"] == "categorical":
            source = contract.columns[entry["source"]]
            declared = source.values
            if declared is None:
                declared = [True, False] if source.type == "boolean" else None
            if declared is None:
                continue
            counts: dict[str, int] = {}
            for row in frame.where(F.col(_quoted(entry["column"])).isNotNull()).groupBy(_quoted(entry["column"])).count().collect():
                key = str(row[0])  # as pandas' astype(str): True -> "True", 3 -> "3"
                counts[key] = counts.get(key, 0) + int(row["count"])
            item["shares"] = declared_shares_from_counts(counts, declared)
        else:
            k, edges = numeric_index[entry["name"]], edges_of[entry["name"]]
            value = (lambda name: int(counted[name] or 0))
            item["edges"] = edges
            item["shares"] = bin_shares_from_counts(value(f"b{k}_below"), [value(f"b{k}_{j}") for j in range(len(edges) - 1)],
                                                    value(f"b{k}_above"))
        columns[entry["name"]] = item
    return {"format": PROFILE_FORMAT, "dataset": dataset, "contract": contract.dataset, "rows": int(first["__rows__"]),
            "columns": columns}


def is_spark_frame(frame) -> bool:
    """True for a Spark DataFrame (classic or Connect), without importing pyspark."""
    return not isinstance(frame, pd.DataFrame) and type(frame).__module__.startswith("pyspark.")
