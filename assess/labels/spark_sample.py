"""``label_robustness`` on Spark: the audit runs on a seeded stratified sample of the dataset.

Confident learning re-fits models on every record, which does not scale to a corpus of billions
of records; a sample does, and its size and the confidence interval of the suspect share it
estimates are stated in the report. The sample is drawn on the cluster: per label, the records
with the smallest seeded hash of their content, as many as :func:`assess.labels.sampling.allocate`
gives the label (proportional to its count). It depends on the seed and the data only, not on how
the data is partitioned, so the same seed draws the same records again.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from assess.labels.sampling import allocate, clopper_pearson
from assess.spark import _quoted

#: Records audited by default when a dataset has engine: spark.
DEFAULT_AUDIT_SAMPLE = 20_000
_ORDER, _STRATUM = "__assess_order__", "__assess_stratum__"


@dataclass(frozen=True)
class AuditSample:
    """How the audited records were drawn: ``size`` of ``population`` records, stratified by label, with ``seed``."""

    size: int
    population: int
    seed: int

    @property
    def is_sample(self) -> bool:
        return self.size < self.population


def stratified_sample(frame, label_column: str, size: int, seed: int) -> tuple[pd.DataFrame, AuditSample]:
    """A seeded sample of ``size`` records of a Spark DataFrame, stratified by ``label_column``.

    Parameters
    ----------
    frame : pyspark.sql.DataFrame
    label_column : str
    size : int
        Records to draw; every record when the data has no more.
    seed : int

    Returns
    -------
    (pandas.DataFrame, AuditSample)
        The records, every column as text (as the pandas path reads them), in the order of their
        seeded hash; and what was drawn from what.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    stratum = F.coalesce(F.col(_quoted(label_column)).cast("string"), F.lit("\0missing"))
    counts = {row[0]: int(row[1]) for row in frame.groupBy(stratum.alias(_STRATUM)).count().collect()}
    population = sum(counts.values())
    order = F.xxhash64(F.lit(int(seed)), *[F.col(_quoted(c)).cast("string") for c in frame.columns])
    keyed = frame.withColumn(_STRATUM, stratum).withColumn(_ORDER, order)
    if size < population:
        labels = sorted(counts)
        quota = dict(zip(labels, allocate([counts[k] for k in labels], size).tolist()))
        quotas = F.create_map(*[F.lit(v) for k in labels for v in (k, quota[k])])
        rank = F.row_number().over(Window.partitionBy(_STRATUM).orderBy(_ORDER, *[_quoted(c) for c in frame.columns]))
        keyed = keyed.withColumn("__assess_rank__", rank).where(F.col("__assess_rank__") <= quotas[F.col(_STRATUM)])
    rows = keyed.select(*[F.col(_quoted(c)).cast("string").alias(c) for c in frame.columns], _ORDER).toPandas()
    rows = rows.sort_values([_ORDER, *frame.columns], kind="stable").drop(columns=_ORDER).reset_index(drop=True)
    return rows, AuditSample(size=min(size, population), population=population, seed=int(seed))


def sample_statement(sample: AuditSample | None, suspects: int, confidence: float = 0.95) -> tuple[str, dict]:
    """The report's sentence on the audited sample, and its metrics; ``("", {})`` for a full audit.

    The suspect share of the whole dataset is estimated from the sample with an exact
    (Clopper-Pearson) interval at ``confidence``.
    """
    if sample is None or not sample.is_sample:
        return "", {}
    low, high = clopper_pearson(suspects, sample.size, confidence)
    text = (f"**Audited sample:** {sample.size:,} of {sample.population:,} records (engine: spark), drawn at random "
            f"stratified by label (seed {sample.seed}). The share of records with a suspected wrong label in the whole "
            f"dataset is estimated at {suspects / sample.size:.2%}, {confidence:.0%} confidence interval "
            f"[{low:.2%}, {high:.2%}] (exact binomial).")
    return text, {"audit_sample_size": sample.size, "audit_population": sample.population,
                  "suspect_share_ci_low": low, "suspect_share_ci_high": high}
