"""Acceptance sampling: sample size, Clopper-Pearson bounds, stratified draw and the sheet round trip."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from assess.errors import InputError
from assess.labels.sampling import (allocate, assess_review, clopper_pearson, draw_sample, read_reviewed_sheet,
                                    review_sheet, sample_size)


def binomial_cdf(c: int, n: int, p: float) -> float:
    """P(X <= c), X ~ Binomial(n, p), summed exactly (no scipy), as a reference."""
    return sum(math.comb(n, k) * p ** k * (1 - p) ** (n - k) for k in range(c + 1))


@pytest.mark.parametrize("p0, confidence, expected", [(0.95, 0.95, 59), (0.99, 0.95, 299), (0.90, 0.90, 22),
                                                      (0.95, 0.99, 90), (0.98, 0.95, 149)])
def test_zero_acceptance_size_matches_closed_form(p0, confidence, expected):
    assert sample_size(p0, confidence) == expected
    assert expected == math.ceil(math.log(1 - confidence) / math.log(p0))


@pytest.mark.parametrize("p0, confidence, c", [(0.95, 0.95, 1), (0.95, 0.95, 3), (0.9, 0.8, 2)])
def test_c_acceptance_size_is_the_smallest_that_works(p0, confidence, c):
    n = sample_size(p0, confidence, allowed_errors=c)
    alpha = 1 - confidence
    assert binomial_cdf(c, n, 1 - p0) <= alpha < binomial_cdf(c, n - 1, 1 - p0)


def test_plan_and_verdict_agree():
    """With the planned n, c errors pass (lower bound >= p0) and c + 1 errors fail."""
    for c in (0, 2):
        n = sample_size(0.95, 0.95, allowed_errors=c)
        assert clopper_pearson(n - c, n, 0.95, "greater")[0] >= 0.95
        assert clopper_pearson(n - c - 1, n, 0.95, "greater")[0] < 0.95


def test_clopper_pearson_edges_and_known_value():
    n, alpha = 20, 0.05
    assert clopper_pearson(0, n, 0.95) == pytest.approx((0.0, 1 - (alpha / 2) ** (1 / n)))
    assert clopper_pearson(n, n, 0.95) == pytest.approx(((alpha / 2) ** (1 / n), 1.0))
    assert clopper_pearson(n, n, 0.95, "greater") == pytest.approx((alpha ** (1 / n), 1.0))
    assert clopper_pearson(0, n, 0.95, "less") == pytest.approx((0.0, 1 - alpha ** (1 / n)))
    # 5 of 10 at 95%: the textbook exact interval (0.1871, 0.8129)
    low, high = clopper_pearson(5, 10, 0.95)
    assert (round(low, 4), round(high, 4)) == (0.1871, 0.8129)
    with pytest.raises(InputError):
        clopper_pearson(11, 10)


def test_bad_plan_values_are_named():
    with pytest.raises(InputError, match="required_accuracy=1.2"):
        sample_size(1.2, 0.95)
    with pytest.raises(InputError, match="confidence=0"):
        sample_size(0.95, 0)
    with pytest.raises(InputError, match="allowed_errors=-1"):
        sample_size(0.95, 0.95, allowed_errors=-1)


def test_allocation_is_proportional_by_largest_remainder():
    assert allocate(np.array([500, 300, 150, 50]), 59).tolist() == [29, 18, 9, 3]
    # no forced row for tiny classes: it would over-sample them and bias the accuracy estimate
    assert allocate(np.array([1000, 5, 5, 5]), 10).tolist() == [10, 0, 0, 0]
    assert allocate(np.array([3, 3, 3]), 2).sum() == 2


def test_stratified_draw_is_seeded_and_proportional():
    labels = ["a"] * 600 + ["b"] * 300 + ["c"] * 100
    ids = [f"u{i}" for i in range(1000)]
    first = draw_sample(ids, labels, 100, seed=7)
    assert first == draw_sample(ids, labels, 100, seed=7)
    assert first != draw_sample(ids, labels, 100, seed=8)
    drawn = pd.Series([labels[int(i[1:])] for i in first]).value_counts().to_dict()
    assert drawn == {"a": 60, "b": 30, "c": 10}
    assert len(set(first)) == 100
    assert sorted(draw_sample(ids[:5], labels[:5], 10)) == sorted(ids[:5])  # smaller than the sample: all


@pytest.fixture
def issued():
    ids = [f"u{i:03d}" for i in range(40)]
    texts = [f"call 1381234{i:04d} about order {i}" for i in range(40)]
    labels = ["refund" if i % 3 else "billing" for i in range(40)]
    sample = draw_sample(ids, labels, 10, seed=1)
    return review_sheet(ids, texts, labels, sample), dict(zip(ids, texts))


def test_sheet_is_masked_with_blank_review_column(issued):
    sheet, raw = issued
    assert list(sheet.columns) == ["id", "text", "given_label", "reviewed_label"]
    assert (sheet["reviewed_label"] == "").all()
    for record_id, text in zip(sheet["id"], sheet["text"]):
        assert text != raw[record_id] and "1381234" not in text


def write(tmp_path, sheet: pd.DataFrame, name: str = "reviewed.csv"):
    path = tmp_path / name
    sheet.to_csv(path, index=False)
    return path


def test_reviewed_sheet_round_trip_and_verdict(tmp_path, issued):
    sheet, _ = issued
    filled = sheet.assign(reviewed_label=sheet["given_label"])
    reviewed = read_reviewed_sheet(write(tmp_path, filled), sheet, ["billing", "refund"])
    result = assess_review(reviewed, required_accuracy=0.7, confidence=0.95)
    assert (result.n, result.errors, result.accuracy) == (10, 0, 1.0)
    assert result.lower_bound == pytest.approx(0.05 ** (1 / 10)) and result.accepted
    filled.loc[0, "reviewed_label"] = "billing" if filled.loc[0, "given_label"] == "refund" else "refund"
    result = assess_review(read_reviewed_sheet(write(tmp_path, filled), sheet, ["billing", "refund"]), 0.7, 0.95)
    assert result.errors == 1 and not result.accepted
    assert result.interval == pytest.approx(clopper_pearson(9, 10, 0.95))


@pytest.mark.parametrize("edit, message", [
    (lambda s: s.drop(columns="reviewed_label"), "lacks column.*reviewed_label"),
    (lambda s: s.iloc[:7], "missing 3 of 10 sampled rows"),
    (lambda s: s.assign(id=["zzz"] + s["id"].tolist()[1:]), "1 id.*not in the issued sample.*zzz"),
    (lambda s: pd.concat([s, s.iloc[[0]]]), "more than once"),
    (lambda s: s.assign(reviewed_label=[""] + s["given_label"].tolist()[1:]), "1 row.*without reviewed_label"),
    (lambda s: s.assign(reviewed_label=["refunds"] + s["given_label"].tolist()[1:]), "'refunds' that are not classes"),
    (lambda s: s.assign(given_label=["other"] + s["given_label"].tolist()[1:]), "given_label differs from the dataset"),
])
def test_bad_reviewed_sheet_is_refused(tmp_path, issued, edit, message):
    sheet, _ = issued
    filled = edit(sheet.assign(reviewed_label=sheet["given_label"]))
    with pytest.raises(InputError, match=message):
        read_reviewed_sheet(write(tmp_path, filled), sheet, ["billing", "refund"])


def test_unreadable_sheet_is_refused(tmp_path, issued):
    sheet, _ = issued
    with pytest.raises(InputError, match="does not exist"):
        read_reviewed_sheet(tmp_path / "absent.csv", sheet, ["refund"])
    path = tmp_path / "gbk.csv"
    path.write_bytes("id,reviewed_label\nu001,退款\n".encode("gbk"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_reviewed_sheet(path, sheet, ["refund"])
