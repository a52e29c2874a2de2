"""Re-training reference models for the reference-model (LiRA-style) attack.

Two ways, chosen by the plan's ``retrain`` parameter:

- ``"clone"``: ``sklearn.base.clone`` of the target (same hyper-parameters, fresh weights), then
  ``fit(X, y)``; the target must be a scikit-learn estimator.
- ``"module:function"``: a training function ``function(X, y, *, seed) -> model`` that returns any
  model :func:`assess.leakage.probability.as_probability_model` accepts (e.g. for torch targets).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from assess.errors import InputError


def take(X, indices):
    """Rows ``indices`` of ``X`` (pandas object, numpy array or list), keeping its kind."""
    indices = np.asarray(indices, dtype=np.int64)
    if isinstance(X, (pd.DataFrame, pd.Series)):
        return X.iloc[indices]
    if isinstance(X, np.ndarray):
        return X[indices]
    return [X[i] for i in indices]


def concat(first, second):
    """``first`` then ``second`` (same kind), as one object of that kind."""
    if isinstance(first, (pd.DataFrame, pd.Series)):
        return pd.concat([first, second], ignore_index=True)
    if isinstance(first, np.ndarray):
        return np.concatenate([first, np.asarray(second)])
    return list(first) + list(second)


class Retrainer:
    """Trains one reference model on ``(X, y)`` with a seed."""

    def fit(self, X, y, seed: int):  # pragma: no cover - interface
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class CloneRetrainer(Retrainer):
    """``sklearn.base.clone(target).fit(X, y)``."""

    def __init__(self, estimator):
        if not hasattr(estimator, "get_params") or not hasattr(estimator, "fit"):
            raise InputError(
                f"retrain='clone' needs a scikit-learn estimator, got {type(estimator).__name__}: "
                "load the target with flavor sklearn or set retrain to 'module:function'"
            )
        self.estimator = estimator

    def fit(self, X, y, seed: int):
        from sklearn.base import clone

        return clone(self.estimator).fit(X, np.asarray(y))

    def describe(self) -> str:
        return f"sklearn clone of {type(self.estimator).__name__}"


class FunctionRetrainer(Retrainer):
    """A training function named ``module:function``, called as ``function(X, y, seed=seed)``."""

    def __init__(self, function: Callable, name: str = ""):
        self.function = function
        self.name = name or getattr(function, "__qualname__", repr(function))

    @classmethod
    def from_reference(cls, reference: str) -> "FunctionRetrainer":
        """Import ``module:function``."""
        import importlib

        module_name, _, attribute = reference.partition(":")
        if not module_name or not attribute:
            raise InputError(f"retrain={reference!r}: use 'clone' or 'module:function'")
        try:
            function = getattr(importlib.import_module(module_name), attribute)
        except (ImportError, AttributeError) as exc:
            raise InputError(f"retrain={reference!r} cannot be imported ({exc}): check the module and function name") from None
        return cls(function, reference)

    def fit(self, X, y, seed: int):
        return self.function(X, np.asarray(y), seed=seed)

    def describe(self) -> str:
        return f"training function {self.name}"


def make_retrainer(retrain: str | Callable, target=None) -> Retrainer:
    """The retrainer a plan names.

    Parameters
    ----------
    retrain : str or callable
        ``"clone"``, ``"module:function"``, or a training function.
    target : object, optional
        The target model (needed for ``"clone"``).
    """
    if callable(retrain):
        return FunctionRetrainer(retrain)
    if retrain == "clone":
        return CloneRetrainer(target)
    if isinstance(retrain, str) and ":" in retrain:
        return FunctionRetrainer.from_reference(retrain)
    raise InputError(f"retrain={retrain!r}: use 'clone' or 'module:function'")
