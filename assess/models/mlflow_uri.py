"""MLflow model URIs and folders, shared by the kinds an MLflow model can be logged as."""

from __future__ import annotations

import importlib
from pathlib import Path

import yaml

#: Flavor name in an MLmodel file -> the kind that loads it.
FLAVOR_KINDS = {"transformers": "transformers", "sklearn": "sklearn", "pytorch": "torch", "python_function": "pyfunc"}


def is_mlflow_model(path: Path) -> bool:
    """True for an MLflow model folder (one with an ``MLmodel`` file)."""
    return (path / "MLmodel").is_file()


def folder_flavors(path: Path) -> list[str]:
    """Flavors an MLflow model folder was logged with ([] when unreadable)."""
    try:
        return list((yaml.safe_load((path / "MLmodel").read_text(encoding="utf-8")) or {}).get("flavors", {}))
    except (OSError, yaml.YAMLError, AttributeError):
        return []


def load_flavor(uri: str, flavor: str):
    """``mlflow.<flavor>.load_model(uri)``."""
    module = {"sklearn": "mlflow.sklearn", "pytorch": "mlflow.pytorch", "pyfunc": "mlflow.pyfunc",
              "transformers": "mlflow.transformers"}[flavor]
    return importlib.import_module(module).load_model(uri)


def local_copy(uri: str) -> Path:
    """A local folder holding the model at ``uri`` (downloaded from the store when it is a URI)."""
    if "://" not in uri and ":/" not in uri:
        return Path(uri)
    import mlflow.artifacts

    return Path(mlflow.artifacts.download_artifacts(artifact_uri=uri))
