"""The scanner's API: findings, keyed hashes, masking, context, scan_frame, redaction, summaries."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd
import pytest

from assess.errors import InputError
from assess.pii import FINDING_COLUMNS, finding_types, keyed_hash, redact_frame, redact_text, scan_frame, scan_text
from assess.pii.summary import (
    check_lawful_basis,
    examples,
    lawful_basis_table,
    pi_types_without_basis,
    record_summary,
    repeated_identifiers,
    sensitive_records_without_basis,
    type_table,
)

KEY = b"test-key"
ID = "11010519491231002X"
MOBILE = "13812345678"


def test_keyed_hash_is_hmac_sha256_of_the_value():
    assert keyed_hash("abc", KEY) == hmac.new(KEY, b"abc", hashlib.sha256).hexdigest()
    assert keyed_hash("abc", KEY) != keyed_hash("abc", b"other-key")
    with pytest.raises(TypeError):
        keyed_hash("abc", b"")


def test_one_number_written_two_ways_has_one_hash():
    plain, spaced = scan_text(f"手机{MOBILE}", key=KEY), scan_text("手机 +86 138 1234 5678", key=KEY)
    assert plain[0].value_hash == spaced[0].value_hash == keyed_hash(MOBILE, KEY)


def test_finding_fields_and_masking():
    finding = scan_text(f"身份证{ID}", key=KEY)[0]
    assert (finding.type, finding.start, finding.end) == ("CN_RESIDENT_ID", 3, 21)
    assert finding.masked == "1101**********002X"
    assert finding.category.startswith("identity document") and finding.sensitive
    assert 0.5 <= finding.confidence <= 1.0
    assert ID not in repr(finding) and ID not in str(finding.as_dict())


@pytest.mark.parametrize("text,masked", [
    ("手机13812345678", "138****5678"),
    ("mail john.doe@example.com", "j***@***.com"),
    ("卡号6222021234567890128", "622202*********0128"),
    ("ip 192.168.1.10", "192.168.*.*"),
    ("SSN 123-45-6789", "***-**-6789"),
    ("我叫王小明", "王**"),
    ("坐标39.904200, 116.407400", "39.9*****, 116.4*****"),
])
def test_masks_keep_little(text, masked):
    findings = [f for f in scan_text(text, key=KEY) if not f.type.startswith("SENSITIVE_")]
    assert [f.masked for f in findings] == [masked]


def test_context_raises_confidence_and_gates_weak_shapes():
    bare = scan_text("C12345678", key=KEY)
    with_context = scan_text("港澳通行证C12345678", key=KEY)
    assert bare == [] and with_context[0].type == "CN_HK_MACAU_PERMIT"
    mobile_bare, mobile_context = scan_text(MOBILE, key=KEY)[0], scan_text(f"我的手机{MOBILE}", key=KEY)[0]
    assert mobile_context.confidence > mobile_bare.confidence


def test_min_confidence_and_type_filter():
    text = f"手机{MOBILE} 身份证{ID}"
    assert {f.type for f in scan_text(text, key=KEY, types={"CN_MOBILE"})} == {"CN_MOBILE"}
    assert scan_text(text, key=KEY, min_confidence=1.01) == []
    with pytest.raises(InputError, match="unknown PII type"):
        scan_text(text, key=KEY, types={"NOT_A_TYPE"})


def test_offsets_index_the_text_with_non_bmp_characters():
    text = f"😀😀 电话{MOBILE} 𠀀 {ID}"
    assert [text[f.start:f.end] for f in scan_text(text, key=KEY)] == [MOBILE, ID]


def test_batches_split_anywhere_give_the_same_findings(monkeypatch):
    import assess.pii.engine as engine

    texts = [f"第{i}条 手机{MOBILE} 身份证{ID}" if i % 3 else "没有" for i in range(40)]
    whole = [[(f.type, f.start, f.end) for f in found] for found in engine.get_engine().scan_batch(texts, key=KEY)]
    monkeypatch.setattr(engine, "BATCH_CHARS", 50)  # a batch of one or two records
    split = [[(f.type, f.start, f.end) for f in found] for found in engine.get_engine().scan_batch(texts, key=KEY)]
    assert split == whole
    assert sum(map(len, whole)) == 2 * 26


def _frame():
    return pd.DataFrame({
        "id": ["u1", "u2", "u3", "u4"],
        "text": [f"我叫王小明，手机{MOBILE}", "nothing here", f"身份证{ID}，患有糖尿病", None],
        "phone": ["13912345678", "", "02162345678", 13712345678],
        "label": ["a", "b", "a", "b"],
    })


def test_scan_frame_columns_and_structured_values():
    result = scan_frame(_frame(), ["text", "phone"], id_column="id", key=KEY)
    assert list(result.columns) == list(FINDING_COLUMNS)
    assert set(result["record_id"]) == {"u1", "u3", "u4"}
    phone = result[result["column"] == "phone"]
    # 021 number without separators: only the column name "phone" makes it a landline.
    assert sorted(phone["type"]) == ["CN_LANDLINE", "CN_MOBILE", "CN_MOBILE"]
    assert not result["masked"].str.contains(MOBILE).any()


def test_scan_frame_defaults_to_string_columns_and_index():
    frame = _frame().set_index("id")
    result = scan_frame(frame, key=KEY)
    assert set(result["column"]) <= {"text", "phone", "label"}
    assert set(result["record_id"]) == {"u1", "u3", "u4"}


def test_scan_frame_bad_column_is_an_input_error():
    with pytest.raises(InputError, match="column 'nope' is not in the data"):
        scan_frame(_frame(), ["nope"], key=KEY)
    with pytest.raises(InputError, match="id column"):
        scan_frame(_frame(), ["text"], id_column="nope", key=KEY)


@pytest.mark.parametrize("mode,expected", [
    ("placeholder", "我叫<PERSON>，手机<CN_MOBILE>"),
    ("mask", "我叫王**，手机138****5678"),
    ("hash", f"我叫<PERSON:{keyed_hash('王小明', KEY)[:16]}>，手机<CN_MOBILE:{keyed_hash(MOBILE, KEY)[:16]}>"),
])
def test_redact_text_modes(mode, expected):
    text = f"我叫王小明，手机{MOBILE}"
    assert redact_text(text, scan_text(text, key=KEY), mode) == expected


def test_redaction_keeps_flags_and_other_columns():
    redacted = redact_frame(_frame(), mode="placeholder", key=KEY, id_column="id")
    assert redacted.loc[2, "text"] == "身份证<CN_RESIDENT_ID>，患有糖尿病"
    assert redacted.loc[3, "phone"] == "<CN_MOBILE>"
    assert list(redacted["id"]) == ["u1", "u2", "u3", "u4"]
    assert pd.isna(redacted.loc[3, "text"]) and redacted.loc[1, "phone"] == ""
    with pytest.raises(InputError, match="redaction mode"):
        redact_frame(_frame(), mode="erase", key=KEY)


def test_summaries_count_records_and_people():
    frame = pd.DataFrame({"id": [f"r{i}" for i in range(5)],
                          "text": [f"手机{MOBILE}", f"手机{MOBILE}", f"身份证{ID}", "患有糖尿病", "统一社会信用代码91110000802100433B"]})
    findings = scan_frame(frame, ["text"], id_column="id", key=KEY)
    summary = record_summary(findings, records=len(frame))
    assert summary["records_with_pi"] == 3  # the flag alone and the company code are not personal information
    assert summary["records_with_sensitive_pi"] == 1
    assert summary["distinct_identifiers"] == 2
    table = type_table(findings, len(frame)).set_index("type")
    assert table.loc["CN_MOBILE", "records"] == 2 and table.loc["CN_MOBILE", "distinct_values"] == 1
    assert repeated_identifiers(findings).set_index("type").loc["CN_MOBILE", "values_in_2plus_records"] == 1
    shown = examples(findings)
    assert MOBILE not in shown.to_csv() and ID not in shown.to_csv()


def test_lawful_basis_evaluation():
    frame = pd.DataFrame({"id": ["a", "b", "c"],
                          "text": [f"身份证{ID}", f"手机{MOBILE}，患有糖尿病", "患有糖尿病"]})
    findings = scan_frame(frame, ["text"], id_column="id", key=KEY)
    assert sensitive_records_without_basis(findings, {}) == 2  # ID; health flag next to a mobile number
    assert sensitive_records_without_basis(findings, {"CN_RESIDENT_ID": "ledger 1"}) == 1
    assert sensitive_records_without_basis(findings, {"*": "all consented"}) == 0
    only_mobile = scan_frame(pd.DataFrame({"id": ["d"], "text": [f"手机{MOBILE}"]}), ["text"], id_column="id", key=KEY)
    assert sensitive_records_without_basis(only_mobile, {}) == 0  # personal but nothing sensitive: none, not an error
    assert pi_types_without_basis(findings, {}) == ["CN_MOBILE"]
    table = lawful_basis_table(findings, {"CN_RESIDENT_ID": "ledger 1"}).set_index("type")
    assert table.loc["CN_RESIDENT_ID", "lawful_basis"] == "ledger 1"
    with pytest.raises(InputError, match="unknown type"):
        check_lawful_basis({"CN_ID": "x"})
    with pytest.raises(InputError, match="non-empty string"):
        check_lawful_basis({"CN_RESIDENT_ID": ""})


def test_every_type_is_declared_with_category_and_sensitivity():
    types = finding_types()
    assert {"CN_RESIDENT_ID", "CN_MOBILE", "EMAIL_ADDRESS", "IBAN_CODE", "PERSON", "LOCATION"} <= set(types)
    assert all(info["category"] for info in types.values())
    assert types["CN_BANK_CARD"]["sensitive"] and not types["CN_MOBILE"]["sensitive"]
    assert not types["CN_USCC"]["identifying"]


def test_every_type_is_documented():
    from pathlib import Path

    documented = (Path(__file__).resolve().parent.parent / "docs" / "pii_types.md").read_text(encoding="utf-8")
    missing = [t for t in finding_types() if f"`{t}`" not in documented]
    assert missing == []


def test_a_local_ner_pipeline_adds_names_and_addresses():
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")  # no model weights: an entity ruler stands in for a local NER model
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Zhou Xun"}, {"label": "GPE", "pattern": "Hangzhou"}])
    text = "Zhou Xun moved to Hangzhou"
    assert [f.type for f in scan_text(text, key=KEY)] == []  # no context word: the heuristics miss both
    frame = pd.DataFrame({"text": [text]})
    found = scan_frame(frame, ["text"], key=KEY, ner=nlp)
    assert sorted(found["type"]) == ["LOCATION", "PERSON"]
    assert "Zhou Xun" not in found.to_csv() and "Hangzhou" not in found.to_csv()


def test_a_missing_ner_model_is_an_input_error_not_a_download(tmp_path):
    from assess.pii import scan_file

    path = tmp_path / "data.txt"
    path.write_text("hello\n", encoding="utf-8")
    with pytest.raises(InputError, match="not installed .*never downloaded"):
        scan_file(path, key=KEY, processes=1, ner_model="xx_no_such_model_sm")


def test_keyed_hash_is_hmac_sha256_for_keys_of_any_length():
    for key in (b"k", KEY, b"x" * 64, b"y" * 65, bytes(range(200))):
        for value in ("", "13812345678", "张三"):
            assert keyed_hash(value, key) == hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
