"""The tamper matrix, on a real sqlite store edited with sqlite3 and on the artifact files: each edit is
named by `assess verify`, and `assess gate` fails closed; a consistent rewrite of the latest review is
found with a signing key or with the evidence.log, and (documented) not without either."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from assess import tracking
from assess.cli import main
from assess.manifest import MANIFEST_PATH, REVIEW_MANIFEST_PATH, sha256_file, sha256_json
from assess.reports import assessment_runs, review_runs
from conftest import make_tiny_project, register_tiny_model

#: Three rows, at least ten required: every review of this subject FAILs, which is what a forger wants to hide.
FAILING_PLAN = """version: 1
notebooks_dir: notebooks
subjects:
  s:
    models:
      m: models:/tiny-model/latest
    datasets:
      train: {path: data.csv, id_column: id, text_column: text, label_column: label}
    assessments:
      row_count: {every: 30d, min_rows: 10}
"""
GATE = ["gate", "models:/tiny-model/latest"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Two signed, failing reviews of a tiny subject with a registered model; the evidence.log on (default)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

    project = make_tiny_project(tmp_path_factory.mktemp("tamper"))
    (project / "review.yaml").write_text(FAILING_PLAN, encoding="utf-8")
    private = Ed25519PrivateKey.generate()
    keys = tmp_path_factory.mktemp("keys")  # outside the project: a bundle test copies the project
    (keys / "signing.pem").write_bytes(private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    (keys / "verify.pem").write_bytes(private.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo))
    patch = pytest.MonkeyPatch()
    patch.delenv("ASSESS_EVIDENCE_LOG", raising=False)
    patch.chdir(project)
    register_tiny_model(project)
    patch.setenv("ASSESS_SIGNING_KEY_FILE", str(keys / "signing.pem"))
    assert main(["run", "review.yaml"]) == 1
    assert main(["run", "review.yaml"]) == 1
    patch.delenv("ASSESS_SIGNING_KEY_FILE")  # verifiers hold at most the public key
    yield project, tracking.client_for(tracking.embedded_uri(project)), keys / "verify.pem"
    patch.undo()


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch):
    for name in ("ASSESS_SIGNING_KEY", "ASSESS_SIGNING_KEY_FILE", "ASSESS_VERIFY_KEY", "ASSESS_VERIFY_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)


@contextmanager
def tampered(project: Path):
    """Undo every edit of the block: the database restored in place (MLflow keeps it open), files copied back."""
    db = project / "mlruns" / "mlflow.db"
    kept = project.parent / f"{project.name}-kept"
    shutil.rmtree(kept, ignore_errors=True)
    kept.mkdir()
    with sqlite3.connect(db) as live, sqlite3.connect(kept / "mlflow.db") as copy:
        live.backup(copy)
    for folder in ("mlruns/artifacts", "reports"):
        shutil.copytree(project / folder, kept / folder)
    (kept / "evidence.log").write_bytes((project / "evidence.log").read_bytes())
    try:
        yield db
    finally:
        with sqlite3.connect(kept / "mlflow.db") as copy, sqlite3.connect(db) as live:
            copy.backup(live)
        for folder in ("mlruns/artifacts", "reports"):
            shutil.rmtree(project / folder)
            shutil.copytree(kept / folder, project / folder)
        (project / "evidence.log").write_bytes((kept / "evidence.log").read_bytes())


def sql(db: Path, statement: str, *args) -> None:
    with sqlite3.connect(db) as connection:
        assert connection.execute(statement, args).rowcount >= 1, statement


def latest(client):
    review = review_runs(client, "s")[0]
    return review, assessment_runs(client, review)[0]


def artifact_file(project: Path, run_id: str, path: str) -> Path:
    return next((project / "mlruns" / "artifacts").rglob(f"{run_id}/artifacts/{path}"))


def verify(capsys, *extra) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["verify", "--chain", "s", *extra])
    return code, capsys.readouterr().out


def test_the_untouched_store_verifies_and_the_gate_blocks_the_failed_model(store, capsys, monkeypatch):
    project, client, public = store
    assert verify(capsys) == (0, "OK: 4 run(s) checked, 0 problem(s)\n")
    monkeypatch.setenv("ASSESS_VERIFY_KEY_FILE", str(public))
    code, out = verify(capsys, "--log", "evidence.log")
    assert (code, out) == (0, "OK: 4 run(s) checked, 0 problem(s)\n")
    assert main(GATE) == 1
    assert "the latest review" in capsys.readouterr().out


@pytest.mark.parametrize("statements, expected", [
    (["update metrics set value = 12 where key = 'rows' and run_uuid = ?",
      "update latest_metrics set value = 12 where key = 'rows' and run_uuid = ?"],
     "metric rows is 12.0 in the store, 3.0 in the manifest"),
    # The history only: the latest value the UI shows is unchanged.
    (["update metrics set value = 12 where key = 'rows' and run_uuid = ?"],
     "the logged history of its metrics differs from the manifest"),
    (["update params set value = '2' where key = 'min_rows' and run_uuid = ?"],
     "parameter min_rows is '2' in the store, '10' in the manifest"),
], ids=["metric", "metric-history", "parameter"])
def test_an_edited_metric_or_parameter_is_named(store, capsys, statements, expected):
    project, client, _ = store
    _, assessment = latest(client)
    with tampered(project) as db:
        for statement in statements:
            sql(db, statement, assessment.info.run_id)
        code, out = verify(capsys)
    assert code == 1
    assert f"run row_count ({assessment.info.run_id}): {expected}" in out


def test_edited_verdict_tags_are_named(store, capsys):
    project, client, _ = store
    review, assessment = latest(client)
    review_id = review.data.tags[tracking.TAG_REVIEW_ID]
    with tampered(project) as db:
        sql(db, "update tags set value = 'pass' where key = 'assess.verdict' and run_uuid in (?, ?)",
            review.info.run_id, assessment.info.run_id)
        code, out = verify(capsys)
    assert code == 1
    assert f"run row_count ({assessment.info.run_id}): tag assess.verdict is 'pass' in the store, 'fail' in the manifest" in out
    assert f"review {review_id} ({review.info.run_id}): tag assess.verdict is 'pass' in the store, 'fail' in the manifest" in out


def test_an_edited_model_version_verdict_is_named_and_the_gate_fails_closed(store, capsys):
    project, client, _ = store
    review, _ = latest(client)
    review_id = review.data.tags[tracking.TAG_REVIEW_ID]
    with tampered(project) as db:
        sql(db, "update model_version_tags set value = 'pass' where key = 'assess.last_review_verdict'")
        code, out = verify(capsys)
        capsys.readouterr()
        gate = main(GATE)
        gate_out = capsys.readouterr().out
    assert code == 1
    assert (f"model tiny-model version 1: tag assess.last_review_verdict is 'pass' in the registry, 'fail' in review "
            f"{review_id}'s manifest") in out
    assert gate == 1
    assert gate_out.startswith(f"BLOCKED: tiny-model version 1: the evidence of review {review_id} of ")
    assert "does not verify (model tiny-model version 1: tag assess.last_review_verdict is 'pass' in the registry" in gate_out


def test_a_model_version_pointed_at_an_older_review_is_named(store, capsys):
    project, client, _ = store
    newest, older = review_runs(client, "s")[0], review_runs(client, "s")[1]
    with tampered(project) as db:  # every tag copied from the older review: consistent with its manifest
        manifest = json.loads(artifact_file(project, older.info.run_id, REVIEW_MANIFEST_PATH).read_text(encoding="utf-8"))
        for key, value in manifest["registered_models"][0]["tags"].items():
            sql(db, "update model_version_tags set value = ? where key = ?", value, key)
        code, out = verify(capsys)
    assert code == 1
    assert (f"model tiny-model version 1: its tags name review run {older.info.run_id}, but the latest review that "
            f"tagged it is {newest.data.tags[tracking.TAG_REVIEW_ID]} ({newest.info.run_id})") in out


def test_a_rendered_report_edited_from_fail_to_pass_is_named(store, capsys):
    project, client, _ = store
    review, _ = latest(client)
    relative = f"s/{review.data.tags[tracking.TAG_REVIEW_ID]}/row_count.auditor.html"
    report = project / "reports" / relative
    with tampered(project):
        text = report.read_text(encoding="utf-8")
        assert "FAIL" in text
        report.write_text(text.replace("FAIL", "PASS"), encoding="utf-8")
        code, out = verify(capsys)
        elsewhere = main(["verify", "--chain", "s", "--reports", str(project / "nowhere")])
    assert code == 1
    assert f"reports/{relative} changed since the review" in out
    assert elsewhere == 0  # without the reports folder, a note; the runs' own copies are still checked
    assert "rendered reports not checked" in capsys.readouterr().out


@pytest.mark.parametrize("path", ["evidence/checks.json", MANIFEST_PATH])
def test_an_evidence_file_that_no_longer_parses_is_named_not_a_crash(store, capsys, path):
    project, client, _ = store
    _, assessment = latest(client)
    with tampered(project):
        target = artifact_file(project, assessment.info.run_id, path)
        target.write_bytes(target.read_bytes()[:-1] + b"\xff")
        code, out = verify(capsys)
    assert code == 1
    if path == MANIFEST_PATH:
        assert f"{assessment.info.run_id}: {path} is not valid JSON any more (edited after the review)" in out
    else:
        assert f"{assessment.info.run_id}: {path}: content differs from the manifest (row_count)" in out


def rewrite_latest_review_as_pass(project: Path, client, db: Path) -> None:
    """A forger's consistent rewrite of the newest review: every artifact, manifest, hash, record and tag says PASS.

    The signature stays as it was: a new one needs the private key.
    """
    review, assessment = latest(client)
    checks_file = artifact_file(project, assessment.info.run_id, "evidence/checks.json")
    checks = json.loads(checks_file.read_text(encoding="utf-8"))
    checks["verdict"] = "pass"
    for check in checks["checks"]:
        check["status"] = "pass"
    checks_file.write_text(json.dumps(checks), encoding="utf-8")
    manifest_file = artifact_file(project, assessment.info.run_id, MANIFEST_PATH)
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["outputs"]["evidence/checks.json"] = sha256_file(checks_file)
    manifest["verdict"] = manifest["record"]["tags"]["assess.verdict"] = "pass"
    manifest["checks"] = checks["checks"]
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    review_file = artifact_file(project, review.info.run_id, REVIEW_MANIFEST_PATH)
    outer = json.loads(review_file.read_text(encoding="utf-8"))
    entry = outer["assessments"]["row_count"]
    entry["verdict"], entry["manifest_sha256"] = "pass", sha256_json(manifest)
    outer["verdict"] = outer["record"]["tags"]["assess.verdict"] = "pass"
    outer["registered_models"][0]["tags"]["assess.last_review_verdict"] = "pass"
    review_file.write_text(json.dumps(outer), encoding="utf-8")
    sql(db, "update tags set value = 'pass' where key = 'assess.verdict' and run_uuid in (?, ?)",
        review.info.run_id, assessment.info.run_id)
    sql(db, "update model_version_tags set value = 'pass' where key = 'assess.last_review_verdict'")


def test_a_consistent_rewrite_of_the_latest_review_needs_a_key_or_the_log(store, capsys, monkeypatch):
    project, client, public = store
    review, _ = latest(client)
    review_id = review.data.tags[tracking.TAG_REVIEW_ID]
    with tampered(project) as db:
        rewrite_latest_review_as_pass(project, client, db)
        # Documented: an unsigned chain cannot show a consistent rewrite of its head, and the gate is fooled.
        assert verify(capsys) == (0, "OK: 4 run(s) checked, 0 problem(s)\n")
        assert main(GATE) == 0
        code, out = verify(capsys, "--log", "evidence.log")
        assert code == 1
        assert (f"review {review_id} ({review.info.run_id}): its review manifest differs from the one evidence.log "
                "recorded at ") in out
        monkeypatch.setenv("ASSESS_VERIFY_KEY_FILE", str(public))
        code, out = verify(capsys)
        assert code == 1
        assert f"{review.info.run_id}: the review manifest's Ed25519 signature does not verify" in out
        capsys.readouterr()
        assert main(GATE) == 1
        assert "the review manifest's Ed25519 signature does not verify" in capsys.readouterr().out


def test_a_deleted_latest_review_is_found_only_with_the_log(store, capsys, monkeypatch):
    project, client, public = store
    review, older = review_runs(client, "s")[0], review_runs(client, "s")[1]
    monkeypatch.setenv("ASSESS_VERIFY_KEY_FILE", str(public))
    with tampered(project) as db:
        sql(db, "update runs set lifecycle_stage = 'deleted' where run_uuid = ?", review.info.run_id)
        manifest = json.loads(artifact_file(project, older.info.run_id, REVIEW_MANIFEST_PATH).read_text(encoding="utf-8"))
        for key, value in manifest["registered_models"][0]["tags"].items():  # and the model's tags set back
            sql(db, "update model_version_tags set value = ? where key = ?", value, key)
        assert verify(capsys) == (0, "OK: 2 run(s) checked, 0 problem(s)\n")  # the review before it is a valid head
        code, out = verify(capsys, "--log", "evidence.log")
    assert code == 1
    assert f"records review {review.data.tags[tracking.TAG_REVIEW_ID]} ({review.info.run_id}), which the store no longer holds" in out


def test_an_edited_evidence_log_line_is_named(store, capsys):
    project, client, _ = store
    with tampered(project):
        lines = (project / "evidence.log").read_text(encoding="utf-8").splitlines()
        first = json.loads(lines[0])
        first["verdict"] = "pass"
        lines[0] = json.dumps(first, sort_keys=True, separators=(",", ":"))
        (project / "evidence.log").write_text("\n".join(lines) + "\n", encoding="utf-8")
        code, out = verify(capsys, "--log", "evidence.log")
    assert code == 1
    assert "evidence.log line 2: the line before it was edited or deleted" in out


def test_an_old_schema_manifest_still_verifies_with_a_note(store, capsys):
    project, client, _ = store
    review, assessment = latest(client)
    with tampered(project):
        manifest_file = artifact_file(project, assessment.info.run_id, MANIFEST_PATH)
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        for key in ("record", "checks"):
            del manifest[key]
        manifest["schema"] = 1
        manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
        review_file = artifact_file(project, review.info.run_id, REVIEW_MANIFEST_PATH)
        outer = json.loads(review_file.read_text(encoding="utf-8"))
        for key in ("record", "registered_models", "reports"):
            del outer[key]
        outer["schema"] = 1
        outer["assessments"]["row_count"]["manifest_sha256"] = sha256_json(manifest)
        review_file.write_text(json.dumps(outer), encoding="utf-8")
        code, out = verify(capsys)
    assert code == 0, out
    assert (f"note: {assessment.info.run_id}: manifest schema 1: its metrics, parameters, tags and checks were not "
            "recorded, so only its artifacts were checked (row_count)") in out
    assert "review manifest schema 1: its tags, model version tags and rendered reports were not recorded" in out


def rezip(bundle: Path, edit) -> Path:
    """A copy of ``bundle`` with ``edit(folder)`` applied to its unpacked files."""
    folder = bundle.parent / "unpacked"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(folder)
    edit(folder)
    edited = bundle.parent / f"edited-{bundle.name}"
    with zipfile.ZipFile(edited, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    shutil.rmtree(folder)
    return edited


def test_an_exported_bundle_verifies_with_no_store_and_names_an_edited_file(store, tmp_path, monkeypatch, capsys):
    project, client, public = store
    copy = tmp_path / "project"
    shutil.copytree(project, copy)
    monkeypatch.chdir(copy)
    capsys.readouterr()
    assert main(["export", "s", "--out", "bundle.zip"]) == 0
    assert "exported review " in capsys.readouterr().out
    fresh = tmp_path / "auditor"
    fresh.mkdir()
    shutil.copy(copy / "bundle.zip", fresh / "bundle.zip")
    shutil.rmtree(copy)
    monkeypatch.chdir(fresh)
    bundle = fresh / "bundle.zip"
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        summary = json.loads(archive.read("summary.json"))
    assert all(not name.startswith("/") and ".." not in name for name in names)
    assert summary["verdict"] == "fail" and summary["assessments"][0]["checks"][0]["status"] == "fail"
    assert any(name.endswith("evidence/checks.json") for name in names)
    assert any(name.startswith("reports/s/") and name.endswith(".auditor.html") for name in names)
    with zipfile.ZipFile(bundle) as archive:  # manifests name inputs relative to the plan's folder
        manifests = [archive.read(name).decode("utf-8") for name in names if name.endswith("manifest.json")]
    assert len(manifests) == 2 and not any(str(project) in text for text in manifests)

    assert main(["verify", "--bundle", "bundle.zip", "--key", str(public)]) == 0
    assert capsys.readouterr().out.endswith("OK: 2 run(s) checked, 0 problem(s)\n")
    assert "ASSESS_VERIFY_KEY_FILE" not in os.environ  # --key holds for that command, not for the process
    assert not (fresh / "mlruns").exists()

    def forge_checks(folder):
        checks_file = next(folder.glob("runs/*/artifacts/evidence/checks.json"))
        checks = json.loads(checks_file.read_text(encoding="utf-8"))
        checks["checks"][0]["status"] = "pass"
        checks_file.write_text(json.dumps(checks), encoding="utf-8")

    assert main(["verify", "--bundle", str(rezip(bundle, forge_checks))]) == 1
    out = capsys.readouterr().out
    assert "evidence/checks.json: content differs from the manifest (row_count)" in out
    assert "check rows has status 'pass' in checks.json, 'fail' in the manifest" in out

    def forge_summary(folder):
        summary_file = folder / "summary.json"
        forged = json.loads(summary_file.read_text(encoding="utf-8"))
        forged["verdict"] = "pass"
        summary_file.write_text(json.dumps(forged), encoding="utf-8")

    assert main(["verify", "--bundle", str(rezip(bundle, forge_summary))]) == 1
    assert "summary.json: verdict differs from what the manifests record" in capsys.readouterr().out


def test_a_bundle_that_is_not_a_bundle_is_one_line_exit_2(tmp_path, capsys):
    junk = tmp_path / "bundle.zip"
    junk.write_text("not a zip")
    assert main(["verify", "--bundle", str(junk)]) == 2
    assert capsys.readouterr().err.startswith(f"error: {junk} is not a readable zip")
