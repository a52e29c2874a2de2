"""Noise sensitivity: how much a model loses when trained on labels with injected noise.

For each kind of noise (:mod:`assess.labels.noise`) and each rate, the model type is re-trained
(``sklearn.base.clone``) on the training labels with that share flipped, several times with
different draws, and scored on a clean holdout. The rates are *added* to whatever noise the
training labels already hold. Results: accuracy and macro-F1 per rate with a t-interval over the
repeats, the slope of each metric against the rate, and the largest rate whose mean drop from the
rate-0 score stays within a tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from assess.errors import InputError
from assess.labels.inputs import as_features, canonical_label, prepare
from assess.labels.models import default_single_model, model_name
from assess.labels.noise import NOISE_KINDS, check_rate, noise_kind
from assess.labels.probabilities import fit_quietly, native_threads

#: Noise rates the issue asks for: 0, 5, 10, 20 and 30%.
DEFAULT_RATES = (0.0, 0.05, 0.10, 0.20, 0.30)
METRICS = ("accuracy", "macro_f1")


@dataclass
class NoiseCurve:
    """Result of :func:`noise_sensitivity`.

    Attributes
    ----------
    runs : pandas.DataFrame
        One row per fit: ``kind``, ``rate``, ``repeat``, ``accuracy``, ``macro_f1``.
    model : str
        Name of the model type re-trained.
    confidence : float
        Level of the intervals in :meth:`summary`.
    """

    runs: pd.DataFrame
    model: str
    confidence: float = 0.95
    settings: dict = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """Per kind, rate and metric: ``mean``, ``low``, ``high`` (t-interval over repeats, clipped
        to [0, 1]) and ``drop`` (mean at rate 0 minus mean at this rate)."""
        from scipy import stats

        rows = []
        for (kind, rate), group in self.runs.groupby(["kind", "rate"], sort=True):
            for metric in METRICS:
                values = group[metric].to_numpy(dtype=float)
                mean = float(values.mean())
                if len(values) > 1 and np.ptp(values) > 0:
                    half = float(stats.t.ppf(0.5 + self.confidence / 2, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values)))
                else:
                    half = 0.0
                rows.append({"kind": kind, "rate": float(rate), "metric": metric, "mean": mean,  # scores live in [0, 1]
                             "low": max(0.0, mean - half), "high": min(1.0, mean + half), "repeats": len(values)})
        table = pd.DataFrame(rows)
        clean = table[table["rate"] == 0].set_index(["kind", "metric"])["mean"]
        table["drop"] = [clean.get((k, m), np.nan) - v for k, m, v in zip(table["kind"], table["metric"], table["mean"])]
        return table

    def slope(self, kind: str, metric: str = "accuracy") -> float:
        """Least-squares slope of ``metric`` against the rate over all runs of ``kind``
        (e.g. -0.3: three points lost per 10 points of noise)."""
        runs = self.runs[self.runs["kind"] == kind]
        if runs["rate"].nunique() < 2:
            return float("nan")
        return float(np.polyfit(runs["rate"].to_numpy(float), runs[metric].to_numpy(float), 1)[0])

    def tolerated_rate(self, tolerance: float, metric: str = "accuracy", kind: str | None = None) -> float:
        """Largest tested rate up to which every mean drop of ``metric`` is at most ``tolerance``.

        With ``kind`` None, the smallest over the kinds (the model must tolerate each kind).
        """
        kinds = [kind] if kind else sorted(self.runs["kind"].unique())
        table = self.summary()
        tolerated = []
        for name in kinds:
            rows = table[(table["kind"] == name) & (table["metric"] == metric)].sort_values("rate")
            best = 0.0
            for rate, drop in zip(rows["rate"], rows["drop"]):
                if drop > tolerance + 1e-12:
                    break
                best = float(rate)
            tolerated.append(best)
        return float(min(tolerated))

    def metrics(self, tolerance: float) -> dict[str, float]:
        """Headline figures for MLflow: clean scores, slopes and tolerated rates."""
        table = self.summary()
        figures = {}
        for metric in METRICS:
            clean = table[(table["rate"] == 0) & (table["metric"] == metric)]["mean"]
            figures[f"clean_{metric}"] = float(clean.mean()) if len(clean) else float("nan")
        for kind in sorted(self.runs["kind"].unique()):
            for metric in METRICS:
                figures[f"slope_{metric}_{kind}"] = self.slope(kind, metric)
            figures[f"tolerated_noise_rate_{kind}"] = self.tolerated_rate(tolerance, "accuracy", kind)
        figures["tolerated_noise_rate"] = self.tolerated_rate(tolerance, "accuracy")
        figures["tolerated_noise_rate_macro_f1"] = self.tolerated_rate(tolerance, "macro_f1")
        return figures


def noise_sensitivity(model, train_features, train_labels, holdout_features, holdout_labels, *,
                      rates=DEFAULT_RATES, kinds=tuple(NOISE_KINDS), repeats: int = 3, seed: int = 0,
                      vectorizer=None, confidence: float = 0.95, threads: int | None = 1) -> NoiseCurve:
    """Re-train ``model`` on labels with injected noise and score it on a clean holdout.

    Parameters
    ----------
    model : sklearn classifier or None
        The subject's model type, cloned for every fit; a text pipeline gets the raw texts.
        None: :func:`assess.labels.models.default_single_model` for the kind of features.
    train_features, train_labels : sequence, array-like or DataFrame
        Training data (texts as a 1-D sequence).
    holdout_features, holdout_labels
        Clean evaluation data; its labels must be classes seen in training.
    rates : sequence of float
        Shares of training labels flipped; 0 is always included.
    kinds : sequence of str
        Kinds of noise (:data:`assess.labels.noise.NOISE_KINDS`).
    repeats : int
        Fits per kind and rate, each with a different draw of flipped labels.
    seed : int
        Seed of the draws.
    vectorizer : sklearn transformer, optional
        Put in front of ``model`` (cloned per fit) when ``model`` takes features, not texts.
    confidence : float
        Level of the t-intervals over repeats.
    threads : int or None
        Native thread-pool limit while fitting (see :func:`assess.labels.audit.audit`).

    Returns
    -------
    NoiseCurve
    """
    from sklearn.base import clone
    from sklearn.metrics import accuracy_score, f1_score

    rates = sorted({0.0, *(check_rate(r) for r in rates)})
    kinds = [noise_kind(k).name for k in kinds]
    if not isinstance(repeats, int) or repeats < 1:
        raise InputError(f"repeats={repeats!r}: use 1 or more (3 or more give an interval)")
    train = prepare(train_features, train_labels, min_per_class=1, name="training labels")
    holdout_values, holdout_kind = as_features(holdout_features)
    if holdout_kind != train.kind:
        raise InputError(f"holdout features are {holdout_kind} but training features are {train.kind}: pass the same kind")
    holdout_codes = encode(holdout_labels, train.classes, "holdout labels")
    if len(holdout_codes) != holdout_values.shape[0]:
        raise InputError(f"holdout: {len(holdout_codes)} labels for {holdout_values.shape[0]} rows: pass one label per row")
    estimator = default_single_model(train.kind, seed) if model is None else model
    if vectorizer is not None:
        from sklearn.pipeline import make_pipeline

        estimator = make_pipeline(clone(vectorizer), estimator)
    # Macro-F1 over the classes the holdout has: a class seen only in training (say a typo'd label)
    # has no holdout records to recall, and would otherwise add a constant 0 to the average.
    holdout_classes = np.unique(holdout_codes)

    def score(codes: np.ndarray) -> dict:
        fitted = fit_quietly(clone(estimator), train.features, codes)
        predicted = np.asarray(fitted.predict(holdout_values)).astype(np.int64)
        return {"accuracy": float(accuracy_score(holdout_codes, predicted)),
                "macro_f1": float(f1_score(holdout_codes, predicted, labels=holdout_classes, average="macro", zero_division=0))}

    rows = []
    with native_threads(threads):
        for repeat in range(repeats):
            clean = score(train.codes)  # rate 0 is the same for every kind: fit once per repeat
            for kind_index, kind in enumerate(kinds):
                rows.append({"kind": kind, "rate": 0.0, "repeat": repeat, **clean})
                for rate_index, rate in enumerate(rates):
                    if rate == 0:
                        continue
                    rng = np.random.default_rng([seed, repeat, kind_index, rate_index])
                    noisy = NOISE_KINDS[kind].flip(train.codes, train.n_classes, rate, rng)
                    rows.append({"kind": kind, "rate": rate, "repeat": repeat, **score(noisy)})
    return NoiseCurve(pd.DataFrame(rows), model_name(estimator), confidence,
                      {"rates": rates, "kinds": kinds, "repeats": repeats, "seed": seed,
                       "train_records": len(train), "holdout_records": int(len(holdout_codes))})


def encode(labels, classes: np.ndarray, name: str) -> np.ndarray:
    """Code ``labels`` by ``classes`` (compared as text); unknown labels raise :class:`InputError`."""
    values = [canonical_label(v) for v in (labels.tolist() if hasattr(labels, "tolist") else list(labels))]
    index = {str(c): i for i, c in enumerate(classes)}
    unknown = sorted({v for v in values if v not in index})
    if unknown:
        raise InputError(
            f"{name}: labels {', '.join(map(repr, unknown[:5]))} do not occur in training: "
            f"use the training classes ({', '.join(map(str, classes))})"
        )
    return np.array([index[v] for v in values], dtype=np.int64)
