"""``assess pii scan|redact``: summary and findings without raw values; one-line errors, exit 2."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from assess.cli import main

RAW = ["11010519491231002X", "13812345678", "zhang.wei88@qq.com", "6222021234567890128", "王小明"]


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSESS_HASH_KEY", "cli-test-key")
    frame = pd.DataFrame({
        "id": ["a", "b", "c", "d"],
        "text": [f"我叫{RAW[4]}，身份证{RAW[0]}", f"手机{RAW[1]}，邮箱{RAW[2]}", "没有个人信息", f"卡号{RAW[3]}，患有糖尿病"],
    })
    path = tmp_path / "data.csv"
    frame.to_csv(path, index=False)
    return path


def test_scan_prints_a_summary_and_writes_findings(data, tmp_path, capsys):
    out = tmp_path / "findings.jsonl"
    code = main(["pii", "scan", str(data), "--column", "text", "--id-column", "id", "--out", str(out), "--processes", "1"])
    printed = capsys.readouterr()
    assert code == 0
    assert "CN_RESIDENT_ID" in printed.out and "records with personal information: 3 of 4" in printed.out
    findings = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {f["type"] for f in findings} >= {"CN_RESIDENT_ID", "CN_MOBILE", "EMAIL_ADDRESS", "CN_BANK_CARD", "PERSON"}
    assert all({"row", "column", "type", "start", "end", "masked"} <= set(f) for f in findings)
    assert {f["record_id"] for f in findings} == {"a", "b", "d"}
    everything = printed.out + printed.err + out.read_text(encoding="utf-8")
    assert not [value for value in RAW if value in everything]


def test_redact_writes_a_copy_without_raw_values(data, tmp_path, capsys):
    out = tmp_path / "redacted.csv"
    code = main(["pii", "redact", str(data), "--out", str(out), "--mode", "hash", "--id-column", "id", "--processes", "2"])
    printed = capsys.readouterr()
    assert code == 0 and "5 identifiers replaced" in printed.out
    content = out.read_text(encoding="utf-8")
    assert not [value for value in RAW if value in content + printed.out + printed.err]
    assert "<CN_RESIDENT_ID:" in content and "患有糖尿病" in content


@pytest.mark.parametrize("argv,message", [
    (["--column", "body"], "column 'body' is not in the file"),
    (["--id-column", "uid"], "id column 'uid' is not in the file"),
    (["--min-confidence", "2"], "--min-confidence must be between 0 and 1"),
    (["--type", "CN_ID"], "unknown PII type 'CN_ID'"),
])
def test_bad_arguments_exit_2_with_one_line(data, capsys, argv, message):
    code = main(["pii", "scan", str(data), "--processes", "1", *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and message in err and err.count("\n") == 1
    assert not [value for value in RAW if value in err]


def test_missing_file_and_bare_command(tmp_path, capsys):
    assert main(["pii", "scan", str(tmp_path / "nope.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["pii"]) == 2
    assert "scan" in capsys.readouterr().out
