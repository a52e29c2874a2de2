"""assess on a real local Spark (no mocks): the PII scan per partition (``mapInPandas``) reports
exactly what ``scan_frame`` reports on the whole pandas frame, and a compiled data-quality suite
gives the same verdict per expectation on GX's Spark data source as on its pandas data source.

Needs pyspark (the ``test`` extra) and Java 17; Spark runs in local mode and downloads nothing.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import subprocess
import sys

import pandas as pd
import pytest

from assess.errors import InputError
from assess.pii import keyed_hash, scan_frame
from assess.pii import synthetic as gen

KEY = b"spark-test-key"
PHONE = "13812345678"


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    previous = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = sys.executable  # the Python workers must import assess
    session = (SparkSession.builder.master("local[2]").appName("assess-tests")
               .config("spark.ui.enabled", "false")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.sql.execution.arrow.pyspark.fallback.enabled", "false")
               # several Arrow batches per partition: each is scanned as its own chunk
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "40")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    if previous is None:
        os.environ.pop("PYSPARK_PYTHON", None)
    else:
        os.environ["PYSPARK_PYTHON"] = previous


# -- PII ------------------------------------------------------------------------------------------

def _records(count: int = 300, seed: int = 11) -> tuple[pd.DataFrame, list[str]]:
    """zh/en records with planted identifiers (every one made up), and the planted raw values."""
    rng = random.Random(seed)
    rows, raw = [], []
    for i in range(count):
        kind = i % 6
        if kind == 0:
            value = gen.cn_resident_id(rng)
            text, planted = f"第{i}条：用户身份证号{value}，请核实", [value]
        elif kind == 1:
            value = gen.cn_mobile(rng)
            text, planted = f"call me at {value} please, ticket {i}", [value]
        elif kind == 2:
            value, mobile = gen.email(rng), gen.cn_mobile(rng)
            text, planted = f"我的邮箱是{value}，手机{mobile}", [value, mobile]
        elif kind == 3:
            value = gen.unionpay_card(rng)
            text, planted = f"refund to bank card {value} for order {i}", [value]
        elif kind == 4:
            text, planted = None, []
        else:
            text, planted = f"没有个人信息的第{i}条记录 / record {i} has nothing personal", []
        phone = gen.cn_mobile(rng) if i % 4 == 0 else ""
        number = int(gen.cn_mobile(rng)) if i % 5 == 0 else i
        raw += planted + [v for v in (phone, str(number) if i % 5 == 0 else "") if v]
        rows.append({"id": f"r{i:04d}", "text": text, "phone": phone, "phone_number": number, "n": i})
    return pd.DataFrame(rows), raw


def _sorted(findings: pd.DataFrame) -> pd.DataFrame:
    ordered = findings.sort_values(["record_id", "column", "start", "type"]).reset_index(drop=True)
    return ordered.astype(object)


@pytest.fixture(scope="module")
def records(spark):
    from pyspark.sql import functions as F

    frame, raw = _records()
    sdf = spark.createDataFrame(frame).repartition(4)
    sizes = sdf.groupBy(F.spark_partition_id()).count().collect()
    assert len(sizes) >= 3 and all(row["count"] > 40 for row in sizes)  # >= 3 partitions, several batches each
    return frame, sdf, raw


@pytest.mark.parametrize("columns", [None, ["text", "phone_number"]])
def test_scan_spark_equals_scan_frame_on_the_whole_frame(records, columns):
    from assess.spark import scan_spark

    frame, sdf, raw = records
    got = _sorted(scan_spark(sdf, columns, "id", key=KEY).toPandas())
    expected = _sorted(scan_frame(frame, columns, id_column="id", key=KEY))
    assert len(expected) > 200
    # None scans the string columns (text, phone); a long column is scanned as its digits
    assert set(expected["column"]) == ({"text", "phone"} if columns is None else {"text", "phone_number"})
    pd.testing.assert_frame_equal(got, expected)


def test_scan_spark_keeps_no_raw_value(records):
    from assess.spark import scan_spark

    frame, sdf, raw = records
    findings = scan_spark(sdf, ["text", "phone", "phone_number"], "id", key=KEY)
    got = findings.toPandas()
    assert len(raw) > 300 and all(v in frame.astype(str).to_csv() for v in raw)  # planted, so the test can fail
    assert set(got["value_hash"]) == {keyed_hash(v, KEY) for v in raw}  # every planted value found, by keyed hash
    dumped = got.to_csv() + json.dumps(got.to_dict(orient="records"), ensure_ascii=False, default=str)
    assert not [v for v in raw if v in dumped]
    assert got["masked"].str.contains(r"\*").all()
    plan = io.StringIO()
    with contextlib.redirect_stdout(plan):
        findings.explain(extended=True)
    assert "MapInPandas" in plan.getvalue() and KEY.decode() not in plan.getvalue()


def test_scan_spark_rejects_bad_arguments_before_running(records):
    from assess.spark import scan_spark

    _, sdf, _ = records
    with pytest.raises(InputError, match="column 'nope' is not in the data"):
        scan_spark(sdf, ["nope"], "id", key=KEY)
    with pytest.raises(InputError, match="id column 'uid'"):
        scan_spark(sdf, ["text"], "uid", key=KEY)
    with pytest.raises(InputError, match="unknown PII type"):
        scan_spark(sdf, ["text"], "id", key=KEY, types=["CN_ID"])
    with pytest.raises(InputError, match="key must be non-empty bytes"):
        scan_spark(sdf, ["text"], "id", key="not-bytes")


def test_import_assess_needs_no_pyspark():
    code = "import sys, assess, assess.spark, assess.pii; assert 'pyspark' not in sys.modules, 'pyspark imported'"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


# -- data quality ---------------------------------------------------------------------------------

_LABELS = ["billing", "refund", "delivery", "account"]
_CONTRACT_YAML = """
version: 1
dataset: intents
rows: {min: 10, max: 10000}
columns:
  id: {type: string, nullable: false, unique: true, regex: '^u\\d{5}$'}
  text: {type: string, nullable: false, min_length: 2, max_length: 120}
  label: {type: string, nullable: false, values: [billing, refund, delivery, account], personal: false}
  lang: {type: string, nullable: false, values: [zh, en], personal: false}
  score: {type: number, nullable: true, min: 0, max: 1}
  n: {type: integer, nullable: true, min: 0, max: 1000}
  flag: {type: boolean, nullable: true}
  ts: {type: datetime, nullable: true}
unique_together: [[text, lang]]
roles: {id: id, text: text, label: label}
"""

#: (check, column) of every planted defect below; every other expectation must pass.
PLANTED = {
    ("labels_in_declared_set", "label"), ("not_null", "label"), ("not_null", "text"), ("value_range", "n"),
    ("parseable", "n"), ("parseable", "flag"), ("parseable", "ts"), ("exact_duplicates", "text"),
    ("unique_together", "text,lang"), ("normalized_duplicates", "text"), ("label_conflicts", "text"),
    ("empty_text", "text"), ("garbled_text", "text"), ("regex", "id"), ("overlap_by_id", "id"),
    ("overlap_by_content", "text"), ("drift", "lang"),
}


def _quality_frame(count: int, start: int = 0) -> pd.DataFrame:
    return pd.DataFrame([{
        "id": f"u{i:05d}", "text": f"question {i} about item {i % 7}", "label": _LABELS[i % 4],
        "lang": "en" if i % 2 else "zh", "score": f"{(i % 10) / 10:.1f}", "n": str(i % 50),
        "flag": "true" if i % 3 else "no", "ts": f"2024-01-{1 + i % 28:02d}T10:00:00Z",
    } for i in range(start, start + count)], dtype=str)


def _defective() -> tuple[pd.DataFrame, pd.DataFrame]:
    train, holdout = _quality_frame(200), _quality_frame(40, start=1000)
    train.loc[3, "label"] = "refunds"                       # undeclared label
    train.loc[4, "label"] = None                            # null in a non-nullable column
    train.loc[5, "n"] = ""                                  # null in a nullable integer column (drift still computed)
    train.loc[6, "n"] = "x"                                 # not an integer
    train.loc[7, "n"] = "5000"                              # out of range
    train.loc[8, "flag"] = "maybe"                          # not a boolean
    train.loc[9, "ts"] = "yesterday"                        # not a datetime
    train.loc[10, "text"] = train.loc[12, "text"]           # exact duplicate (same lang: also unique_together)
    train.loc[14, "text"] = "Where is MY parcel?!"          # duplicates after normalisation ...
    train.loc[16, "text"] = "where is my parcel"            # ... with another label
    train.loc[18, "text"] = "the refund is Ã©norme"         # mojibake
    train.loc[11, "id"] = PHONE                             # personal data where an id belongs
    train.loc[13, "text"] = f"please call me back on {PHONE} today"
    train.loc[15, "text"] = None                            # missing text
    train.loc[17, "text"] = "   "                           # empty text
    holdout.loc[0, "id"] = train.loc[20, "id"]              # overlap by id
    holdout.loc[1, "text"] = train.loc[21, "text"].upper() + "!"  # overlap by content
    train["lang"] = ["zh"] * 180 + ["en"] * 20              # drift: was half and half
    return train, holdout


def _spark_frame(spark, frame: pd.DataFrame):
    """``frame`` as a Spark DataFrame with the types its pandas dtypes stand for (all-null helper
    columns included), in 3 partitions."""
    from pyspark.sql import types as T

    def spark_type(values: pd.Series):
        if pd.api.types.is_bool_dtype(values):
            return T.BooleanType()
        if pd.api.types.is_integer_dtype(values):
            return T.LongType()
        if pd.api.types.is_float_dtype(values):
            return T.DoubleType()
        if pd.api.types.is_datetime64_any_dtype(values):
            return T.TimestampType()
        return T.StringType()

    schema = T.StructType([T.StructField(c, spark_type(frame[c]), True) for c in frame.columns])
    return spark.createDataFrame(frame, schema=schema).repartition(3)


def _validate(engine: str, data, suite):
    """One GX validation of ``data`` on the pandas or the Spark data source of an offline context."""
    import great_expectations as gx

    from assess.quality.gx_run import offline_context, result_format

    context = offline_context()
    source = context.data_sources.add_spark("spark") if engine == "spark" else context.data_sources.add_pandas("pandas")
    batch = source.add_dataframe_asset("train").add_batch_definition_whole_dataframe("whole")
    definition = gx.ValidationDefinition(name="train", data=batch, suite=context.suites.add(suite))
    return definition.run(batch_parameters={"dataframe": data}, result_format=result_format())


def _by_expectation(result) -> dict:
    out = {}
    for item in result.results:
        config = item.expectation_config
        key = (config.type, config.meta["check"], config.meta["column"], config.meta.get("other_split"))
        assert key not in out
        out[key] = item
    return out


def _errors(item) -> list[str]:
    """Exception messages of an expectation (its own or its metrics')."""
    info = item.exception_info or {}
    entries = [info] if "raised_exception" in info else list(info.values())
    return [str(e.get("exception_message")) for e in entries if isinstance(e, dict) and e.get("raised_exception")]


@pytest.fixture(scope="module")
def quality_results(spark):
    from assess.quality.compile import compile_suite
    from assess.quality.contract import parse_contract
    from assess.quality.prepare import Roles, add_helper_columns, conform_frame, prepare_frame, split_keys
    from assess.quality.profile import build_profile

    contract = parse_contract(_CONTRACT_YAML)
    roles = Roles.resolve(contract)
    train, holdout = _defective()
    holdout_keys = split_keys(add_helper_columns(conform_frame(holdout, contract), contract, roles), roles)
    prepared = prepare_frame(train, contract, roles, {"holdout": holdout_keys})
    baseline = build_profile(prepare_frame(_quality_frame(200), contract, roles), contract, roles, dataset="train")

    def suite():
        return compile_suite(contract, name="data_quality_train", roles=roles, overlap_with=("holdout",),
                             baseline=baseline)

    on_pandas = _validate("pandas", prepared, suite())
    on_spark = _validate("spark", _spark_frame(spark, prepared), suite())
    return on_pandas, on_spark, contract


def test_every_expectation_runs_on_spark_with_the_pandas_verdict(quality_results):
    on_pandas, on_spark, _ = quality_results
    pandas_items, spark_items = _by_expectation(on_pandas), _by_expectation(on_spark)
    assert set(pandas_items) == set(spark_items)
    # every custom expectation, and every GX built-in the compiler emits
    assert {e.expectation_config.type for e in on_spark.results} == {
        "expect_column_to_have_logical_type", "expect_column_values_to_be_parseable_as_type",
        "expect_column_values_to_have_no_normalized_duplicates", "expect_column_values_to_have_consistent_labels",
        "expect_column_values_to_not_be_empty_text", "expect_column_values_to_not_be_garbled_text",
        "expect_column_values_to_not_overlap_split", "expect_column_min_class_share_to_be_at_least",
        "expect_column_class_imbalance_ratio_to_be_at_most", "expect_column_drift_psi_to_be_at_most",
        "expect_table_row_count_to_be_between", "expect_table_columns_to_match_set",
        "expect_column_values_to_not_be_null", "expect_column_values_to_be_unique", "expect_column_values_to_be_between",
        "expect_column_values_to_be_in_set", "expect_column_values_to_match_regex",
        "expect_column_value_lengths_to_be_between", "expect_compound_columns_to_be_unique"}
    for key, on_p in pandas_items.items():
        on_s = spark_items[key]
        assert not _errors(on_p) and not _errors(on_s), (key, _errors(on_p), _errors(on_s))
        assert on_s.success == on_p.success, key
        assert on_s.result.get("unexpected_count") == on_p.result.get("unexpected_count"), key
        if key[0] != "expect_column_to_have_logical_type":  # observed: "str" on pandas, "StringType" on Spark
            assert on_s.result.get("observed_value") == pytest.approx(on_p.result.get("observed_value")), key
    failed = {(k[1], k[2]): item.result.get("unexpected_count") for k, item in spark_items.items() if not item.success}
    assert set(failed) == PLANTED
    assert failed[("regex", "id")] == failed[("labels_in_declared_set", "label")] == failed[("overlap_by_id", "id")] == 1
    drift = {k[2]: item.result["observed_value"] for k, item in spark_items.items() if k[1] == "drift"}
    assert set(drift) == {"lang", "label", "score", "n", "flag", "text.length"} and drift["lang"] > 0.2


def test_masked_spark_results_hold_no_planted_personal_value(quality_results):
    from assess.quality.gx_run import mask_suite_result

    _, on_spark, contract = quality_results
    raw = json.dumps(on_spark.to_json_dict(), ensure_ascii=False)
    assert PHONE in raw  # GX quotes the unexpected values, so the test can fail
    mask_suite_result(on_spark, contract.public_columns)
    masked = json.dumps(on_spark.to_json_dict(), ensure_ascii=False)
    assert PHONE not in masked
    assert "refunds" in masked  # a label (personal: false) stays readable
