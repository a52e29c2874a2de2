"""Where verification reads evidence from: the MLflow store, or an exported bundle with no store.

Both answer the same questions (a run's JSON artifacts, the hashes of its artifacts, its record,
a model version's tags, the rendered reports), so :mod:`assess.verify` checks either the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

from assess.manifest import MANIFEST_PATH, artifact_hashes, load_json_artifact, sha256_file, sha256_tree

#: Bundle layout (relative paths only): what :mod:`assess.bundle` writes and :class:`BundleEvidence` reads.
BUNDLE_RUNS = "runs"
BUNDLE_REPORTS = "reports"
BUNDLE_RECORD = "record.json"
BUNDLE_REGISTRY = "registry.json"


class CorruptEvidence(ValueError):
    """A JSON evidence file that no longer parses (edited after the review); the message names it."""


def _parsed(read, run_id: str, path: str) -> dict | None:
    try:
        return read()
    except ValueError:  # JSONDecodeError, UnicodeDecodeError
        raise CorruptEvidence(f"{run_id}: {path} is not valid JSON any more (edited after the review)") from None


class StoreEvidence:
    """Evidence in an MLflow store, with the rendered reports under ``reports_dir`` (if given).

    Parameters
    ----------
    client : mlflow.MlflowClient
    reports_dir : Path, optional
        The folder holding ``<subject>/<review id>/`` reports; None to leave them unchecked.
    reports_label : str
        How messages name that folder (the path as the user gave it).
    """

    def __init__(self, client, reports_dir: Path | None = None, reports_label: str = "reports"):
        self.client = client
        self.reports_dir = Path(reports_dir) if reports_dir is not None else None
        self.reports_label = reports_label

    def load_json(self, run_id: str, path: str) -> dict | None:
        """A JSON artifact of a run; None when missing; :class:`CorruptEvidence` when it does not parse."""
        return _parsed(lambda: load_json_artifact(self.client, run_id, path), run_id, path)

    def artifact_hashes(self, run_id: str) -> dict[str, str]:
        return artifact_hashes(self.client, run_id)

    def record(self, run_id: str) -> dict:
        from assess.record import run_record

        return run_record(self.client, run_id)

    def model_version_tags(self, name: str, version: str) -> dict | None:
        """The version's tags now; None when the registry no longer holds it."""
        try:
            return dict(self.client.get_model_version(name, version).tags or {})
        except Exception:  # noqa: BLE001 - MlflowException: the version was deleted
            return None

    def report_file(self, relative: str) -> Path | None:
        return None if self.reports_dir is None else self.reports_dir / relative


class BundleEvidence:
    """Evidence in an unpacked bundle folder (see :mod:`assess.bundle`)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.reports_dir = self.folder / BUNDLE_REPORTS
        self.reports_label = BUNDLE_REPORTS
        registry = self.folder / BUNDLE_REGISTRY
        self._registry = json.loads(registry.read_text(encoding="utf-8")) if registry.is_file() else []

    def _artifacts(self, run_id: str) -> Path:
        return self.folder / BUNDLE_RUNS / run_id / "artifacts"

    def load_json(self, run_id: str, path: str) -> dict | None:
        file = self._artifacts(run_id) / path
        return _parsed(lambda: json.loads(file.read_text(encoding="utf-8")), run_id, path) if file.is_file() else None

    def artifact_hashes(self, run_id: str) -> dict[str, str]:
        folder = self._artifacts(run_id)
        hashes = sha256_tree(folder) if folder.is_dir() else {}
        return {path: digest for path, digest in hashes.items() if path != MANIFEST_PATH}

    def record(self, run_id: str) -> dict | None:
        file = self.folder / BUNDLE_RUNS / run_id / BUNDLE_RECORD
        return _parsed(lambda: json.loads(file.read_text(encoding="utf-8")), run_id, BUNDLE_RECORD) if file.is_file() else None

    def model_version_tags(self, name: str, version: str) -> dict | None:
        for entry in self._registry:
            if entry.get("name") == name and str(entry.get("version")) == str(version):
                return entry.get("tags", {})
        return None

    def report_file(self, relative: str) -> Path | None:
        return self.reports_dir / relative


def report_hashes(folder: Path, root: Path) -> dict[str, str]:
    """SHA-256 of every file in ``folder``, keyed by its POSIX path relative to ``root``."""
    folder, root = Path(folder), Path(root)
    if not folder.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): sha256_file(p) for p in sorted(folder.rglob("*")) if p.is_file()}
