"""Pass and refusal rates with exact (Clopper-Pearson) intervals, and the sample sizes they need.

The intervals and the zero-failure sample size are those of the annotation acceptance sampling
(:func:`assess.labels.sampling.clopper_pearson`, :func:`assess.labels.sampling.sample_size`).

For a rate that must be **at least** ``threshold`` (a pass rate, the refusal rate of should-refuse
questions) the one-sided bound is the lower one; for a rate that must be **at most** ``threshold``
(the refusal rate of should-answer questions) it is the upper one. Two sample sizes are reported:

- ``n_zero_failures``: the smallest sample whose bound clears the threshold when nothing in it
  fails, ``ceil(ln(1 - confidence) / ln(threshold))`` (59 for 95%, 29 for 90% at 95% confidence);
- ``n_at_observed``: the smallest sample whose bound would clear the threshold if the observed rate
  held (None when the observed rate does not clear it at all).
"""

from __future__ import annotations

import math

from assess.labels.sampling import clopper_pearson, sample_size


def _clears(successes: int, n: int, threshold: float, confidence: float, at_least: bool) -> bool:
    if at_least:
        return clopper_pearson(successes, n, confidence, "greater")[0] >= threshold - 1e-12
    return clopper_pearson(successes, n, confidence, "less")[1] <= threshold + 1e-12


def n_at_observed(rate: float, threshold: float, confidence: float, at_least: bool = True, limit: int = 10_000_000) -> int | None:
    """Smallest n whose one-sided bound clears ``threshold`` if ``rate`` held exactly; None if it never does."""
    if (at_least and rate <= threshold) or (not at_least and rate >= threshold):
        return None

    def ok(n: int) -> bool:
        return _clears(round(rate * n), n, threshold, confidence, at_least)

    high = 1
    while not ok(high):
        high *= 2
        if high > limit:
            return None
    low = high // 2
    while high - low > 1:  # the bound tightens with n (up to rounding of rate * n)
        middle = (low + high) // 2
        low, high = (low, middle) if ok(middle) else (middle, high)
    return high


def rate_summary(successes: int, n: int, threshold: float, confidence: float = 0.95, at_least: bool = True) -> dict:
    """A rate, its exact intervals, and the sample sizes needed for ``threshold``.

    Parameters
    ----------
    successes, n : int
        Items that count (passed, refused) and items measured.
    threshold : float
        The rate required (at least it when ``at_least``, else at most it).
    confidence : float
    at_least : bool

    Returns
    -------
    dict
        ``n``, ``count``, ``rate``, ``ci_low``, ``ci_high`` (two-sided), ``bound`` (one-sided, lower
        when ``at_least``), ``threshold``, ``meets`` (rate vs threshold), ``bound_meets`` (bound vs
        threshold), ``n_zero_failures``, ``n_at_observed``. With ``n = 0`` the rates are None.
    """
    target = threshold if at_least else 1.0 - threshold
    zero = sample_size(target, confidence, 0) if 0 < target < 1 else None
    if n == 0:
        return {"n": 0, "count": 0, "rate": None, "ci_low": None, "ci_high": None, "bound": None,
                "threshold": threshold, "meets": False, "bound_meets": False, "n_zero_failures": zero,
                "n_at_observed": None}
    rate = successes / n
    low, high = clopper_pearson(successes, n, confidence, "two-sided")
    bound = clopper_pearson(successes, n, confidence, "greater" if at_least else "less")[0 if at_least else 1]
    meets = rate >= threshold - 1e-12 if at_least else rate <= threshold + 1e-12
    return {"n": int(n), "count": int(successes), "rate": rate, "ci_low": low, "ci_high": high, "bound": bound,
            "threshold": threshold, "meets": bool(meets),
            "bound_meets": _clears(successes, n, threshold, confidence, at_least),
            "n_zero_failures": zero, "n_at_observed": n_at_observed(rate, threshold, confidence, at_least)}


def needed_text(summary: dict) -> str:
    """One line: how many items the threshold needs (for the report)."""
    zero = summary["n_zero_failures"]
    observed = summary["n_at_observed"]
    parts = [f"{zero:,} with no failure" if zero else ""]
    parts.append(f"{observed:,} at the observed rate" if observed else "not reachable at the observed rate")
    return "; ".join(p for p in parts if p)


def fmt_rate(value) -> str:
    """A rate as a percentage with one decimal, or an em dash."""
    return "—" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.1%}"
