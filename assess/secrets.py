"""Secrets (hash keys, signing keys) come from the environment or a file, never from parameters.

papermill writes every parameter into the executed notebook, which becomes evidence, so a secret
passed as a parameter would be published. Each secret ``NAME`` is read from the environment
variable ``NAME``, or from the file that ``NAME_FILE`` points at.
"""

from __future__ import annotations

import os
import secrets as _random
from pathlib import Path

from assess.errors import InputError

HASH_KEY = "ASSESS_HASH_KEY"
#: Where a project keeps its generated hash key when none is configured (relative to the plan).
LOCAL_KEY_PATH = Path(".assess") / "hash.key"


def get_secret(name: str, *, required: bool = True) -> bytes | None:
    """Read the secret ``name`` from ``$name`` or from the file named by ``$name_FILE``.

    Parameters
    ----------
    name : str
        Environment variable name, e.g. ``"ASSESS_HASH_KEY"``.
    required : bool
        Raise :class:`InputError` when the secret is not configured; otherwise return None.

    Returns
    -------
    bytes or None
        The secret, stripped of surrounding white space.
    """
    value = os.environ.get(name)
    if value:
        return value.strip().encode("utf-8")
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        path = Path(file_name)
        try:
            return path.read_bytes().strip()
        except OSError as exc:
            raise InputError(
                f"{name}_FILE points at {path}, which cannot be read ({exc.strerror}): "
                f"fix the path or set {name} instead"
            ) from None
    if required:
        raise InputError(f"secret {name} is not set: export {name}=... or {name}_FILE=/path/to/key")
    return None


def key_folder(project_dir: str | os.PathLike | None = None) -> Path:
    """The folder whose ``.assess/hash.key`` holds the generated hash key.

    The first of: ``project_dir`` (the plan's folder, which a review passes); ``$ASSESS_PROJECT_DIR``
    (set for the notebooks of a review); the folder of the embedded store that
    ``MLFLOW_TRACKING_URI`` names (``sqlite:///.../mlflow.db``); else the user's configuration folder
    (``$XDG_CONFIG_HOME/assess`` or ``~/.config/assess``). Never the working directory: a review
    started from another folder must count people with the same key.
    """
    if project_dir:
        return Path(project_dir).resolve()
    if os.environ.get("ASSESS_PROJECT_DIR"):
        return Path(os.environ["ASSESS_PROJECT_DIR"]).resolve()
    tracking = os.environ.get("MLFLOW_TRACKING_URI", "")
    if tracking.startswith("sqlite:///"):
        return Path(tracking[len("sqlite:///"):]).resolve().parent
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "assess"


def hash_key(project_dir: str | os.PathLike | None = None) -> bytes:
    """Return the key for keyed hashes of personal data (HMAC-SHA256).

    The same key must be used across reviews so that distinct people can be counted over time.
    When neither ``ASSESS_HASH_KEY`` nor ``ASSESS_HASH_KEY_FILE`` is set, a random key is created
    once in ``<key folder>/.assess/hash.key`` (mode 0600) and reused; :func:`key_folder` says
    which folder (the plan's, in a review).

    Parameters
    ----------
    project_dir : path-like, optional
        Folder of the review plan; see :func:`key_folder` for the default.
    """
    configured = get_secret(HASH_KEY, required=False)
    if configured:
        return configured
    path = key_folder(project_dir) / LOCAL_KEY_PATH
    if path.exists():
        return path.read_bytes().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = _random.token_hex(32).encode("ascii")
    # O_EXCL: two notebooks starting at once must not each write a different key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
    return key
