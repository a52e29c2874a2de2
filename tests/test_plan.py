"""The plan loader: valid plans load; each kind of mistake names its line, key and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.errors import InputError
from assess.plan import load_plan


def write(project: Path, text: str) -> Path:
    path = project / "review.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_plan_resolves_paths_relative_to_the_plan(tiny_project):
    plan = load_plan(tiny_project / "review.yaml")
    subject = plan.subject("s")
    assert subject.datasets["train"].path == (tiny_project / "data.csv").resolve()
    assert subject.datasets["train"].format == "csv"
    assert subject.assessments["row_count"].every.days == 30
    assert subject.assessments["row_count"].params == {"min_rows": 2}


@pytest.mark.parametrize("edit, expected", [
    (("min_rows: 2", "min_rows: lots"), "review.yaml:8: subjects.s.assessments.row_count.min_rows: expected a integer, got 'lots'"),
    (("min_rows: 2", "min_rows: -1"), "review.yaml:8: subjects.s.assessments.row_count.min_rows: expected a integer between 0 and inf"),
    (("every: 30d", "every: monthly"), "review.yaml:8: subjects.s.assessments.row_count.every: expected a cadence such as 30d or 12w"),
    (("raises: {}", "nonexistent: {}"), "review.yaml:9: subjects.s.assessments.nonexistent: expected an assessment name, one of raises, row_count"),
    (("min_rows: 2", "min_rows: 2, max_rows: 3"), "review.yaml:8: subjects.s.assessments.row_count.max_rows: expected a parameter of row_count: min_rows"),
    (("    datasets:", "    datasetz:"), "review.yaml:5: subjects.s.datasetz: expected one of the keys description, prepare, models, datasets, assessments"),
    (("path: data.csv", "path: data.xlsx"), "review.yaml:6: subjects.s.datasets.train.format: expected one of csv, jsonl, parquet, txt"),
])
def test_mistakes_name_line_key_and_expectation(tiny_project, edit, expected):
    text = (tiny_project / "review.yaml").read_text(encoding="utf-8").replace(*edit)
    with pytest.raises(InputError) as error:
        load_plan(write(tiny_project, text))
    assert str(error.value).startswith(expected)
    assert "\n" not in str(error.value)


def test_missing_empty_and_broken_plans(tmp_path):
    with pytest.raises(InputError, match="does not exist: pass the path"):
        load_plan(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="the plan is empty"):
        load_plan(write(tmp_path, ""))
    with pytest.raises(InputError, match=r"review.yaml:3: not valid YAML \(expected .,. or .\]."):
        load_plan(write(tmp_path, "subjects:\n  - [unclosed\n"))
    (tmp_path / "review.yaml").write_bytes("subjects: {s: 'caf\xe9'}".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_plan(tmp_path / "review.yaml")


def test_dataset_role_parameters_must_name_declared_datasets(tiny_project):
    from notebook_factory import write_notebook

    write_notebook(tiny_project / "notebooks", "row_count", parameters={
        "min_rows": {"type": "integer", "default": 2},
        "dataset": {"type": "dataset", "default": "train"},
    })
    text = (tiny_project / "review.yaml").read_text(encoding="utf-8").replace("min_rows: 2", "dataset: holdout")
    with pytest.raises(InputError, match="dataset: expected a dataset role of s: train, got 'holdout'"):
        load_plan(write(tiny_project, text))
