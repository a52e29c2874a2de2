"""``kind: pyfunc``: any MLflow pyfunc model (the default for ``models:/`` and ``runs:/`` URIs).

As a **classifier**, a pyfunc that wraps a scikit-learn model is unwrapped; any other must return
one probability column per class from ``predict``. As a **text** model, the contract is the one of
:class:`assess.leakage.generators.PyfuncTextModel` (``predict(DataFrame({"text": ...}),
params={"task": "log_likelihood" | "generate", ...})``), documented in ``docs/models.md``.
"""

from __future__ import annotations

from assess.models.base import CLASSIFIER, TEXT, ModelKind
from assess.models.mlflow_uri import load_flavor


class PyfuncKind(ModelKind):
    """An MLflow pyfunc model, by URI (``models:/name/version``, ``runs:/id/path``) or folder."""

    name = "pyfunc"
    capabilities = (CLASSIFIER, TEXT)
    uri_help = "an MLflow model URI (models:/name/version, runs:/id/path) or an MLflow model folder"

    def load(self, capability):
        self.require(capability)
        model = load_flavor(self.spec.uri, "pyfunc")
        if capability == TEXT:
            from assess.leakage.generators import as_text_model

            return as_text_model(model)
        from assess.leakage.probability import as_probability_model

        try:
            raw = model.get_raw_model()
        except Exception:  # noqa: BLE001 - a pyfunc without a raw model answers through predict
            raw = None
        if raw is not None and hasattr(raw, "predict_proba") and hasattr(raw, "classes_"):
            return raw
        return as_probability_model(model, self.options.get("classes"))
