"""Bad input found only once a review is under way: the assessment errors, the rest still runs, the
store keeps every earlier record as it was and no run is left RUNNING (issue 20).

Also the cases preflight must catch with nothing written: a signing-key file that holds no key, and an
evidence-store folder that cannot be written.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from assess import tracking
from store_snapshot import store_snapshot

ASSESS = [sys.executable, "-m", "assess"]


def run_cli(project, *args, env=None):
    return subprocess.run([*ASSESS, *args], capture_output=True, text=True, cwd=project,
                          env={**os.environ, **(env or {})})


LABEL_PLAN = """version: 1
subjects:
  s:
    datasets:
      train: {path: train.csv, id_column: id, text_column: text, label_column: label}
      holdout: {path: holdout.csv, id_column: id, text_column: text, label_column: label}
    assessments:
      label_robustness: {repeats: 1, noise_rates: [0.0], cv: 2}
"""


def labelled_rows(prefix: str, n: int) -> str:
    words = ["退款", "物流", "发票", "账户"]
    return "".join(f"{prefix}{i},请问{words[i % 4]}怎么处理 {i},{'ab'[i % 2]}\n" for i in range(n))


@pytest.fixture
def label_project(tmp_path):
    (tmp_path / "review.yaml").write_text(LABEL_PLAN, encoding="utf-8")
    (tmp_path / "train.csv").write_text("id,text,label\n" + labelled_rows("t", 24), encoding="utf-8")
    (tmp_path / "holdout.csv").write_text("id,text,label\n" + labelled_rows("h", 12), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("train, expected", [
    ("id,text,label\n" + "".join(f"t{i},文本 {i},\n" for i in range(24)),
     "InputError: dataset 'train': label column 'label' is empty in all 24 records: fill the labels, "
     "or point datasets.train.label_column at the column that holds them"),
    ("id,text,label\nt0,只有一条,a\n",
     "InputError: dataset 'train' has 1 record: a label audit with cv=2 needs at least 4 labelled records "
     "(two classes of 2 each); add records or lower cv"),
], ids=["labels-all-empty", "one-record"])
def test_unusable_labels_are_an_error_of_the_assessment_not_a_verdict(label_project, train, expected):
    plan = label_project / "review.yaml"
    assert run_cli(label_project, "run", str(plan)).returncode in (0, 1)  # an earlier, good review
    before = store_snapshot(label_project)
    (label_project / "train.csv").write_text(train, encoding="utf-8")

    result = run_cli(label_project, "run", str(plan))

    assert result.returncode == 2, result.stderr
    assert expected in result.stderr and "Traceback" not in result.stderr
    after = store_snapshot(label_project)
    assert {run_id: after[run_id] for run_id in before} == before  # nothing earlier changed
    new = {run_id: state for run_id, state in after.items() if run_id not in before}
    assert {state[0] for state in new.values()} == {"FAILED"}  # the review and its assessment: none RUNNING
    [failed] = [state for state in new.values() if state[2].get(tracking.TAG_KIND) == "assessment"]
    assert failed[2][tracking.TAG_VERDICT] == "error" and failed[2][tracking.TAG_ERROR] == expected
    assert (label_project / "reports").exists() and any((label_project / "reports").rglob("label_robustness.ipynb"))


@pytest.mark.parametrize("content", [b"not a key at all\n", b"", "私钥".encode()], ids=["text", "empty", "chinese"])
def test_a_signing_key_file_that_holds_no_key_is_found_before_any_run(tiny_project, tmp_path, content):
    from assess.cli import main

    assert main(["run", str(tiny_project / "review.yaml"), "--only", "row_count"]) == 0
    before = store_snapshot(tiny_project)
    (tmp_path / "signing.pem").write_bytes(content)

    result = run_cli(tiny_project, "run", str(tiny_project / "review.yaml"),
                     env={"ASSESS_SIGNING_KEY_FILE": str(tmp_path / "signing.pem")})

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "error: the review did not start (1 problem; no run was opened):"
    assert "ASSESS_SIGNING_KEY" in lines[1] and "openssl genpkey -algorithm ed25519" in lines[1]
    assert len(lines) == 2 and "Traceback" not in result.stderr
    assert store_snapshot(tiny_project) == before


def test_an_evidence_store_folder_that_cannot_be_written_is_found_before_any_run(tiny_project):
    # A file where the store's folder should be: unwritable even for root, unlike a chmod.
    (tiny_project / "mlruns").write_text("not a folder", encoding="utf-8")

    result = run_cli(tiny_project, "run", str(tiny_project / "review.yaml"))

    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "error: the review did not start (1 problem; no run was opened):"
    assert lines[1].strip() == (f"evidence store folder {tiny_project / 'mlruns'} cannot be created: "
                                f"{tiny_project / 'mlruns'} is a file, not a folder: make it writable or point "
                                "MLFLOW_TRACKING_URI elsewhere")
    assert "sqlalchemy" not in result.stderr.lower() and "Traceback" not in result.stderr
    assert (tiny_project / "mlruns").read_text(encoding="utf-8") == "not a folder"
    assert not (tiny_project / "reports").exists()
