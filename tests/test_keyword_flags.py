"""Keyword flags (issue 19 item 6): context rules that drop terms not about a person, the plan's
terms added and excluded per flag type, and the evidence that records them. The last test runs the
real pii_training_data notebook (papermill, a real MLflow store)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assess.errors import InputError
from assess.pii import scan_text, scan_texts
from assess.pii.flag_settings import FlagSettings, flag_settings

KEY = b"test-key-not-secret"
BARE = FlagSettings(context_rules=False)  # the bare keyword match, as before the rules


def flags(text: str, settings: FlagSettings | None = None) -> list[tuple[str, str]]:
    return [(f.type, f.masked) for f in scan_text(text, key=KEY, flags=settings) if f.type.startswith("SENSITIVE_")]


# -- the two cases of the issue, and what must still be flagged ------------------------------------
def test_baby_formula_is_a_product_not_a_minor():
    text = "请问婴儿奶粉什么时候补货？"
    assert flags(text, BARE) == [("SENSITIVE_MINOR", "婴儿")]  # what the issue saw in 68 rows
    assert flags(text) == []
    assert flags("儿童座椅和宝宝推车一起买有优惠吗？") == []
    assert flags("Do you sell kid's toys without batteries?") == []


def test_a_payment_password_named_without_a_value_is_not_a_financial_account():
    for text in ("忘记支付密码怎么办？", "How do I reset my PIN code?", "I forgot my payment password."):
        assert flags(text) == [], text
    assert flags("忘记支付密码怎么办？", BARE) == [("SENSITIVE_FINANCIAL", "支付密码")]  # the 35 rows


def test_data_about_a_child_is_still_flagged():
    assert flags("我儿子今年8岁，这款手表他能戴吗？") == [("SENSITIVE_MINOR", "我儿子"), ("SENSITIVE_MINOR", "8岁")]
    assert flags("我家宝宝发烧了，退热贴能用吗？") == [("SENSITIVE_MINOR", "宝宝")]
    assert flags("my daughter is in kindergarten") == [("SENSITIVE_MINOR", "my daughter"), ("SENSITIVE_MINOR", "kindergarten")]


def test_a_password_or_account_with_its_value_is_still_flagged():
    assert flags("我的支付账户 6217 0000 1234 5678 被冻结了") == [("SENSITIVE_FINANCIAL", "支付账户")]
    assert flags("我的支付密码是 258369，请帮我改掉") == [("SENSITIVE_FINANCIAL", "支付密码")]
    assert flags("My PIN code is 4821 and it is rejected") == [("SENSITIVE_FINANCIAL", "PIN code")]


def test_other_categories_drop_products_notices_and_features():
    for text in ("未成年人禁止购买本商品", "这款手机支持指纹解锁吗？", "品质是我们的信仰", "电脑故障诊断需要多少钱？",
                 "残疾人专用坐便器有货吗？", "My account has been disabled, please help.", "App需要获取您的位置信息"):
        assert flags(text) == [], text
        assert flags(text, BARE), text  # each was a false flag before
    assert flags("我是残疾人，能不能送货上楼？") == [("SENSITIVE_SPECIFIC_IDENTITY", "残疾")]
    assert flags("I'm disabled and can't carry the parcel") == [("SENSITIVE_SPECIFIC_IDENTITY", "disabled")]


def test_a_rule_never_reads_a_neighbouring_record():
    # The engine joins a batch's records: a number in the next record is not this one's value.
    found = scan_texts(["忘记支付密码怎么办", "订单 123456 已发货"], key=KEY)
    assert [f.type for f in found[0]] == []
    found = scan_texts(["我叫王小明 支付密码", "654321"], key=KEY)
    assert "SENSITIVE_FINANCIAL" not in [f.type for f in found[0]]


# -- the plan's terms --------------------------------------------------------------------------------
def test_terms_added_and_excluded_per_flag_type():
    settings = flag_settings({"SENSITIVE_MINOR": ["童装", "toddlers"]}, {"SENSITIVE_FINANCIAL": ["工资", "loan"]})
    assert flags("这件童装给 toddlers 穿", settings) == [("SENSITIVE_MINOR", "童装"), ("SENSITIVE_MINOR", "toddlers")]
    assert flags("这件童装给 toddlers 穿") == []
    assert flags("我的工资8000，还有一笔loan", settings) == []
    assert flags("我的工资8000，还有一笔loan") == [("SENSITIVE_FINANCIAL", "工资"), ("SENSITIVE_FINANCIAL", "loan")]
    assert settings.as_evidence()["terms_added"] == {"SENSITIVE_MINOR": ["toddlers", "童装"]}
    assert settings.as_evidence()["terms_excluded"] == {"SENSITIVE_FINANCIAL": ["loan", "工资"]}


@pytest.mark.parametrize("add, exclude, message", [
    ({"minor": ["x"]}, None, "keyword_terms_add names unknown category 'minor': use one of SENSITIVE_BIOMETRIC, "
                             "SENSITIVE_FINANCIAL, SENSITIVE_HEALTH, SENSITIVE_MINOR, SENSITIVE_RELIGION, "
                             "SENSITIVE_SPECIFIC_IDENTITY, SENSITIVE_WHEREABOUTS"),
    (None, {"SENSITIVE_FINANCIAL": ["工资单"]}, "keyword_terms_exclude[SENSITIVE_FINANCIAL]: '工资单' is not a term of "
                                              "SENSITIVE_FINANCIAL: use one of 银行账户"),
    ({"SENSITIVE_MINOR": "童装"}, None, "keyword_terms_add[SENSITIVE_MINOR] must be a list of non-empty terms"),
    ({"SENSITIVE_MINOR": ["4kids"]}, None, "keyword_terms_add[SENSITIVE_MINOR]: English term '4kids' must start with a letter"),
])
def test_bad_terms_are_one_line_errors(add, exclude, message):
    with pytest.raises(InputError) as error:
        flag_settings(add, exclude)
    assert str(error.value).startswith(message) and "\n" not in str(error.value)


PLAN = """version: 1
notebooks_dir: {notebooks}
subjects:
  shop:
    datasets:
      train: {{path: chats.csv, id_column: id, text_column: text}}
    assessments:
      pii_training_data: {{datasets: [train], max_pii_record_share: 1.0, lawful_basis: {{'*': consent ledger 7}},
                          processes: 1{extra}}}
"""


def write_project(folder, extra: str = ""):
    from conftest import REPO

    rows = ["id,text", "1,请问婴儿奶粉什么时候补货？", "2,忘记支付密码怎么办？", "3,我儿子今年8岁 电话13812345678",
            "4,这件童装有货吗", "5,我的工资8000 电话13912345678"]
    (folder / "chats.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "review.yaml").write_text(PLAN.format(notebooks=REPO / "notebooks", extra=extra), encoding="utf-8")


def test_the_plan_rejects_an_unknown_category_in_one_line(tmp_path):
    from assess.plan import load_plan

    write_project(tmp_path, ", keyword_terms_add: {minor: [童装]}")
    with pytest.raises(InputError) as error:
        load_plan(tmp_path / "review.yaml")
    assert str(error.value) == ("review.yaml:9: subjects.shop.assessments.pii_training_data.keyword_terms_add.minor: "
                                "expected one of SENSITIVE_BIOMETRIC, SENSITIVE_FINANCIAL, SENSITIVE_HEALTH, "
                                "SENSITIVE_MINOR, SENSITIVE_RELIGION, SENSITIVE_SPECIFIC_IDENTITY, "
                                "SENSITIVE_WHEREABOUTS, got 'minor'")
    write_project(tmp_path, ", keyword_terms_exclude: {SENSITIVE_FINANCIAL: 工资}")
    with pytest.raises(InputError, match=r"keyword_terms_exclude.SENSITIVE_FINANCIAL: expected a list"):
        load_plan(tmp_path / "review.yaml")


def test_a_review_applies_and_records_the_plans_terms(tmp_path):
    import os
    import subprocess
    import sys

    from assess import tracking

    write_project(tmp_path, ", keyword_terms_add: {SENSITIVE_MINOR: [童装]}, "
                            "keyword_terms_exclude: {SENSITIVE_FINANCIAL: [工资]}")
    # A child process: a review leaves MLflow's threads behind, and later tests fork scan workers.
    done = subprocess.run([sys.executable, "-m", "assess", "run", "review.yaml"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=600, env=os.environ | {"ASSESS_HASH_KEY": "keyword-flags-test-key"})
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    client = tracking.client_for(tracking.embedded_uri(tmp_path))
    experiment = client.get_experiment_by_name(tracking.experiment_name("shop"))
    [run] = client.search_runs([experiment.experiment_id], f"tags.`{tracking.TAG_ASSESSMENT}` = 'pii_training_data'")
    assert run.info.status == "FINISHED"
    assert json.loads(run.data.params["keyword_terms_add"]) == {"SENSITIVE_MINOR": ["童装"]}
    assert json.loads(run.data.params["keyword_terms_exclude"]) == {"SENSITIVE_FINANCIAL": ["工资"]}

    def artifact(path):
        return Path(client.download_artifacts(run.info.run_id, path, str(tmp_path / "downloads"))).read_text(encoding="utf-8")

    recorded = json.loads(artifact("evidence/pii_keyword_flags.json"))
    assert recorded["terms_added"] == {"SENSITIVE_MINOR": ["童装"]}
    assert recorded["terms_excluded"] == {"SENSITIVE_FINANCIAL": ["工资"]}
    assert any(rule["type"] == "SENSITIVE_MINOR" and "奶粉" in rule["words"] for rule in recorded["context_rules"])
    findings = [json.loads(line) for line in artifact("findings/pii_train.jsonl").splitlines()]
    found = sorted((f["record_id"], f["masked"]) for f in findings if f["type"].startswith("SENSITIVE_"))
    # 婴儿奶粉 and the generic 支付密码 dropped by the rules, 童装 added, 工资 excluded; the child kept.
    assert found == [("3", "8岁"), ("3", "我儿子"), ("4", "童装")]
