"""``kind: sklearn``: a scikit-learn estimator in a joblib/pickle file or an MLflow sklearn model."""

from __future__ import annotations

from pathlib import Path

from assess.models.base import CLASSIFIER, ModelKind
from assess.models.mlflow_uri import is_mlflow_model, load_flavor

_FILE_SUFFIXES = (".joblib", ".pkl", ".pickle")


class SklearnKind(ModelKind):
    """A fitted scikit-learn classifier (or Pipeline) with ``predict_proba``; re-fitted by ``clone``."""

    name = "sklearn"
    capabilities = (CLASSIFIER,)
    uri_help = "a .joblib/.pkl file, an MLflow model folder or models:/ / runs:/ URI of the sklearn flavor"

    @classmethod
    def detects(cls, uri, path):
        return path is not None and path.suffix.lower() in _FILE_SUFFIXES

    def load(self, capability):
        self.require(capability)
        if self.spec.is_file() and not is_mlflow_model(Path(self.spec.uri)):
            import joblib

            model = joblib.load(self.spec.uri)
        else:
            model = load_flavor(self.spec.uri, "sklearn")
        if not (hasattr(model, "predict_proba") and hasattr(model, "classes_")):
            raise self.missing(capability, f"{type(model).__name__} has no predict_proba/classes_; fit a "
                                           "probabilistic classifier (or wrap it in CalibratedClassifierCV)")
        return model
