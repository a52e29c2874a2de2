"""The clause catalogue and the clause × evidence matrix of reports/index.html.

The matrix test runs a real review (papermill, MLflow store) of notebooks whose checks cite
different clauses with every status, then reads each cell of the index against the runs'
``evidence/checks.json``."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import TINY_PLAN
from notebook_factory import write_notebook

from assess import tracking
from assess.clauses import (
    ClauseError,
    _parse,
    article_key,
    catalogue,
    cite,
    markdown,
    split_ids,
)

REPO = Path(__file__).resolve().parent.parent


# -- the catalogue ------------------------------------------------------------------------------

def test_catalogue_loads_with_unique_ids_and_known_instruments():
    raw = yaml.safe_load((REPO / "assess" / "clauses.yaml").read_text(encoding="utf-8"))
    ids = [c["id"] for c in raw["clauses"]]
    assert len(ids) == len(set(ids)) >= 20
    known = catalogue()
    assert set(known.clauses) == set(ids)
    assert {c.instrument for c in known} <= set(known.instruments)
    for clause in known:
        assert clause.title_zh and clause.title_en and clause.summary and clause.thresholds_note
        assert re.search(r"[\u4e00-\u9fff]", clause.title_zh), clause.id
    assert known.get("TC260-003 §5.3").confidence == "unverified"  # the catalogue says what was not read
    for instrument in known.instruments.values():
        assert instrument.name_zh and instrument.name_en and instrument.effective


def test_clauses_sort_by_instrument_then_article_number():
    order = list(catalogue().clauses)
    assert order.index("PIPL Art. 4") < order.index("PIPL Art. 13") < order.index("PIPL Art. 28") < order.index("PIPL Art. 51")
    assert order.index("Interim Art. 7(3)") < order.index("Interim Art. 7(4)") < order.index("Interim Art. 8") < order.index("Interim Art. 11")
    assert order.index("GB 45438 §5") < order.index("GB 45438 §6.1") < order.index("GB 45438 Annex E")
    assert order.index("DS Art. 18") < order.index("Interim Art. 7(3)") < order.index("PIPL Art. 4")
    assert article_key("Art. 4") < article_key("Art. 13") < article_key("Art. 28")
    assert sorted(["Art. 28", "Art. 4", "Art. 13", "Art. 7(4)", "Art. 7"], key=article_key) == ["Art. 4", "Art. 7", "Art. 7(4)", "Art. 13", "Art. 28"]


def test_a_broken_catalogue_is_refused():
    raw = yaml.safe_load((REPO / "assess" / "clauses.yaml").read_text(encoding="utf-8"))
    repeated = {**raw, "clauses": raw["clauses"] + [raw["clauses"][0]]}
    with pytest.raises(ClauseError, match="repeats id"):
        _parse(repeated)
    stray = {**raw, "clauses": [{**raw["clauses"][0], "instrument": "XYZ", "id": "XYZ Art. 14"}]}
    with pytest.raises(ClauseError, match="unknown instrument 'XYZ'"):
        _parse(stray)


def test_cite_takes_a_list_or_a_joined_string_and_refuses_an_unknown_id():
    assert cite(["DS Art. 14", "PIPL Art. 13"]) == cite("DS Art. 14;PIPL Art. 13 ") == "DS Art. 14; PIPL Art. 13"
    assert cite("") == cite(None) == cite([]) == ""
    assert split_ids("DS Art. 14; PIPL Art. 13") == ["DS Art. 14", "PIPL Art. 13"]
    with pytest.raises(ClauseError, match=r"clause DS Art\. 99 is not in the clause catalogue: cite an id of assess/clauses.yaml"):
        cite("DS Art. 14; DS Art. 99")


def test_label_gives_the_catalogue_title_in_the_reports_language():
    from assess.clauses import label

    assert label("PIPL Art. 29", "zh") == "PIPL Art. 29 (处理敏感个人信息须取得单独同意)"
    assert label("PIPL Art. 29", "en") == "PIPL Art. 29 (Separate consent for sensitive personal information)"
    assert label("PIPL Art. 29") == "PIPL Art. 29 (处理敏感个人信息须取得单独同意 / Separate consent for sensitive personal information)"
    assert label("an id older evidence cites") == "an id older evidence cites"


def _cited_literals() -> list[str]:
    """Every clause string the project's code and notebook builders pass or define."""
    pattern = re.compile(r"""(?:(?<![\w-])clause=|CLAUSE_\w+ = )(\[\s*"[^\]]*\]|"[^"]*")""")
    found = []
    for path in [*(REPO / "assess").rglob("*.py"), *(REPO / "tools").glob("make_*_notebook.py")]:
        for literal in pattern.findall(path.read_text(encoding="utf-8")):
            value = json.loads(literal)
            found += value if isinstance(value, list) else [value]
    return found


def test_every_clause_the_project_cites_is_in_the_catalogue():
    from assess.leakage.policy import MEMBERSHIP_CLAUSE
    from assess.pii.assessment import CLAUSE_BASIS, CLAUSE_SENSITIVE, CLAUSE_SHARE
    from assess.quality.checks import GROUP_CLAUSES
    from assess.registry import discover

    literals = _cited_literals()
    assert len(literals) >= 20  # the scan finds the clauses it is meant to check
    specs = discover(REPO / "notebooks")  # the registry refuses a template citing an unknown id
    assert len(specs) == len(list((REPO / "notebooks").glob("*.ipynb"))) >= 6
    for value in [*literals, MEMBERSHIP_CLAUSE, CLAUSE_BASIS, CLAUSE_SENSITIVE, CLAUSE_SHARE, *GROUP_CLAUSES.values(),
                  *(c for spec in specs.values() for c in spec.clauses)]:
        cite(value)


def test_docs_page_is_written_from_the_catalogue():
    assert (REPO / "docs" / "clauses.md").read_text(encoding="utf-8") == markdown(), \
        "regenerate it: python -m assess.clauses > docs/clauses.md"


def test_no_tracked_file_points_outside_the_repository():
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout.decode().split("\0")
    needles = ("regulation" + ".md", "../" + "shared")  # spelt apart so this file does not match itself
    offending = []
    for name in filter(None, files):
        try:
            text = (REPO / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        offending += [f"{name}: {n}" for n in needles if n in text]
    assert not offending


def test_a_notebook_declaring_an_unknown_clause_is_refused(tmp_path):
    from assess.registry import discover

    write_notebook(tmp_path, "typo", body="pass", clauses=("Interim Art. 7(4)", "DS Art. 99"))
    with pytest.raises(ClauseError, match=r"notebook typo.ipynb: clause DS Art\. 99 is not in the clause catalogue"):
        discover(tmp_path)


# -- the matrix, read against a real review -----------------------------------------------------

#: Checks citing clauses with every status; PIPL Art. 4 is declared but cited by no check.
CITING_BODY = '''ctx.load_dataset("train")
ctx.check("ds15_a", 1, 1, "<=", clause="DS Art. 15")
ctx.check("ds15_b", 2, 5, "<=", clause=["DS Art. 15", "PIPL Art. 13"])
ctx.check("fails", 3, 1, "<=", clause="PIPL Art. 13; PIPL Art. 28")
ctx.check("warns", 3, 1, "<=", severity="warn", clause="Interim Art. 8")
ctx.check("warns_too", 3, 1, "<=", severity="warn", clause="Interim Art. 7(4)")
ctx.pending("waits", "a person re-annotates the sample", clause=["Interim Art. 7(4)", "TC260-003 §5.3"])'''
CITING_CLAUSES = ("DS Art. 15", "Interim Art. 7(4)", "Interim Art. 8", "TC260-003 §5.3", "PIPL Art. 4", "PIPL Art. 13", "PIPL Art. 28")
TYPO_BODY = '''ctx.load_dataset("train")
ctx.check("typo", 1, 1, "<=", clause="DS Art. 99")'''

PLAN = TINY_PLAN + "      citing: {}\n      typo: {}\n"


class _Cells(HTMLParser):
    """The matrix's cells (``data-clause`` / ``data-assessment`` / ``data-status`` and visible text), in order."""

    def __init__(self):
        super().__init__()
        self.cells, self._open = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "td" and "data-clause" in attrs:
            self._open = {**attrs, "text": ""}

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data

    def handle_endtag(self, tag):
        if tag == "td" and self._open is not None:
            self.cells.append(self._open)
            self._open = None


def _expected(checks: list[dict] | None, declared: list[str], errored: bool, clause_id: str) -> str:
    """The cell the issue asks for, computed here from checks.json alone."""
    if errored:
        return "error" if clause_id in declared else "not assessed"
    statuses = {c["status"] for c in checks if clause_id in [p.strip() for p in c["clause"].split(";")]}
    for status in ("fail", "pending", "warn", "pass"):
        if status in statuses:
            return status
    return "not assessed"


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    from conftest import make_tiny_project

    from assess.cli import main

    project = make_tiny_project(tmp_path_factory.mktemp("clauses"))
    write_notebook(project / "notebooks", "citing", body=CITING_BODY, clauses=CITING_CLAUSES)
    write_notebook(project / "notebooks", "typo", body=TYPO_BODY)
    (project / "review.yaml").write_text(PLAN, encoding="utf-8")
    patch = pytest.MonkeyPatch()
    patch.chdir(project)
    assert main(["run", str(project / "review.yaml")]) == 2  # two assessments error
    yield project, tracking.client_for(tracking.embedded_uri(project))
    patch.undo()


def test_every_matrix_cell_agrees_with_the_runs_checks(reviewed):
    from assess.reports import assessment_runs, review_runs

    project, client = reviewed
    (review,) = review_runs(client, "s")
    runs = {r.data.tags[tracking.TAG_ASSESSMENT]: r for r in assessment_runs(client, review)}
    assert set(runs) == {"row_count", "raises", "citing", "typo"}
    evidence = {}
    for name, run in runs.items():
        errored = run.data.tags[tracking.TAG_VERDICT] == "error"
        checks = None
        if not errored:
            local = client.download_artifacts(run.info.run_id, "evidence/checks.json", str(project / f"dl-{name}"))
            checks = json.loads(Path(local).read_text(encoding="utf-8"))["checks"]
        evidence[name] = (checks, split_ids(run.data.tags[tracking.TAG_CLAUSES]), errored)

    parser = _Cells()
    parser.feed((project / "reports" / "index.html").read_text(encoding="utf-8"))
    cells = parser.cells
    rows = list(dict.fromkeys(c["data-clause"] for c in cells))
    assert rows == list(catalogue().clauses)  # every catalogue clause, in catalogue order
    assert len(cells) == len(rows) * len(runs)
    for c in cells:
        expected = _expected(*evidence[c["data-assessment"]], c["data-clause"])
        assert c["data-status"] == expected, c
        shown = c["text"].strip()
        assert shown.startswith(expected if expected == "not assessed" else expected.upper()), c

    by_cell = {(c["data-clause"], c["data-assessment"]): c["data-status"] for c in cells}
    # The cases, spelt out: a clause whose checks all passed passes; pending outranks warn;
    # a declared clause no check cites is not assessed; an assessment that errored shows error.
    assert by_cell[("DS Art. 15", "citing")] == "pass"
    assert by_cell[("PIPL Art. 13", "citing")] == by_cell[("PIPL Art. 28", "citing")] == "fail"
    assert by_cell[("Interim Art. 8", "citing")] == "warn"
    assert by_cell[("Interim Art. 7(4)", "citing")] == by_cell[("TC260-003 §5.3", "citing")] == "pending"
    assert by_cell[("PIPL Art. 4", "citing")] == "not assessed"
    assert by_cell[("Interim Art. 7(4)", "row_count")] == "pass"
    assert by_cell[("Interim Art. 7(4)", "raises")] == "error" and by_cell[("DS Art. 15", "raises")] == "not assessed"


def test_the_notebook_header_names_each_declared_clause_with_its_title(reviewed):
    project, _ = reviewed
    (page,) = (project / "reports" / "s").rglob("citing.auditor.html")
    text = page.read_text(encoding="utf-8")
    assert "PIPL Art. 4 (个人信息及其处理的定义 / What personal information and its processing are)" in text


def test_a_check_citing_an_unknown_clause_fails_its_assessment(reviewed):
    from assess.reports import assessment_runs, review_runs

    _, client = reviewed
    (review,) = review_runs(client, "s")
    typo = next(r for r in assessment_runs(client, review) if r.data.tags[tracking.TAG_ASSESSMENT] == "typo")
    assert typo.data.tags[tracking.TAG_VERDICT] == "error"
    assert "clause DS Art. 99 is not in the clause catalogue" in typo.data.tags[tracking.TAG_ERROR]


def test_the_index_has_a_legend_of_statuses_and_abbreviations(reviewed):
    project, _ = reviewed
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    legend = index[index.index('<details class="legend"'):]
    for word in ("not assessed", "PENDING", "ERROR", "Interim", "生成式人工智能服务管理暂行办法", "2023-08-15", "docs/clauses.md"):
        assert word in legend


def test_evidence_from_before_the_catalogue_gets_rows_of_its_own_after_it():
    from assess.clause_matrix import AssessmentEvidence, cell, clause_rows, matrix_html

    old = AssessmentEvidence(name="old", verdict="fail", declared=("DS Art. 16-18",),
                             checks=({"name": "a", "status": "fail", "clause": "DS Art. 16-18; Measures Art. 5"},
                                     {"name": "b", "status": "pass", "clause": "DS Art. 16-18"}))
    rows = clause_rows([old])
    assert rows[:-1] == list(catalogue().clauses) and rows[-1] == "DS Art. 16-18"
    assert cell(old, "DS Art. 16-18")[0] == cell(old, "Measures Art. 5")[0] == "fail"
    assert cell(old, "DS Art. 17")[0] == "not assessed"
    assert "DS Art. 16-18<br><small>not in the clause catalogue</small>" in matrix_html([old])
    missing = AssessmentEvidence(name="gone", verdict="pass", declared=("DS Art. 17",), checks=None)
    assert cell(missing, "DS Art. 17")[0] == "error" and cell(missing, "DS Art. 16")[0] == "not assessed"
