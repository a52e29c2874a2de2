"""Files streamed in chunks (several per file), on one or two processes, in every format; redacted copies."""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest

from assess.errors import InputError
from assess.pii import redact_file, scan_file, scan_frame
from assess.pii import synthetic as gen

KEY = b"test-key"
CHUNK = 37  # records per chunk: the test files hold several chunks


def _records(count: int = 130, seed: int = 5) -> tuple[pd.DataFrame, list[str]]:
    rng = random.Random(seed)
    texts, raw = [], []
    for i in range(count):
        if i % 3 == 0:
            value = gen.cn_resident_id(rng)
            texts.append(f"第{i}条：身份证{value}，请核实")
        elif i % 3 == 1:
            value = gen.cn_mobile(rng)
            texts.append(f"call me at {value} please")
        else:
            value = None
            texts.append(f"no personal data in record {i}")
        if value:
            raw.append(value)
    frame = pd.DataFrame({"id": [f"u{i:04d}" for i in range(count)], "text": texts, "n": range(count)})
    return frame, raw


def _write(frame: pd.DataFrame, path, fmt: str) -> None:
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "jsonl":
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in frame.to_dict(orient="records")),
                        encoding="utf-8")
    elif fmt == "parquet":
        frame.to_parquet(path, row_group_size=CHUNK)
    else:
        path.write_text("\n".join(frame["text"]) + "\n", encoding="utf-8")


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "txt"])
@pytest.mark.parametrize("processes", [1, 2])
def test_streamed_scan_equals_whole_frame_scan(tmp_path, fmt, processes):
    frame, raw = _records()
    path = tmp_path / f"data.{fmt}"
    _write(frame, path, fmt)
    id_column = None if fmt == "txt" else "id"
    result = scan_file(path, columns=["text"], id_column=id_column, key=KEY, chunk_size=CHUNK, processes=processes,
                       out=tmp_path / "findings.jsonl")
    assert result.records == len(frame) and len(frame) > 3 * CHUNK
    expected = scan_frame(frame, ["text"], id_column=id_column, key=KEY)
    got = result.findings
    assert len(got) == len(expected) == len(raw)
    assert list(got["value_hash"]) == list(expected["value_hash"])
    assert list(got["row"]) == [int(frame.index[frame["id"] == r][0]) if id_column else r for r in got["record_id"]]
    lines = (tmp_path / "findings.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(raw)
    first = json.loads(lines[0])
    assert {"row", "column", "type", "start", "end", "masked"} <= set(first)
    assert not any(value in line for value in raw for line in lines)


def test_default_columns_are_the_string_columns(tmp_path):
    frame, _ = _records(20)
    path = tmp_path / "data.jsonl"
    _write(frame, path, "jsonl")
    assert scan_file(path, id_column="id", key=KEY, processes=1).columns == ["text"]


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "txt"])
def test_redacted_copy_has_no_raw_value_and_same_records(tmp_path, fmt):
    frame, raw = _records()
    path, out = tmp_path / f"data.{fmt}", tmp_path / f"redacted.{fmt}"
    _write(frame, path, fmt)
    id_column = None if fmt == "txt" else "id"
    result = redact_file(path, out, mode="placeholder", columns=["text"], id_column=id_column, key=KEY,
                         chunk_size=CHUNK, processes=2)
    assert result.records == len(frame) and result.findings == len(raw)
    if fmt == "parquet":
        copy = pd.read_parquet(out)
        content = copy.to_csv()
        assert list(copy["id"]) == list(frame["id"]) and list(copy["n"]) == list(frame["n"])
    else:
        content = out.read_text(encoding="utf-8")
    assert not any(value in content for value in raw)
    assert content.count("<CN_RESIDENT_ID>") + content.count("<CN_MOBILE>") == len(raw)
    if fmt == "jsonl":
        records = [json.loads(line) for line in content.splitlines()]
        assert [r["n"] for r in records] == list(frame["n"])  # untouched fields keep their type


def test_bad_inputs_are_one_line_errors(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        scan_file(tmp_path / "missing.csv", key=KEY)
    (tmp_path / "data.xlsx").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="cannot tell the format"):
        scan_file(tmp_path / "data.xlsx", key=KEY)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{"text": "身份证11010519491231002X"\n', encoding="utf-8")
    with pytest.raises(InputError, match="line 2 is not valid JSON") as error:
        scan_file(bad, key=KEY, processes=1)
    assert "11010519491231002X" not in str(error.value)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("text\n身份证号码\n".encode("gb18030"))
    with pytest.raises(InputError, match="not UTF-8"):
        scan_file(gbk, key=KEY, processes=1)
    frame, _ = _records(5)
    path = tmp_path / "data.csv"
    _write(frame, path, "csv")
    with pytest.raises(InputError, match="--out .* is the input file"):
        redact_file(path, path, key=KEY)
    with pytest.raises(InputError, match="chunk size"):
        scan_file(path, key=KEY, chunk_size=0)


@pytest.mark.parametrize("processes", [1, 2])
def test_jsonl_with_missing_empty_and_non_text_values_scans_as_its_frame(tmp_path, processes):
    rng = random.Random(9)
    records = []
    for i in range(120):
        record = {"id": f"u{i}", "text": f"身份证{gen.cn_resident_id(rng)}，电话{gen.cn_mobile(rng)}"}
        if i % 5 == 0:
            record["text"] = ""
        if i % 7 == 0:
            del record["text"]
        if i % 11 == 0:
            record["text"] = int(gen.cn_mobile(rng))  # a number, scanned as its text
        records.append(record)
    path = tmp_path / "data.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    result = scan_file(path, columns=["text"], id_column="id", key=KEY, chunk_size=CHUNK, processes=processes)
    expected = scan_frame(pd.DataFrame(records, dtype=object), ["text"], id_column="id", key=KEY)
    assert len(expected) > 150
    assert list(result.findings["record_id"]) == list(expected["record_id"])
    assert list(result.findings["value_hash"]) == list(expected["value_hash"])
    assert list(result.findings["start"]) == list(expected["start"])


def test_jsonl_values_read_and_written_back_as_json_reads_them(tmp_path):
    # orjson (the fast parser) would read 24 digits as a float and reject NaN; both must survive.
    rng = random.Random(4)
    resident_id = gen.cn_resident_id(rng)
    path, out = tmp_path / "data.jsonl", tmp_path / "redacted.jsonl"
    path.write_text(f'{{"id": 123456789012345678901234, "text": "身份证{resident_id}"}}\n'
                    f'{{"id": 2, "score": NaN, "text": "ok"}}\n', encoding="utf-8")
    result = scan_file(path, columns=["id", "text"], key=KEY, processes=1)
    assert list(result.findings["type"]) == ["CN_RESIDENT_ID"]
    redact_file(path, out, columns=["text"], id_column="id", key=KEY, processes=1)
    copy = out.read_text(encoding="utf-8")
    assert '"id": 123456789012345678901234,' in copy and '"score": NaN' in copy and resident_id not in copy


def test_invalid_jsonl_line_in_a_later_chunk_is_one_line_error_from_a_worker(tmp_path):
    frame, raw = _records()
    path = tmp_path / "data.jsonl"
    _write(frame, path, "jsonl")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[100] = lines[100].replace("}", "", 1)  # line 101, in the third chunk
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError, match=r"data.jsonl line 101 is not valid JSON \(.*\): fix that line$") as error:
        scan_file(path, columns=["text"], id_column="id", key=KEY, chunk_size=CHUNK, processes=2)
    assert not any(value in str(error.value) for value in raw)
