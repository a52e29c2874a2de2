"""A torch ``nn.Module`` classifier seen as a scikit-learn classifier (``kind: torch``).

The module maps a float tensor of features ``(n, d)`` to logits ``(n, n_classes)``; the plan gives
the class of each output column (``classes:``) unless the module carries a ``classes`` attribute.
``predict_proba: module:function``, called as ``function(module, X) -> (n, n_classes)``, replaces
the default ``softmax(module(X))`` for modules that take other input (token ids, images).

:class:`TorchClassifier` is a scikit-learn estimator: ``clone`` + ``fit`` re-initialises the
module's parameters and trains it with Adam on cross-entropy, so reference models (membership
inference) and cross-validated label audits work on a torch model without user code.
"""

from __future__ import annotations

import copy

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from assess.errors import InputError


def _features(X) -> np.ndarray:
    values = X.to_numpy() if hasattr(X, "to_numpy") else np.asarray(X)
    try:
        return np.asarray(values, dtype=np.float32)
    except (TypeError, ValueError):
        raise InputError("a torch classifier without predict_proba: gets a float tensor of the feature columns, but "
                         "the features are not numeric: name predict_proba: module:function for text input") from None


def _fresh_copy(module):
    """A copy of ``module`` with newly initialised parameters (the architecture, not the training)."""
    import io

    import torch

    if isinstance(module, torch.jit.ScriptModule):
        # deepcopy of a TorchScript module gives non-leaf parameters; a save/load round trip does not.
        buffer = io.BytesIO()
        torch.jit.save(module, buffer)
        buffer.seek(0)
        copied = torch.jit.load(buffer, map_location="cpu")
    else:
        copied = copy.deepcopy(module)
    reset = [layer for layer in copied.modules() if callable(getattr(layer, "reset_parameters", None))]
    if reset:
        for layer in reset:
            layer.reset_parameters()
        return copied
    # TorchScript keeps no reset_parameters: initialise as nn.Linear does (He-uniform weights, zero biases).
    with torch.no_grad():
        for name, parameter in copied.named_parameters():
            if parameter.dim() >= 2:
                torch.nn.init.kaiming_uniform_(parameter, a=5 ** 0.5)
            else:
                parameter.zero_()
    return copied


class TorchClassifier(ClassifierMixin, BaseEstimator):
    """A torch module as a scikit-learn classifier.

    Parameters
    ----------
    module : torch.nn.Module
        Maps ``(n, d)`` float features to ``(n, n_classes)`` logits. ``fit`` trains a copy.
    classes : sequence, optional
        Label of each output column; ``fit`` sets it from ``y`` when not given.
    predict_fn : callable, optional
        ``predict_fn(module, X) -> probabilities``; models with one cannot be re-fitted here.
    epochs, learning_rate, batch_size, seed
        The re-training recipe (Adam on cross-entropy, seeded).
    """

    def __init__(self, module=None, classes=None, predict_fn=None, epochs: int = 30, learning_rate: float = 1e-2,
                 batch_size: int = 64, seed: int = 0):
        self.module = module
        self.classes = classes
        self.predict_fn = predict_fn
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.seed = seed

    @classmethod
    def trained(cls, module, classes, **params) -> "TorchClassifier":
        """A classifier around an already-trained module (no training)."""
        estimator = cls(module=module, classes=None if classes is None else list(classes), **params)
        estimator.module_ = module
        estimator.classes_ = np.asarray(classes)
        return estimator

    def fit(self, X, y):
        import torch

        if self.predict_fn is not None:
            raise InputError("a torch classifier with its own predict_proba function cannot be re-trained by assess: "
                             "set retrain: module:function in the plan")
        y = np.asarray(y)
        classes = np.asarray(self.classes) if self.classes is not None else np.unique(y)
        # Labels are matched by their text: a CSV's "1" is the plan's class 1.
        lookup = {str(label): i for i, label in enumerate(classes.tolist())}
        if any(str(label) not in lookup for label in y.tolist()):
            # Other names for the classes (a label audit trains on class indices): the copy is trained
            # from scratch, so its outputs follow the labels it is given.
            classes = np.unique(y)
            lookup = {str(label): i for i, label in enumerate(classes.tolist())}
        targets = torch.as_tensor([lookup[str(label)] for label in y.tolist()], dtype=torch.long)
        if y.dtype.kind in "OUS":
            classes = np.asarray([str(c) for c in classes.tolist()], dtype=object)
        features = torch.from_numpy(_features(X))
        torch.manual_seed(self.seed)
        module = _fresh_copy(self.module)
        optimizer = torch.optim.Adam(module.parameters(), lr=self.learning_rate)
        generator = torch.Generator().manual_seed(self.seed)
        module.train()
        for _ in range(self.epochs):
            order = torch.randperm(len(features), generator=generator)
            for start in range(0, len(features), self.batch_size):
                batch = order[start:start + self.batch_size]
                loss = torch.nn.functional.cross_entropy(module(features[batch]), targets[batch])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        module.eval()
        self.module_ = module
        self.classes_ = classes
        return self

    def predict_proba(self, X) -> np.ndarray:
        from assess.leakage.probability import TorchProbabilityModel

        if self.predict_fn is not None:
            return np.asarray(self.predict_fn(self.module_, X), dtype=np.float64)
        if len(X) == 0:
            return np.zeros((0, len(self.classes_)))
        proba = TorchProbabilityModel(self.module_, self.classes_).predict_proba(_features(X))
        if proba.shape[1] != len(self.classes_):
            raise InputError(f"the torch model gives {proba.shape[1]} outputs for {len(self.classes_)} classes: "
                             "fix classes: in the plan")
        return proba

    def predict(self, X) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
