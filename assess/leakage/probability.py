"""Class probabilities from any classifier, and the per-example scores attacks are built on.

A target may be a scikit-learn estimator, a torch module returning logits, an MLflow pyfunc model
whose ``predict`` returns one probability column per class, or a plain callable. Each kind has a
small adapter class; :func:`as_probability_model` picks the first that accepts the model.
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
import pandas as pd

from assess.errors import InputError

#: Logit-scaled confidences are clipped to +-this: beyond it float probabilities carry no signal.
LOGIT_CLIP = 30.0
_TINY = 1e-300


class ProbabilityModel:
    """A classifier seen as ``predict_proba(X) -> (n, n_classes)`` with known ``classes``."""

    classes: np.ndarray

    def predict_proba(self, X) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError

    @classmethod
    def accepts(cls, model) -> bool:  # pragma: no cover - interface
        raise NotImplementedError


class SklearnProbabilityModel(ProbabilityModel):
    """A scikit-learn estimator (or Pipeline) with ``predict_proba`` and ``classes_``."""

    def __init__(self, model, classes=None):
        self.model = model
        self.classes = np.asarray(classes if classes is not None else model.classes_)

    @classmethod
    def accepts(cls, model) -> bool:
        return hasattr(model, "predict_proba") and hasattr(model, "classes_")

    def predict_proba(self, X) -> np.ndarray:
        return np.asarray(self.model.predict_proba(X), dtype=np.float64)


class TorchProbabilityModel(ProbabilityModel):
    """A torch module mapping a float tensor of features to logits (softmax applied here)."""

    def __init__(self, model, classes=None, batch_size: int = 1024):
        self.model = model
        self.batch_size = batch_size
        self.classes = None if classes is None else np.asarray(classes)

    @classmethod
    def accepts(cls, model) -> bool:
        try:
            import torch
        except ImportError:  # pragma: no cover - torch is a core dependency
            return False
        return isinstance(model, torch.nn.Module)

    def predict_proba(self, X) -> np.ndarray:
        import torch

        features = np.asarray(X.to_numpy() if hasattr(X, "to_numpy") else X, dtype=np.float32)
        self.model.eval()
        outputs = []
        with torch.no_grad():
            for start in range(0, len(features), self.batch_size):
                logits = self.model(torch.from_numpy(features[start:start + self.batch_size]))
                outputs.append(torch.softmax(logits, dim=-1).double().numpy())
        proba = np.concatenate(outputs) if outputs else np.zeros((0, 0))
        if self.classes is None:
            self.classes = np.arange(proba.shape[1])
        return proba


class PyfuncProbabilityModel(ProbabilityModel):
    """An MLflow pyfunc model whose ``predict`` returns one probability column per class.

    A pyfunc that wraps a scikit-learn model is unwrapped and read through ``predict_proba``.
    """

    def __init__(self, model, classes=None):
        raw = None
        try:
            raw = model.get_raw_model()
        except Exception:  # noqa: BLE001 - flavors without a raw model
            raw = None
        self.inner = SklearnProbabilityModel(raw, classes) if raw is not None and SklearnProbabilityModel.accepts(raw) else None
        self.model = model
        self.classes = self.inner.classes if self.inner else (None if classes is None else np.asarray(classes))

    @classmethod
    def accepts(cls, model) -> bool:
        return type(model).__name__ == "PyFuncModel" and hasattr(model, "predict")

    def predict_proba(self, X) -> np.ndarray:
        if self.inner is not None:
            return self.inner.predict_proba(X)
        output = self.model.predict(X if isinstance(X, pd.DataFrame) else pd.DataFrame(X))
        if isinstance(output, pd.DataFrame):
            if self.classes is None:
                self.classes = np.asarray(output.columns)
            output = output.to_numpy()
        proba = np.asarray(output, dtype=np.float64)
        if proba.ndim != 2:
            raise InputError("the pyfunc model returns one value per row, not class probabilities: "
                             "log it with pyfunc_predict_fn='predict_proba' or pass a scikit-learn flavor")
        if self.classes is None:
            self.classes = np.arange(proba.shape[1])
        return proba


class CallableProbabilityModel(ProbabilityModel):
    """A function ``f(X) -> probabilities``; ``classes`` must be given."""

    def __init__(self, function: Callable, classes=None):
        if classes is None:
            raise InputError("a probability function needs its class order: pass classes=[...]")
        self.function = function
        self.classes = np.asarray(classes)

    @classmethod
    def accepts(cls, model) -> bool:
        return callable(model)

    def predict_proba(self, X) -> np.ndarray:
        return np.asarray(self.function(X), dtype=np.float64)


_ADAPTERS: tuple[type[ProbabilityModel], ...] = (
    SklearnProbabilityModel, TorchProbabilityModel, PyfuncProbabilityModel, CallableProbabilityModel,
)


def as_probability_model(model, classes: Sequence | None = None) -> ProbabilityModel:
    """Wrap ``model`` in the first adapter that accepts it.

    Parameters
    ----------
    model : object
        scikit-learn estimator, torch module, MLflow pyfunc model, callable, or a
        :class:`ProbabilityModel` (returned as is).
    classes : sequence, optional
        Class order of the probability columns when the model does not carry it.
    """
    if isinstance(model, ProbabilityModel):
        return model
    for adapter in _ADAPTERS:
        if adapter.accepts(model):
            return adapter(model, classes)
    raise InputError(
        f"{type(model).__name__} gives no class probabilities: pass a scikit-learn classifier, a torch "
        "module returning logits, an MLflow pyfunc returning probabilities, or a function"
    )


def true_class_columns(classes: np.ndarray, labels) -> np.ndarray:
    """Column of each label in ``classes``; -1 where the model does not know the label."""
    lookup = {value: i for i, value in enumerate(np.asarray(classes).tolist())}
    return np.asarray([lookup.get(label, -1) for label in np.asarray(labels).tolist()], dtype=np.int64)


def true_class_probability(proba: np.ndarray, classes, labels) -> np.ndarray:
    """Probability the model gives each example's true label (0 for an unknown label)."""
    proba = np.asarray(proba, dtype=np.float64)
    columns = true_class_columns(classes, labels)
    picked = proba[np.arange(len(proba)), np.clip(columns, 0, None)]
    return np.where(columns >= 0, picked, 0.0)


def logit_confidence(proba: np.ndarray, classes, labels, clip: float = LOGIT_CLIP) -> np.ndarray:
    """``log p_y - log(sum of the other classes)`` (Carlini et al., 2022), clipped to +-``clip``.

    The other classes' probabilities are summed rather than taken as ``1 - p_y``: for a confident
    model ``1 - p_y`` rounds to 0 while the small probabilities themselves are still exact.
    """
    proba = np.asarray(proba, dtype=np.float64)
    columns = true_class_columns(classes, labels)
    rows = np.arange(len(proba))
    others = np.ones(proba.shape, dtype=bool)
    others[rows[columns >= 0], columns[columns >= 0]] = False
    p_true = true_class_probability(proba, classes, labels)
    p_rest = np.where(others, proba, 0.0).sum(axis=1)
    score = np.log(np.maximum(p_true, _TINY)) - np.log(np.maximum(p_rest, _TINY))
    return np.clip(score, -clip, clip)


def negative_loss(proba: np.ndarray, classes, labels) -> np.ndarray:
    """``log p_y`` (minus the cross-entropy loss), the score of the loss-threshold attack."""
    return np.log(np.maximum(true_class_probability(proba, classes, labels), _TINY))
