"""Data contracts, text helpers, profiles, masking and `assess contract suggest` (no GX run)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from assess.errors import InputError
from assess.quality.contract import load_contract, parse_contract
from assess.quality.prepare import Roles, conform_frame, helper_column, prepare_frame, split_keys
from assess.quality.profile import PSI_EPSILON, build_profile, numeric_shares, psi
from assess.quality.redact import mask_result, mask_suite_result_dict
from assess.quality.suggest import shape_regex, suggest_contract
from assess.quality.text import is_garbled, normalize_text

PHONE = "13812345678"

CONTRACT = """
version: 1
dataset: tiny
rows: {min: 2, max: 100}
columns:
  id: {type: string, nullable: false, unique: true, regex: '^u\\d{3}$'}
  text: {type: string, nullable: false, max_length: 50}
  label: {type: string, values: [a, b]}
  score: {type: number, min: 0, max: 1}
roles: {id: id, text: text, label: label}
"""


def test_contract_parses_types_and_roles():
    contract = parse_contract(CONTRACT)
    assert contract.columns["score"].type == "number"
    assert contract.columns["label"].values == ("a", "b")
    assert contract.columns["id"].unique and not contract.columns["id"].nullable
    assert (contract.min_rows, contract.max_rows) == (2, 100)
    assert Roles.resolve(contract) == Roles("id", "text", "label")
    assert Roles.resolve(contract, label_column="text").label == "text"  # the plan wins


@pytest.mark.parametrize("text, key", [
    ("columns: {x: {type: blob}}", "columns.x.type"),
    ("columns: {x: {type: string, min: 3}}", "columns.x.type"),
    ("columns: {x: {regex: '('}}", "columns.x.regex"),
    ("columns: {x: {values: []}}", "columns.x.values"),
    ("columns: {x: {colour: red}}", "columns.x.colour"),
    ("columns: {x: {}}\nrows: {min: 5, max: 1}", "rows.min"),
    ("columns: {}", "columns"),
    ("columns: {x: {}}\nroles: {label: y}", "roles.label"),
])
def test_contract_errors_name_the_key(text, key):
    with pytest.raises(InputError, match=key.replace(".", r"\.")):
        parse_contract(text, source="c.yaml")


def test_missing_contract_file_says_how_to_make_one(tmp_path):
    with pytest.raises(InputError, match="assess contract suggest"):
        load_contract(tmp_path / "nope.yaml")


def test_roles_must_be_declared_columns():
    with pytest.raises(InputError, match="label column 'lbl'"):
        Roles.resolve(parse_contract(CONTRACT), label_column="lbl")


def test_demo_contract_loads():
    from pathlib import Path

    contract = load_contract(Path(__file__).resolve().parent.parent / "contracts" / "intents.yaml")
    assert set(contract.columns["label"].values) == {"billing", "refund", "delivery", "account", "complaint", "product_info"}
    assert contract.roles == {"id": "id", "text": "text", "label": "label"}


def test_normalize_text_folds_width_case_space_and_punctuation():
    assert normalize_text("Hello,  WORLD!") == normalize_text("hello world") == "hello world"
    assert normalize_text("ＨＥＬＬＯ　ｗｏｒｌｄ。") == "hello world"
    assert normalize_text("我要退款！") == normalize_text("我要退款") != normalize_text("我要退货")


@pytest.mark.parametrize("text, garbled", [
    ("café", False), ("中文正常", False), ("naïve “quote”", False), ("Straße", False),
    ("cafÃ©", True), ("é”™è¯¯", True), ("bad \ufffd byte", True), ("锟斤拷", True), ("bell\x07", True),
])
def test_garbled_patterns(text, garbled):
    assert is_garbled(text) is garbled


def test_conform_parses_declared_types_and_keeps_unparseable_raw():
    contract = parse_contract(CONTRACT)
    frame = pd.DataFrame({"id": ["u001", "u002", "u003"], "text": ["x", "", "z"], "label": ["a", "b", "a"],
                          "score": ["0.5", "abc", ""]}, dtype=str)
    out = conform_frame(frame, contract)
    assert out["score"].tolist()[0] == 0.5 and out["score"].isna().tolist() == [False, True, True]
    assert out[helper_column("unparseable", "score")].tolist()[1] == "abc"
    assert out["text"].isna().tolist() == [False, True, False]  # "" is a missing value


def test_overlap_and_conflict_helpers():
    contract = parse_contract(CONTRACT)
    roles = Roles.resolve(contract)
    other = pd.DataFrame({"id": ["u009", "u001"], "text": ["Same TEXT!", "q"], "label": ["a", "a"], "score": ["0", "0"]})
    frame = pd.DataFrame({"id": ["u001", "u002", "u003"], "text": ["p", "same text", "Same text"],
                          "label": ["a", "a", "b"], "score": ["0", "0", "0"]})
    keys = split_keys(prepare_frame(other, contract, roles), roles)
    out = prepare_frame(frame, contract, roles, {"holdout": keys})
    assert out[helper_column("overlap_id", "id", "holdout")].notna().tolist() == [True, False, False]
    assert out[helper_column("overlap_content", "text", "holdout")].notna().tolist() == [False, True, True]
    assert out[helper_column("label_conflict", "text")].notna().tolist() == [False, True, True]


def test_psi_zero_for_same_and_large_for_shifted():
    assert psi({"a": 0.5, "b": 0.5}, {"a": 0.5, "b": 0.5}) == 0
    assert psi({"a": 0.9, "b": 0.1}, {"a": 0.1, "b": 0.9}) > 1
    assert psi([0.5, 0.5, 0.0], [0.5, 0.5, 0.0]) == pytest.approx(0.0)
    # an empty bin is floored, so the index stays finite
    assert psi({"a": 1.0}, {"a": 0.0, "b": 1.0}) == pytest.approx((1 - PSI_EPSILON) * 2 * __import__("math").log(1 / PSI_EPSILON))


def test_profile_holds_no_raw_values():
    contract = parse_contract(CONTRACT)
    frame = pd.DataFrame({"id": [f"u{i:03d}" for i in range(50)], "text": [f"call {PHONE} now {i}" for i in range(50)],
                          "label": ["a"] * 49 + [PHONE], "score": [str(0.123456 + i / 100) for i in range(50)]})
    profile = build_profile(prepare_frame(frame, contract, Roles.resolve(contract)), contract, Roles.resolve(contract))
    dumped = json.dumps(profile)
    assert PHONE not in dumped and "0.123456" not in dumped
    assert profile["columns"]["label"]["shares"]["(undeclared)"] == pytest.approx(0.02)
    assert set(profile["columns"]) == {"text.length", "label", "score"}
    assert sum(profile["columns"]["score"]["shares"]) == pytest.approx(1.0)


def test_numeric_shares_match_numpy_histogram_edges():
    shares = numeric_shares(pd.Series([0, 1, 2, 3, 4, 5]), [1.0, 3.0, 4.0])
    # below 1: {0}; [1,3): {1,2}; [3,4]: {3,4}; above 4: {5}
    assert shares == pytest.approx([1 / 6, 2 / 6, 2 / 6, 1 / 6])


def test_mask_result_masks_every_value_list_and_keeps_counts():
    result = {
        "element_count": 10, "unexpected_count": 2, "unexpected_percent": 20.0,
        "partial_unexpected_list": [f"call {PHONE} now", 13812345678],
        "partial_unexpected_counts": [{"value": f"call {PHONE} now", "count": 2}],
        "partial_unexpected_index_list": [{"id": PHONE, "text": f"call {PHONE} now"}],
        "unexpected_list": [PHONE],
        "unexpected_index_query": f"df.filter(items=['{PHONE}'])",
        "observed_value": PHONE,
        "details": {"value_counts": [{"value": PHONE, "count": 1}]},
    }
    masked = mask_result("expect_column_values_to_match_regex", result)
    assert PHONE not in json.dumps(masked)
    assert masked["unexpected_count"] == 2 and masked["partial_unexpected_counts"][0]["count"] == 2
    assert masked["partial_unexpected_list"][0].startswith("ca") and "*" in masked["partial_unexpected_list"][0]
    # row numbers are positions, not data: kept
    assert mask_result("expect_column_values_to_be_unique", {"partial_unexpected_index_list": [3, 5]}) == \
        {"partial_unexpected_index_list": [3, 5]}
    # statistics of this package's aggregate expectations stay readable
    kept = mask_result("expect_column_min_class_share_to_be_at_least", {"observed_value": 0.1, "details": {"smallest_class": "a"}})
    assert kept == {"observed_value": 0.1, "details": {"smallest_class": "a"}}


def test_mask_suite_result_dict_masks_exception_messages():
    suite = {"results": [{"expectation_config": {"type": "expect_column_values_to_be_between"},
                          "result": {"partial_unexpected_list": [PHONE]},
                          "exception_info": {"raised_exception": True, "exception_message": f"could not convert '{PHONE}'",
                                             "exception_traceback": f"Traceback ... {PHONE}"}}]}
    assert PHONE not in json.dumps(mask_suite_result_dict(suite))


def test_shape_regex():
    assert shape_regex(pd.Series(["t00042", "h12345"])) == r"^[a-z]\d{5}$"
    assert shape_regex(pd.Series(["AB-1", "CD-22"])) == r"^[A-Z]{2}\-\d{1,2}$"
    assert shape_regex(pd.Series(["t1", "中文"])) is None


def _sample_frame() -> pd.DataFrame:
    rows = 60
    return pd.DataFrame({
        "id": [f"t{i:05d}" for i in range(rows)],
        "text": [f"please help with order {i}" if i != 7 else f"my number is {PHONE}" for i in range(rows)],
        "label": [("billing", "refund", "delivery")[i % 3] for i in range(rows)],
        "lang": ["en" if i % 2 else "zh" for i in range(rows)],
        "phone": [PHONE if i == 3 else "" for i in range(rows)],
        "amount": [str(10 + i * 3.5) for i in range(rows)],
    })


def test_suggest_writes_a_loadable_contract_without_raw_values():
    text = suggest_contract(_sample_frame(), dataset="intents", id_column="id", text_column="text", label_column="label")
    assert "REVIEW" in text.splitlines()[3]
    contract = parse_contract(text)
    assert contract.columns["label"].values == ("billing", "delivery", "refund")
    assert contract.columns["lang"].values == ("en", "zh")
    assert contract.columns["id"].unique and contract.columns["id"].regex == r"^[a-z]\d{5}$"
    assert contract.columns["amount"].type == "number"
    assert contract.columns["amount"].min <= 10 and contract.columns["amount"].max >= 10 + 59 * 3.5
    assert contract.columns["phone"].nullable and contract.columns["phone"].values is None
    assert PHONE not in text and "216.5" not in text  # no raw value, bounds rounded outwards
    assert contract.roles == {"id": "id", "text": "text", "label": "label"}


def test_cli_contract_suggest(tmp_path, capsys):
    from assess.cli import main

    data = tmp_path / "intents.csv"
    _sample_frame().to_csv(data, index=False)
    out = tmp_path / "contracts" / "intents.yaml"
    assert main(["contract", "suggest", str(data), "--out", str(out), "--label-column", "label", "--id-column", "id",
                 "--text-column", "text"]) == 0
    assert load_contract(out).roles["label"] == "label"
    assert main(["contract", "suggest", str(data), "--out", str(out)]) == 2  # exists, no --force
    assert "--force" in capsys.readouterr().err
    assert main(["contract", "suggest", str(data), "--label-column", "intent"]) == 2
    assert "'intent' is not a column" in capsys.readouterr().err
    assert main(["contract", "suggest", str(tmp_path / "missing.csv")]) == 2
