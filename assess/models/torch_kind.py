"""``kind: torch``: a torch ``nn.Module`` classifier (see :mod:`assess.models.torch_classifier`)."""

from __future__ import annotations

from pathlib import Path

from assess.models.base import CLASSIFIER, ModelKind
from assess.models.mlflow_uri import is_mlflow_model, load_flavor

_FILE_SUFFIXES = (".pt", ".pth")


class TorchKind(ModelKind):
    """A torch classifier: a ``torch.save``-d module or TorchScript file (.pt), or an MLflow pytorch model."""

    name = "torch"
    capabilities = (CLASSIFIER,)
    options = {
        "classes": "label of each output column, in order (unless the module has a classes attribute)",
        "predict_proba": "module:function called as function(module, X) -> probabilities (default softmax(module(X)))",
        "epochs": "epochs when assess re-trains a copy (reference models, label audits); default 30",
        "learning_rate": "Adam learning rate of that re-training; default 0.01",
    }
    uri_help = "a .pt/.pth file (torch.save(module) or TorchScript), an MLflow pytorch model folder or URI"

    @classmethod
    def detects(cls, uri, path):
        return path is not None and path.suffix.lower() in _FILE_SUFFIXES

    def _module(self):
        import torch

        if self.spec.is_file() and not is_mlflow_model(Path(self.spec.uri)):
            try:
                return torch.jit.load(self.spec.uri, map_location="cpu")
            except RuntimeError:
                # Not TorchScript: a pickled module, whose class must be importable here.
                return torch.load(self.spec.uri, map_location="cpu", weights_only=False)
        return load_flavor(self.spec.uri, "pytorch")

    def load(self, capability):
        import torch

        from assess.models.torch_classifier import TorchClassifier
        from assess.plan import resolve_callable

        self.require(capability)
        module = self._module()
        if not isinstance(module, torch.nn.Module):
            raise self.missing(capability, f"the file holds a {type(module).__name__}, not an nn.Module; save the "
                                           "whole module (torch.save(module, path)) or a TorchScript module")
        classes = self.options.get("classes", getattr(module, "classes", None))
        if classes is None:
            raise self.missing(capability, "the label of each output is unknown; list them under classes: in the plan")
        predict_fn = self.options.get("predict_proba")
        if predict_fn:
            predict_fn = resolve_callable(predict_fn, where=f"models.{self.spec.role}.predict_proba")
        params = {k: self.options[k] for k in ("epochs", "learning_rate") if k in self.options}
        return TorchClassifier.trained(module.eval(), list(classes), predict_fn=predict_fn, **params)
