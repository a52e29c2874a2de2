"""Every recognizer: valid values, look-alikes that must not be reported, a Chinese-character
boundary, and separators. Real valid examples are published ones (the GB 11643 example ID, company USCCs); others are generated."""

from __future__ import annotations

import random

import pytest

from assess.pii import scan_text
from assess.pii import synthetic as gen
from assess.pii.checksums import cn_id_check_char, luhn_valid

KEY = b"test-key"


def found(text: str, finding_type: str) -> list[str]:
    """Values of ``finding_type`` found in ``text`` (tests may look at raw values; evidence may not)."""
    return [text[f.start:f.end] for f in scan_text(text, key=KEY) if f.type == finding_type]


def _id_with_region(region: str) -> str:
    body = region + "19491231002"
    return body + cn_id_check_char(body)


RNG = random.Random(11)

CASES = {
    "CN_RESIDENT_ID": {
        "valid": ["11010519491231002X", "53010219200508011X", "11010519491231002x",
                  *(gen.cn_resident_id(RNG) for _ in range(5)), "身份证号110105491231002"],
        "invalid": ["110101199003077578", *(gen.cn_resident_id_bad_check(RNG) for _ in range(3)),
                    *(gen.cn_resident_id_bad_date(RNG) for _ in range(3)), _id_with_region("990105"),
                    _id_with_region("110000"), "110105491231002", "111010519491231002X", "11010519491231002XY"],
        "boundary": ("身份证号11010519491231002X，请核实", "11010519491231002X"),
        "separators": ["110105 19491231 002X", "110105-19491231-002X"],
    },
    "CN_MOBILE": {
        "valid": ["13812345678", "+86 138 1234 5678", "+86-138-1234-5678", "0086 13812345678",
                  "(+86)13812345678", "138-1234-5678", *(gen.cn_mobile(RNG) for _ in range(3))],
        "invalid": ["12345678901", "10012345678", "14012345678", "138123456789", "213812345678",
                    *(gen.cn_mobile_bad_prefix(RNG) for _ in range(3))],
        "boundary": ("电话13812345678谢谢", "13812345678"),
        "separators": ["138 1234 5678", "138-1234-5678"],
    },
    "CN_LANDLINE": {
        "valid": ["010-62345678", "(0755) 8765 4321", "0571-8765432", "+86 21 6234 5678", "座机02162345678",
                  "010-62345678转123"],
        "invalid": ["010-12345678", "0755-123", "02162345678", "2024-05-12"],
        "boundary": ("公司电话010-62345678，工作日", "010-62345678"),
        "separators": ["021 6234 5678", "(021)62345678"],
    },
    "EMAIL_ADDRESS": {
        "valid": ["john.doe@example.com", "zhang.wei88@qq.com", "a_b+tag@mail.corp.com.cn"],
        "invalid": ["john@localhost", "@example.com", "john@.com", "user@example"],
        "boundary": ("邮箱zhang.wei88@qq.com请回复", "zhang.wei88@qq.com"),
        "separators": ["first.last-name@sub-domain.example.org"],
    },
    "CN_BANK_CARD": {
        "valid": [gen.unionpay_card(RNG, 16), gen.unionpay_card(RNG, 19), gen.unionpay_card(RNG, 17)],
        "invalid": [*(gen.unionpay_card_bad_luhn(RNG) for _ in range(3)), "62220212345678", "6222021234567890123456"],
        "boundary": None,
        "separators": [gen.grouped(gen.unionpay_card(RNG, 16)), gen.grouped(gen.unionpay_card(RNG, 16), sep="-"),
                       gen.grouped(gen.unionpay_card(RNG, 19))],
    },
    "CREDIT_CARD": {
        "valid": ["4111111111111111", "5500000000000004", "378282246310005", "371449635398431",
                  *(gen.credit_card(RNG) for _ in range(3))],
        "invalid": ["4111111111111112", "9111111111111111", "41111111111111", "1234567812345670"],
        "boundary": ("信用卡4111111111111111已冻结", "4111111111111111"),
        "separators": ["4111 1111 1111 1111", "5500-0000-0000-0004", "3782 822463 10005"],
    },
    "CN_PASSPORT": {
        "valid": ["E12345678", "EA1234567", "G12345678", "护照E12345678", "DE1234567"],
        "invalid": ["E1234567", "EI1234567", "E123456789", "XE12345678", "e12345678"],
        "boundary": ("护照号码E12345678，有效期", "E12345678"),
        "separators": None,  # printed without separators
    },
    "CN_HK_MACAU_PERMIT": {
        "valid": ["港澳通行证C12345678", "回乡证H12345678", "通行证号W87654321", "回乡证M1234567890"],
        "invalid": ["C12345678", "港澳通行证C1234567", "通行证Q12345678", "港澳通行证C123456789"],
        "boundary": ("我的港澳通行证C12345678过期了", "C12345678"),
        "separators": None,
    },
    "CN_USCC": {
        "valid": ["91110000802100433B", "91350100M000100Y43", "91110108MA01KP2T5U", "91440300MA5FYBFG1P",
                  *(gen.uscc(RNG) for _ in range(3))],
        "invalid": ["91110000802100433C", "91110000802100433I", "99110000802100433B", "9111000080210043B"],
        "boundary": ("统一社会信用代码91110000802100433B（百度）", "91110000802100433B"),
        "separators": None,
    },
    "CN_LICENSE_PLATE": {
        "valid": ["京A12345", "京AD12345", "粤B12345D", "沪A1234学", "川A2B345", *(gen.cn_license_plate(RNG) for _ in range(3))],
        "invalid": ["京I12345", "京AABCDE", "京A1234", "A12345"],
        "boundary": ("车牌号京A12345的车主", "京A12345"),
        "separators": ["京A·12345", "粤B 12345", "京A-D12345"],
    },
    "IP_ADDRESS": {
        "valid": ["192.168.1.10", "8.8.8.8", "2001:db8::8a2e:370:7334", "fe80::1ff:fe23:4567:890a",
                  "2001:0db8:85a3:0000:0000:8a2e:0370:7334"],
        "invalid": ["version 1.2.3.4", "v1.2.3.4", "版本1.2.3.4", "256.1.1.1", "1.2.3", "12:30:45", "1.2.3.4.5",
                    "0.0.0.0"],
        "boundary": ("服务器10.0.0.1登录失败", "10.0.0.1"),
        "separators": None,
    },
    "MAC_ADDRESS": {
        "valid": ["00:1A:2B:3C:4D:5E", "00-1a-2b-3c-4d-5e", "001a.2b3c.4d5e", *(gen.mac_address(RNG) for _ in range(3))],
        "invalid": ["00:1A:2B:3C:4D", "00:1A-2B:3C:4D:5E", "00:00:00:00:00:00", "00:1A:2B:3C:4D:5E:6F"],
        "boundary": ("设备MAC地址00:1A:2B:3C:4D:5E已绑定", "00:1A:2B:3C:4D:5E"),
        "separators": ["00-1A-2B-3C-4D-5E", "001A.2B3C.4D5E"],
    },
    "IBAN_CODE": {
        "valid": ["DE89370400440532013000", "GB82WEST12345698765432", *(gen.iban(RNG) for _ in range(3))],
        "invalid": ["DE89370400440532013001", "GB82WEST1234569876543", "XX89370400440532013000"],
        "boundary": ("汇款账户DE89370400440532013000，谢谢", "DE89370400440532013000"),
        "separators": ["GB82 WEST 1234 5698 7654 32", "DE89 3704 0044 0532 0130 00"],
    },
    "US_SSN": {
        "valid": ["123-45-6789", "SSN 123456789", "078-05-1121"],
        "invalid": ["666-12-3456", "000-12-3456", "900-12-3456", "123-00-4567", "123-45-0000", "078-05-1120",
                    "123456789"],
        "boundary": ("社会安全号123-45-6789已提交", "123-45-6789"),
        "separators": ["123 45 6789"],
    },
    "GPS_COORDINATES": {
        "valid": ["39.904200, 116.407400", "坐标：31.2304，121.4737", "N39.9042 E116.4074", "-33.8688, 151.2093"],
        "invalid": ["1.5, 2.5", "95.12345, 10.12345", "39.9042, 190.1234", "3.14159"],
        "boundary": ("我在39.9042,116.4074附近", "39.9042,116.4074"),
        "separators": ["39.9042;116.4074", "39.9042 / 116.4074"],
    },
    "PHONE_NUMBER": {
        "valid": ["+1 415-555-0132", "+44 20 7946 0958", "(212) 555-1234", "+49 30 901820"],
        "invalid": ["+1 23", "555-1234", "+86 138 1234 5678"],
        "boundary": ("国外电话+1 415-555-0132请回拨", "+1 415-555-0132"),
        "separators": ["+1.415.555.0132", "+44-20-7946-0958"],
    },
}


def _ids(values):
    return [f"{i}" for i in range(len(values))]


@pytest.mark.parametrize("finding_type,value", [(t, v) for t, c in CASES.items() for v in c["valid"]])
def test_valid_values_are_found(finding_type, value):
    hits = found(value, finding_type)
    assert len(hits) == 1, (finding_type, value, hits)
    assert hits[0] in value


@pytest.mark.parametrize("finding_type,value", [(t, v) for t, c in CASES.items() for v in c["invalid"]])
def test_look_alikes_are_not_reported(finding_type, value):
    assert found(value, finding_type) == []
    assert found(f"编号{value}请核对", finding_type) == []


@pytest.mark.parametrize("finding_type", [t for t, c in CASES.items() if c["boundary"]])
def test_found_next_to_chinese_characters(finding_type):
    text, expected = CASES[finding_type]["boundary"]
    assert found(text, finding_type) == [expected]


@pytest.mark.parametrize("finding_type,value", [(t, v) for t, c in CASES.items() for v in (c["separators"] or [])])
def test_found_with_separators(finding_type, value):
    assert found(f"号码：{value}。", finding_type) == [value]


def test_glued_digits_are_not_an_identifier():
    # An ID inside a longer digit run is a different number.
    assert found("单号9911010519491231002X", "CN_RESIDENT_ID") == []
    assert found("13812345678901", "CN_MOBILE") == []


def test_fifteen_digit_id_needs_context():
    assert found("编号110105491231002", "CN_RESIDENT_ID") == []
    assert found("身份证：110105491231002", "CN_RESIDENT_ID") == ["110105491231002"]


def test_luhn_failing_card_is_not_reported_even_with_context():
    bad = gen.unionpay_card_bad_luhn(random.Random(3))
    assert not luhn_valid(bad)
    assert found(f"银行卡号{bad}", "CN_BANK_CARD") == []


def test_a_resident_id_that_also_passes_luhn_is_one_finding():
    # Gansu IDs start with 62 like UnionPay cards; the checksum-valid ID wins the overlap.
    for sequence in range(1000):
        body = f"62010219800101{sequence:03d}"
        candidate = body + cn_id_check_char(body)
        if candidate.isdigit() and luhn_valid(candidate):
            break
    findings = scan_text(f"证件{candidate}", key=KEY)
    assert [f.type for f in findings] == ["CN_RESIDENT_ID"]


@pytest.mark.parametrize("text,expected", [
    ("我叫王小明，今年三十岁", ["王小明"]),
    ("联系人：张伟 电话见下", ["张伟"]),
    ("李女士您好，您的快递到了", ["李"]),
    ("请欧阳娜娜女士到前台", ["欧阳娜娜"]),
    ("我姓王，叫我小王就行", ["王"]),
    ("My name is John Smith.", ["John Smith"]),
    ("Please ask Mr. Brown to call.", ["Brown"]),
    ("Dr. Emily Clark will see you", ["Emily Clark"]),
])
def test_person_names_by_context(text, expected):
    assert found(text, "PERSON") == expected


@pytest.mark.parametrize("text", ["我叫什么名字", "my name is not important", "Mrsomething happened", "首先生成报告",
                                  "The Customer Service team"])
def test_person_look_alikes(text):
    assert found(text, "PERSON") == []


@pytest.mark.parametrize("text,expected", [
    ("我住在北京市海淀区中关村大街27号", ["北京市海淀区中关村大街27号"]),
    ("请寄到上海市浦东新区世纪大道100号3栋501室，谢谢", ["上海市浦东新区世纪大道100号3栋501室"]),
    ("送到中山路5号", ["中山路5号"]),
    ("I live at 123 Main Street, Springfield.", ["123 Main Street, Springfield"]),
    ("Ship it to 42 Oak Ave, Apt 5, Madison, WI 53703", ["42 Oak Ave, Apt 5, Madison, WI 53703"]),
])
def test_addresses(text, expected):
    assert found(text, "LOCATION") == expected


@pytest.mark.parametrize("text", ["我的手机号是多少", "衣服大一号", "账号已冻结", "I walked down the street", "the way home"])
def test_address_look_alikes(text):
    assert found(text, "LOCATION") == []


@pytest.mark.parametrize("text,finding_type", [
    ("他患有糖尿病", "SENSITIVE_HEALTH"),
    ("I was diagnosed with cancer", "SENSITIVE_HEALTH"),
    ("需要采集指纹", "SENSITIVE_BIOMETRIC"),
    ("我是佛教徒", "SENSITIVE_RELIGION"),
    ("She is Muslim", "SENSITIVE_RELIGION"),
    ("他有犯罪记录", "SENSITIVE_SPECIFIC_IDENTITY"),
    ("请提供银行流水和征信报告", "SENSITIVE_FINANCIAL"),
    ("查询他的行动轨迹", "SENSITIVE_WHEREABOUTS"),
    ("我女儿今年6岁", "SENSITIVE_MINOR"),
    ("my son is 8 years old", "SENSITIVE_MINOR"),
    ("孩子十二岁", "SENSITIVE_MINOR"),
])
def test_sensitive_category_flags(text, finding_type):
    assert found(text, finding_type)


@pytest.mark.parametrize("text", ["孩子18岁了", "8岁以上适用", "a 30 years old building", "the old phone"])
def test_ages_of_14_and_over_are_not_minors(text):
    assert found(text, "SENSITIVE_MINOR") == []
