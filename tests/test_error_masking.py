"""Error text is evidence too: a failing assessment records no identifier, canary or record text.

A real review (papermill, an embedded MLflow store, rendered reports, the index) of a subject whose
notebooks fail with a resident ID, a record's text and a canary in their exceptions and warnings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assess import tracking
from assess.cli import main
from assess.leakage.canaries import make_canaries
from assess.masking import canary_strings, mask_error_text
from assess.pii.checksums import cn_id_check_char, valid_cn_resident_id

FIRST17 = "33010619850214301"
RESIDENT_ID = FIRST17 + cn_id_check_char(FIRST17)
RECORD_TEXT = f"王小明说我的身份证号是{RESIDENT_ID}请帮我退款到原卡"

FAILS_ON_RECORD = '''import warnings
frame = ctx.load_dataset("train")
warnings.warn(f"odd record {frame.loc[0, 'text']!r}")
float(frame.loc[0, "text"])  # ValueError: could not convert string to float: '<the record>'
'''
FAILS_ON_CANARY = '''import sys
from assess.leakage.canaries import CanarySet
canary = CanarySet.load(ctx.params["canaries_file"]).canaries[-1]
print("generated:", canary.text, file=sys.stderr)
raise RuntimeError(f"generation {canary.text!r} matched; its code {canary.text[-6:]} is in the training data")
'''
PLAN = """version: 1
notebooks_dir: notebooks
subjects:
  own:
    datasets:
      train: {path: tickets.csv, id_column: ticket, text_column: text, label_column: intent}
    assessments:
      fails_on_record: {}
      fails_on_canary: {canaries_file: own_canaries.json}
"""


@pytest.fixture(scope="module")
def failed_review(tmp_path_factory):
    """A project whose two assessments fail with personal data and a canary in their messages."""
    from notebook_factory import write_notebook

    project = tmp_path_factory.mktemp("leaky")
    write_notebook(project / "notebooks", "fails_on_record", body=FAILS_ON_RECORD)
    write_notebook(project / "notebooks", "fails_on_canary", body=FAILS_ON_CANARY, parameters={
        "canaries_file": {"type": "path", "default": None, "help": "canary record"}})
    (project / "tickets.csv").write_text(f"ticket,text,intent\n1,{RECORD_TEXT},退款\n2,物流到哪了,物流\n",
                                         encoding="utf-8")
    canaries = make_canaries(seed=7, per_repetition=1)
    canaries.save(project / "own_canaries.json")
    (project / "review.yaml").write_text(PLAN, encoding="utf-8")
    code = main(["run", str(project / "review.yaml")])
    return project, code, canaries.canaries[-1]


def _outputs(project: Path):
    """Every file the review wrote (the subject's own inputs excluded)."""
    inputs = {project / "tickets.csv", project / "own_canaries.json", project / "review.yaml"}
    return [p for p in project.rglob("*") if p.is_file() and p not in inputs and "notebooks" not in p.parts[-2:-1]]


def test_the_resident_id_is_valid_so_the_test_can_fail():
    assert valid_cn_resident_id(RESIDENT_ID)


def test_no_output_holds_the_id_the_record_or_the_canary(failed_review, capsys):
    project, code, canary = failed_review
    assert code == 2
    secret = canary.text[-6:]
    outputs = _outputs(project)
    names = {p.name for p in outputs}
    assert {"mlflow.db", "index.html", "fails_on_record.ipynb", "fails_on_record.auditor.html",
            "fails_on_canary.html", "review_manifest.json"} <= names
    for path in outputs:
        data = path.read_bytes()
        for planted in (RESIDENT_ID, RECORD_TEXT, canary.text, secret):
            assert planted.encode("utf-8") not in data, f"{planted!r} in {path.relative_to(project)}"


def test_the_error_still_says_what_went_wrong(failed_review):
    project, _, canary = failed_review
    client = tracking.client_for(tracking.embedded_uri(project))
    experiment = client.get_experiment_by_name("assess/own")
    runs = {r.data.tags[tracking.TAG_ASSESSMENT]: r for r in client.search_runs(
        [experiment.experiment_id], f"tags.`{tracking.TAG_KIND}` = 'assessment'")}
    record_error = runs["fails_on_record"].data.tags[tracking.TAG_ERROR]
    # The record is masked whole (the scanner also finds the name 王小明 before 说, so even it is masked).
    assert record_error.startswith("ValueError: could not convert string to float: '王")
    assert "*****" in record_error and "王小明" not in record_error
    canary_error = runs["fails_on_canary"].data.tags[tracking.TAG_ERROR]
    assert canary_error.startswith("RuntimeError: generation '") and "is in the training data" in canary_error
    index = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert "could not convert string to float" in index


def test_mask_error_text_keeps_names_and_paths_and_hides_data():
    canaries = make_canaries(seed=1, per_repetition=1)
    strings = canary_strings([canaries])
    canary = canaries.canaries[0]
    assert canary.text in strings and canary.text[-6:] in strings
    message = (f"InputError: dataset 'train' column 'text' in datasets/own/tickets.csv: value "
               f"'客户 张三 手机13812345678' is not a label; canary {canary.text}; account 6222021234567890123")
    masked = mask_error_text(message, canaries=strings)
    assert "dataset 'train' column 'text' in datasets/own/tickets.csv" in masked
    for planted in ("13812345678", "张三", canary.text, canary.text[-6:], "6222021234567890123"):
        assert planted not in masked
    assert mask_error_text("KeyError: 'label'") == "KeyError: 'label'"
    apostrophes = "InputError: the model doesn't score texts; set the plan's reference_model to a local one"
    assert mask_error_text(apostrophes) == apostrophes
