"""Figures of the model-leakage assessment (matplotlib; no personal data is drawn)."""

from __future__ import annotations

import numpy as np
import pandas as pd

_LABELS = {"loss": "loss threshold", "lira_offline": "reference (LiRA offline)", "lira_online": "reference (LiRA online)"}


def roc_loglog(curves: dict, metrics: dict | None = None, title: str = "Membership inference ROC (log-log)",
               max_tpr_at_1pct_fpr: float | None = None):
    """Log-log ROC of each attack, with the chance diagonal and the 0.1% / 1% FPR marks.

    Parameters
    ----------
    curves : dict
        attack -> (fpr, tpr).
    metrics : dict, optional
        attack -> metrics (AUC shown in the legend).
    max_tpr_at_1pct_fpr : float, optional
        The check's threshold, drawn as a line: a curve above it at 1% FPR fails the check.
    """
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(5.5, 5))
    floor = 1e-4
    for name, (fpr, tpr) in curves.items():
        label = _LABELS.get(name, name)
        if metrics and name in metrics:
            label += f" (AUC {metrics[name]['auc']:.3f}, TPR@1% {metrics[name]['tpr_at_1pct_fpr']:.3f})"
        axes.step(np.maximum(fpr, floor), np.maximum(tpr, floor), where="post", label=label)
    grid = np.logspace(-4, 0, 50)
    axes.plot(grid, grid, "k--", linewidth=0.8, label="chance")
    for x in (0.001, 0.01):
        axes.axvline(x, color="grey", linewidth=0.5, linestyle=":")
    if max_tpr_at_1pct_fpr is not None:
        axes.axhline(max(max_tpr_at_1pct_fpr, floor), color="#cf222e", linewidth=1, linestyle="--",
                     label=f"max TPR at 1% FPR (policy) {max_tpr_at_1pct_fpr:g}")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlim(floor, 1)
    axes.set_ylim(floor, 1)
    axes.set_xlabel("false-positive rate")
    axes.set_ylabel("true-positive rate")
    axes.set_title(title)
    axes.legend(fontsize=7, loc="lower right")
    figure.tight_layout()
    return figure


def exposure_vs_repetitions(table: pd.DataFrame, space_bits: float):
    """Exposure of each canary against how often it was inserted, with the maximum log2|R|."""
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(5.5, 4))
    reps = sorted(table["repetitions"].unique())
    positions = {r: i for i, r in enumerate(reps)}
    x = table["repetitions"].map(positions).to_numpy(dtype=float)
    jitter = np.linspace(-0.12, 0.12, max(len(x), 1))[: len(x)]
    axes.scatter(x + jitter, table["exposure_bits"], color="tab:red", zorder=3, label="canary")
    means = table.groupby("repetitions")["exposure_bits"].mean()
    axes.plot([positions[r] for r in means.index], means.to_numpy(), color="tab:red", alpha=0.5, label="mean")
    axes.axhline(space_bits, color="grey", linestyle="--", linewidth=0.8, label=f"maximum log2|R| = {space_bits:.1f}")
    axes.set_xticks(range(len(reps)))
    axes.set_xticklabels([str(r) for r in reps])
    axes.set_xlabel("times the canary was inserted in training")
    axes.set_ylabel("exposure (bits)")
    axes.set_ylim(0, space_bits * 1.08)
    axes.set_title("Canary exposure vs repetitions")
    axes.legend(fontsize=8, loc="upper left")
    figure.tight_layout()
    return figure


def perplexity_histograms(train_ppl: np.ndarray, holdout_ppl: np.ndarray):
    """Overlaid histograms of per-character perplexity for training and held-out texts.

    A log axis is used only when the values span more than a factor of 10.
    """
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 4))
    values = np.concatenate([train_ppl, holdout_ppl])
    wide = values.max() > 10 * max(values.min(), 1e-3)
    if wide:
        bins = np.logspace(np.log10(max(values.min(), 1e-3)), np.log10(values.max() * 1.01), 40)
    else:
        bins = np.linspace(values.min(), values.max() * 1.001, 40)
    axes.hist(train_ppl, bins=bins, alpha=0.6, label=f"training texts (median {np.median(train_ppl):.2f})")
    axes.hist(holdout_ppl, bins=bins, alpha=0.6, label=f"held-out texts (median {np.median(holdout_ppl):.2f})")
    if wide:
        axes.set_xscale("log")
    axes.set_xlabel("per-character perplexity")
    axes.set_ylabel("texts")
    axes.set_title("Generator perplexity: training vs held-out")
    axes.legend(fontsize=8)
    figure.tight_layout()
    return figure
