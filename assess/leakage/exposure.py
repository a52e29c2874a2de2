"""Exposure of canaries ("The Secret Sharer", Carlini et al., 2019).

For a canary ``c`` of format space ``R``, rank the candidates of ``R`` by the model's negative
log-likelihood (lowest first); ``exposure = log2|R| - log2 rank(c)``. A canary the model never saw
ranks about in the middle (exposure ~ 1 bit); a memorised one ranks first (exposure = log2|R|).

``rank`` is found in one of three ways, recorded per canary in ``method``:

- ``exact``: every candidate is scored (when |R| is at most ``enumerate_limit``);
- ``sampled``: ``rank ~ 1 + (|R| - 1) * share of sampled candidates with lower NLL``, when enough
  sampled candidates beat the canary for the share to be measured;
- ``extrapolated``: otherwise a skew-normal (or Gaussian) is fitted to the sampled NLLs and the
  share is its CDF at the canary's NLL (the paper's extrapolation).

The functions on arrays are pure; :func:`canary_exposures` drives a scorer.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from assess.errors import InputError
from assess.leakage.canaries import CanaryFormat, CanarySet

#: Score every candidate when the format allows at most this many.
ENUMERATE_LIMIT = 20_000
#: Sampled candidates that must beat a canary before the sampled share is trusted.
MIN_SAMPLED_HITS = 10


def exposure_from_rank(rank, space_size: int):
    """``log2|R| - log2 rank`` (rank 1 = the most likely candidate).

    Parameters
    ----------
    rank : float or array
        Rank of the canary among all |R| candidates, in [1, |R|].
    space_size : int
        |R|, the number of candidates.
    """
    rank = np.asarray(rank, dtype=np.float64)
    if np.any(rank < 1) or np.any(rank > space_size):
        raise InputError(f"rank must lie in [1, {space_size}]")
    result = math.log2(space_size) - np.log2(rank)
    return float(result) if result.ndim == 0 else result


def exact_rank(canary_nll: float, other_nlls: np.ndarray) -> int:
    """1 + number of other candidates strictly more likely (lower NLL) than the canary."""
    return 1 + int(np.sum(np.asarray(other_nlls) < canary_nll))


def sampled_rank(canary_nll: float, sample_nlls: np.ndarray, space_size: int) -> float:
    """Rank estimated from uniformly sampled candidates: ``1 + (|R|-1) * share below``."""
    sample_nlls = np.asarray(sample_nlls, dtype=np.float64)
    share = float(np.mean(sample_nlls < canary_nll))
    return 1.0 + (space_size - 1) * share


def fit_nll_distribution(sample_nlls: np.ndarray, distribution: str = "skewnorm"):
    """Fit ``distribution`` to sampled NLLs; return a frozen scipy distribution.

    Parameters
    ----------
    sample_nlls : array
        NLLs of uniformly sampled candidates (at least 20).
    distribution : {"skewnorm", "gaussian"}
        Family fitted (maximum likelihood).
    """
    sample_nlls = np.asarray(sample_nlls, dtype=np.float64)
    if sample_nlls.size < 20:
        raise InputError("extrapolation needs at least 20 sampled candidates: raise exposure_samples")
    if distribution == "skewnorm":
        return stats.skewnorm(*stats.skewnorm.fit(sample_nlls))
    if distribution == "gaussian":
        return stats.norm(sample_nlls.mean(), sample_nlls.std(ddof=1))
    raise InputError(f"distribution {distribution!r}: use 'skewnorm' or 'gaussian'")


def extrapolated_rank(canary_nll: float, sample_nlls: np.ndarray, space_size: int, distribution: str = "skewnorm",
                      *, fitted=None) -> float:
    """Rank from a distribution fitted to sampled NLLs: ``1 + (|R|-1) * CDF(canary NLL)``.

    Parameters
    ----------
    distribution : {"skewnorm", "gaussian"}
        Family fitted to the sampled NLLs.
    fitted : scipy frozen distribution, optional
        A fit from :func:`fit_nll_distribution`, reused across canaries.
    """
    fitted = fitted if fitted is not None else fit_nll_distribution(sample_nlls, distribution)
    # In logs: for a memorised canary the CDF underflows long before (|R|-1)*CDF drops below 1.
    log_cdf = float(fitted.logcdf(canary_nll))
    share = math.exp(max(log_cdf, -745.0))
    return 1.0 + (space_size - 1) * share


def exposure_table(canary_nlls: np.ndarray, sample_nlls: np.ndarray, space_size: int, *, exact: bool = False,
                   min_hits: int = MIN_SAMPLED_HITS, distribution: str = "skewnorm") -> pd.DataFrame:
    """Exposure of each canary from its NLL and the NLLs of reference candidates.

    Parameters
    ----------
    canary_nlls : array
        NLL of each canary.
    sample_nlls : array
        NLL of every other candidate (``exact=True``) or of uniformly sampled candidates.
    space_size : int
        |R|.
    exact : bool
        ``sample_nlls`` holds all other candidates.
    min_hits : int
        Below this many sampled candidates beating a canary, the rank is extrapolated.
    distribution : {"skewnorm", "gaussian"}
        Family for extrapolation.

    Returns
    -------
    pandas.DataFrame
        Columns ``nll``, ``rank``, ``exposure_bits``, ``method``, one row per canary.
    """
    sample_nlls = np.asarray(sample_nlls, dtype=np.float64)
    rows = []
    fitted = None
    for nll in np.asarray(canary_nlls, dtype=np.float64):
        hits = int(np.sum(sample_nlls < nll))
        if exact:
            rank, method = float(1 + hits), "exact"
        elif hits >= min_hits:
            rank, method = sampled_rank(nll, sample_nlls, space_size), "sampled"
        else:
            if fitted is None:
                fitted = fit_nll_distribution(sample_nlls, distribution)
            rank, method = extrapolated_rank(nll, sample_nlls, space_size, fitted=fitted), "extrapolated"
        rank = min(max(rank, 1.0), float(space_size))
        rows.append({"nll": float(nll), "rank": rank, "exposure_bits": exposure_from_rank(rank, space_size), "method": method})
    return pd.DataFrame(rows)


def canary_exposures(log_likelihood: Callable[[Sequence[str]], np.ndarray], canary_set: CanarySet, *,
                     samples: int = 5000, seed: int = 0, enumerate_limit: int = ENUMERATE_LIMIT,
                     distribution: str = "skewnorm") -> tuple[pd.DataFrame, np.ndarray]:
    """Measure the exposure of every canary of ``canary_set`` under a scorer.

    Parameters
    ----------
    log_likelihood : callable
        ``log_likelihood(list_of_texts) -> array`` of natural-log likelihoods (as
        :meth:`assess.textgen.CharLM.log_likelihood`).
    canary_set : CanarySet
        The canaries recorded before training.
    samples : int
        Reference candidates scored when |R| is too large to enumerate.
    seed : int
        Seed of the reference sample.
    enumerate_limit : int
        Score all candidates when |R| is at most this.
    distribution : {"skewnorm", "gaussian"}
        Family for extrapolation.

    Returns
    -------
    (pandas.DataFrame, numpy.ndarray)
        Per canary: ``canary_id``, ``repetitions``, ``nll``, ``rank``, ``exposure_bits``, ``method``
        (no canary text); and the NLLs of the reference candidates (for a histogram).
    """
    fmt: CanaryFormat = canary_set.format
    space = fmt.space_size
    canary_texts = [c.text for c in canary_set.canaries]
    canary_nlls = -np.asarray(log_likelihood(canary_texts), dtype=np.float64)
    exact = space <= enumerate_limit
    if exact:
        own = {c.index for c in canary_set.canaries}
        reference = [fmt.render(i) for i in range(space)]
        all_nlls = -np.asarray(log_likelihood(reference), dtype=np.float64)
        per_canary = []
        for canary, nll in zip(canary_set.canaries, canary_nlls):
            others = np.delete(all_nlls, canary.index)
            per_canary.append(exposure_table([nll], others, space, exact=True))
        table = pd.concat(per_canary, ignore_index=True)
        reference_nlls = np.delete(all_nlls, sorted(own))
    else:
        if samples < 20:
            raise InputError(f"exposure_samples={samples}: use at least 20 (1000s for a stable extrapolation)")
        rng = np.random.default_rng(seed)
        reference = fmt.render_many(fmt.random_indices(rng, samples))
        reference_nlls = -np.asarray(log_likelihood(reference), dtype=np.float64)
        table = exposure_table(canary_nlls, reference_nlls, space, distribution=distribution)
    table.insert(0, "repetitions", [c.repetitions for c in canary_set.canaries])
    table.insert(0, "canary_id", [c.canary_id for c in canary_set.canaries])
    return table, reference_nlls


def exposure_by_repetition(table: pd.DataFrame) -> pd.DataFrame:
    """Mean, min and max exposure per repetition count."""
    grouped = table.groupby("repetitions")["exposure_bits"]
    return pd.DataFrame({
        "canaries": grouped.size(),
        "exposure_mean_bits": grouped.mean(),
        "exposure_min_bits": grouped.min(),
        "exposure_max_bits": grouped.max(),
    }).reset_index()
