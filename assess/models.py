"""Loading a plan's models: an MLflow model URI, an MLflow model folder, or a model file."""

from __future__ import annotations

from pathlib import Path

from assess.errors import InputError
from assess.plan import ModelSpec

_FILE_LOADERS = {
    ".joblib": "joblib",
    ".pkl": "joblib",
    ".pt": "torch",
    ".pth": "torch",
}


def _load_file(path: Path):
    if (path / "MLmodel").exists():
        return None  # an MLflow model folder: loaded by its flavor below
    loader = _FILE_LOADERS.get(path.suffix.lower())
    if loader == "joblib":
        import joblib

        return joblib.load(path)
    if loader == "torch":
        import torch

        return torch.load(path, weights_only=False)
    raise InputError(
        f"model file {path} has an unknown kind: use an MLflow model folder, a .joblib/.pkl "
        "scikit-learn model or a .pt torch model"
    )


def load_model(spec: ModelSpec, flavor: str | None = None):
    """Load the model a plan declares.

    Parameters
    ----------
    spec : ModelSpec
        The plan's model: ``uri`` is an MLflow URI (``models:/name/version``, ``runs:/...``) or a path.
    flavor : {"sklearn", "pytorch", "pyfunc"}, optional
        MLflow flavor to load with; defaults to the plan's.

    Raises
    ------
    InputError
        The model does not exist or does not load; the message names the role and URI.
    """
    flavor = flavor or spec.flavor
    where = f"model {spec.role!r} ({spec.uri})"
    try:
        if spec.is_file():
            path = Path(spec.uri)
            if not path.exists():
                raise InputError(f"{where} does not exist: fix models.{spec.role}.uri in the plan")
            loaded = _load_file(path)
            if loaded is not None:
                return loaded
        import mlflow

        module = {"sklearn": "mlflow.sklearn", "pytorch": "mlflow.pytorch", "pyfunc": "mlflow.pyfunc"}[flavor]
        import importlib

        return importlib.import_module(module).load_model(spec.uri)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - any loader failure is the user's model or URI
        message = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise InputError(f"{where} does not load ({message}): check the URI, the registered version and the flavor") from None
