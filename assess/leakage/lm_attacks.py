"""Membership-inference attacks on causal language models: pure functions over per-token figures.

A model adapter gives, for each text, the log-probability of every scored token under the model
(and, where it can, the mean and standard deviation of the log-probability under the model's own
next-token distribution). The functions here turn those figures into one attack score per text,
"higher = more likely a member", and measure how well each attack separates members from
non-members with bootstrap intervals. Nothing here loads a model.

References
----------
Yeom, Giacomelli, Fredrikson, Jha (2018). Privacy risk in machine learning: analyzing the
connection to overfitting. CSF.
Carlini et al. (2021). Extracting training data from large language models. USENIX Security.
Carlini et al. (2022). Membership inference attacks from first principles. IEEE S&P.
Shi et al. (2024). Detecting pretraining data from large language models (Min-K% Prob). ICLR.
Zhang et al. (2024). Min-K%++: improved baseline for detecting pre-training data from large
language models. arXiv:2404.02936.
Zarifzadeh, Liu, Oh, Shokri (2024). Low-cost high-power membership inference attacks (RMIA). ICML.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from assess.errors import InputError
from assess.leakage.metrics import LOW_FPRS, attack_metrics

#: Figures that get a bootstrap interval, TPR at low FPR first (Carlini et al., 2022).
INTERVAL_METRICS = ("tpr_at_0_1pct_fpr", "tpr_at_1pct_fpr", "auc")

# A token whose next-token distribution is a point mass has sigma = 0; below this it counts as 0.
_MIN_SIGMA = 1e-12


@dataclass(frozen=True)
class TokenScores:
    """Per-token figures of one text under a causal LM (natural logs).

    Parameters
    ----------
    log_probs : array of shape (n_tokens,)
        ``log p(x_i | x_<i)`` of every scored token.
    mean : array of shape (n_tokens,), optional
        ``mu_i = E_{z ~ p(.|x_<i)} log p(z | x_<i)`` (for Min-K%++; None when the model cannot
        give its full next-token distribution).
    std : array of shape (n_tokens,), optional
        ``sigma_i = sqrt(Var_{z ~ p(.|x_<i)} log p(z | x_<i))``.
    """

    log_probs: np.ndarray
    mean: np.ndarray | None = None
    std: np.ndarray | None = None

    def __post_init__(self):
        log_probs = np.asarray(self.log_probs, dtype=np.float64)
        if log_probs.ndim != 1 or log_probs.size == 0:
            raise InputError("TokenScores.log_probs must be a non-empty 1-D array: a text scored no token")
        if not np.isfinite(log_probs).all():
            raise InputError("TokenScores.log_probs contains NaN or infinity: check the model's probabilities")
        object.__setattr__(self, "log_probs", log_probs)
        if (self.mean is None) != (self.std is None):
            raise InputError("TokenScores needs both mean and std, or neither")
        for name in ("mean", "std"):
            value = getattr(self, name)
            if value is None:
                continue
            value = np.asarray(value, dtype=np.float64)
            if value.shape != log_probs.shape or not np.isfinite(value).all():
                raise InputError(f"TokenScores.{name} must be finite and have one value per token "
                                 f"({log_probs.size})")
            object.__setattr__(self, name, value)
        if self.std is not None and (self.std < 0).any():
            raise InputError("TokenScores.std must not be negative")

    @property
    def log_likelihood(self) -> float:
        """Sum of the token log-probabilities: the log-likelihood of the scored tokens."""
        return float(self.log_probs.sum())

    @property
    def has_distribution(self) -> bool:
        """Whether the mean and std of the next-token log-probabilities are known."""
        return self.mean is not None


def _lowest_share_mean(values: np.ndarray, k: float) -> float:
    if not 0 < k <= 1:
        raise InputError(f"k must be in (0, 1], got {k}: it is the share of lowest-scoring tokens kept")
    count = max(1, int(values.size * k))
    return float(np.partition(values, count - 1)[:count].mean())


def loss_score(ts: TokenScores, text: str | None = None) -> float:
    """Mean token log-probability (the loss attack: Yeom et al., 2018; Carlini et al., 2021).

    Parameters
    ----------
    ts : TokenScores
        The text's per-token figures.
    text : str, optional
        Unused; accepted so every attack has the same signature.

    Returns
    -------
    float
        Minus the mean token loss; higher = more likely a member.
    """
    return float(ts.log_probs.mean())


def zlib_score(ts: TokenScores, text: str) -> float:
    """Log-likelihood relative to the zlib entropy of the text (Carlini et al., 2021).

    Carlini et al. rank texts by the model's log-perplexity divided by the zlib-compressed size of
    the text: a text the model finds far likelier than its plain compressibility explains is
    suspect. Here the log-likelihood (negative) is divided by the compressed size, so the sign
    is "higher = member".

    Parameters
    ----------
    ts : TokenScores
        The text's per-token figures.
    text : str
        The text itself; its UTF-8 bytes are compressed with zlib at the default level.

    Returns
    -------
    float
        ``log_likelihood / len(zlib.compress(text.encode("utf-8")))``.
    """
    if not isinstance(text, str):
        raise InputError("zlib_score needs the text as a str")
    return ts.log_likelihood / len(zlib.compress(text.encode("utf-8")))


def min_k_score(ts: TokenScores, text: str | None = None, *, k: float = 0.2) -> float:
    """Mean of the lowest ``k`` share of token log-probabilities (Min-K% Prob: Shi et al., 2024).

    A member seldom has tokens the model finds very unlikely; averaging only the least likely
    tokens ignores the easy tokens that dominate the plain loss.

    Parameters
    ----------
    ts : TokenScores
        The text's per-token figures.
    text : str, optional
        Unused.
    k : float
        Share of tokens kept, in (0, 1]; at least one token is kept.

    Returns
    -------
    float
        Higher = more likely a member.
    """
    return _lowest_share_mean(ts.log_probs, k)


def min_k_plus_plus_score(ts: TokenScores, text: str | None = None, *, k: float = 0.2) -> float:
    """Min-K%++ (Zhang et al., 2024): Min-K% over per-token standardised log-probabilities.

    Each token's log-probability is compared with the model's own next-token distribution there,
    ``(log p(x_i) - mu_i) / sigma_i``: training pushes members towards local maxima of that
    distribution. A token whose distribution is a point mass (sigma = 0) scores 0.

    Parameters
    ----------
    ts : TokenScores
        The text's per-token figures, with ``mean`` and ``std``.
    text : str, optional
        Unused.
    k : float
        Share of tokens kept, in (0, 1]; at least one token is kept.

    Returns
    -------
    float
        Higher = more likely a member.
    """
    if not ts.has_distribution:
        raise InputError("min_k_plus_plus needs the mean and std of each token's next-token log-probabilities: "
                         "use a model adapter that gives the full next-token distribution, or leave this attack out")
    degenerate = ts.std <= _MIN_SIGMA
    z = np.where(degenerate, 0.0, (ts.log_probs - ts.mean) / np.where(degenerate, 1.0, ts.std))
    return _lowest_share_mean(z, k)


def reference_ratio_score(target_log_likelihood, reference_log_likelihood) -> np.ndarray:
    """Whole-text log-likelihood ratio of the target to one reference model.

    The reference attack of Carlini et al. (2021), and the offline LiRA / RMIA attack with a single
    reference model (Carlini et al., 2022; Zarifzadeh et al., 2024): a text the target finds much
    likelier than a model not trained on it is suspect. The two models may tokenise differently, so
    it works on text-level totals.

    Parameters
    ----------
    target_log_likelihood : array of shape (n_texts,)
        Log-likelihood of each text under the target.
    reference_log_likelihood : array of shape (n_texts,)
        Log-likelihood of the same texts under the reference model.

    Returns
    -------
    array of shape (n_texts,)
        ``target - reference``; higher = more likely a member.
    """
    target = np.asarray(target_log_likelihood, dtype=np.float64)
    reference = np.asarray(reference_log_likelihood, dtype=np.float64)
    if target.ndim != 1 or target.shape != reference.shape:
        raise InputError(f"reference_log_likelihood must have one value per text ({target.size}), "
                         f"got shape {reference.shape}")
    if not (np.isfinite(target).all() and np.isfinite(reference).all()):
        raise InputError("log-likelihoods contain NaN or infinity: check the target and reference models")
    return target - reference


@dataclass(frozen=True)
class LMAttack:
    """One attack of the registry: its name, its paper, what it needs and how it scores a text.

    ``needs`` is a subset of {"log_probs", "distribution", "text", "reference"}; ``score`` maps
    (TokenScores, text, k) to a float for the per-text attacks and is None for the reference attack,
    which works on whole-text totals.
    """

    name: str
    paper: str
    needs: frozenset
    score: Callable[[TokenScores, str, float], float] | None = None


LM_ATTACKS: dict[str, LMAttack] = {attack.name: attack for attack in (
    LMAttack("loss", "Yeom et al. 2018; Carlini et al. 2021", frozenset({"log_probs"}),
             lambda ts, text, k: loss_score(ts)),
    LMAttack("zlib", "Carlini et al. 2021", frozenset({"log_probs", "text"}),
             lambda ts, text, k: zlib_score(ts, text)),
    LMAttack("min_k", "Shi et al. 2024 (Min-K% Prob)", frozenset({"log_probs"}),
             lambda ts, text, k: min_k_score(ts, k=k)),
    LMAttack("min_k_plus_plus", "Zhang et al. 2024 (Min-K%++)", frozenset({"log_probs", "distribution"}),
             lambda ts, text, k: min_k_plus_plus_score(ts, k=k)),
    LMAttack("reference_ratio", "Carlini et al. 2021; offline LiRA/RMIA with one reference model",
             frozenset({"log_probs", "reference"})),
)}


def lm_attack_scores(texts: Sequence[str], token_scores: Sequence[TokenScores], *,
                     reference_log_likelihood=None, k: float = 0.2) -> pd.DataFrame:
    """Every attack the inputs allow, one row per text.

    Parameters
    ----------
    texts : sequence of str
        The texts, in the order of ``token_scores``.
    token_scores : sequence of TokenScores
        Per-token figures of each text under the target model.
    reference_log_likelihood : array of shape (n_texts,), optional
        Log-likelihood of each text under a reference model; adds ``reference_ratio``.
    k : float
        Share of tokens kept by Min-K% and Min-K%++.

    Returns
    -------
    pandas.DataFrame
        One column per attack of :data:`LM_ATTACKS` that the inputs allow (``min_k_plus_plus`` only
        when every text has mean and std), in registry order; higher = more likely a member.
    """
    texts = list(texts)
    token_scores = list(token_scores)
    if len(texts) != len(token_scores):
        raise InputError(f"got {len(texts)} texts and {len(token_scores)} TokenScores: give one per text")
    if not texts:
        raise InputError("no texts to attack: the member and non-member sets are empty")
    available = {"log_probs", "text"}
    if all(ts.has_distribution for ts in token_scores):
        available.add("distribution")
    if reference_log_likelihood is not None:
        available.add("reference")
    columns = {}
    for attack in LM_ATTACKS.values():
        if not attack.needs <= available:
            continue
        if attack.score is None:
            columns[attack.name] = reference_ratio_score([ts.log_likelihood for ts in token_scores],
                                                         reference_log_likelihood)
        else:
            columns[attack.name] = np.array([attack.score(ts, text, k) for text, ts in zip(texts, token_scores)])
    return pd.DataFrame(columns)


def _bootstrap_figures(member_scores: np.ndarray, non_member_scores: np.ndarray) -> dict[str, np.ndarray]:
    """TPR at the low FPRs and AUC of each bootstrap replicate (rows), all replicates at once.

    The TPR at FPR <= a is the share of members scoring above the (f+1)-th highest non-member,
    f = floor(a * n): the same figure as :func:`assess.leakage.metrics.tpr_at_fpr` on the ROC curve.
    The AUC is the Mann-Whitney statistic from mid-ranks (ties count one half).
    """
    n_members = member_scores.shape[1]
    n_non_members = non_member_scores.shape[1]
    descending = -np.sort(-non_member_scores, axis=1)
    figures = {}
    for name, fpr in zip(INTERVAL_METRICS[:2], LOW_FPRS):
        allowed = int(np.floor(fpr * n_non_members + 1e-12))
        if allowed >= n_non_members:
            figures[name] = np.ones(member_scores.shape[0])
            continue
        threshold = descending[:, allowed][:, None]
        figures[name] = (member_scores > threshold).mean(axis=1)
    ranks = rankdata(np.hstack([member_scores, non_member_scores]), axis=1)
    rank_sum = ranks[:, :n_members].sum(axis=1)
    figures["auc"] = (rank_sum - n_members * (n_members + 1) / 2) / (n_members * n_non_members)
    return figures


def bootstrap_attack_metrics(scores, is_member, *, n_bootstrap: int = 200, confidence: float = 0.95,
                             seed: int = 0) -> dict:
    """Point figures of one attack with stratified percentile-bootstrap intervals.

    Members and non-members are resampled separately (with replacement, each to its own size), so
    every replicate keeps the evaluation's balance.

    Parameters
    ----------
    scores : array of shape (n,)
        Attack score per text (higher = member).
    is_member : array of bool, shape (n,)
        Ground truth.
    n_bootstrap : int
        Number of bootstrap replicates.
    confidence : float
        Coverage of the percentile interval, in (0, 1).
    seed : int
        Seed of the resampling: the same seed gives the same intervals.

    Returns
    -------
    dict
        Everything :func:`assess.leakage.metrics.attack_metrics` returns, plus ``<name>_low`` and
        ``<name>_high`` for ``tpr_at_0_1pct_fpr``, ``tpr_at_1pct_fpr`` and ``auc``. With n
        non-members no FPR between 0 and 1/n is measurable, so below 1,000 non-members the 0.1%
        figure is the TPR at zero false positives.
    """
    point = attack_metrics(scores, is_member)
    if int(n_bootstrap) < 1:
        raise InputError(f"n_bootstrap must be at least 1, got {n_bootstrap}")
    if not 0 < confidence < 1:
        raise InputError(f"confidence must be in (0, 1), got {confidence}")
    scores = np.asarray(scores, dtype=np.float64)
    is_member = np.asarray(is_member, dtype=bool)
    members, non_members = scores[is_member], scores[~is_member]
    rng = np.random.default_rng(seed)
    member_draws = members[rng.integers(0, members.size, size=(int(n_bootstrap), members.size))]
    non_member_draws = non_members[rng.integers(0, non_members.size, size=(int(n_bootstrap), non_members.size))]
    figures = _bootstrap_figures(member_draws, non_member_draws)
    tail = (1 - confidence) / 2 * 100
    result = dict(point)
    for name in INTERVAL_METRICS:
        low, high = np.percentile(figures[name], [tail, 100 - tail])
        result[f"{name}_low"] = float(low)
        result[f"{name}_high"] = float(high)
    return result


def evaluate_lm_attacks(score_table: pd.DataFrame, is_member, *, n_bootstrap: int = 200,
                        seed: int = 0) -> pd.DataFrame:
    """Metrics with 95% bootstrap intervals of every attack in a score table, one row per attack.

    Parameters
    ----------
    score_table : pandas.DataFrame
        One column per attack, one row per text (as :func:`lm_attack_scores` returns).
    is_member : array of bool, shape (n_texts,)
        Ground truth, in the rows' order.
    n_bootstrap : int
        Bootstrap replicates per attack.
    seed : int
        Seed of the resampling (the same for every attack, so their intervals are comparable).

    Returns
    -------
    pandas.DataFrame
        Columns ``attack``, ``tpr_at_0_1pct_fpr`` (with ``_low`` / ``_high``), ``tpr_at_1pct_fpr``
        (with ``_low`` / ``_high``), ``auc`` (with ``_low`` / ``_high``), ``advantage``,
        ``n_members``, ``n_non_members``: the low-FPR figures first, as they are what matters
        (Carlini et al., 2022).
    """
    if score_table.shape[1] == 0:
        raise InputError("the score table has no attack columns: score the texts with lm_attack_scores first")
    if len(score_table) != len(np.asarray(is_member)):
        raise InputError(f"is_member has {len(np.asarray(is_member))} values for {len(score_table)} texts")
    columns = ["attack"]
    for name in INTERVAL_METRICS:
        columns += [name, f"{name}_low", f"{name}_high"]
    columns += ["advantage", "n_members", "n_non_members"]
    rows = [{"attack": attack, **bootstrap_attack_metrics(score_table[attack].to_numpy(), is_member,
                                                          n_bootstrap=n_bootstrap, seed=seed)}
            for attack in score_table.columns]
    return pd.DataFrame(rows, columns=columns)
