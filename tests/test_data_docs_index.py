"""The Data Docs site gets a static index with local links to each validation result (real GX run)."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from assess.quality.data_docs import MARKER
from assess.quality.review import DatasetInput, overlap_targets, review_datasets
from test_quality_gx import CONTRACT, ROLES, clean_frame, defective_frames


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    train, _ = defective_frames()
    holdout = clean_frame(40, start=1000)
    targets = overlap_targets(["train", "holdout"], [])
    docs = tmp_path_factory.mktemp("site")
    review_datasets([DatasetInput("train", train, CONTRACT, ROLES, targets["train"]),
                     DatasetInput("holdout", holdout, CONTRACT, ROLES, targets["holdout"])], docs_dir=docs)
    return docs


def test_index_links_every_validation_result_with_its_outcome(site):
    import re

    page = (site / "index.html").read_text(encoding="utf-8")
    assert MARKER in page and "https://" not in page and "<script" not in page
    hrefs = [unquote(h) for h in re.findall(r'href="([^"]+)"', page)]
    results = sorted(p.relative_to(site).as_posix() for p in site.glob("validations/**/*.html"))
    assert len(results) == 2 and sorted(h for h in hrefs if h.startswith("validations/")) == results
    assert all((site / h).is_file() for h in hrefs)
    rows = {name: page[page.index(f"<td>data_quality_{name}</td>"):].split("</tr>")[0] for name in ("train", "holdout")}
    assert "FAIL" in rows["train"] and "PASS" in rows["holdout"] and "100%" in rows["holdout"]


def test_a_local_run_has_its_index_found_and_others_not(site, tmp_path):
    from assess.quality.docs_index import local_docs_index

    artifacts = site.parent
    (artifacts / "data_docs").mkdir(exist_ok=True)
    (artifacts / "data_docs" / "index.html").write_text("x", encoding="utf-8")
    assert local_docs_index(artifacts.as_uri()) == artifacts / "data_docs" / "index.html"
    assert local_docs_index(str(artifacts)) == artifacts / "data_docs" / "index.html"
    assert local_docs_index(tmp_path.as_uri()) is None
    assert local_docs_index("mlflow-artifacts:/1/abc/artifacts") is None
