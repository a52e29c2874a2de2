"""The SparkSession of an assessment kernel, and a plan's datasets read as Spark DataFrames.

One session per kernel: the first assessment step that needs Spark creates it from the
subject's ``spark:`` options (``master: local[*]`` by default), named after the review; the
notebook's ``ctx.finish()`` stops it. pyspark is imported only here, only when a dataset has
``engine: spark``.
"""

from __future__ import annotations

import atexit
import os
import socket
import sys
from urllib.parse import urlparse

from assess.errors import InputError

_SESSION = None

#: Settings a session gets unless the plan's ``spark.conf`` says otherwise: Arrow batches for
#: ``mapInPandas``, timestamps in UTC (as the pandas path parses them), no web UI (headless runs),
#: and read splits of 32 MB: the scan costs per record, not per byte read, and compressed parquet
#: holds several times its size in text, so Spark's 128 MB splits left cores idle.
DEFAULT_CONF = {
    "spark.sql.files.maxPartitionBytes": "32m",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
}
#: Extra defaults for ``local[...]`` masters: the driver listens on the loopback interface only.
LOCAL_CONF = {"spark.driver.bindAddress": "127.0.0.1", "spark.driver.host": "127.0.0.1"}


def _check_reachable(master: str, where: str) -> None:
    """Raise a one-line :class:`InputError` when a ``spark://`` or ``sc://`` master does not answer.

    A standalone master that is down does not fail the session: Spark retries for minutes and the
    first job then hangs. A TCP connect (5 s) says at once that nothing listens.
    """
    if not master.startswith(("spark://", "sc://")):
        return
    for address in master.split("://", 1)[1].split(","):  # spark://host1:7077,host2:7077 (standby masters)
        parsed = urlparse(f"spark://{address.split('/')[0]}")
        host, port = parsed.hostname, parsed.port or (15002 if master.startswith("sc://") else 7077)
        try:
            with socket.create_connection((host, port), timeout=5):
                return
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
    raise InputError(f"Spark master {master} cannot be reached ({reason}): start it, or fix {where} in the plan "
                     "(local[*] runs Spark on this machine)")


def session_for(ctx):
    """The kernel's SparkSession, created on first use from the subject's ``spark:`` options.

    Parameters
    ----------
    ctx : assess.notebook.AssessmentContext

    Returns
    -------
    pyspark.sql.SparkSession

    Raises
    ------
    InputError
        The master cannot be reached, or Spark does not start (one line naming the master).
    """
    global _SESSION
    if _SESSION is not None:
        return _SESSION
    options = ctx.subject.spark
    where = f"subjects.{ctx.subject.name}.spark.master"
    _check_reachable(options.master, where)
    # The Python workers must import assess: run them on this kernel's interpreter unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError("engine: spark needs pyspark: pip install 'assess[spark]' (with the constraints file)") from None
    from assess import tracking

    review = ctx.client.get_run(ctx.run_id).data.tags.get(tracking.TAG_REVIEW_ID, "")
    name = " ".join(part for part in ("assess", ctx.subject.name, ctx.name, review) if part)
    builder = SparkSession.builder.remote(options.master) if options.master.startswith("sc://") \
        else SparkSession.builder.master(options.master)
    conf = dict(DEFAULT_CONF, **(LOCAL_CONF if options.master.startswith("local") else {}), **options.conf)
    for setting, value in conf.items():
        builder = builder.config(setting, value)
    try:
        _SESSION = builder.appName(name).getOrCreate()
    except Exception as exc:  # noqa: BLE001 - Py4J, Java and connect errors: one line naming the master
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
        raise InputError(f"Spark did not start on master {options.master} ({first}): fix {where} in the plan") from None
    if not options.master.startswith("sc://"):  # Spark Connect has no SparkContext on the client
        _SESSION.sparkContext.setLogLevel("ERROR")
    return _SESSION


def stop_session() -> None:
    """Stop the kernel's SparkSession, if one was started (called by ``ctx.finish()``)."""
    global _SESSION
    if _SESSION is not None:
        session, _SESSION = _SESSION, None
        session.stop()


atexit.register(stop_session)


def read_dataset(spark, spec):
    """A plan dataset (a file or a folder of part files) as a Spark DataFrame.

    csv is read as text columns (as the pandas path reads it), jsonl with every scalar as text
    (one schema across part files; the contract's types are applied later), parquet as written.

    Raises
    ------
    InputError
        The path does not exist, or lacks a column the plan names.
    """
    from assess.datasets import check_columns, data_files

    path = spec.path
    if not path.exists():
        raise InputError(f"dataset {spec.role!r}: {path} does not exist: fix datasets.{spec.role}.path in the plan")
    files = [str(p) for p in data_files(path, spec.format)] if path.is_dir() else [str(path)]
    if not files:
        raise InputError(f"dataset {spec.role!r}: {path} has no {spec.format} part files: fix datasets.{spec.role}.path")
    if spec.format == "parquet":
        frame = spark.read.parquet(*files)
    elif spec.format == "csv":
        frame = (spark.read.option("header", True).option("inferSchema", False).option("multiLine", True)
                 .option("escape", '"').option("encoding", "UTF-8").csv(files))
    elif spec.format == "jsonl":
        frame = spark.read.option("primitivesAsString", True).option("encoding", "UTF-8").json(files)
    else:
        raise InputError(f"dataset {spec.role!r}: engine: spark reads csv, jsonl or parquet, not {spec.format}")
    check_columns(frame.columns, spec.columns(), role=spec.role, file_name=path.name)
    return frame
