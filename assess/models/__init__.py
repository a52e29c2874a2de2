"""Loading a plan's models, whatever they are: one small :class:`ModelKind` class per kind.

========================  =====================  ===========================================
kind                      capabilities           URI
========================  =====================  ===========================================
``transformers``          text                   ``save_pretrained`` folder, MLflow transformers model
``openai``                text                   OpenAI-compatible base URL (``http://host:8000/v1``)
``pyfunc``                classifier, text       MLflow URI (``models:/``, ``runs:/``) or model folder
``torch``                 classifier             ``.pt`` module / TorchScript, MLflow pytorch model
``sklearn``               classifier             ``.joblib`` / ``.pkl``, MLflow sklearn model
========================  =====================  ===========================================

A plan may omit ``kind:`` where the URI says it (an ``http(s)://`` URL, a folder with
``config.json``, an MLflow folder's flavor, a file suffix); other MLflow URIs are ``pyfunc``.
``docs/models.md`` documents each kind and its options.
"""

from __future__ import annotations

from pathlib import Path

from assess.errors import InputError
from assess.models import hf_kind, openai_kind, pyfunc_kind, sklearn_kind, torch_kind  # noqa: F401 - registers kinds
from assess.models.base import CLASSIFIER, KINDS, TEXT, CapabilityError, ModelKind
from assess.models.mlflow_uri import FLAVOR_KINDS, folder_flavors, is_mlflow_model

#: The legacy ``flavor:`` plan key, by the kind it names.
FLAVOR_ALIASES = {"sklearn": "sklearn", "pytorch": "torch", "pyfunc": "pyfunc", "transformers": "transformers"}

__all__ = ["CLASSIFIER", "KINDS", "TEXT", "CapabilityError", "ModelKind", "detect_kind", "load_model"]


def detect_kind(uri: str, is_file: bool) -> str:
    """The kind a plan means when it names no ``kind:`` (see the module docstring)."""
    path = Path(uri) if is_file else None
    for kind in KINDS.values():
        if kind.detects(uri, path):
            return kind.name
    if path is not None and is_mlflow_model(path):
        flavors = folder_flavors(path)
        return next((FLAVOR_KINDS[f] for f in flavors if f in FLAVOR_KINDS and f != "python_function"), "pyfunc")
    return "pyfunc"


def load_model(spec, capability: str):
    """Load the plan's model ``spec`` for ``capability`` (:data:`CLASSIFIER` or :data:`TEXT`).

    Parameters
    ----------
    spec : assess.plan.ModelSpec
        The plan's model: ``uri``, ``kind`` and the kind's options.
    capability : str
        What the assessment needs.

    Returns
    -------
    object
        For ``classifier``, a scikit-learn classifier (or a probability model); for ``text``, an
        :class:`assess.leakage.generators.TextModel`.

    Raises
    ------
    InputError
        The model does not exist, does not load, or lacks the capability; one line naming the
        role, the kind and the fix.
    """
    kind = KINDS[spec.kind](spec)
    if spec.is_file() and not Path(spec.uri).exists():
        raise InputError(f"{kind.where} does not exist: fix models.{spec.role}.uri in the plan")
    try:
        return kind.load(capability)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - any loader failure is the user's model or URI
        message = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise InputError(f"{kind.where} does not load ({message}): check the URI ({kind.uri_help}) and the kind") from None
