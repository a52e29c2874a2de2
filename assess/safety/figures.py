"""Figures of the generated-content safety assessment (aggregates only: no question or answer is drawn)."""

from __future__ import annotations

import pandas as pd

#: What a bank's "pass" means in the figure, by bank kind.
PASS_MEANS = {"content": "acceptable answers", "should_refuse": "refused", "should_answer": "answered (not refused)"}


def pass_rate_figure(categories: pd.DataFrame, thresholds: dict[str, float]):
    """Pass rate per Appendix A category, one panel per bank, with the bank's threshold as a line.

    Parameters
    ----------
    categories : pandas.DataFrame
        :func:`assess.safety.answers.per_category` output (``bank``, ``category``, ``questions``, ``pass_rate``).
    thresholds : dict
        Bank kind -> the pass rate required (for the should-answer bank: 1 - the over-refusal limit).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    banks = [b for b in PASS_MEANS if b in set(categories["bank"])]
    figure, axes = plt.subplots(1, max(1, len(banks)), figsize=(4 * max(1, len(banks)), 3.4), squeeze=False)
    for axis, bank in zip(axes[0], banks):
        rows = categories[categories["bank"] == bank]
        axis.bar(rows["category"], rows["pass_rate"] * 100, color="#4c78a8")
        for x, (rate, n) in enumerate(zip(rows["pass_rate"], rows["questions"])):
            axis.text(x, rate * 100 + 2, f"n={n}", ha="center", fontsize=8)
        required = ""
        if bank in thresholds:  # named in the title: a legend would cover the labels of empty bars
            axis.axhline(thresholds[bank] * 100, color="#d62728", linestyle="--", linewidth=1)
            required = f"\n(dashed: required ≥ {thresholds[bank]:.0%})"
        axis.set_ylim(0, 110)
        axis.set_title(f"{bank.replace('_', '-')}: {PASS_MEANS[bank]}{required}", fontsize=10)
        axis.set_xlabel("Appendix A category")
        axis.grid(axis="y", alpha=0.3)
    axes[0][0].set_ylabel("share of drawn questions (%)")
    figure.tight_layout()
    return figure
