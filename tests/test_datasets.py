"""Reading datasets: each bad input gets a one-line error that names the file and the fix."""

from __future__ import annotations

import pytest

from assess.datasets import load_dataset
from assess.errors import InputError
from assess.plan import DatasetSpec


def spec(path, fmt="csv", **columns):
    return DatasetSpec(role="train", path=path, format=fmt, **columns)


def test_reads_csv_jsonl_and_txt(tmp_path):
    (tmp_path / "a.csv").write_text("id,text\n1,你好\n", encoding="utf-8")
    (tmp_path / "a.jsonl").write_text('{"id": 1, "text": "hi"}\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text("line one\nline two\n", encoding="utf-8")
    assert load_dataset(spec(tmp_path / "a.csv", id_column="id", text_column="text"))["text"].tolist() == ["你好"]
    assert load_dataset(spec(tmp_path / "a.jsonl", "jsonl", id_column="id"))["id"].tolist() == ["1"]
    assert load_dataset(spec(tmp_path / "a.txt", "txt"))["text"].tolist() == ["line one", "line two"]


@pytest.mark.parametrize("content, message", [
    (None, "does not exist: fix datasets.train.path"),
    (b"", "is empty"),
    (b"id,text\n", "has no records"),
    ("id,text\n1,caf\xe9\n".encode("latin-1"), "is not UTF-8 (line 2): re-encode it"),
    (b"id,words\n1,x\n", "column 'text' named in the plan is not in data.csv (columns: id, words): fix the plan's column name"),
])
def test_bad_datasets(tmp_path, content, message):
    path = tmp_path / "data.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_dataset(spec(path, id_column="id", text_column="text"))
