"""Figures of the label assessment (aggregates and labels only: no record text is drawn)."""

from __future__ import annotations

import numpy as np


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def noise_curve_figure(curve, tolerance: float | None = None, max_noise_rate: float | None = None):
    """Accuracy and macro-F1 against the injected noise rate, one line per kind, with intervals.

    Parameters
    ----------
    curve : NoiseCurve
    tolerance : float, optional
        Drawn as a dashed line ``tolerance`` below the clean score.
    max_noise_rate : float, optional
        Drawn as a dotted vertical line (the noise the policy accepts in training data).

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _pyplot()
    table = curve.summary()
    figure, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharex=True)
    for axis, metric, title in zip(axes, ("accuracy", "macro_f1"), ("Accuracy", "Macro-F1")):
        rows = table[table["metric"] == metric]
        for kind, group in rows.groupby("kind"):
            group = group.sort_values("rate")
            axis.plot(group["rate"] * 100, group["mean"], marker="o", label=kind.replace("_", "-"))
            axis.fill_between(group["rate"] * 100, group["low"], group["high"], alpha=0.2)
        clean = rows[rows["rate"] == 0]["mean"].mean()
        if tolerance is not None:
            axis.axhline(clean - tolerance, color="grey", linestyle="--", linewidth=1,
                         label=f"clean - tolerance ({tolerance:g})")
        if max_noise_rate is not None:
            axis.axvline(max_noise_rate * 100, color="grey", linestyle=":", linewidth=1,
                         label=f"max_noise_rate ({max_noise_rate:g})")
        axis.set_title(f"{title} on the clean holdout")
        axis.set_xlabel("injected label noise (%)")
        axis.grid(alpha=0.3)
    axes[0].set_ylabel("score (mean and 95% interval over repeats)")
    axes[0].legend(fontsize=8, loc="lower left")
    figure.tight_layout()
    return figure


def noise_matrix_figure(audit):
    """Heat map of the estimated noise matrix ``P(given | true)``."""
    plt = _pyplot()
    matrix = audit.noise_matrix
    size = max(4.0, 0.7 * len(matrix) + 2)
    figure, axis = plt.subplots(figsize=(size + 1, size))
    image = axis.imshow(matrix.to_numpy(), cmap="Blues", vmin=0, vmax=1)
    axis.set_xticks(range(len(matrix.columns)), matrix.columns, rotation=45, ha="right")
    axis.set_yticks(range(len(matrix.index)), matrix.index)
    axis.set_xlabel("true label (estimated)")
    axis.set_ylabel("given label")
    for (row, column), value in np.ndenumerate(matrix.to_numpy()):
        axis.text(column, row, f"{value:.2f}", ha="center", va="center", fontsize=8,
                  color="white" if value > 0.5 else "black")
    axis.set_title("Estimated noise matrix P(given | true)")
    figure.colorbar(image, ax=axis, fraction=0.046)
    figure.tight_layout()
    return figure


def self_confidence_figure(audit):
    """Histogram of self-confidence (out-of-fold probability of the given label), suspects apart."""
    plt = _pyplot()
    scores = audit.scores
    figure, axis = plt.subplots(figsize=(8, 3.2))
    bins = np.linspace(0, 1, 41)
    axis.hist(scores.loc[~scores["is_suspect"], "self_confidence"], bins=bins, label="not flagged", color="#9ecae1")
    axis.hist(scores.loc[scores["is_suspect"], "self_confidence"], bins=bins, label="suspected error", color="#de2d26")
    axis.set_yscale("log")
    axis.set_xlabel("self-confidence: out-of-fold probability of the given label")
    axis.set_ylabel("records (log scale)")
    axis.set_title("Where the suspected label errors sit")
    axis.legend()
    figure.tight_layout()
    return figure


def stability_figure(result, max_flip_rate: float | None = None):
    """Bars of the flip rate per perturbation."""
    plt = _pyplot()
    table = result.per_perturbation
    figure, axis = plt.subplots(figsize=(7, 3.2))
    axis.bar(table["perturbation"], table["flip_rate"] * 100, color="#6baed6")
    for index, row in enumerate(table.itertuples()):
        axis.text(index, row.flip_rate * 100, f"{row.changed}/{row.perturbed}", ha="center", va="bottom", fontsize=8)
    if max_flip_rate is not None:
        axis.axhline(max_flip_rate * 100, color="grey", linestyle="--", linewidth=1, label=f"max_flip_rate ({max_flip_rate:g})")
        axis.legend(fontsize=8)
    axis.set_ylabel("predictions changed (%)")
    axis.set_title("Prediction changes under small perturbations")
    figure.tight_layout()
    return figure
