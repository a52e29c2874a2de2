"""Where the canaries of a model are: the artifacts of the run that trained (and registered) it."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from assess.errors import InputError
from assess.leakage.canaries import ARTIFACT_PATH, CanarySet

_MODELS_URI = re.compile(r"^models:/(?P<name>[^/@]+)(?:/(?P<version>[^/]+)|@(?P<alias>[^/]+))/?$")


def source_run_id(model_uri: str, client) -> str:
    """The id of the MLflow run that logged the model behind ``model_uri``.

    Parameters
    ----------
    model_uri : str
        ``models:/<name>/<version>``, ``models:/<name>/latest``, ``models:/<name>@<alias>`` or
        ``runs:/<run_id>/<path>``.
    client : mlflow.tracking.MlflowClient
        Client bound to the tracking and registry store.
    """
    if model_uri.startswith("runs:/"):
        return model_uri[len("runs:/"):].split("/", 1)[0]
    match = _MODELS_URI.match(model_uri)
    if not match:
        raise InputError(f"model URI {model_uri!r} names no registered version or run: use models:/<name>/<version> "
                         "or pass canaries_file")
    name = match.group("name")
    if match.group("alias"):
        version = client.get_model_version_by_alias(name, match.group("alias"))
    elif match.group("version") in (None, "latest"):
        versions = client.search_model_versions(f"name = '{name}'")
        if not versions:
            raise InputError(f"registered model {name!r} has no version: register the generator or fix the URI")
        version = max(versions, key=lambda v: int(v.version))
    else:
        version = client.get_model_version(name, match.group("version"))
    if not version.run_id:
        raise InputError(f"model {model_uri} was registered without a source run: pass canaries_file")
    return version.run_id


def load_model_canaries(model_uri: str, client, artifact_path: str = ARTIFACT_PATH) -> CanarySet | None:
    """The canaries logged by the model's source run, or None when that run logged none."""
    run_id = source_run_id(model_uri, client)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            local = client.download_artifacts(run_id, artifact_path, tmp)
        except Exception:  # noqa: BLE001 - the run logged no canaries
            return None
        return CanarySet.load(Path(local))
