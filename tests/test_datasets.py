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
    (b"id,words\n1,x\n", "column 'text' named in the plan is not in data.csv (columns: id, words): fix the column name in the plan"),
])
def test_bad_datasets(tmp_path, content, message):
    path = tmp_path / "data.csv"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_dataset(spec(path, id_column="id", text_column="text"))


def test_txt_lines_end_at_newline_crlf_or_lone_cr_only(tmp_path):
    from assess.datasets import iter_chunks

    path = tmp_path / "a.txt"
    # \x0b, \x1c and \u2028 are line breaks to str.splitlines, not to a text file.
    path.write_bytes("one\r\ntwo\rthree\n\nfour\x0bfive\x1c\u2028six\r\n\r\nseven".encode("utf-8"))
    chunks = list(iter_chunks(path, "txt", chunk_size=3))
    assert [c.raw for c in chunks] == [["one", "two", "three"], ["", "four\x0bfive\x1c\u2028six", ""], ["seven"]]
    assert [c.row_offset for c in chunks] == [0, 3, 6]
    assert chunks[1].frame["text"].tolist() == chunks[1].column("text")


def test_jsonl_chunk_columns_match_its_frame(tmp_path):
    from assess.datasets import iter_chunks

    path = tmp_path / "a.jsonl"
    path.write_text('{"id": 1, "text": "a"}\n\n{"id": 2}\n{"id": 3, "text": 5, "x": {"k": "v"}}\n', encoding="utf-8")
    (chunk,) = iter_chunks(path, "jsonl")
    assert chunk.column("text") == ["a", None, 5] and chunk.column("x") == [None, None, {"k": "v"}]
    assert chunk.column("missing") == [None, None, None]
    assert chunk.frame["id"].tolist() == [1, 2, 3] and len(chunk) == 3
