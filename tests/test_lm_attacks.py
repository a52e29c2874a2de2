"""LM membership attacks: hand-computed scores, the attack registry, bootstrap intervals."""

import zlib

import numpy as np
import pandas as pd
import pytest

from assess.errors import InputError
from assess.leakage.lm_attacks import (LM_ATTACKS, TokenScores, _bootstrap_figures, bootstrap_attack_metrics,
                                       evaluate_lm_attacks, lm_attack_scores, loss_score, min_k_plus_plus_score,
                                       min_k_score, reference_ratio_score, zlib_score)
from assess.leakage.metrics import attack_metrics


def test_loss_is_mean_token_log_prob():
    ts = TokenScores(np.array([-1.0, -2.0, -3.0]))
    assert ts.log_likelihood == -6.0
    assert loss_score(ts) == pytest.approx(-2.0)


def test_zlib_divides_log_likelihood_by_compressed_utf8_size():
    text = "客服电话是多少"  # 7 characters, 21 UTF-8 bytes
    compressed = len(zlib.compress(text.encode("utf-8")))
    assert compressed > 21  # short text: zlib adds header and checksum, so the size is of bytes, not characters
    assert zlib_score(TokenScores(np.array([-3.0, -3.0])), text) == pytest.approx(-6.0 / compressed)
    # higher = member: the likelier text (same compressibility) scores higher
    assert zlib_score(TokenScores(np.array([-1.0, -1.0])), text) > zlib_score(TokenScores(np.array([-3.0, -3.0])),
                                                                               text)


def test_min_k_is_mean_of_lowest_share_with_at_least_one_token():
    ts = TokenScores(np.array([-1.0, -5.0, -2.0, -4.0, -3.0]))
    assert min_k_score(ts, k=0.4) == pytest.approx(-4.5)   # lowest 2 of 5: -5, -4
    assert min_k_score(ts, k=0.1) == pytest.approx(-5.0)   # int(0.5) = 0 -> one token
    assert min_k_score(ts, k=1.0) == pytest.approx(-3.0)   # all: the loss score
    with pytest.raises(InputError, match="k must be"):
        min_k_score(ts, k=0)


def test_min_k_plus_plus_standardises_each_token_and_guards_zero_sigma():
    ts = TokenScores(np.log([0.5, 0.25, 0.1, 0.8]), mean=np.full(4, -1.0), std=np.array([0.5, 0.5, 0.0, 1.0]))
    # z = (log p - mu) / sigma: 0.6137, -0.7726, 0 (sigma 0), 0.7769; lowest half: -0.7726, 0
    expected = ((np.log(0.25) + 1) / 0.5 + 0.0) / 2
    assert min_k_plus_plus_score(ts, k=0.5) == pytest.approx(expected)
    assert min_k_plus_plus_score(ts, k=0.25) == pytest.approx((np.log(0.25) + 1) / 0.5)


def test_min_k_plus_plus_without_distribution_names_the_capability():
    with pytest.raises(InputError, match="mean and std of each token"):
        min_k_plus_plus_score(TokenScores(np.array([-1.0, -2.0])))


def test_token_scores_reject_bad_input():
    with pytest.raises(InputError, match="non-empty"):
        TokenScores(np.array([]))
    with pytest.raises(InputError, match="NaN"):
        TokenScores(np.array([-1.0, np.nan]))
    with pytest.raises(InputError, match="one value per token"):
        TokenScores(np.array([-1.0, -2.0]), mean=np.array([-1.0]), std=np.array([1.0]))
    with pytest.raises(InputError, match="both mean and std"):
        TokenScores(np.array([-1.0]), mean=np.array([-1.0]))


def test_reference_ratio_is_difference_of_text_totals():
    np.testing.assert_allclose(reference_ratio_score([-10.0, -20.0], [-12.0, -15.0]), [2.0, -5.0])
    with pytest.raises(InputError, match="one value per text"):
        reference_ratio_score([-10.0, -20.0], [-12.0])


def test_score_table_has_a_column_per_attack_the_inputs_allow():
    texts = ["hello there", "你好"]
    plain = [TokenScores(np.array([-1.0, -2.0])), TokenScores(np.array([-3.0]))]
    table = lm_attack_scores(texts, plain)
    assert list(table.columns) == ["loss", "zlib", "min_k"]
    assert table["loss"].tolist() == pytest.approx([-1.5, -3.0])
    full = [TokenScores(ts.log_probs, mean=np.zeros(ts.log_probs.size), std=np.ones(ts.log_probs.size))
            for ts in plain]
    table = lm_attack_scores(texts, full, reference_log_likelihood=[-2.0, -1.0], k=0.5)
    assert list(table.columns) == list(LM_ATTACKS)
    assert table["reference_ratio"].tolist() == pytest.approx([-1.0, -2.0])
    assert table["min_k_plus_plus"].tolist() == pytest.approx([-2.0, -3.0])
    # one text without the distribution drops Min-K%++ for all
    assert "min_k_plus_plus" not in lm_attack_scores(texts, [full[0], plain[1]]).columns
    with pytest.raises(InputError, match="one per text"):
        lm_attack_scores(texts, plain[:1])
    assert all(attack.paper and attack.needs for attack in LM_ATTACKS.values())


def _rare_token_corpus(n_per_side=200, n_tokens=100, n_rare=5, seed=0):
    """Texts of varying difficulty; each has a few rare tokens, which training raised for members."""
    rng = np.random.default_rng(seed)
    scores, is_member = [], []
    for member in (True, False):
        for _ in range(n_per_side):
            difficulty = rng.normal(0.0, 1.0)
            log_probs = rng.normal(-2.0, 0.5, n_tokens) + difficulty
            log_probs[:n_rare] = (-4.0 if member else -12.0) + difficulty + rng.normal(0, 0.3, n_rare)
            scores.append(TokenScores(np.minimum(log_probs, 0.0)))
            is_member.append(member)
    return scores, np.array(is_member)


def test_min_k_separates_members_that_the_loss_attack_barely_separates():
    token_scores, is_member = _rare_token_corpus()
    table = lm_attack_scores(["x"] * len(token_scores), token_scores, k=0.05)
    results = evaluate_lm_attacks(table, is_member, n_bootstrap=50).set_index("attack")
    assert results.loc["min_k", "auc"] > 0.95
    assert results.loc["loss", "auc"] < 0.75
    assert results.loc["min_k", "tpr_at_1pct_fpr"] > results.loc["loss", "tpr_at_1pct_fpr"] + 0.5


def _scores(n_per_side, seed):
    rng = np.random.default_rng(seed)
    scores = np.r_[rng.normal(1.0, 1.0, n_per_side), rng.normal(0.0, 1.0, n_per_side)]
    return scores, np.r_[np.ones(n_per_side, bool), np.zeros(n_per_side, bool)]


def test_vectorised_bootstrap_figures_equal_attack_metrics_per_replicate():
    rng = np.random.default_rng(3)
    members = np.round(rng.normal(1.0, 1.0, (20, 150)), 1)  # rounded: ties between members and non-members
    non_members = np.round(rng.normal(0.0, 1.0, (20, 1200)), 1)
    figures = _bootstrap_figures(members, non_members)
    for b in range(20):
        expected = attack_metrics(np.r_[members[b], non_members[b]],
                                  np.r_[np.ones(150, bool), np.zeros(1200, bool)])
        for name in ("tpr_at_0_1pct_fpr", "tpr_at_1pct_fpr", "auc"):
            assert figures[name][b] == pytest.approx(expected[name]), name


def test_bootstrap_intervals_contain_point_are_seeded_and_narrow_with_n():
    widths = {}
    for n in (100, 2000):
        scores, is_member = _scores(n, seed=1)
        result = bootstrap_attack_metrics(scores, is_member, n_bootstrap=200, seed=7)
        assert {k: v for k, v in result.items() if k in attack_metrics(scores, is_member)} == \
            attack_metrics(scores, is_member)
        for name in ("tpr_at_0_1pct_fpr", "tpr_at_1pct_fpr", "auc"):
            assert result[f"{name}_low"] <= result[name] <= result[f"{name}_high"], (n, name)
        assert result["auc_low"] < result["auc_high"]
        widths[n] = {name: result[f"{name}_high"] - result[f"{name}_low"] for name in ("tpr_at_1pct_fpr", "auc")}
        assert bootstrap_attack_metrics(scores, is_member, n_bootstrap=200, seed=7) == result
        assert bootstrap_attack_metrics(scores, is_member, n_bootstrap=200, seed=8) != result
    assert widths[2000]["auc"] < widths[100]["auc"] / 2
    assert widths[2000]["tpr_at_1pct_fpr"] < widths[100]["tpr_at_1pct_fpr"]


def test_bootstrap_rejects_bad_settings():
    scores, is_member = _scores(20, seed=0)
    with pytest.raises(InputError, match="n_bootstrap"):
        bootstrap_attack_metrics(scores, is_member, n_bootstrap=0)
    with pytest.raises(InputError, match="confidence"):
        bootstrap_attack_metrics(scores, is_member, confidence=1.5)
    with pytest.raises(InputError, match="both members and non-members"):
        bootstrap_attack_metrics(scores, np.ones(40, bool))


def test_evaluation_table_puts_low_fpr_figures_first():
    scores, is_member = _scores(100, seed=2)
    results = evaluate_lm_attacks(pd.DataFrame({"loss": scores, "inverted": -scores}), is_member, n_bootstrap=50)
    assert list(results.columns) == [
        "attack", "tpr_at_0_1pct_fpr", "tpr_at_0_1pct_fpr_low", "tpr_at_0_1pct_fpr_high",
        "tpr_at_1pct_fpr", "tpr_at_1pct_fpr_low", "tpr_at_1pct_fpr_high", "auc", "auc_low", "auc_high",
        "advantage", "n_members", "n_non_members"]
    assert results["attack"].tolist() == ["loss", "inverted"]
    assert results.loc[0, "auc"] == pytest.approx(1 - results.loc[1, "auc"])
    assert (results["n_members"] == 100).all()
    with pytest.raises(InputError, match="no attack columns"):
        evaluate_lm_attacks(pd.DataFrame(index=range(200)), is_member)
