"""The PII scanner on Spark: :func:`assess.pii.scan_frame` per partition through ``mapInPandas``.

pyspark is an optional dependency (``pip install assess[spark]``); it is imported inside
:func:`scan_spark`, so ``import assess`` never needs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from assess.errors import InputError
from assess.pii.engine import DEFAULT_MIN_CONFIDENCE
from assess.pii.findings import FINDING_COLUMNS, default_key

#: Name the id column travels under inside the scan (so it may also be a scanned column).
_ID = "__assess_record_id__"


def _quoted(name: str) -> str:
    """A column reference Spark reads literally (dots and backticks in ``name`` included)."""
    return "`" + name.replace("`", "``") + "`"


def finding_schema(id_type):
    """The Spark schema of :func:`scan_spark`'s result (:data:`FINDING_COLUMNS` in order).

    Parameters
    ----------
    id_type : pyspark.sql.types.DataType
        Type of the ``record_id`` column (the type of the scanned DataFrame's id column).

    Returns
    -------
    pyspark.sql.types.StructType
    """
    from pyspark.sql import types as T

    spark_types = {"record_id": id_type, "start": T.LongType(), "end": T.LongType(),
                   "confidence": T.DoubleType(), "sensitive": T.BooleanType()}
    return T.StructType([T.StructField(name, spark_types.get(name, T.StringType()), True) for name in FINDING_COLUMNS])


#: The row key column of :func:`scan_spark`'s result with ``row_key=True``: unique per record
#: (ids may repeat), not a position in a file.
ROW = "row"
_NER: dict = {}


def _ner(model: str | None):
    """The NER pipeline ``model`` (:func:`assess.pii.ner.load_ner`), loaded once per Python worker."""
    if not model:
        return None
    if model not in _NER:
        from assess.pii.ner import load_ner

        _NER[model] = load_ner(model)
    return _NER[model]


def scan_spark(df, columns: Sequence[str] | None, id_column: str, key: bytes | None = None, *,
               min_confidence: float = DEFAULT_MIN_CONFIDENCE, types: Iterable[str] | None = None, flags=None,
               ner_model: str | None = None, row_key: bool = False):
    """Scan columns of a Spark DataFrame for personal information, one partition at a time.

    Each Arrow batch of each partition goes through :func:`assess.pii.scan_frame` (via
    ``DataFrame.mapInPandas``), so the findings are those ``scan_frame`` reports on the whole
    data collected into one pandas DataFrame, in some order.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        The data. The Python workers must be able to import ``assess`` (set ``PYSPARK_PYTHON`` to
        the interpreter it is installed in).
    columns : sequence of str or None
        Columns to scan; None: every string column except ``id_column``. A non-string column is
        scanned as Spark casts it to string (``13712345678``, not ``13712345678.0``).
    id_column : str
        Column whose value identifies a record (Spark has no row index to fall back on); it
        becomes ``record_id`` with its type unchanged. Without one, add it first, e.g.
        ``df.withColumn("id", F.monotonically_increasing_id())``.
    key : bytes, optional
        Key of the keyed hash; default :func:`assess.secrets.hash_key`, read on the driver. The
        key travels to the executors inside the serialised function; it is not logged or stored.
    min_confidence : float
        Findings below it are dropped (default 0.5).
    types : iterable of str, optional
        Report only these types (e.g. ``{"CN_RESIDENT_ID", "CN_MOBILE"}``).
    flags : FlagSettings, optional
        Terms added to or excluded from the sensitive-category flags
        (:func:`assess.pii.flag_settings.flag_settings`); default the built-in terms and rules.
    ner_model : str, optional
        A local NER model (:func:`assess.pii.ner.load_ner`), loaded once in each Python worker.
    row_key : bool
        Also return :data:`ROW`, a key unique to each record, first: with repeated ids it tells
        records apart (a record is counted once however often its id occurs).

    Returns
    -------
    pyspark.sql.DataFrame
        Lazy; one row per finding with columns record_id, column, type, start, end, masked,
        confidence, value_hash, category, sensitive (:func:`finding_schema`). No raw value.

    Raises
    ------
    InputError
        An unknown column, id column or type, or a key that is not bytes.

    Examples
    --------
    >>> findings = scan_spark(spark.read.parquet("corpus/"), ["text"], id_column="id")
    >>> findings.groupBy("type").count().show()
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    import pandas as pd

    from assess.pii.frames import scan_frame

    names = df.columns
    if id_column not in names:
        raise InputError(f"id column {id_column!r} is not in the data (columns: {', '.join(names)}): fix id_column")
    if columns is None:
        columns = [f.name for f in df.schema.fields if isinstance(f.dataType, T.StringType) and f.name != id_column]
    columns = list(dict.fromkeys(str(c) for c in columns))
    missing = [c for c in columns if c not in names]
    if missing:
        raise InputError(f"column {missing[0]!r} is not in the data (columns: {', '.join(names)}): fix the column name")
    if _ID in names or ROW in columns:
        raise InputError(f"the data has a column named {_ID if _ID in names else ROW!r}, which scan_spark uses itself: "
                         "rename it")
    key = default_key() if key is None else key
    if isinstance(key, bytearray):
        key = bytes(key)
    if not isinstance(key, bytes) or not key:
        raise InputError("key must be non-empty bytes (see assess.secrets.hash_key)")
    chosen = None if types is None else sorted(set(types))
    # Unknown types (and anything else scan_frame rejects) fail here, on the driver, not in a task.
    scan_frame(pd.DataFrame({ROW: [], **{c: [] for c in columns}}), columns, id_column=ROW, key=key,
               min_confidence=min_confidence, types=chosen, flags=flags)

    # Records are scanned under a unique row key, then given their own ids back: ids may repeat.
    selected = df.select(F.monotonically_increasing_id().alias(ROW), F.col(_quoted(id_column)).alias(_ID),
                         *[F.col(_quoted(c)).cast("string").alias(c) for c in columns])

    def scan_batches(batches):
        ner = _ner(ner_model)
        for batch in batches:
            found = scan_frame(batch, columns, id_column=ROW, key=key, min_confidence=min_confidence, types=chosen,
                               ner=ner, flags=flags)
            if len(found):
                ids = pd.Series(batch[_ID].to_numpy(), index=batch[ROW].to_numpy())
                rows = found["record_id"].astype("int64")
                found["record_id"] = ids.loc[rows.to_numpy()].to_numpy()
                if row_key:
                    found.insert(0, ROW, rows.to_numpy())
                yield found

    schema = finding_schema(df.schema[id_column].dataType)
    if row_key:
        schema = T.StructType([T.StructField(ROW, T.LongType(), False), *schema.fields])
    return selected.mapInPandas(scan_batches, schema=schema)
