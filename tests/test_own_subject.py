"""A user's own subject: repeated ids, DataFrame models, own canaries, compressed inputs (issue 19
items 4, 5, 7). The fast tests here use real scikit-learn models trained in the test; the review of
a whole own subject (real papermill, a real MLflow store) is at the end."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from assess.errors import InputError

TOPICS = {"退款": ["退款", "退货", "钱没到账", "申请退钱"], "物流": ["快递", "物流", "几天到", "包裹丢了"],
          "账户": ["登录", "改密码", "账号被锁", "绑定手机"]}
CHANNELS = ["app", "web", "phone"]


def tickets(n: int, seed: int, *, repeat_every: int = 0) -> pd.DataFrame:
    """Service tickets: a free-text body, a channel, a topic (Chinese labels); with ``repeat_every``,
    every so many rows reuse an earlier ticket number (the defect of issue 19 item 4)."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        topic = list(TOPICS)[i % len(TOPICS)]
        number = i - 1 if repeat_every and i % repeat_every == repeat_every - 1 else i
        rows.append({"ticket_no": f"TK{seed}-{number:04d}", "body": f"您好，{rng.choice(TOPICS[topic])}的事情，订单{rng.integers(1000, 9999)}",
                     "channel": str(rng.choice(CHANNELS)), "topic": topic})
    return pd.DataFrame(rows)


def column_model():
    """The common shape: TF-IDF of the text column and one-hot codes of a categorical column."""
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    columns = ColumnTransformer([("body", TfidfVectorizer(analyzer="char", ngram_range=(1, 2)), "body"),
                                 ("channel", OneHotEncoder(handle_unknown="ignore"), ["channel"])])
    return Pipeline([("columns", columns), ("classify", LogisticRegression(max_iter=1000))])


# -- item 4: repeated ids ---------------------------------------------------------------------------
def test_repeated_ids_are_counted_and_rows_keyed_by_position():
    from assess.labels.assessment import ROW_COLUMN, key_by_row, repeated_id_rows

    frame = tickets(30, 1, repeat_every=10)
    assert repeated_id_rows(frame["ticket_no"]) == 6  # three ids, each on two rows
    assert repeated_id_rows(tickets(30, 1)["ticket_no"]) == 0
    keyed = key_by_row(frame)
    assert keyed[ROW_COLUMN].tolist() == [str(i) for i in range(1, 31)]
    assert keyed["ticket_no"].tolist() == frame["ticket_no"].tolist()  # the file's own ids are kept
    with pytest.raises(InputError, match=f"has a column '{ROW_COLUMN}'"):
        key_by_row(keyed)


# -- item 5: models that take DataFrames -----------------------------------------------------------
def test_a_column_transformer_pipeline_is_audited_retrained_and_perturbed():
    from assess.labels import audit, noise_sensitivity, prediction_stability

    train, holdout = tickets(150, 2), tickets(60, 3)
    X, X_holdout = train[["body", "channel"]], holdout[["body", "channel"]]
    result = audit(X, train["topic"], model=column_model(), cv=3, ids=train["ticket_no"])
    assert result.classes == sorted(TOPICS) and len(result.scores) == 150
    assert result.quality["accuracy"].iloc[-1] > 0.9  # the pipeline's own out-of-fold probabilities
    curve = noise_sensitivity(column_model(), X, train["topic"], X_holdout, holdout["topic"], rates=[0.0, 0.3], repeats=1)
    assert curve.metrics(0.02)["clean_accuracy"] > 0.9
    fitted = column_model().fit(X, train["topic"])
    stability = prediction_stability(fitted, X_holdout, ids=holdout["ticket_no"], text_columns=["body"])
    assert set(stability.per_perturbation["perturbation"]) == {"typo", "width", "whitespace", "homoglyph"}
    assert (stability.per_perturbation["perturbed"] > 0).all()
    with pytest.raises(InputError, match="no model to take them"):
        audit(X, train["topic"], cv=3)  # mixed columns and no model: one line, no bare ValueError


def test_the_membership_attack_takes_the_named_feature_columns():
    from assess.features import feature_columns
    from assess.leakage import make_retrainer, run_membership_attacks
    from assess.leakage.steps import features_labels_ids
    from assess.plan import ModelSpec

    train, holdout = tickets(80, 4), tickets(80, 5)
    fitted = column_model().fit(train[["body", "channel"]], train["topic"])
    spec = ModelSpec("classifier", "model.joblib", kind="sklearn", feature_columns=("body", "channel"))
    assert feature_columns(spec, fitted) == ["body", "channel"]
    assert feature_columns(ModelSpec("classifier", "m.joblib", kind="sklearn"), fitted) == ["body", "channel"]
    sides = [features_labels_ids(frame, id_column="ticket_no", text_column="body", label_column="topic", role=role,
                                 feature_columns=["body", "channel"], named_in="models.classifier.feature_columns")
             for role, frame in (("train", train), ("holdout", holdout))]
    assert list(sides[0][0].columns) == ["body", "channel"]
    result = run_membership_attacks(fitted, sides[0], sides[1], retrainer=make_retrainer("clone", fitted),
                                    reference_models=2, attacks=("loss", "lira_offline"))
    assert 0 <= result.metrics["loss"]["auc"] <= 1 and result.details["evaluated_per_side"] == 80
    with pytest.raises(InputError) as error:
        features_labels_ids(train, id_column="ticket_no", text_column="body", label_column="topic", role="train",
                            feature_columns=["body", "source"], named_in="models.classifier.feature_columns",
                            file_name="tickets.jsonl")
    message = str(error.value)
    assert "'source' named in models.classifier.feature_columns is not in tickets.jsonl" in message
    assert "columns: ticket_no, body, channel, topic" in message and "\n" not in message


def test_the_plan_validates_feature_columns(tmp_path):
    from assess.plan import load_plan

    plan = tmp_path / "review.yaml"
    (tmp_path / "t.csv").write_text("id,body,channel,topic\n1,a,b,c\n", encoding="utf-8")
    body = """version: 1
subjects:
  desk:
    models:
      classifier: {{uri: m.joblib, kind: sklearn, feature_columns: {columns}}}
    datasets:
      train: {{path: t.csv, id_column: id, label_column: topic}}
    assessments:
      label_robustness: {{model: classifier, holdout: train}}
"""
    plan.write_text(body.format(columns="[body, channel]"), encoding="utf-8")
    assert load_plan(plan).subject("desk").models["classifier"].feature_columns == ("body", "channel")
    plan.write_text(body.format(columns="body"), encoding="utf-8")
    with pytest.raises(InputError, match="feature_columns"):
        load_plan(plan)


# -- item 7: compressed inputs, absent columns ------------------------------------------------------
@pytest.mark.parametrize("suffix", [".gz", ".zst"])
@pytest.mark.parametrize("fmt", ["csv", "jsonl", "txt"])
def test_compressed_datasets_are_read_directly(tmp_path, fmt, suffix):
    import gzip

    import zstandard

    from assess.datasets import load_dataset
    from assess.plan import DatasetSpec

    frame = tickets(25, 6)
    text = {"csv": frame.to_csv(index=False), "jsonl": frame.to_json(orient="records", lines=True, force_ascii=False),
            "txt": "\n".join(frame["body"]) + "\n"}[fmt].encode("utf-8")
    path = tmp_path / f"tickets.{fmt}{suffix}"
    path.write_bytes(gzip.compress(text) if suffix == ".gz" else zstandard.ZstdCompressor().compress(text))
    columns = {} if fmt == "txt" else {"id_column": "ticket_no", "text_column": "body", "label_column": "topic"}
    loaded = load_dataset(DatasetSpec("train", path, fmt, **columns))
    assert len(loaded) == 25
    assert loaded["body" if fmt != "txt" else "text"].tolist() == frame["body"].tolist()


def test_a_corrupt_or_mislabelled_compressed_file_is_one_line(tmp_path):
    from assess.datasets import iter_chunks, load_dataset
    from assess.plan import DatasetSpec

    path = tmp_path / "tickets.csv.gz"
    path.write_bytes(b"id,body\n1,not compressed at all\n")
    with pytest.raises(InputError) as error:
        load_dataset(DatasetSpec("train", path, "csv"))
    assert "cannot be decompressed" in str(error.value) and "\n" not in str(error.value)
    parquet = tmp_path / "t.parquet.gz"
    parquet.write_bytes(b"x")
    with pytest.raises(InputError, match="parquet compresses its own pages"):
        next(iter_chunks(parquet, "parquet"))


def test_a_text_column_absent_from_the_file_stops_the_pii_scan(tmp_path):
    from assess.notebook import open_assessment
    from assess.pii.assessment import scan_datasets

    tickets(10, 7).to_json(tmp_path / "tickets.jsonl", orient="records", lines=True, force_ascii=False)
    (tmp_path / "review.yaml").write_text("""version: 1
subjects:
  desk:
    datasets:
      train: {path: tickets.jsonl, id_column: ticket_no, text_column: text, label_column: topic}
    assessments:
      pii_training_data: {datasets: [train]}
""", encoding="utf-8")
    ctx = open_assessment("pii_training_data", plan=str(tmp_path / "review.yaml"), subject="desk",
                          tracking_uri=f"sqlite:///{tmp_path / 'mlflow.db'}")
    with pytest.raises(InputError) as error:
        scan_datasets(ctx, ["train"])
    assert str(error.value) == ("dataset 'train': column 'text' named in the plan is not in tickets.jsonl "
                                "(columns: ticket_no, body, channel, topic): fix the column name in the plan")


# -- item 7: bring-your-own canaries ---------------------------------------------------------------
def run_cli(*args) -> tuple[int, str, str]:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "assess", *map(str, args)], capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


def test_canaries_make_and_insert_plant_a_file_model_leakage_reads(tmp_path):
    from assess.datasets import read_frame
    from assess.leakage import CanarySet

    canaries, corpus, planted = tmp_path / "canaries.jsonl", tmp_path / "replies.csv", tmp_path / "replies_planted.csv.gz"
    tickets(40, 8).rename(columns={"ticket_no": "id", "body": "text"}).to_csv(corpus, index=False)
    code, out, err = run_cli("canaries", "make", "--out", canaries, "--n", 8, "--seed", 5, "--lang", "zh")
    assert code == 0, err
    made = [line for line in canaries.read_text(encoding="utf-8").splitlines() if line]
    assert len(made) == 8 and all('"secret"' in line for line in made)
    code, out, err = run_cli("canaries", "insert", "--canaries", canaries, "--into", corpus, "--out", planted,
                             "--repeats", "1,5")
    assert code == 0, err
    loaded = CanarySet.load(canaries)  # what model_leakage's canaries_file reads
    assert loaded.template == "我的验证码是{d}{d}{d}{d}{d}{d}" and loaded.seed is None
    assert [c.repetitions for c in loaded.canaries] == [0, 1, 5, 0, 1, 5, 0, 1]
    for canary in loaded.canaries:
        assert loaded.format.render(canary.index) == canary.text  # exposure ranks the canary among its format
    frame = read_frame(planted, "csv")
    assert len(frame) == 40 + 3 * 1 + 2 * 5
    counts = frame["text"].value_counts()
    assert all(counts.get(c.text, 0) == c.repetitions for c in loaded.canaries)
    assert not any(c.text in out + err for c in loaded.canaries)  # canary texts are secrets


def test_a_teams_own_minimal_canaries_are_accepted(tmp_path):
    from assess.leakage import CanarySet

    path = tmp_path / "team.jsonl"
    path.write_text('{"id": "a", "text": "工单核验码 A7K2Q9 请勿外传", "repetitions": 0}\n'
                    '{"text": "工单核验码 B3M8X1 请勿外传", "secret": "B3M8X1", "repetitions": 5}\n', encoding="utf-8")
    loaded = CanarySet.load(path)
    assert loaded.template == "工单核验码 {u}{d}{u}{d}{u}{d} 请勿外传"
    assert [c.canary_id for c in loaded.canaries] == ["a", "line2"] and loaded.repetitions == (0, 5)
    assert loaded.format.space_bits == pytest.approx(3 * np.log2(26) + 3 * np.log2(10))
    cases = {
        '{"id": "a", "text": "工单核验码 A7K2Q9"}\n': "has no 'repetitions'",
        '{"text": "我的卡号尾号", "repetitions": 1}\n': "names no secret",
        '{"text": "工单核验码 A7K2Q9", "secret": "ZZZ999", "repetitions": 1}\n': "its secret does not occur in its text",
        '{"text": "code 123456", "repetitions": 1}\n{"text": "code 1234567", "repetitions": 1}\n': "differ in format",
        '{"format": 1}\n': "has no 'text'",
    }
    for content, expected in cases.items():
        path.write_text(content, encoding="utf-8")
        with pytest.raises(InputError) as error:
            CanarySet.load(path)
        assert expected in str(error.value) and "A7K2Q9" not in str(error.value) and "123456" not in str(error.value)


def test_canaries_insert_names_an_absent_column(tmp_path):
    (tmp_path / "c.jsonl").write_text('{"text": "code 123456", "repetitions": 1}\n', encoding="utf-8")
    tickets(5, 9).to_csv(tmp_path / "t.csv", index=False)
    code, out, err = run_cli("canaries", "insert", "--canaries", tmp_path / "c.jsonl", "--into", tmp_path / "t.csv",
                             "--out", tmp_path / "t2.csv")
    assert code == 2 and not (tmp_path / "t2.csv").exists()
    assert err.strip().splitlines() == [
        "error: dataset '--into': column 'id' named in --id-column/--text-column is not in t.csv "
        "(columns: ticket_no, body, channel, topic): fix the column name in --id-column/--text-column"]


# -- item 7: the hash key lives with the plan or the store, not the working directory ---------------
def test_the_hash_key_follows_the_plan_or_the_store_not_the_working_directory(tmp_path, monkeypatch):
    from assess.secrets import hash_key, key_folder

    for name in ("ASSESS_HASH_KEY", "ASSESS_HASH_KEY_FILE", "ASSESS_PROJECT_DIR"):
        monkeypatch.delenv(name, raising=False)
    elsewhere, store = tmp_path / "elsewhere", tmp_path / "store"
    elsewhere.mkdir()
    store.mkdir()
    monkeypatch.chdir(elsewhere)
    plan_key = hash_key(tmp_path / "project")
    assert (tmp_path / "project" / ".assess" / "hash.key").read_bytes() == plan_key
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{store / 'mlflow.db'}")
    assert key_folder() == store and hash_key() == (store / ".assess" / "hash.key").read_bytes()
    monkeypatch.delenv("MLFLOW_TRACKING_URI")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert key_folder() == tmp_path / "config" / "assess"
    monkeypatch.setenv("ASSESS_PROJECT_DIR", str(tmp_path / "project"))
    assert hash_key() == plan_key  # the notebooks of a review get the plan's folder
    assert not (elsewhere / ".assess").exists()


# -- "Done when": a review of a subject that is not the demo ---------------------------------------
REPLIES = ["您好，退款已经提交，三到五个工作日到账。", "包裹今天下午派送，请保持电话畅通。", "账号已解锁，请重新登录并修改密码。",
           "抱歉让您久等了，我们马上为您处理。", "快递单号已经发到您的短信里了。"]
#: Words of the demo subject that must not appear in this subject's reports.
DEMO_WORDING = ("demo-assistant", "intents_train", "intents_holdout", "dialogues_train", "dialogues_holdout",
                "assess-demo", "datasets/demo")


@pytest.fixture(scope="module")
def own_review(tmp_path_factory):
    import gzip
    import json
    import subprocess
    import sys

    import joblib

    from assess import tracking
    from conftest import REPO
    from openai_server import tiny_gpt2

    project = tmp_path_factory.mktemp("service-desk")
    train, holdout = tickets(150, 11, repeat_every=15), tickets(90, 12)
    for name, frame in (("tickets_train", train), ("tickets_holdout", holdout)):
        text = frame.to_json(orient="records", lines=True, force_ascii=False)
        (project / f"{name}.jsonl.gz").write_bytes(gzip.compress(text.encode("utf-8")))
    model = column_model().fit(train[["body", "channel"]], train["topic"])
    joblib.dump(model, project / "desk.joblib")
    rng = np.random.default_rng(13)
    replies = pd.DataFrame({"reply_id": [f"R{i:03d}" for i in range(40)],
                            "reply": [REPLIES[i % len(REPLIES)] + f"（工单{rng.integers(100, 999)}）" for i in range(40)]})
    replies.iloc[:20].to_csv(project / "replies.csv", index=False)
    replies.iloc[20:].to_csv(project / "replies_holdout.csv", index=False)
    for args in (["make", "--out", "canaries.jsonl", "--n", 8, "--seed", 21, "--lang", "zh"],
                 ["insert", "--canaries", "canaries.jsonl", "--into", "replies.csv", "--out", "replies_planted.csv.gz",
                  "--id-column", "reply_id", "--text-column", "reply", "--repeats", "1,5,20"]):
        done = subprocess.run([sys.executable, "-m", "assess", "canaries", *map(str, args)], cwd=project,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    planted = pd.read_csv(project / "replies_planted.csv.gz", dtype=str)
    lm, tokenizer = tiny_gpt2(planted["reply"].tolist() + replies["reply"].tolist(), seed=0, steps=80)
    lm.save_pretrained(project / "lm")
    tokenizer.save_pretrained(project / "lm")
    plan = f"""version: 1
notebooks_dir: {REPO / 'notebooks'}
subjects:
  service-desk:
    models:
      tickets: {{uri: desk.joblib, kind: sklearn, feature_columns: [body, channel]}}
      replier: {{uri: lm}}
    datasets:
      tickets: {{path: tickets_train.jsonl.gz, id_column: ticket_no, text_column: body, label_column: topic}}
      tickets_holdout: {{path: tickets_holdout.jsonl.gz, id_column: ticket_no, text_column: body, label_column: topic}}
      replies: {{path: replies_planted.csv.gz, id_column: reply_id, text_column: reply}}
      replies_holdout: {{path: replies_holdout.csv, id_column: reply_id, text_column: reply}}
    assessments:
      label_robustness: {{dataset: tickets, holdout: tickets_holdout, model: tickets, repeats: 1,
                          noise_rates: [0.0, 0.2], cv: 3}}
      model_leakage: {{classifier_model: tickets, generator_model: replier, members: tickets,
                       non_members: tickets_holdout, generator_train: replies, generator_holdout: replies_holdout,
                       canaries_file: canaries.jsonl, reference_models: 2, exposure_samples: 50,
                       max_eval_per_side: 60, bootstrap: 50}}
"""
    (project / "review.yaml").write_text(plan, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "assess", "run", "review.yaml"], cwd=project,
                            capture_output=True, text=True, timeout=1500)
    client = tracking.client_for(tracking.embedded_uri(project))
    experiment = client.get_experiment_by_name(tracking.experiment_name("service-desk"))
    runs = {run.data.tags[tracking.TAG_ASSESSMENT]: run for run in
            client.search_runs([experiment.experiment_id], f"tags.`{tracking.TAG_KIND}` = 'assessment'")}

    def evidence(assessment: str, artifact: str):
        local = client.download_artifacts(runs[assessment].info.run_id, artifact, str(project / "downloads" / assessment))
        return json.loads(open(local, encoding="utf-8").read()) if artifact.endswith(".json") else pd.read_csv(local)

    return project, result, runs, evidence, train, holdout


@pytest.mark.slow
def test_an_own_subject_review_gives_verdicts_from_its_own_evidence(own_review):
    project, result, runs, evidence, train, holdout = own_review
    assert set(runs) == {"label_robustness", "model_leakage"}, result.stdout[-3000:] + result.stderr[-3000:]
    for name, run in runs.items():
        assert run.info.status == "FINISHED", (name, run.data.tags, result.stderr[-3000:])
        checks = evidence(name, "evidence/checks.json")
        assert checks["subject"] == "service-desk" and checks["verdict"] == run.data.tags["assess.verdict"]

    # label_robustness audited the file as it is: every row, repeated ids counted, keyed by row number
    labels = {c["name"]: c for c in evidence("label_robustness", "evidence/checks.json")["checks"]}
    repeated = int(train["ticket_no"].duplicated(keep=False).sum())
    assert repeated == 20 and labels["repeated_id_rows"]["value"] == repeated
    assert labels["repeated_id_rows"]["status"] == "warn"
    audit = evidence("label_robustness", "evidence/label_audit.json")
    assert audit["records"] == len(train) and audit["classes"] == sorted(TOPICS)
    assert labels["estimated_noise_rate"]["value"] == pytest.approx(audit["estimated_noise_rate"], abs=1e-4)
    sheet = evidence("label_robustness", "tables/label_review_sheet.csv")
    assert set(sheet["id"].astype(int)) <= set(range(1, len(train) + 1))  # row numbers, not the repeated ids
    stability = evidence("label_robustness", "tables/prediction_stability.csv")
    assert (stability["records"] == len(holdout)).all()

    # model_leakage attacked the ColumnTransformer pipeline and measured the team's own canaries
    metrics = runs["model_leakage"].data.metrics
    assert metrics["mia_evaluated_per_side"] == 60 and 0 <= metrics["mia_max_auc"] <= 1
    setup = evidence("model_leakage", "evidence/canary_setup.json")
    assert setup["format"] == "我的验证码是{d}{d}{d}{d}{d}{d}" and setup["seed"] is None
    exposure = evidence("model_leakage", "tables/canary_exposure.csv")
    assert sorted(exposure["canary_id"]) == [f"k{i:03d}" for i in range(1, 9)]
    leakage = {c["name"]: c for c in evidence("model_leakage", "evidence/checks.json")["checks"]}
    planted = exposure[exposure["repetitions"] > 0]["exposure_bits"].max()
    assert leakage["canary_exposure_max_bits"]["value"] == pytest.approx(planted, abs=1e-3)


@pytest.mark.slow
def test_an_own_subject_review_shows_no_demo_wording_and_no_canary_text(own_review):
    import json

    project, result, runs, evidence, train, holdout = own_review
    canaries = [json.loads(line)["text"] for line in (project / "canaries.jsonl").read_text(encoding="utf-8").splitlines()]
    reports = [p for p in (project / "reports").rglob("*") if p.is_file() and p.suffix in (".html", ".md", ".json", ".txt")]
    assert reports, "the review rendered no reports"
    for path in reports:
        text = path.read_text(encoding="utf-8", errors="replace")
        for word in DEMO_WORDING:
            assert word not in text, (path.relative_to(project), word)
        for canary in canaries:
            assert canary not in text, path.relative_to(project)
