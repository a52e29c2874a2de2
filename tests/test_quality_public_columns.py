"""Columns a contract declares `personal: false`: their values stay readable in GX results, except
a value in which the PII scanner finds an identifier; every other column stays masked."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from assess.errors import InputError
from assess.quality.contract import load_contract, parse_contract
from assess.quality.redact import is_public, mask_result, mask_suite_result_dict

PHONE = "13812345678"
ROOT = Path(__file__).resolve().parents[1]

CONTRACT = """
version: 1
dataset: tiny
rows: {min: 2, max: 100}
columns:
  id: {type: string, nullable: false, unique: true, regex: '^u\\d{3}$'}
  text: {type: string, nullable: false, max_length: 50}
  label: {type: string, nullable: false, values: [billing, refund], personal: false}
  lang: {type: string, values: [zh, en], personal: true}
"""


def test_personal_defaults_to_true_and_accepts_false():
    contract = parse_contract(CONTRACT)
    assert contract.columns["label"].personal is False
    assert contract.columns["lang"].personal is True
    assert contract.columns["id"].personal is True  # not declared: personal
    assert contract.public_columns == frozenset({"label"})


@pytest.mark.parametrize("value", ['"false"', "0", "maybe", "[false]"])
def test_personal_must_be_a_boolean(value):
    text = CONTRACT.replace("personal: false}", f"personal: {value}}}")
    with pytest.raises(InputError) as err:
        parse_contract(text, source="contracts/tiny.yaml")
    message = str(err.value)
    assert "\n" not in message
    assert "contracts/tiny.yaml" in message and "columns.label.personal" in message
    assert "true or false" in message and "fix the contract" in message


def test_demo_contract_declares_label_and_lang_public():
    assert load_contract(ROOT / "contracts" / "intents.yaml").public_columns == frozenset({"label", "lang"})


def test_is_public_needs_every_named_column_public():
    public = {"label", "lang"}
    assert is_public({"column": "label"}, public)
    assert not is_public({"column": "text"}, public)
    assert is_public({"column_list": ["label", "lang"]}, public)
    assert not is_public({"column_list": ["label", "text"]}, public)
    assert is_public({"column_A": "label", "column_B": "lang"}, public)
    assert not is_public({"column_A": "label", "column_B": "id"}, public)
    assert not is_public({}, public)                  # a table expectation names no column
    assert not is_public({"column": "label"}, ())


RESULT = {
    "element_count": 10, "unexpected_count": 3, "unexpected_percent": 30.0,
    "partial_unexpected_list": ["refunds", PHONE, f"call {PHONE}"],
    "partial_unexpected_counts": [{"value": "refunds", "count": 2}, {"value": PHONE, "count": 1}],
    "partial_unexpected_index_list": [{"id": "u001", "label": "refunds"}, 4],
    "unexpected_index_query": "df.filter(items=['refunds'])",
    "observed_value": "refunds",
    "details": {"value_counts": [{"value": "refunds", "count": 2}, {"value": PHONE, "count": 1}]},
}


def test_mask_result_keeps_public_values_and_masks_identifiers_in_them():
    masked = mask_result("expect_column_values_to_be_in_set", RESULT, {"column": "label"}, {"label"})
    assert masked["partial_unexpected_list"][0] == "refunds"
    assert masked["partial_unexpected_counts"][0] == {"value": "refunds", "count": 2}
    assert masked["observed_value"] == "refunds"
    assert masked["details"]["value_counts"][0] == {"value": "refunds", "count": 2}
    # a phone number typed into the label column is still masked, alone or inside text
    assert PHONE not in json.dumps(masked)
    assert masked["partial_unexpected_list"][1] == "*" * len(PHONE)
    assert masked["partial_unexpected_counts"][1]["count"] == 1
    # row lists may carry other columns (the id): masked as before
    assert masked["partial_unexpected_index_list"][0] == {"id": "****", "label": "*******"}
    assert masked["partial_unexpected_index_list"][1] == 4
    assert "refunds" not in masked["unexpected_index_query"]
    assert masked["unexpected_count"] == 3


def test_mask_result_masks_other_columns_as_before():
    for kwargs, public in [({"column": "text"}, {"label"}), ({"column": "label"}, ()), (None, {"label"}),
                           ({"column_list": ["label", "text"]}, {"label"})]:
        masked = mask_result("expect_column_values_to_be_in_set", RESULT, kwargs, public)
        assert masked == mask_result("expect_column_values_to_be_in_set", RESULT)
        assert "refunds" not in json.dumps(masked) and PHONE not in json.dumps(masked)


def test_mask_suite_result_dict_reads_the_columns_from_the_kwargs():
    suite = {"results": [
        {"expectation_config": {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "label"}},
         "result": {"partial_unexpected_list": ["refunds", PHONE]}},
        {"expectation_config": {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "lang"}},
         "result": {"partial_unexpected_list": ["fr"]}},
    ]}
    masked = mask_suite_result_dict(suite, public_columns={"label"})
    assert masked["results"][0]["result"]["partial_unexpected_list"] == ["refunds", "*" * len(PHONE)]
    assert masked["results"][1]["result"]["partial_unexpected_list"] == ["**"]
    assert mask_suite_result_dict(suite)["results"][0]["result"]["partial_unexpected_list"] == ["*******", "*" * len(PHONE)]


def _frame() -> pd.DataFrame:
    rows = [{"id": f"u{i:03d}", "text": f"question {i}", "label": ("billing", "refund")[i % 2],
             "lang": ("zh", "en")[i % 2]} for i in range(20)]
    frame = pd.DataFrame(rows, dtype=str)
    frame.loc[3, "label"] = "refunds"   # an undeclared label: readable
    frame.loc[5, "label"] = PHONE       # a phone number in the public column: still masked
    frame.loc[7, "id"] = PHONE          # a phone number where an id belongs (personal): masked
    frame.loc[9, "lang"] = "fr"         # a personal column (lang is declared personal here): masked
    return frame


@pytest.fixture(scope="module")
def validated(tmp_path_factory):
    from assess.quality.compile import compile_suite
    from assess.quality.gx_run import Validation, run_validations
    from assess.quality.prepare import conform_frame

    contract = parse_contract(CONTRACT)
    suite = compile_suite(contract, name="public_columns", ml_checks=False)
    docs = tmp_path_factory.mktemp("docs_public")
    frame = conform_frame(_frame(), contract)
    results = run_validations([Validation("public_columns", frame, suite, public_columns=contract.public_columns)],
                              docs_dir=docs)
    return results["public_columns"], docs


def _result(suite_result: dict, expectation_type: str, column: str) -> dict:
    return next(r["result"] for r in suite_result["results"]
                if r["expectation_config"]["type"] == expectation_type
                and r["expectation_config"]["kwargs"].get("column") == column)


def test_gx_results_show_public_values_and_mask_personal_ones(validated):
    suite_result, _ = validated
    label = _result(suite_result, "expect_column_values_to_be_in_set", "label")
    assert label["unexpected_count"] == 2
    assert "refunds" in label["partial_unexpected_list"]
    assert {"value": "refunds", "count": 1} in label["partial_unexpected_counts"]
    assert "*" * len(PHONE) in label["partial_unexpected_list"]
    ids = _result(suite_result, "expect_column_values_to_match_regex", "id")
    assert ids["unexpected_count"] == 1 and ids["partial_unexpected_list"] == ["*" * len(PHONE)]
    lang = _result(suite_result, "expect_column_values_to_be_in_set", "lang")
    assert lang["partial_unexpected_list"] == ["**"]
    dumped = json.dumps(suite_result, ensure_ascii=False)
    assert PHONE not in dumped and '"fr"' not in dumped


def test_data_docs_show_public_values_and_no_phone(validated):
    _, docs = validated
    pages = [p for p in Path(docs).rglob("*") if p.suffix in (".html", ".json", ".js")]
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in pages)
    assert "refunds" in text
    assert PHONE not in text


def test_review_datasets_passes_the_contracts_public_columns():
    from assess.quality.prepare import Roles
    from assess.quality.review import DatasetInput, review_datasets

    contract = parse_contract(CONTRACT)
    review = review_datasets([DatasetInput("train", _frame(), contract, Roles.resolve(contract))])
    label = _result(review.results["train"], "expect_column_values_to_be_in_set", "label")
    assert "refunds" in label["partial_unexpected_list"]
    assert PHONE not in json.dumps(review.results, ensure_ascii=False)
    assert "refunds" in review.failed("train")["sample"].str.cat(sep=" ")
