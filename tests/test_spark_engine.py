"""``engine: spark`` from the plan (issue 17 item 1): ``python -m assess run`` reviews partitioned
parquet and jsonl folders on a real local Spark, and pii_training_data and data_quality record the
same checks, metrics and tables as the same plan with the pandas engine on the same data.

Real papermill, a real MLflow store, real GX on its Spark data source; Spark in local mode
(pyspark from the ``test`` extra, Java 17), nothing downloaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from assess.errors import InputError
from assess.plan import load_plan

sys.path.insert(0, str(Path(__file__).parent))
from conftest import REPO
from test_spark import _CONTRACT_YAML, PHONE, _defective, _quality_frame, _records

PLAN = """version: 1
notebooks_dir: {notebooks}
subjects:
  corpus-review:
    engine: {engine}
    spark: {{master: "local[2]", conf: {{spark.sql.shuffle.partitions: 4}}}}
    datasets:
      train: {{path: train_parts, id_column: id, text_column: text, label_column: label, contract: intents.yaml}}
      holdout: {{path: holdout_parts, format: jsonl, id_column: id, text_column: text, label_column: label,
                contract: intents.yaml}}
      corpus: {{path: corpus_parts, id_column: id}}
      intents: {{path: intents_parts, id_column: id, text_column: text, label_column: label}}
      intents_holdout: {{path: intents_holdout.csv, id_column: id, text_column: text, label_column: label}}
    assessments:
      pii_training_data: {{datasets: [corpus, train, holdout], lawful_basis: {{CN_MOBILE: "consent ledger 7"}}}}
      data_quality: {{datasets: [train, holdout], overlap_pairs: [[train, holdout]]}}
{labels}"""
#: label_robustness with engine: spark audits a sample of 90 of the 300 records (the spark review only).
LABELS = """      label_robustness: {dataset: intents, holdout: intents_holdout, audit_sample: 90, seed: 3, cv: 2, repeats: 1,
                         noise_rates: [0.0, 0.1]}
"""


def _write_parts(frame: pd.DataFrame, folder: Path, fmt: str, parts: int) -> None:
    folder.mkdir()
    size = -(-len(frame) // parts)
    for i in range(parts):
        part = frame.iloc[i * size:(i + 1) * size]
        if fmt == "parquet":
            part.to_parquet(folder / f"part-{i:05d}.snappy.parquet", index=False)
        else:
            part.to_json(folder / f"part-{i:05d}.json", orient="records", lines=True, force_ascii=False)
    (folder / "_SUCCESS").write_text("")  # as Spark leaves it: not data


def _project(root: Path, engine: str) -> Path:
    project = root / engine
    project.mkdir()
    train, holdout = _defective()
    corpus, _ = _records(240)
    _write_parts(train, project / "train_parts", "parquet", 3)
    _write_parts(holdout, project / "holdout_parts", "jsonl", 2)
    _write_parts(corpus, project / "corpus_parts", "parquet", 3)
    _write_parts(_quality_frame(300), project / "intents_parts", "parquet", 2)
    _quality_frame(80, start=2000).to_csv(project / "intents_holdout.csv", index=False)
    (project / "intents.yaml").write_text(_CONTRACT_YAML, encoding="utf-8")
    (project / "review.yaml").write_text(PLAN.format(notebooks=REPO / "notebooks", engine=engine,
                                                     labels=LABELS if engine == "spark" else ""), encoding="utf-8")
    return project


def _evidence(project: Path) -> dict:
    """Per assessment: verdict, checks, metrics and the named tables/evidence of the review's runs."""
    from assess import tracking

    client = tracking.client_for(tracking.embedded_uri(project))
    experiment = client.get_experiment_by_name(tracking.experiment_name("corpus-review"))
    runs = client.search_runs([experiment.experiment_id], filter_string=f"tags.`{tracking.TAG_KIND}` = 'assessment'")
    out = {}
    for run in runs:
        name = run.data.tags[tracking.TAG_ASSESSMENT]
        folder = Path(client.download_artifacts(run.info.run_id, "", str(project / f"dl_{name}")))
        checks = json.loads((folder / "evidence" / "checks.json").read_text(encoding="utf-8"))
        tables = {p.stem: pd.read_csv(p) for p in sorted((folder / "tables").glob("*.csv"))}
        evidence = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / "evidence").glob("*.json"))}
        findings = {p.stem: [json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()]
                    for p in sorted((folder / "findings").glob("*.jsonl"))} if (folder / "findings").exists() else {}
        metrics = {k: v for k, v in run.data.metrics.items() if k != "execution_seconds"}
        out[name] = {"verdict": run.data.tags.get(tracking.TAG_VERDICT), "checks": checks["checks"], "metrics": metrics,
                     "tables": tables, "evidence": evidence, "findings": findings, "folder": folder}
    return out


@pytest.fixture(scope="module")
def reviews(tmp_path_factory):
    root = tmp_path_factory.mktemp("spark-engine")
    env = {**os.environ, "ASSESS_HASH_KEY": "spark-engine-test-key", "PYSPARK_PYTHON": sys.executable,
           "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("MLFLOW_TRACKING_URI", None)
    out = {}
    for engine in ("pandas", "spark"):
        project = _project(root, engine)
        done = subprocess.run([sys.executable, "-m", "assess", "run", "review.yaml"], cwd=project, env=env,
                              capture_output=True, text=True, timeout=900)
        assert done.returncode in (0, 1), done.stdout + done.stderr  # a failed verdict (planted defects), no error
        out[engine] = _evidence(project)
    return out


def test_pii_training_data_on_spark_equals_the_pandas_engine(reviews):
    on_pandas, on_spark = reviews["pandas"]["pii_training_data"], reviews["spark"]["pii_training_data"]
    assert on_spark["verdict"] == on_pandas["verdict"] == "fail"  # sensitive PI without a basis
    assert on_spark["checks"] == on_pandas["checks"]
    assert on_spark["metrics"] == on_pandas["metrics"]
    assert on_pandas["metrics"]["corpus.records"] == 240 and on_pandas["metrics"]["corpus.findings"] > 150
    for name in ("pii_overview", "pii_types", "pii_columns", "pii_examples", "pii_repeated_identifiers",
                 "pii_lawful_basis"):
        pd.testing.assert_frame_equal(on_spark["tables"][name], on_pandas["tables"][name], obj=name)
    assert on_spark["evidence"]["pii_summary"] == on_pandas["evidence"]["pii_summary"]
    datasets = on_spark["tables"]["pii_datasets"]
    assert set(datasets["engine"]) == {"spark"} and set(on_pandas["tables"]["pii_datasets"]["engine"]) == {"pandas"}
    # the findings evidence: the same masked findings, no raw value (the Spark row key is left out)
    for role in ("corpus", "train", "holdout"):
        key = lambda f: (str(f["record_id"]), f["column"], f["start"], f["type"])
        spark_rows = sorted(on_spark["findings"][f"pii_{role}"], key=key)
        pandas_rows = sorted(({k: v for k, v in f.items() if k != "row"} for f in on_pandas["findings"][f"pii_{role}"]),
                             key=key)
        assert spark_rows == pandas_rows and (spark_rows or role == "holdout")  # nothing planted in the holdout
    notebook = (on_spark["folder"] / "notebook" / "pii_training_data.ipynb").read_text(encoding="utf-8")
    assert PHONE not in notebook and "spark-engine-test-key" not in notebook  # no raw value, no key in the notebook


def test_data_quality_on_spark_equals_the_pandas_engine(reviews):
    on_pandas, on_spark = reviews["pandas"]["data_quality"], reviews["spark"]["data_quality"]
    assert on_spark["verdict"] == on_pandas["verdict"] == "fail"
    assert on_spark["checks"] == on_pandas["checks"]
    assert on_spark["metrics"] == on_pandas["metrics"]
    columns = ["dataset", "check", "column", "other_split", "success", "unexpected_count"]
    sort = columns[:4]
    spark_table = on_spark["tables"]["expectations"][columns].sort_values(sort).reset_index(drop=True)
    pandas_table = on_pandas["tables"]["expectations"][columns].sort_values(sort).reset_index(drop=True)
    pd.testing.assert_frame_equal(spark_table, pandas_table)
    failed = set(map(tuple, spark_table[~spark_table["success"]][["dataset", "check", "column"]].values))
    assert ("train", "label_conflicts", "text") in failed and ("train", "overlap_by_content", "text") in failed
    for role in ("train", "holdout"):  # the drift baselines the next review reads
        assert on_spark["evidence"][f"profile_{role}"] == on_pandas["evidence"][f"profile_{role}"]
    assert PHONE not in json.dumps(on_spark["evidence"], ensure_ascii=False)


def test_label_robustness_on_spark_audits_a_stated_sample(reviews):
    from assess.labels.sampling import clopper_pearson

    labels = reviews["spark"]["label_robustness"]
    assert labels["verdict"] != "error"
    metrics = labels["metrics"]
    assert (metrics["audit_sample_size"], metrics["audit_population"]) == (90, 300)
    suspects = int(metrics["suspects"])
    assert (metrics["suspect_share_ci_low"], metrics["suspect_share_ci_high"]) == pytest.approx(
        clopper_pearson(suspects, 90, 0.95))
    notebook = json.loads((labels["folder"] / "notebook" / "label_robustness.ipynb").read_text(encoding="utf-8"))
    shown = "".join("".join(o.get("data", {}).get("text/markdown", "")) for c in notebook["cells"]
                    for o in c.get("outputs", []))
    assert "**Audited sample:** 90 of 300 records (engine: spark), drawn at random stratified by label (seed 3)" in shown
    assert "95% confidence interval [" in shown


def test_the_seeded_sample_is_stratified_and_independent_of_partitioning():
    from pyspark.sql import SparkSession

    from assess.labels.spark_sample import stratified_sample

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (SparkSession.builder.master("local[1]").appName("assess-sample-test").config("spark.ui.enabled", "false")
             .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate())
    try:
        frame = _quality_frame(400)
        frame.loc[:99, "label"] = "billing"  # classes of 175, 75, 75, 75 records
        one = spark.createDataFrame(frame).repartition(1)
        four = spark.createDataFrame(frame.sample(frac=1, random_state=1)).repartition(4)
        a, drawn = stratified_sample(one, "label", 80, seed=5)
        b, _ = stratified_sample(four, "label", 80, seed=5)
        c, _ = stratified_sample(one, "label", 80, seed=6)
    finally:
        spark.stop()
    pd.testing.assert_frame_equal(a, b)  # the same records in the same order, however partitioned
    assert a["id"].tolist() != c["id"].tolist()  # another seed draws other records
    assert a["label"].value_counts().to_dict() == {"billing": 35, "refund": 15, "delivery": 15, "account": 15}
    assert (drawn.size, drawn.population, drawn.is_sample) == (80, 400, True)


def test_the_digest_gives_what_the_summary_functions_give_on_the_findings():
    from assess.pii import scan_frame
    from assess.pii.digest import digest_findings
    from assess.pii.summary import (
        examples,
        lawful_basis_table,
        pi_types_without_basis,
        record_summary,
        sensitive_records_without_basis,
        type_table,
    )

    frame, _ = _records(120)
    frame.loc[7, "text"] = "患有糖尿病，手机13812345678"  # a sensitive-category flag next to an identifier
    findings = scan_frame(frame, ["text", "phone"], id_column="id", key=b"k")
    digest = digest_findings(findings, len(frame))
    assert digest.summary == record_summary(findings, len(frame))
    pd.testing.assert_frame_equal(digest.types(), type_table(findings, len(frame)))
    pd.testing.assert_frame_equal(digest.examples(4), examples(findings, 4))
    for basis in ({}, {"CN_RESIDENT_ID": "ledger"}, {"*": "all"}, {"CN_MOBILE": "x", "SENSITIVE_HEALTH": "y"}):
        assert digest.sensitive_without_basis(basis) == sensitive_records_without_basis(findings, basis)
        assert digest.types_without_basis(basis) == pi_types_without_basis(findings, basis)
        pd.testing.assert_frame_equal(digest.basis_table(basis), lawful_basis_table(findings, basis))
    assert digest.sensitive_without_basis({}) > digest.sensitive_without_basis({"CN_RESIDENT_ID": "ledger"}) > 0
    assert any("SENSITIVE_HEALTH" in kinds for kinds in digest.sensitive_sets)
    from assess.pii.digest import example_candidates

    pd.testing.assert_frame_equal(examples(example_candidates(findings, 2), 2), examples(findings, 2))  # Spark's cut
    # examples depend on neither the order of the records nor of the findings
    shuffled = findings.sample(frac=1, random_state=3)
    pd.testing.assert_frame_equal(digest_findings(shuffled, len(frame)).examples(4), digest.examples(4))


def test_engine_and_spark_options_are_validated_in_the_plan(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "part-0.json").write_text('{"id": "1", "text": "x"}\n', encoding="utf-8")
    base = ("version: 1\nsubjects:\n  s:\n    {subject}\n    datasets:\n      train: {dataset}\n"
            "    assessments:\n      pii_training_data: {{}}\n")
    cases = {
        ("engine: dask", "{path: d, id_column: id}"): "subjects.s.engine: expected one of pandas, spark, got 'dask'",
        ("engine: spark", "{path: d}"): "subjects.s.datasets.train.id_column: expected the column that identifies a record",
        ("spark: {master: 'http://x'}", "{path: d, id_column: id, engine: spark}"):
            "subjects.s.spark.master: expected a Spark master URL",
        ("engine: pandas", "{path: d, id_column: id, engine: ray}"): "subjects.s.datasets.train.engine: expected one of",
    }
    for (subject, dataset), expected in cases.items():
        (tmp_path / "review.yaml").write_text(base.format(subject=subject, dataset=dataset), encoding="utf-8")
        with pytest.raises(InputError, match=expected.replace("(", r"\(").replace(")", r"\)")):
            load_plan(tmp_path / "review.yaml")
    (tmp_path / "review.yaml").write_text(base.format(subject="spark: {master: 'local[3]', conf: {a.b: 1}}",
                                                      dataset="{path: d, id_column: id, engine: spark}"))
    plan = load_plan(tmp_path / "review.yaml")
    spec = plan.subjects["s"].datasets["train"]
    assert (spec.engine, spec.format, plan.subjects["s"].spark.master, plan.subjects["s"].spark.conf) == \
        ("spark", "jsonl", "local[3]", {"a.b": "1"})


def test_an_unreachable_master_is_one_line_naming_it(tmp_path):
    from assess.spark_session import _check_reachable

    with pytest.raises(InputError) as error:
        _check_reachable("spark://127.0.0.1:9", "subjects.s.spark.master")
    message = str(error.value)
    assert message.startswith("Spark master spark://127.0.0.1:9 cannot be reached (") and "\n" not in message
    assert "fix subjects.s.spark.master in the plan" in message
    code = "import sys, assess.spark_session, assess.pii.spark_scan, assess.quality.spark_prepare; assert 'pyspark' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, cwd=REPO)
