"""Periodic review on a tiny project: due dates, registry verdicts and the gate, the evidence chain,
signatures and the review index. Real MLflow store, real papermill runs."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote, urlparse
from datetime import datetime, timedelta, timezone

import pytest

from assess import tracking
from assess.cli import main
from assess.manifest import REVIEW_MANIFEST_PATH, REVIEW_SIGNATURE_PATH
from assess.reports import review_runs
from conftest import CHROMIUM, CHROMIUM_ARGS, register_tiny_model

MODEL_PLAN_LINES = "    models:\n      m: models:/tiny-model/latest\n"


@pytest.fixture(scope="module")
def two_reviews(tmp_path_factory):
    """Two reviews of a tiny subject with a registered model, signed: the first errors, the second passes."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    from conftest import make_tiny_project

    project = make_tiny_project(tmp_path_factory.mktemp("periodic"))
    plan = project / "review.yaml"
    plan.write_text(plan.read_text().replace("    datasets:\n", MODEL_PLAN_LINES + "    datasets:\n"))
    key = project / "signing.pem"
    key.write_bytes(Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    patch = pytest.MonkeyPatch()
    patch.setenv("ASSESS_SIGNING_KEY_FILE", str(key))
    patch.chdir(project)
    register_tiny_model(project)
    assert main(["due", str(plan)]) == 3  # never reviewed
    uri = tracking.embedded_uri(project)
    assert main(["run", str(plan)]) == 2
    gate_after_error = main(["gate", "models:/tiny-model/latest", "--tracking-uri", uri])
    assert main(["run", str(plan), "--only", "row_count"]) == 0
    yield project, tracking.client_for(uri), gate_after_error
    patch.undo()


def test_due_lists_last_review_and_next_due(two_reviews, capsys):
    project, client, _ = two_reviews
    capsys.readouterr()
    assert main(["due", str(project / "review.yaml")]) == 0
    out = capsys.readouterr().out
    today = datetime.now(timezone.utc)
    assert f"row_count                 30d  {today:%Y-%m-%d}  pass     {today + timedelta(days=30):%Y-%m-%d}  ok" in out


def test_run_due_runs_nothing_when_nothing_is_due(two_reviews, capfd):
    project, client, _ = two_reviews
    before = len(review_runs(client, "s"))
    assert main(["run", str(project / "review.yaml"), "--due"]) == 0
    # Progress goes to file descriptor 2 (the console captures sys.stderr while a review runs).
    assert "s: nothing is due" in capfd.readouterr().err
    assert len(review_runs(client, "s")) == before


def test_gate_reads_the_model_versions_review_tags(two_reviews, capsys):
    from assess.gate import EXIT_OVERDUE, TAG_REVIEW_VERDICT, decide

    project, client, gate_after_error = two_reviews
    assert gate_after_error == 1
    version = client.get_model_version("tiny-model", "1")
    assert version.tags[TAG_REVIEW_VERDICT] == "pass"
    capsys.readouterr()
    assert main(["gate", "models:/tiny-model/latest", "--tracking-uri", client.tracking_uri]) == 0
    assert capsys.readouterr().out.startswith("OK: tiny-model version 1: review ")
    later = decide(client, "models:/tiny-model/1", now=datetime.now(timezone.utc) + timedelta(days=31))
    assert later.code == EXIT_OVERDUE and "the next review was due" in later.message


def test_index_shows_both_reviews_with_history_and_clause_matrix(two_reviews):
    project, client, _ = two_reviews
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    for review in review_runs(client, "s"):
        assert review.data.tags[tracking.TAG_REVIEW_ID] in index
    assert 'alt="history of row_count metrics" src="data:image/png;base64,' in index
    assert "<h3>Clause × evidence</h3>" in index
    # row_count's latest run passed; raises errored in the first review and never ran again.
    assert '<td data-clause="Interim Art. 7(4)" data-assessment="row_count" data-status="pass"' in index
    assert '<td data-clause="Interim Art. 7(4)" data-assessment="raises" data-status="error"' in index


def test_reviews_are_signed_and_a_changed_manifest_breaks_the_signature_and_the_chain(two_reviews, capsys):
    from assess.verify import verify_chain

    project, client, _ = two_reviews
    assert main(["verify", "--chain", "s", "--tracking-uri", client.tracking_uri]) == 0
    oldest = review_runs(client, "s")[-1]
    assert {a.path for a in client.list_artifacts(oldest.info.run_id, "evidence")} >= {REVIEW_MANIFEST_PATH, REVIEW_SIGNATURE_PATH}
    stored = next((project / "mlruns" / "artifacts").rglob(f"{oldest.info.run_id}/artifacts/{REVIEW_MANIFEST_PATH}"))
    original = stored.read_text(encoding="utf-8")
    manifest = json.loads(original)
    manifest["verdict"] = "pass"
    stored.write_text(json.dumps(manifest), encoding="utf-8")
    try:
        problems = verify_chain(client, "s").problems
    finally:
        stored.write_text(original, encoding="utf-8")
    assert f"{oldest.info.run_id}: the review manifest's Ed25519 signature does not verify" in problems
    assert any(p.startswith(f"{oldest.info.run_id}: review manifest altered since review") for p in problems)


def test_with_a_verify_key_a_deleted_signature_fails_and_a_broken_key_is_exit_2(two_reviews, tmp_path, monkeypatch):
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_private_key

    project, client, _ = two_reviews
    private = load_pem_private_key((project / "signing.pem").read_bytes(), password=None)
    public = tmp_path / "verify.pem"
    public.write_bytes(private.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo))
    monkeypatch.delenv("ASSESS_SIGNING_KEY_FILE", raising=False)  # an auditor holds only the public key
    monkeypatch.setenv("ASSESS_VERIFY_KEY_FILE", str(public))
    latest = review_runs(client, "s")[0]
    chain = ["verify", "--chain", "s", "--tracking-uri", client.tracking_uri]
    assert main(chain) == 0
    signature = next((project / "mlruns" / "artifacts").rglob(f"{latest.info.run_id}/artifacts/{REVIEW_SIGNATURE_PATH}"))
    kept = signature.read_bytes()
    signature.unlink()
    try:
        assert main(["verify", latest.info.run_id, "--tracking-uri", client.tracking_uri]) == 1
        assert main(chain) == 1
        monkeypatch.delenv("ASSESS_VERIFY_KEY_FILE")
        assert main(chain) == 0  # without a key an unsigned review is not a failure: the key is what requires it
    finally:
        signature.write_bytes(kept)
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a key")
    monkeypatch.setenv("ASSESS_VERIFY_KEY_FILE", str(garbage))
    assert main(chain) == 2


def test_index_renders_in_headless_chromium_with_working_links_and_no_console_errors(two_reviews):
    from playwright.sync_api import sync_playwright

    project, client, _ = two_reviews
    index = project / "reports" / "index.html"
    errors = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("requestfailed", lambda request: errors.append(f"failed request {request.url}"))
        page.goto(index.as_uri())
        assert page.locator("h1").inner_text() == "Review index"
        assert page.locator("img[alt='history of row_count metrics']").evaluate("img => img.naturalWidth") > 0
        hrefs = page.locator("a").evaluate_all("links => links.map(a => a.href)")
        assert len(hrefs) >= 6
        for href in hrefs:
            assert href.startswith("file://")
            target = Path(unquote(urlparse(href).path))
            assert target.is_file(), href
            if target.suffix == ".html":
                page.goto(href)
                assert page.title().startswith("Test "), href
        browser.close()
    assert errors == []


def test_deleting_a_reviews_artifacts_breaks_the_chain(two_reviews, capsys):
    import shutil

    project, client, _ = two_reviews
    oldest = review_runs(client, "s")[-1]
    shutil.rmtree(next((project / "mlruns" / "artifacts").glob(oldest.info.run_id)))
    capsys.readouterr()
    assert main(["verify", "--chain", "s", "--tracking-uri", client.tracking_uri]) == 1
    assert f"{oldest.info.run_id}: {REVIEW_MANIFEST_PATH} is missing" in capsys.readouterr().out


def test_read_only_commands_leave_no_store_behind_where_nothing_was_reviewed(tmp_path, monkeypatch, capsys):
    from conftest import make_tiny_project

    project = make_tiny_project(tmp_path)
    monkeypatch.chdir(project)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    assert not (project / "mlruns").exists()
    assert main(["due", "review.yaml"]) == 3
    out = capsys.readouterr().out
    assert "nothing reviewed yet: no evidence store at" in out and "NEVER REVIEWED" in out
    assert main(["verify", "--chain", "s"]) == 2
    assert main(["gate", "models:/tiny-model/latest"]) == 2
    err = capsys.readouterr().err
    assert err.count("no evidence store at") == 2 and "run `assess run` first" in err
    assert not (project / "mlruns").exists()
