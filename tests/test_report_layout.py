"""What an auditor sees, in a real headless Chromium, offline: a real data_quality review of a small
subject with planted defects; its report leads with the verdict, the review index and the Data Docs
index render, and every link they hold reaches a file of the evidence."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from conftest import CHROMIUM, CHROMIUM_ARGS

CONTRACT = """version: 1
dataset: tickets
rows: {min: 10, max: 10000}
columns:
  id: {type: string, nullable: false, unique: true}
  text: {type: string, nullable: false, min_length: 2, personal: false}
  label: {type: string, nullable: false, values: [refund, delivery, account], personal: false}
roles: {id: id, text: text, label: label}
"""

PLAN = """version: 1
subjects:
  shop:
    datasets:
      train: {path: train.csv, id_column: id, text_column: text, label_column: label, contract: contract.yaml}
    assessments:
      data_quality: {every: 30d, datasets: [train], overlap_pairs: []}
"""

TOPICS = {"refund": "我要退款", "delivery": "快递到哪里了", "account": "账号无法登录"}
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    from assess.cli import main

    project = tmp_path_factory.mktemp("layout")
    rows = ["id,text,label"]
    for i in range(90):
        label = list(TOPICS)[i % 3]
        rows.append(f"r{i:03d},{TOPICS[label]} {i},{label}")
    rows += ["r090,我要退款 7,refund", "r091,我要退款 7,refund"]  # planted duplicates: the review fails
    (project / "train.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (project / "contract.yaml").write_text(CONTRACT, encoding="utf-8")
    (project / "review.yaml").write_text(PLAN, encoding="utf-8")
    patch = pytest.MonkeyPatch()
    patch.chdir(project)
    patch.delenv("MLFLOW_TRACKING_URI", raising=False)
    assert main(["run", "review.yaml"]) == 1
    patch.undo()
    return project


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A page that lets only file: requests through and records remote ones and errors."""
    page = browser.new_page(viewport=VIEWPORT)
    page.remote, page.errors = [], []

    def route(request_route):
        if request_route.request.url.startswith(("file:", "data:")):
            request_route.continue_()
        else:
            page.remote.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    assert page.remote == [] and page.errors == []
    page.close()


def _local(href: str) -> Path:
    assert href.startswith("file://"), href
    return Path(unquote(urlparse(href).path))


def test_auditor_report_opens_with_the_verdict_within_the_first_screen(reviewed, page):
    report = next((reviewed / "reports" / "shop").glob("*/data_quality.auditor.html"))
    page.goto(report.as_uri())
    box = page.locator("#assess-summary")
    top = box.bounding_box()["y"]
    assert 0 <= top < VIEWPORT["height"], top
    text = box.inner_text()
    assert "Verdict: FAIL" in text and "train · duplicates · failed expectations" in text
    assert "≤ 0" in text and "policy" in text and "Interim Art. 7(4)" in text
    assert "failed_expectations 2 <= 0" not in page.content()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > 3 * VIEWPORT["height"]  # the detail follows: the box is first, not the page's only content
    assert "WenQuanYi Micro Hei" in page.evaluate("getComputedStyle(document.body).fontFamily")


def test_review_index_renders_and_links_the_data_docs_index(reviewed, page):
    page.goto((reviewed / "reports" / "index.html").as_uri())
    assert page.locator("h1").inner_text() == "Review index"
    docs = page.locator("a", has_text="Data Docs")
    assert docs.count() == 1
    target = _local(docs.evaluate("a => a.href"))
    assert target.is_file() and target.parts[-2:] == ("data_docs", "index.html")
    for href in page.locator("a").evaluate_all("links => links.map(a => a.href)"):
        assert _local(href).is_file(), href


def test_data_docs_index_opens_offline_from_the_report_with_working_links(reviewed, page):
    report = next((reviewed / "reports" / "shop").glob("*/data_quality.auditor.html"))
    page.goto(report.as_uri())
    link = page.locator("a", has_text="Data Docs index")
    assert not link.get_attribute("href").startswith("file:")  # relative: survives a copied project
    index = _local(link.evaluate("a => a.href"))
    assert index.is_file()
    page.goto(index.as_uri())
    assert page.locator("h1").inner_text() == "Data Docs: validation results"
    row = page.locator("tr", has_text="data_quality_train")
    assert "FAIL" in row.inner_text()
    hrefs = page.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert len(hrefs) == 2
    for href in hrefs:
        assert _local(href).is_file(), href
    page.goto(hrefs[0])
    assert "data_quality_train" in page.content() and page.locator("table").count() > 0
