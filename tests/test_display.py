"""Values and tables formatted for people, and the summary box every rendered report opens with."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from assess.display import format_frame, format_requirement, format_value, frame_html, value_kind


@pytest.mark.parametrize(("value", "kind", "shown"), [
    (None, "", "—"), (float("nan"), "", "—"), (pd.NA, "", "—"), (pd.NaT, "", "—"), (np.float64("nan"), "rate", "—"),
    ({}, "", "—"), ([], "", "—"),
    (500.0, "", "500"), (1234567, "", "1,234,567"), (np.int64(12000), "", "12,000"), (1234.5678, "", "1,234.6"),
    (0.73149, "", "0.731"), (2.5, "", "2.5"), (0.0004, "", "0.0004"), (math.inf, "", "∞"),
    (0.05, "rate", "5%"), (0.125, "rate", "12.5%"), (0.0004, "rate", "0.04%"), (0.0, "rate", "0%"), (1.0, "rate", "100%"),
    (87.5, "percent", "87.5%"), (3.0, "rate", "3"),  # a "rate" above 1 is not a share: shown as a number
    (["train", "test"], "", "train, test"), ([["train", "holdout"], ["train", "eval"]], "", "train / holdout; train / eval"), ({"a": 1, "b_share": 0.5}, "", "a: 1; b_share: 50%"),
    (123456, "plain", "123456"), (2026.0, "plain", "2026"),
    (True, "", "yes"), (np.bool_(False), "", "no"), ("text", "", "text"),
    (pd.Timestamp("2026-12-02"), "", "2026-12-02"),
])
def test_format_value(value, kind, shown):
    assert format_value(value, kind) == shown


def test_kind_and_requirement_come_from_the_name():
    assert value_kind("regurgitation_rate") == "rate" and value_kind("train: share of records with PI") == "rate"
    assert value_kind("unexpected_percent") == "percent" and value_kind("mia_auc") == ""
    assert value_kind("record_id") == "plain" and value_kind("seed") == "plain"
    assert format_requirement("<=", 0) == "≤ 0" and format_requirement(">=", 0.95, "rate") == "≥ 95%"


def test_frames_lose_reprs_and_default_index_but_keep_a_meaningful_one():
    frame = pd.DataFrame({"dataset": ["train", "test"], "noise_rate": [0.125, None], "rows": [1200.0, 3.0],
                          "columns": [["id", "text"], []]})
    shown = format_frame(frame)
    assert shown.to_dict("list") == {"dataset": ["train", "test"], "noise_rate": ["12.5%", "—"], "rows": ["1,200", "3"],
                                     "columns": ["id, text", "—"]}
    pivot = frame.set_index("dataset")
    assert list(format_frame(pivot).columns)[0] == "dataset"
    page = frame_html(pd.DataFrame({"n": range(100)}), max_rows=10)
    assert page.count("</tr>") == 11 and "first 10 of 100 rows" in page and "NaN" not in page


def _review(project, min_rows: int):
    from assess.cli import main

    plan = project / "review.yaml"
    plan.write_text(plan.read_text().replace("min_rows: 2", f"min_rows: {min_rows}"))
    assert main(["run", str(plan), "--only", "row_count"]) == (1 if min_rows > 3 else 0)
    return next((project / "reports" / "s").glob("*/row_count.auditor.html"))


def test_rendered_report_opens_with_the_summary_box_of_failed_checks(tiny_project, monkeypatch):
    """A real review whose check fails: the auditor page leads with the box, values read as numbers."""
    monkeypatch.chdir(tiny_project)
    auditor = _review(tiny_project, 5)
    page = auditor.read_text(encoding="utf-8")
    box = page.index('<section class="assess-summary"')
    assert box < page.index("Test assessment row_count") < page.index("Verdict: <strong>FAIL</strong>")
    assert page.count('<section class="assess-summary"') == 1  # moved, not copied
    section = page[box:page.index("</section>", box)]
    assert ">FAIL</span>" in section and "1 check: 1 failed" in section
    assert "<td" in section and ">3</td>" in section and ">≥ 5</td>" in section and ">Interim Art. 7(4)</td>" in section
    assert "rows 3 &gt;= 5" not in page and "assess-report-style" in page and "Noto Sans CJK SC" in page
    # checks.json keeps its format: value and threshold as numbers, op as an operator
    executed = auditor.with_name("row_count.ipynb").read_text(encoding="utf-8")
    assert '"assess_summary": true' in executed  # the executed notebook keeps the box where finish() showed it
    stored = next((tiny_project / "mlruns").rglob("evidence/checks.json"))
    check = json.loads(stored.read_text(encoding="utf-8"))["checks"][0]
    assert (check["value"], check["threshold"], check["op"], check["status"]) == (3, 5, ">=", "fail")


def test_a_report_that_stopped_with_an_error_opens_with_an_error_box(tiny_project, monkeypatch):
    from assess.cli import main

    monkeypatch.chdir(tiny_project)
    assert main(["run", "review.yaml", "--only", "raises"]) == 2
    page = next((tiny_project / "reports" / "s").glob("*/raises.auditor.html")).read_text(encoding="utf-8")
    box = page.index('<section class="assess-summary"')
    assert ">ERROR</span>" in page[box:page.index("</section>", box)] and box < page.index("Test assessment raises")
