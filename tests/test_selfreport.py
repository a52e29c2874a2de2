"""`assess report`: the self-assessment report of a real review, written as docx and PDF and read back.

Two real reviews (papermill, the real pii_training_data notebook on data with planted identifiers,
a registered sklearn model, a signing key) into a tmp store; the reports are read back with
python-docx and pypdf and compared with what the store holds.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from assess import tracking
from assess.cli import main
from assess.manifest import REVIEW_MANIFEST_PATH, load_json_artifact, sha256_file, sha256_json
from assess.reports import assessment_runs, review_runs
from conftest import REPO

PLAN = """version: 1
notebooks_dir: notebooks
subjects:
  s:
    models:
      m: {uri: "models:/tiny-model/latest", kind: sklearn}
    datasets:
      train: {path: data.csv, id_column: id, text_column: text, label_column: label}
    assessments:
      row_count: {every: 30d, min_rows: 2}
      pii_training_data: {every: 90d, datasets: [train]}
"""
RECORDS = 40


def resident_id(body: str) -> str:
    """A PRC resident id with a valid check digit (GB 11643) from its first 17 digits."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def planted_data(path: Path) -> set[str]:
    """Write a small training set with phone numbers, resident ids and health flags; return the identifiers."""
    rng = random.Random(15)
    planted, rows = set(), ["id,text,label"]
    for i in range(RECORDS):
        phone = f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}"
        person = resident_id(f"110105{rng.randrange(1960, 2000)}0{rng.randrange(1, 10)}1{rng.randrange(0, 9)}{rng.randrange(100, 999)}")
        text = [f"请联系我 电话 {phone} 谢谢", f"身份证号 {person} 已登记", f"我有糖尿病 电话 {phone}", f"hello world {i}"][i % 4]
        planted.update(v for v in (phone, person) if v in text)
        rows.append(f"{i},{text},{'ab'[i % 2]}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return planted


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """(project, client, planted identifiers, first review run, second review run)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    from notebook_factory import write_notebook
    from test_periodic import register_tiny_model

    project = tmp_path_factory.mktemp("selfreport")
    write_notebook(project / "notebooks", "row_count", parameters={
        "min_rows": {"type": "integer", "min": 0, "default": 2, "basis": "policy", "help": "fewest rows"}})
    shutil.copy(REPO / "notebooks" / "pii_training_data.ipynb", project / "notebooks")
    planted = planted_data(project / "data.csv")
    (project / "review.yaml").write_text(PLAN, encoding="utf-8")
    key = project / "signing.pem"
    key.write_bytes(Ed25519PrivateKey.generate().private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    patch = pytest.MonkeyPatch()
    patch.setenv("ASSESS_SIGNING_KEY_FILE", str(key))
    patch.setenv("ASSESS_HASH_KEY", "selfreport-test-key")
    patch.chdir(project)
    register_tiny_model(project)
    assert main(["run", "review.yaml"]) == 1  # the planted personal data fails pii_training_data
    assert main(["run", "review.yaml", "--only", "row_count"]) == 0
    client = tracking.client_for(tracking.embedded_uri(project))
    second, first = review_runs(client, "s")
    yield project, client, planted, first, second
    patch.undo()


def docx_text(path: Path) -> str:
    from docx import Document

    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def docx_rows(path: Path) -> list[tuple[str, ...]]:
    from docx import Document

    return [tuple(cell.text for cell in row.cells) for table in Document(str(path)).tables for row in table.rows]


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def stored_checks(client, review_run) -> dict:
    """``checks.json`` of each assessment run of a review, read straight from the store."""
    return {run.data.tags[tracking.TAG_ASSESSMENT]: load_json_artifact(client, run.info.run_id, "evidence/checks.json")
            for run in assessment_runs(client, review_run)}


def assert_no_planted_identifier(text: str, planted: set[str]) -> None:
    squeezed = "".join(text.split())  # a value broken across lines is still a leak
    assert planted and [value[:4] for value in planted if value in squeezed] == []


def test_docx_report_holds_the_reviews_evidence_and_no_personal_data(reviewed, tmp_path, capsys):
    from assess.selfreport.layout import shown

    project, client, planted, first, _ = reviewed
    review_id = first.data.tags[tracking.TAG_REVIEW_ID]
    out = tmp_path / "report.docx"
    assert main(["report", review_id, "--format", "docx", "--out", str(out), "--tracking-uri", client.tracking_uri]) == 0
    assert f"review {review_id} of s (FAIL" in capsys.readouterr().out
    text = docx_text(out)
    assert "算法安全自评估报告" in text and "一、评估对象 1. Subject" in text and "七、签署 7. Sign-off" in text
    assert "总体结论 Overall verdict" in text and "不通过 FAIL" in text
    # Each assessment's clauses with the catalogue's titles (assess/clauses.yaml).
    assert "PIPL Art. 29 (处理敏感个人信息须取得单独同意 / Separate consent for sensitive personal information)" in text
    checks = stored_checks(client, first)
    assert set(checks) == {"row_count", "pii_training_data"}
    for name, document in checks.items():
        assert f"({name})" in text
        for check in document["checks"]:
            assert check["name"] in text and check["clause"] in text
    share = next(c for c in checks["pii_training_data"]["checks"] if c["name"] == "train: share of records with PI")
    rows = docx_rows(out)
    assert (share["name"], shown(share["value"]), f"<= {shown(share['threshold'])}", "内部策略 policy", share["clause"],
            "不通过 FAIL") in rows
    for name, document in checks.items():  # the overview: each assessment's verdict and its open checks
        verdict = {"pass": "通过 PASS", "fail": "不通过 FAIL"}[document["verdict"]]
        still_open = sum(c["status"] in ("fail", "warn", "pending") for c in document["checks"])
        assert any(r[0].endswith(f"({name})") and r[1:] == (verdict, str(still_open)) for r in rows)
    # row_count's check: the number of records written, against the plan's min_rows.
    assert ("rows", f"{RECORDS}", ">= 2", "内部策略 policy", "Interim Art. 7(4)", "通过 PASS") in rows
    assert ("pii_training_data", share["name"], shown(share["value"]), f"<= {shown(share['threshold'])}", "内部策略 policy",
            share["clause"], "不通过 FAIL") in rows  # and among the open findings
    manifest = load_json_artifact(client, first.info.run_id, REVIEW_MANIFEST_PATH)
    assert sha256_json(manifest) in text
    assert sha256_file(project / "data.csv") in text and "data.csv" in text
    assert "models:/tiny-model/latest" in text and "sklearn" in text
    assert "签名 Signature" in text and "signed, signature valid (Ed25519)" in text
    assert "every artifact matches its manifest; runs re-hashed (3)" in text  # the review and its two assessments
    assert "编制人 Prepared by: ____" in text and "审核人 Reviewed by: ____" in text
    assert_no_planted_identifier(text, planted)


def test_pdf_report_shows_chinese_with_an_embedded_cjk_font_and_no_personal_data(reviewed, tmp_path):
    from pypdf import PdfReader

    project, client, planted, first, _ = reviewed
    out = tmp_path / "report.pdf"
    review_id = first.data.tags[tracking.TAG_REVIEW_ID]
    assert main(["report", review_id, "--format", "pdf", "--out", str(out), "--tracking-uri", client.tracking_uri]) == 0
    text = pdf_text(out)
    squeezed = "".join(text.split())
    for phrase in ("算法安全自评估报告", "一、评估对象", "五、待处理问题", "不通过FAIL", "row_count", "pii_training_data",
                   "待人工复核PENDING"):
        assert phrase in squeezed
    checks = stored_checks(client, first)["pii_training_data"]["checks"]
    assert any(c["status"] == "pending" for c in checks)
    fonts = {str(font["/BaseFont"]) for page in PdfReader(str(out)).pages
             for font in page["/Resources"]["/Font"].values() for font in [font.get_object()]}
    assert any("WenQuanYi" in f or "CJK" in f for f in fonts), fonts
    assert_no_planted_identifier(text, planted)


def test_one_language_and_a_subject_meaning_its_latest_review(reviewed, tmp_path):
    project, client, planted, first, second = reviewed
    out = tmp_path / "en.pdf"
    assert main(["report", "s", "--format", "pdf", "--lang", "en", "--out", str(out), "--tracking-uri", client.tracking_uri]) == 0
    text = pdf_text(out)
    assert second.data.tags[tracking.TAG_REVIEW_ID] in text and "1. Subject" in text and "PASS" in text
    assert not re.search(r"[\u4e00-\u9fff]", text.replace("算法安全自评估报告", ""))  # nothing but English
    assert "pii_training_data" not in text  # the latest review ran row_count only
    # Its place in the chain: second of two, linked to the first review's manifest.
    assert "2 / 2" in text and first.data.tags[tracking.TAG_REVIEW_ID] in text
    zh = tmp_path / "zh.docx"
    assert main(["report", "s", "--lang", "zh", "--out", str(zh), "--tracking-uri", client.tracking_uri]) == 0
    zh_text = docx_text(zh)
    assert "一、评估对象" in zh_text and "1. Subject" not in zh_text and "通过" in zh_text


def test_content_is_a_function_of_the_store_and_default_path_is_the_reviews_report_folder(reviewed, capsys):
    from assess.selfreport import gather

    project, client, planted, first, second = reviewed
    review_id = first.data.tags[tracking.TAG_REVIEW_ID]
    assert gather(client, review_id) == gather(client, review_id)
    content = gather(client, review_id)
    assert [m.version for m in content.models] == ["1"] and content.chain.position == 1 and content.signature == "valid"
    assert main(["report", review_id, "--tracking-uri", client.tracking_uri]) == 0
    assert (project / "reports" / "s" / review_id / "self_assessment.docx").is_file()


def test_evidence_that_does_not_verify_is_reported_and_exit_1(reviewed, tmp_path, capsys):
    project, client, planted, first, _ = reviewed
    pii_run = next(r for r in assessment_runs(client, first) if r.data.tags[tracking.TAG_ASSESSMENT] == "pii_training_data")
    table = next((project / "mlruns" / "artifacts").rglob(f"{pii_run.info.run_id}/artifacts/tables/pii_types.csv"))
    kept = table.read_bytes()
    table.write_bytes(kept + b"edited afterwards\n")
    out = tmp_path / "tampered.docx"
    try:
        code = main(["report", first.data.tags[tracking.TAG_REVIEW_ID], "--out", str(out), "--tracking-uri", client.tracking_uri])
    finally:
        table.write_bytes(kept)
    assert code == 1
    problem = f"{pii_run.info.run_id}: tables/pii_types.csv: content differs from the manifest (pii_training_data)"
    assert problem in capsys.readouterr().out
    assert f"evidence differs from its manifests; problems (1): {problem}" in docx_text(out)


def test_free_text_from_evidence_is_masked(reviewed):
    """A check name or an error that carries an identifier reaches the report masked."""
    from assess.selfreport import gather
    from assess.selfreport.content import mask_content

    project, client, planted, first, _ = reviewed
    content = gather(client, first.data.tags[tracking.TAG_REVIEW_ID])
    phone, person = "13912345678", resident_id("11010519850307123")
    content.assessments[0].checks[0].name = f"records like {phone}"
    content.assessments[0].error = f"KeyError: '{person}'"
    masked = mask_content(content)
    assert phone not in masked.assessments[0].checks[0].name and "139" in masked.assessments[0].checks[0].name
    assert person not in masked.assessments[0].error


def test_unknown_review_missing_store_and_list(reviewed, tmp_path, capsys):
    project, client, planted, first, second = reviewed
    assert main(["report", "20990101T000000Z-000000", "--tracking-uri", client.tracking_uri]) == 2
    error = capsys.readouterr().err.strip()
    assert error.startswith("error: 20990101T000000Z-000000 is neither a review id nor a reviewed subject in sqlite:")
    assert error.endswith("list the reviews with `assess report --list`") and "\n" not in error
    missing = tmp_path / "nowhere" / "mlflow.db"
    assert main(["report", "s", "--tracking-uri", f"sqlite:///{missing}"]) == 2
    assert f"no evidence store at {missing}: run `assess run` first" in capsys.readouterr().err
    assert not missing.parent.exists()
    assert main(["report", "s", "--out", str(tmp_path), "--tracking-uri", client.tracking_uri]) == 2
    assert f"--out {tmp_path} is a folder: give the file to write" in capsys.readouterr().err
    assert main(["report", "--list", "--tracking-uri", client.tracking_uri]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in listed] == [r.data.tags[tracking.TAG_REVIEW_ID] for r in (second, first)]
    assert listed[1].endswith("FAIL") and listed[0].endswith("PASS")


def test_no_cjk_font_is_one_line_naming_the_package(tmp_path, monkeypatch):
    from assess.errors import InputError
    from assess.selfreport.pdf_writer import cjk_font_file

    config = tmp_path / "fonts.conf"  # fontconfig with no font folders: as on a machine without fonts
    config.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                      f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>", encoding="utf-8")
    monkeypatch.setenv("FONTCONFIG_FILE", str(config))
    with pytest.raises(InputError, match=r"no font with Chinese glyphs is installed: run `sudo apt-get install fonts-wqy-microhei`"):
        cjk_font_file()
    monkeypatch.delenv("FONTCONFIG_FILE")
    assert cjk_font_file().is_file()
