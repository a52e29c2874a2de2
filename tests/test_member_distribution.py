"""The blind distribution-shift baseline: same-source sets give AUC near 0.5, shifted sets are flagged."""

import numpy as np
import pytest

from assess.errors import InputError
from assess.leakage.distribution import SHIFT_AUC_WARNING, member_distribution_shift

ENGLISH = ("please", "reset", "my", "password", "order", "refund", "delivery", "late", "account", "help",
           "the", "is", "where", "can", "you", "change", "address", "invoice", "card", "today")
CHINESE = ("请", "帮", "我", "重", "置", "密", "码", "订", "单", "退", "款", "快", "递", "账", "户", "地", "址", "发",
           "票", "今", "天")
LEGAL = ("notwithstanding", "hereinafter", "indemnification", "jurisdiction", "arbitration", "covenant",
         "warranties", "liabilities", "pursuant", "thereof")


def _sentences(words, n, rng, low=4, high=12, sep=" "):
    return [sep.join(rng.choice(words, size=rng.integers(low, high))) for _ in range(n)]


def test_texts_from_one_generator_are_not_separated():
    rng = np.random.default_rng(0)
    texts = _sentences(ENGLISH, 400, rng)
    result = member_distribution_shift(texts[:200], texts[200:], seed=0)
    assert result["auc"] < SHIFT_AUC_WARNING
    assert result["warning"] is False
    assert result["n_per_side"] == 200
    assert "TF-IDF" in result["features"]


def test_chinese_members_and_english_non_members_are_flagged():
    rng = np.random.default_rng(1)
    result = member_distribution_shift(_sentences(CHINESE, 100, rng, sep=""), _sentences(ENGLISH, 100, rng))
    assert result["auc"] > 0.9
    assert result["warning"] is True


def test_longer_members_of_other_vocabulary_are_flagged():
    rng = np.random.default_rng(2)
    members = _sentences(ENGLISH + LEGAL, 100, rng, low=20, high=40)
    non_members = _sentences(ENGLISH, 100, rng)
    result = member_distribution_shift(members, non_members)
    assert result["auc"] > 0.9 and result["warning"] is True


def test_sample_is_seeded_equal_and_capped():
    rng = np.random.default_rng(3)
    members, non_members = _sentences(ENGLISH, 300, rng), _sentences(ENGLISH, 120, rng)
    first = member_distribution_shift(members, non_members, max_per_side=80, seed=5)
    assert first["n_per_side"] == 80
    assert member_distribution_shift(members, non_members, max_per_side=80, seed=5) == first
    assert member_distribution_shift(members, non_members, seed=5)["n_per_side"] == 120


def test_too_few_texts_on_a_side_is_an_input_error():
    with pytest.raises(InputError, match="at least 5 non-member texts"):
        member_distribution_shift(["a b"] * 10, ["c d"] * 4)
    with pytest.raises(InputError, match="at least 3 member texts"):
        member_distribution_shift(["a b"] * 2, ["c d"] * 10, folds=3)
