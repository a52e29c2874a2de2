"""The review's preflight: bad inputs are found before any run opens, all of them at once (issue 20)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from assess.cli import main
from assess.plan import DatasetSpec
from assess.preflight import dataset_problems
from store_snapshot import store_snapshot

ASSESS = [sys.executable, "-m", "assess"]


def run_cli(project, *args):
    return subprocess.run([*ASSESS, *args], capture_output=True, text=True, cwd=project)


def spec(path, fmt="csv", **columns):
    return DatasetSpec(role="train", path=path, format=fmt, **columns)


@pytest.mark.parametrize("content, expected", [
    ("", "is empty (0 bytes): provide at least one record"),
    ("id,text,label\n", "has no records (columns: id, label, text): provide at least one record"),
    ("id,words,label\n1,x,a\n", "text_column 'text' is not a column of the file (columns: id, label, words): "
                               "fix datasets.train.text_column in the plan"),
])
def test_dataset_problems_name_the_dataset_and_the_fix(tmp_path, content, expected):
    path = tmp_path / "data.csv"
    path.write_text(content, encoding="utf-8")
    [line] = dataset_problems(spec(path, id_column="id", text_column="text", label_column="label"))
    assert line == f"dataset 'train' ({path}) {expected}" or line == f"dataset 'train' ({path}): {expected}"


def test_a_directory_or_a_missing_file_is_named(tmp_path):
    assert dataset_problems(spec(tmp_path)) == [
        f"dataset 'train' ({tmp_path}) is a folder without csv part files: fix datasets.train.path in the plan"]
    missing = tmp_path / "nope.csv"
    assert dataset_problems(spec(missing)) == [
        f"dataset 'train' ({missing}) does not exist: fix datasets.train.path in the plan"]


def test_jsonl_columns_are_the_keys_of_its_records(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": 1, "body": "x"}\n{"id": 2, "text": "y"}\n', encoding="utf-8")
    assert dataset_problems(spec(path, "jsonl", id_column="id", text_column="text")) == []
    [line] = dataset_problems(spec(path, "jsonl", id_column="id", label_column="label"))
    assert "label_column 'label' is not a column of the file (columns: body, id, text)" in line


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("id,text\n1,客户张三\n".encode("gb18030"))
    [line] = dataset_problems(spec(path, id_column="id", text_column="text"))
    assert line.startswith(f"dataset 'train': {path} is not UTF-8: re-encode it")


def test_every_problem_is_reported_at_once_and_no_run_opens(tiny_project):
    assert main(["run", str(tiny_project / "review.yaml"), "--only", "row_count"]) == 0  # an earlier good review
    before = store_snapshot(tiny_project)
    plan = tiny_project / "review.yaml"
    plan.write_text(plan.read_text().replace(
        "      train: {path: data.csv, id_column: id, text_column: text, label_column: label}\n",
        "      train: {path: data.csv, id_column: id, text_column: body, label_column: label}\n"
        "      extra: {path: empty.csv, id_column: id}\n"
        "      folder: {path: notebooks, format: csv}\n"
        "      header: {path: header.csv, id_column: id}\n"))
    (tiny_project / "empty.csv").write_bytes(b"")
    (tiny_project / "header.csv").write_text("id,text\n", encoding="utf-8")
    result = run_cli(tiny_project, "run", str(plan))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "error: the review did not start (4 problems; no run was opened):"
    assert "text_column 'body' is not a column of the file" in lines[1]
    assert lines[2].endswith("empty.csv) is empty (0 bytes): provide at least one record")
    assert "is a folder without csv part files" in lines[3]
    assert lines[4].endswith("header.csv) has no records (columns: id, text): provide at least one record")
    assert len(lines) == 5 and "Traceback" not in result.stderr
    assert store_snapshot(tiny_project) == before  # nothing opened, nothing left RUNNING


def test_a_bad_dataset_creates_no_store(tiny_project):
    (tiny_project / "data.csv").write_bytes(b"")
    result = run_cli(tiny_project, "run", str(tiny_project / "review.yaml"))
    assert result.returncode == 2 and "is empty (0 bytes)" in result.stderr
    assert not (tiny_project / "mlruns").exists()


def test_a_prepare_hook_that_cannot_be_imported_opens_no_run(tiny_project):
    assert main(["run", str(tiny_project / "review.yaml"), "--only", "row_count"]) == 0
    before = store_snapshot(tiny_project)
    plan = tiny_project / "review.yaml"
    plan.write_text(plan.read_text().replace("  s:\n", "  s:\n    prepare: no_such_module:build\n"))
    result = run_cli(tiny_project, "run", str(plan))
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()[1:]
    assert "subject s: subjects.s.prepare: cannot import 'no_such_module:build'" in line
    assert store_snapshot(tiny_project) == before


def test_a_zero_day_cadence_is_a_plan_error(tiny_project):
    plan = tiny_project / "review.yaml"
    assert main(["run", str(plan), "--only", "row_count"]) == 0
    before = store_snapshot(tiny_project)
    plan.write_text(plan.read_text().replace("every: 30d", "every: 0d"))
    result = run_cli(tiny_project, "run", str(plan))
    assert result.returncode == 2
    assert result.stderr.strip() == ("error: review.yaml:8: subjects.s.assessments.row_count.every: expected a cadence "
                                     "of at least 1 day, such as 30d or 12w, got '0d'")
    assert store_snapshot(tiny_project) == before


def test_verify_chain_of_an_unknown_subject_is_exit_2_not_tampered(tiny_project):
    assert main(["run", str(tiny_project / "review.yaml"), "--only", "row_count"]) == 0
    result = run_cli(tiny_project, "verify", "--chain", "nobody")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: subject nobody has no review in sqlite:///")
    assert run_cli(tiny_project, "verify", "--chain", "s").returncode == 0


def test_a_bad_signing_key_and_an_unwritable_reports_folder_are_found_before_any_run(tiny_project, tmp_path):
    (tmp_path / "rsa.pem").write_bytes(_rsa_pem())
    (tiny_project / "reports").write_text("a file where the reports folder should be", encoding="utf-8")
    env = {**os.environ, "ASSESS_SIGNING_KEY_FILE": str(tmp_path / "rsa.pem")}
    result = subprocess.run([*ASSESS, "run", str(tiny_project / "review.yaml")], capture_output=True, text=True,
                            cwd=tiny_project, env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[1].strip() == "ASSESS_SIGNING_KEY is not an Ed25519 key: create one with `openssl genpkey -algorithm ed25519`"
    assert lines[2].strip() == (f"reports folder {tiny_project / 'reports'} cannot be created: {tiny_project / 'reports'} "
                                "is a file, not a folder: make it writable or set reports_dir in the plan")
    assert not (tiny_project / "mlruns").exists()


def test_a_tracking_server_that_does_not_answer_fails_fast_with_no_credentials_shown(tiny_project):
    import socket
    import time

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "MLFLOW_TRACKING_URI": f"http://assessor:PLANTED-pw@127.0.0.1:{port}"}
    started = time.monotonic()
    result = subprocess.run([*ASSESS, "run", str(tiny_project / "review.yaml")], capture_output=True, text=True,
                            cwd=tiny_project, env=env)
    assert time.monotonic() - started < 60
    assert result.returncode == 2
    assert f"tracking server http://127.0.0.1:{port} does not answer within 10 s" in result.stderr
    assert "PLANTED-pw" not in result.stderr and "assessor" not in result.stderr


def _rsa_pem() -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


def test_without_user_info():
    from assess.tracking import without_user_info

    assert without_user_info("http://u:p@host:5000/x") == "http://host:5000/x"
    assert without_user_info("https://token@host/") == "https://host/"
    assert without_user_info("sqlite:////tmp/a/mlflow.db") == "sqlite:////tmp/a/mlflow.db"
    assert without_user_info("http://host:5000") == "http://host:5000"


def test_a_dataset_outside_the_plan_folder_needs_data_roots(tiny_project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("corpus")
    (elsewhere / "data.csv").write_text("id,text,label\n1,a,x\n2,b,y\n", encoding="utf-8")
    plan = tiny_project / "review.yaml"
    plan.write_text(plan.read_text().replace("path: data.csv", f"path: {elsewhere / 'data.csv'}"))
    result = run_cli(tiny_project, "run", str(plan), "--only", "row_count")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: review.yaml:6: subjects.s.datasets.train.path: expected a file inside the plan's folder or under one "
        f"of its data_roots (add data_roots: [{elsewhere}] to the plan to allow it), got '{elsewhere / 'data.csv'}'")
    assert not (tiny_project / "mlruns").exists()
    plan.write_text(plan.read_text().replace("version: 1\n", f"version: 1\ndata_roots: [{elsewhere}]\n"))
    assert run_cli(tiny_project, "run", str(plan), "--only", "row_count").returncode == 0


def test_an_empty_datasets_mapping_is_a_plan_error_naming_the_default_role(tiny_project):
    plan = tiny_project / "review.yaml"  # the project's own notebooks: data_quality's datasets default to train, ...
    plan.write_text("version: 1\nsubjects:\n  s:\n    datasets: {}\n    assessments:\n      data_quality: {}\n")
    from assess.errors import InputError
    from assess.plan import load_plan

    with pytest.raises(InputError, match="the default 'train' is not one: declare it under datasets: or set the parameter"):
        load_plan(plan)
    result = run_cli(tiny_project, "run", str(plan))
    assert result.returncode == 2 and "the default 'train' is not one" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tiny_project / "mlruns").exists()


def test_pii_scan_of_a_directory_says_so(tmp_path):
    result = run_cli(tmp_path, "pii", "scan", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {tmp_path} is a directory: pass one csv, jsonl, parquet or txt file"


def test_a_missing_model_file_and_an_unknown_model_kind_are_found_before_any_run(tiny_project):
    plan = tiny_project / "review.yaml"
    good = plan.read_text()
    plan.write_text(good.replace("    datasets:\n", "    models:\n      generator: {uri: models/lm, kind: transformers}\n"
                                                  "    datasets:\n", 1))
    result = run_cli(tiny_project, "run", str(plan))
    assert result.returncode == 2
    assert "model 'generator' (" in result.stderr and "models/lm) does not exist: fix models.generator.uri" in result.stderr
    assert not (tiny_project / "mlruns").exists()
    plan.write_text(good.replace("    datasets:\n", "    models:\n      generator: {uri: lm, kind: onnx}\n"
                                                  "    datasets:\n", 1))
    result = run_cli(tiny_project, "run", str(plan))
    assert result.returncode == 2 and "subjects.s.models.generator.kind" in result.stderr
    assert "transformers, openai, pyfunc, sklearn, torch" in result.stderr
    plan.write_text(good.replace("    datasets:\n", "    models:\n      generator: {uri: lm, kind: transformers, "
                                                  "classes: [a]}\n    datasets:\n", 1))
    result = run_cli(tiny_project, "run", str(plan))
    assert result.returncode == 2 and "subjects.s.models.generator.classes" in result.stderr


def test_a_plan_that_requires_signing_does_not_start_without_a_key(tiny_project, monkeypatch):
    monkeypatch.delenv("ASSESS_SIGNING_KEY", raising=False)
    monkeypatch.delenv("ASSESS_SIGNING_KEY_FILE", raising=False)
    plan = tiny_project / "review.yaml"
    plan.write_text(plan.read_text().replace("version: 1\n", "version: 1\nrequire_signing: true\n", 1))
    result = run_cli(tiny_project, "run", str(plan))
    assert result.returncode == 2
    assert "the plan requires signing (require_signing: true) but no signing key is configured" in result.stderr
    assert not (tiny_project / "mlruns").exists()
