"""Out-of-fold predicted probabilities: each record is scored by models that never saw its label."""

from __future__ import annotations

import warnings
from contextlib import contextmanager

import numpy as np

from assess.errors import InputError
from assess.labels.inputs import take


def fold_indices(codes: np.ndarray, cv: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Stratified, shuffled ``(train, test)`` index pairs; the same for every member."""
    from sklearn.model_selection import StratifiedKFold

    if cv < 2:
        raise InputError(f"cv={cv}: use 2 or more folds")
    splitter = StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed)
    return list(splitter.split(np.zeros(len(codes)), codes))


@contextmanager
def native_threads(limit: int | None):
    """Limit the BLAS/OpenMP thread pools to ``limit`` inside the block (no limit for None)."""
    if limit is None:
        yield
        return
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=limit):
        yield


def fit_quietly(estimator, X, y):
    """Fit, silencing convergence chatter: the audit judges models by their out-of-fold results."""
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.filterwarnings("ignore", message=".*number of unique classes.*")
        warnings.filterwarnings("ignore", message=".*least populated class.*")
        return estimator.fit(X, y)


def member_probabilities(estimator, features, codes: np.ndarray, n_classes: int,
                         folds: list[tuple[np.ndarray, np.ndarray]], keep: np.ndarray | None = None) -> np.ndarray:
    """Out-of-fold probabilities of clones of ``estimator``.

    Parameters
    ----------
    estimator : sklearn classifier
        Cloned (``sklearn.base.clone``) for every fold, so its hyper-parameters are kept and its
        fitted state, if any, is not. Its ``predict_proba`` is used; a classifier without one
        gives ``decision_function`` margins, calibrated afterwards by :func:`calibrate_margins`.
    features : array, sparse matrix or object array of texts
    codes : numpy.ndarray
        Given labels coded ``0 .. n_classes-1``.
    folds : list of (train, test) index arrays
    keep : numpy.ndarray of bool, optional
        Rows allowed in training folds (rows suspected of a wrong label are left out when refining);
        every row is still scored.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, n_classes)``; rows sum to 1. A class missing from a training fold gets 0.
    """
    from sklearn.base import clone

    margins = not hasattr(estimator, "predict_proba")
    outputs = np.full((len(codes), n_classes), np.nan if margins else 0.0)
    for train, test in folds:
        if keep is not None:
            train = train[keep[train]]
        model = fit_quietly(clone(estimator), take(features, train), codes[train])
        columns = np.asarray(model.classes_, dtype=np.int64)
        if margins:
            scores = np.asarray(model.decision_function(take(features, test)), dtype=float)
            if scores.ndim == 1:  # binary: one margin, positive for classes_[1]
                scores = np.column_stack([-scores / 2, scores / 2])
            outputs[np.ix_(test, columns)] = scores
        else:
            outputs[np.ix_(test, columns)] = np.asarray(model.predict_proba(take(features, test)), dtype=float)
    if margins:
        return calibrate_margins(outputs, codes)
    totals = outputs.sum(axis=1, keepdims=True)
    return outputs / np.where(totals > 0, totals, 1.0)


def calibrate_margins(margins: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Probabilities from out-of-fold margins by temperature scaling (Platt scaling for two classes).

    One temperature (two Platt coefficients) is fitted to all out-of-fold margins by maximum
    likelihood against the given labels. So few parameters cannot memorise any record's label,
    and wrong labels only make the fit a little less confident, which suits a noise audit.

    Parameters
    ----------
    margins : numpy.ndarray
        Shape ``(n, k)``; NaN where a fold's model did not know a class.
    codes : numpy.ndarray
        Given labels coded ``0 .. k-1``.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, k)``, rows summing to 1.
    """
    from scipy.optimize import minimize, minimize_scalar
    from scipy.special import expit, log_softmax

    n, k = margins.shape
    finite = np.where(np.isnan(margins), -np.inf, margins)
    rows = np.arange(n)
    if k == 2 and np.isfinite(finite).all():
        difference = finite[:, 1] - finite[:, 0]
        positive = codes == 1

        def platt_loss(params):
            z = params[0] * difference + params[1]
            # log(sigmoid(z)) and log(1 - sigmoid(z)), numerically stable
            return float(np.mean(np.where(positive, np.logaddexp(0, -z), np.logaddexp(0, z))))

        a, b = minimize(platt_loss, np.array([1.0, 0.0]), method="Nelder-Mead").x
        p1 = expit(a * difference + b)
        return np.column_stack([1 - p1, p1])
    scale = np.nanstd(margins) or 1.0
    scaled = finite / scale

    def temperature_loss(log_t):
        return float(-np.mean(log_softmax(scaled / np.exp(log_t), axis=1)[rows, codes].clip(-50, 0)))

    log_t = minimize_scalar(temperature_loss, bounds=(-5, 5), method="bounded").x
    probabilities = np.exp(log_softmax(scaled / np.exp(log_t), axis=1))
    return np.nan_to_num(probabilities, nan=1.0 / k)


def ensemble_probabilities(members: list[tuple[str, object]], features, codes: np.ndarray, n_classes: int,
                           folds, keep: np.ndarray | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The average of the members' out-of-fold probabilities, and each member's own."""
    each = {name: member_probabilities(estimator, features, codes, n_classes, folds, keep) for name, estimator in members}
    return np.mean(list(each.values()), axis=0), each


def probability_quality(probabilities: np.ndarray, codes: np.ndarray) -> dict[str, float]:
    """Agreement with the given labels: accuracy, log-loss and Brier score (lower is better).

    Measured against the *given* labels, so wrong labels count as errors; it compares models on
    the same data, not with the truth.
    """
    n = len(codes)
    clipped = np.clip(probabilities[np.arange(n), codes], 1e-12, 1.0)
    onehot = np.zeros_like(probabilities)
    onehot[np.arange(n), codes] = 1.0
    return {
        "accuracy": float((probabilities.argmax(axis=1) == codes).mean()),
        "log_loss": float(-np.log(clipped).mean()),
        "brier": float(((probabilities - onehot) ** 2).sum(axis=1).mean()),
    }
