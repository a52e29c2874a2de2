"""Perplexity gap: how much better the generator predicts its training texts than unseen ones.

Per text, the per-character perplexity is ``exp(-log_likelihood / characters)``. A model that
generalises scores training and held-out texts alike; a model that memorises gives its training
texts clearly lower perplexity. The same per-text score is also a membership attack on the
generator (lower perplexity = member), reported with the classifier attacks' metrics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assess.errors import InputError
from assess.leakage.generators import as_text_model
from assess.leakage.metrics import attack_metrics


def per_char_perplexity(log_likelihood: np.ndarray, texts) -> np.ndarray:
    """``exp(-log_likelihood / len(text))`` per text (empty texts count as one character)."""
    lengths = np.asarray([max(len(t), 1) for t in texts], dtype=np.float64)
    return np.exp(-np.asarray(log_likelihood, dtype=np.float64) / lengths)


@dataclass
class PerplexityResult:
    """Per-text perplexities of the training and held-out samples, and summary metrics."""

    train: np.ndarray
    holdout: np.ndarray
    metrics: dict


def perplexity_gap(model, train_texts, holdout_texts, *, max_texts: int | None = 1000, seed: int = 0) -> PerplexityResult:
    """Compare per-character perplexity on training vs held-out texts.

    Parameters
    ----------
    model : text generator
        Anything :func:`assess.leakage.generators.as_text_model` accepts.
    train_texts, holdout_texts : sequence of str
        Training corpus (without inserted canaries) and held-out corpus.
    max_texts : int, optional
        Seeded sample size per side.
    seed : int
        Seed of the samples.

    Returns
    -------
    PerplexityResult
        ``metrics``: ``ppl_train_median``, ``ppl_holdout_median``, ``ppl_ratio`` (holdout median /
        train median), and the perplexity membership attack's ``generator_mia_auc``,
        ``generator_mia_tpr_at_1pct_fpr`` on equally many texts of each side.
    """
    train_texts = [str(t) for t in train_texts]
    holdout_texts = [str(t) for t in holdout_texts]
    if not train_texts or not holdout_texts:
        raise InputError("perplexity gap needs training and held-out texts: check the generator dataset roles")
    rng = np.random.default_rng(seed)
    side = min(len(train_texts), len(holdout_texts), max_texts or 10**12)
    train_sample = [train_texts[i] for i in np.sort(rng.choice(len(train_texts), side, replace=False))]
    holdout_sample = [holdout_texts[i] for i in np.sort(rng.choice(len(holdout_texts), side, replace=False))]
    text_model = as_text_model(model)
    train_ppl = per_char_perplexity(text_model.log_likelihood(train_sample), train_sample)
    holdout_ppl = per_char_perplexity(text_model.log_likelihood(holdout_sample), holdout_sample)
    is_member = np.concatenate([np.ones(side, bool), np.zeros(side, bool)])
    attack = attack_metrics(-np.log(np.concatenate([train_ppl, holdout_ppl])), is_member)
    train_median, holdout_median = float(np.median(train_ppl)), float(np.median(holdout_ppl))
    metrics = {
        "ppl_train_median": train_median,
        "ppl_holdout_median": holdout_median,
        "ppl_ratio": holdout_median / train_median,
        "generator_mia_auc": attack["auc"],
        "generator_mia_tpr_at_1pct_fpr": attack["tpr_at_1pct_fpr"],
        "texts_per_side": side,
    }
    return PerplexityResult(train_ppl, holdout_ppl, metrics)
