"""Real Great Expectations runs: planted defects are reported by name, clean data passes, and no
planted personal value reaches the results JSON or the Data Docs site."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from assess.quality.contract import parse_contract
from assess.quality.prepare import Roles, prepare_frame
from assess.quality.profile import build_profile
from assess.quality.review import DatasetInput, overlap_targets, review_datasets

PHONE = "13812345678"
PHONE_TEXT = f"please call me back on {PHONE} today"
LABELS = ("billing", "refund", "delivery", "account", "complaint", "product_info")

CONTRACT = parse_contract("""
version: 1
dataset: intents
rows: {min: 10, max: 10000}
columns:
  id: {type: string, nullable: false, unique: true, regex: '^u\\d{5}$'}
  text: {type: string, nullable: false, min_length: 2, max_length: 120}
  label: {type: string, nullable: false, values: [billing, refund, delivery, account, complaint, product_info]}
  lang: {type: string, nullable: false, values: [zh, en]}
  score: {type: number, nullable: true, min: 0, max: 1}
roles: {id: id, text: text, label: label}
""")
ROLES = Roles.resolve(CONTRACT)
_TOPICS = ["my order", "the invoice", "a parcel", "my password", "the courier", "the warranty", "a coupon", "my address"]


def clean_frame(count: int, start: int = 0) -> pd.DataFrame:
    """Distinct, balanced, well-formed records (as a CSV loads them: every column text)."""
    rows = []
    for i in range(start, start + count):
        rows.append({
            "id": f"u{i:05d}",
            "text": f"question {i} about {_TOPICS[i % len(_TOPICS)]}",
            "label": LABELS[i % len(LABELS)],
            "lang": "en" if i % 2 else "zh",
            "score": f"{(i % 10) / 10:.1f}",
        })
    return pd.DataFrame(rows, dtype=str)


def defective_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    """A train split with one planted defect per check, and a holdout sharing records with it."""
    train = clean_frame(120)
    holdout = clean_frame(40, start=1000)
    train.loc[1, "text"] = ""                                   # null (empty string = missing)
    train.loc[2, "score"] = "7.5"                               # out of range
    train.loc[3, "score"] = "n/a"                               # not a number
    train.loc[4, "label"] = "refunds"                           # unknown label
    train.loc[5, "text"] = train.loc[6, "text"]                 # exact duplicate
    train.loc[7, "text"] = "Where is MY parcel?!"               # duplicates after normalisation ...
    train.loc[8, "text"] = "where is my parcel"
    train.loc[7, "label"], train.loc[8, "label"] = "delivery", "complaint"  # ... with conflicting labels
    train.loc[9, "text"] = "   "                                # empty text
    train.loc[10, "text"] = "the refund is Ã©norme"             # mojibake
    train.loc[11, "id"] = PHONE                                 # personal data where an id belongs
    train.loc[12, "text"] = PHONE_TEXT                          # personal data in a duplicate text
    train.loc[13, "text"] = PHONE_TEXT
    train.loc[train["label"] == "product_info", "label"] = "account"  # a declared class left empty
    holdout.loc[0, "id"] = train.loc[20, "id"]                  # overlap by id
    holdout.loc[1, "text"] = train.loc[21, "text"].upper() + "!"  # overlap by content
    train["lang"] = ["zh"] * 110 + ["en"] * 10                  # drift: was half and half
    return train, holdout


def baseline_of(frame: pd.DataFrame, role: str) -> dict:
    return build_profile(prepare_frame(frame, CONTRACT, ROLES), CONTRACT, ROLES, dataset=role)


def run(train: pd.DataFrame, holdout: pd.DataFrame, docs_dir: Path, baseline: dict | None):
    targets = overlap_targets(["train", "holdout"], [["train", "holdout"]])
    return review_datasets([
        DatasetInput("train", train, CONTRACT, ROLES, targets["train"], baseline=baseline),
        DatasetInput("holdout", holdout, CONTRACT, ROLES, targets["holdout"]),
    ], docs_dir=docs_dir)


@pytest.fixture(scope="module")
def defective(tmp_path_factory):
    train, holdout = defective_frames()
    docs = tmp_path_factory.mktemp("docs_defective")
    return run(train, holdout, docs, baseline=baseline_of(clean_frame(120), "train")), train


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    train, holdout = clean_frame(120), clean_frame(40, start=1000)
    docs = tmp_path_factory.mktemp("docs_clean")
    return run(train, holdout, docs, baseline=baseline_of(train, "train"))


def _failed(review, dataset="train") -> set[tuple[str, str]]:
    failed = review.failed(dataset)
    return {(row.check, row.column) for row in failed.itertuples()}


@pytest.mark.parametrize("check, column", [
    ("not_null", "text"),
    ("value_range", "score"),
    ("parseable", "score"),
    ("labels_in_declared_set", "label"),
    ("exact_duplicates", "text"),
    ("normalized_duplicates", "text"),
    ("label_conflicts", "text"),
    ("empty_text", "text"),
    ("garbled_text", "text"),
    ("regex", "id"),
    ("min_class_share", "label"),
    ("imbalance_ratio", "label"),
    ("overlap_by_id", "id"),
    ("overlap_by_content", "text"),
    ("drift", "lang"),
])
def test_each_planted_defect_is_reported_by_name(defective, check, column):
    review, _ = defective
    assert (check, column) in _failed(review)


def test_defects_are_named_in_the_gx_results_and_counted(defective):
    review, _ = defective
    results = review.results["train"]["results"]
    checks = {(r["expectation_config"]["meta"]["check"], r["expectation_config"]["type"]): r for r in results}
    overlap = checks[("overlap_by_id", "expect_column_values_to_not_overlap_split")]
    assert overlap["success"] is False and overlap["result"]["unexpected_count"] == 1
    assert overlap["expectation_config"]["kwargs"]["other_split"] == "holdout"
    garbled = checks[("garbled_text", "expect_column_values_to_not_be_garbled_text")]
    assert garbled["result"]["unexpected_count"] == 1
    assert garbled["result"]["partial_unexpected_index_list"] == [10]  # the row number, kept for the reviewer
    drift = [r for r in results if r["expectation_config"]["meta"]["check"] == "drift"
             and r["expectation_config"]["meta"]["column"] == "lang"][0]
    assert drift["result"]["observed_value"] > 0.2
    assert review.metrics["train.failed.labels_in_declared_set.label.unexpected_count"] == 1
    assert review.metrics["expectations_failed"] == len(review.failed())
    assert review.metrics["holdout.expectations_failed"] == 0


def _raised(info) -> bool:
    """Whether an ``exception_info`` (flat, or keyed by metric) records a raised exception."""
    if not isinstance(info, dict):
        return False
    if "raised_exception" in info:
        return bool(info["raised_exception"])
    return any(_raised(value) for value in info.values())


def test_no_expectation_errors_on_the_defective_data(defective):
    """A defect must fail its check, not crash another: an error counts as a failure and hides the
    real verdict (a missing text once broke the drift check of its length)."""
    review, _ = defective
    for dataset in ("train", "holdout"):
        errored = [(r["expectation_config"]["type"], r["expectation_config"]["meta"].get("column"))
                   for r in review.results[dataset]["results"] if _raised(r.get("exception_info"))]
        assert errored == [], dataset


def test_clean_datasets_pass_every_expectation(clean):
    assert clean.failed().empty, clean.failed()[["dataset", "check", "column", "observed"]]
    checks = set(clean.summary["check"])
    # the clean run evaluated the same checks, drift and overlap included
    assert {"drift", "overlap_by_id", "overlap_by_content", "normalized_duplicates", "min_class_share"} <= checks
    assert clean.metrics["success_percent"] == 100.0


def test_no_planted_personal_value_in_results_json(defective):
    review, train = defective
    assert PHONE in " ".join(train["text"]) and PHONE in set(train["id"])  # planted, so the test can fail
    dumped = json.dumps(review.results, ensure_ascii=False)
    assert PHONE not in dumped
    assert PHONE not in json.dumps(review.findings, ensure_ascii=False)
    assert PHONE not in review.summary.to_csv()
    # the duplicate text was flagged, and shows up masked
    duplicates = review.failed("train", "duplicates")
    assert any("pl" in sample and "*" in sample for sample in duplicates["sample"])


def test_no_planted_personal_value_in_data_docs(defective):
    review, _ = defective
    pages = [p for p in Path(review.docs_dir).rglob("*") if p.suffix in (".html", ".json", ".js")]
    validation_pages = [p for p in pages if "validations" in p.parts]
    assert validation_pages, "the Data Docs site has no validation page"
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in pages)
    assert PHONE not in text
    assert "expect_column_values_to_not_overlap_split" in text or "must not also occur in split" in text
    assert PHONE_TEXT[:2] + "*" in text  # the masked sample was rendered


def test_compile_needs_no_data_source_and_names_every_expectation():
    from assess.quality.checks import CHECKS
    from assess.quality.compile import compile_suite

    suite = compile_suite(CONTRACT, name="s", roles=ROLES, overlap_with=("holdout",),
                          baseline=baseline_of(clean_frame(60), "train"))
    checks = [e.meta["check"] for e in suite.expectations]
    assert set(checks) <= set(CHECKS)
    assert {"overlap_by_id", "overlap_by_content", "drift", "garbled_text", "parseable"} <= set(checks)
    assert json.dumps(suite.to_json_dict())  # serialisable: the same suite can be saved and run elsewhere
    contract_only = compile_suite(CONTRACT, name="c", roles=ROLES, ml_checks=False)
    assert {e.meta["group"] for e in contract_only.expectations} == {"contract"}


def test_offline_page_drops_remote_assets_and_is_idempotent():
    from assess.quality.data_docs import MARKER, offline_page

    page = ('<html><head><link rel="stylesheet" href="https://cdn.example/x.css"/>'
            '<script src="https://cdn.example/jq.js"></script><script>$(".a").fadeIn();</script>'
            "<style>.b { background: url('https://cdn.example/logo.png') }</style></head>"
            '<body><img class="NO-CACHE"\n src="https://cdn.example/logo.png?d=1" alt="x">'
            '<button onclick="show()">more</button><a href="local.html">local</a></body></html>')
    offline = offline_page(page)
    assert "cdn.example" not in offline and "fadeIn" not in offline and "onclick" not in offline
    assert MARKER in offline and '<a href="local.html">local</a>' in offline
    assert offline_page(offline) == offline


def test_data_docs_open_offline_in_headless_chromium_with_status_shown(defective):
    """Every page of the site loads with no request leaving the machine and no console error."""
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS

    review, _ = defective
    pages = sorted(Path(review.docs_dir).rglob("*.html"))
    assert len(pages) >= 3
    remote, errors = [], []

    def route(request_route):
        if request_route.request.url.startswith("file:"):
            request_route.continue_()
        else:
            remote.append(request_route.request.url)
            request_route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route("**/*", route)
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        statuses = []
        for path in pages:
            page.goto(path.as_uri())
            if "validations" in path.parts:
                statuses += page.locator("i.fa-times").evaluate_all(
                    "icons => icons.map(i => getComputedStyle(i, '::before').content)")
        browser.close()
    assert remote == [] and errors == []
    assert statuses and all("fail" in status for status in statuses)  # failed checks still read as failed
