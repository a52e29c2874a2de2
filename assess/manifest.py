"""Evidence manifests: what went into an assessment and what came out, by SHA-256.

Each assessment run logs ``evidence/manifest.json``: hashes of the inputs (dataset files, model
artifacts), of the notebook template and of every output artifact, the parameters, the run's record
(every metric, parameter and ``assess.*`` tag, see :mod:`assess.record`) and its checks, the Python
and package versions and the project's git commit. :func:`verify_run` re-hashes the stored
artifacts and names any that differ, are missing or were added afterwards, and every value of the
record or of checks.json that changed since.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from assess import tracking

MANIFEST_PATH = "evidence/manifest.json"
REVIEW_MANIFEST_PATH = "evidence/review_manifest.json"
REVIEW_SIGNATURE_PATH = "evidence/review_manifest.sig.json"
CHECKS_PATH = "evidence/checks.json"
#: 1: hashes of inputs and artifacts; 2: also the run's record (metrics, parameters, tags) and its checks.
SCHEMA = 2
PACKAGES = ("assess", "mlflow", "papermill", "pandas", "numpy", "scikit-learn", "torch", "great-expectations", "cleanlab", "nbconvert")


def sha256_file(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_tree(root: Path) -> dict[str, str]:
    """SHA-256 of every file below ``root``, keyed by its POSIX path relative to ``root``."""
    root = Path(root)
    return {p.relative_to(root).as_posix(): sha256_file(p) for p in sorted(root.rglob("*")) if p.is_file()}


def canonical_json(obj) -> bytes:
    """A JSON document in canonical form (sorted keys, no spaces, UTF-8): what is hashed and signed."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")


def sha256_json(obj) -> str:
    """SHA-256 of a JSON document in canonical form."""
    return hashlib.sha256(canonical_json(obj)).hexdigest()


def package_versions() -> dict[str, str]:
    """Installed versions of the packages that shape a result."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def git_state(folder: Path) -> dict:
    """The git commit of ``folder`` and whether the tree has uncommitted changes; {} outside git."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=10)
        if commit.returncode != 0:
            return {}
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=folder, capture_output=True, text=True, timeout=10)
        return {"commit": commit.stdout.strip(), "dirty": bool(status.stdout.strip())}
    except (OSError, subprocess.TimeoutExpired):
        return {}


def input_hashes(subject, tracking_uri: str, root: Path | None = None) -> dict:
    """Hashes of a subject's dataset files and model artifacts (the review's inputs).

    Paths under ``root`` (the plan's folder) are recorded relative to it, so evidence handed over
    names no folder of the machine that made it.
    """
    inputs = {"datasets": {}, "models": {}}
    for role, dataset in subject.datasets.items():
        path = Path(dataset.path)
        digest = (sha256_json(sha256_tree(path)) if path.is_dir() else sha256_file(path)) if path.exists() else None
        inputs["datasets"][role] = {"path": _relative(path, root), "sha256": digest}
    for role, model in subject.models.items():
        uri = _relative(Path(model.uri), root) if model.is_file() else model.display_uri()
        inputs["models"][role] = {"uri": uri, "kind": model.kind, "version": _model_version(model.uri, tracking_uri),
                                  "sha256": _model_hash(model.uri, model.is_file(), tracking_uri)}
    return inputs


def _model_version(uri: str, tracking_uri: str) -> str | None:
    """The registry version a ``models:/`` URI resolved to when it was hashed (``latest`` and aliases move on)."""
    if not uri.startswith("models:/"):
        return None
    from assess.gate import resolve_model_version

    try:
        version = resolve_model_version(tracking.client_for(tracking_uri), uri)
    except Exception:  # noqa: BLE001 - an unknown model is reported by the assessment itself
        return None
    return None if version is None else str(version.version)


def _relative(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:  # under a data root outside the plan's folder
            pass
    return str(path)


def _model_hash(uri: str, is_file: bool, tracking_uri: str) -> str | None:
    """One SHA-256 over a model's files (an MLflow model folder, or a single file)."""
    try:
        if is_file:
            path = Path(uri)
        else:
            import mlflow

            path = Path(mlflow.artifacts.download_artifacts(artifact_uri=uri, dst_path=tempfile.mkdtemp(prefix="assess-model-"), tracking_uri=tracking_uri))
        if path.is_file():
            return sha256_file(path)
        if path.is_dir():
            return sha256_json(sha256_tree(path))
    except Exception:  # noqa: BLE001 - a model that does not load is reported by the assessment itself
        return None
    return None


def artifact_hashes(client, run_id: str, exclude: tuple[str, ...] = (MANIFEST_PATH,)) -> dict[str, str]:
    """Download a run's artifacts and hash each one (``exclude`` left out)."""
    with tempfile.TemporaryDirectory(prefix="assess-verify-") as folder:
        local = Path(client.download_artifacts(run_id, "", folder))
        hashes = sha256_tree(local)
    return {path: digest for path, digest in hashes.items() if path not in exclude}


def build_manifest(client, run_id: str, *, plan, subject, assessment, inputs: dict | None = None) -> dict:
    """The manifest of one assessment run, from what its store holds now."""
    from assess.record import run_record

    run = client.get_run(run_id)
    checks = load_json_artifact(client, run_id, CHECKS_PATH) or {}
    return {
        "schema": SCHEMA,
        "run_id": run_id,
        "subject": subject.name,
        "assessment": assessment.spec.name,
        "verdict": run.data.tags.get(tracking.TAG_VERDICT),
        "clauses": list(assessment.spec.clauses),
        "template": {"path": assessment.spec.notebook.name, "sha256": sha256_file(assessment.spec.notebook)},
        "plan": {"path": plan.path.name, "sha256": sha256_file(plan.path)},
        "inputs": inputs if inputs is not None else input_hashes(subject, client.tracking_uri, plan.root),
        "parameters": assessment.params,
        "outputs": artifact_hashes(client, run_id),
        "record": run_record(client, run_id),
        "checks": checks.get("checks", []),
        "environment": {"python": platform.python_version(), "platform": platform.platform(), "packages": package_versions()},
        "git": git_state(plan.root),
    }


def write_manifest(client, run_id: str, **kwargs) -> dict:
    """Build and log ``evidence/manifest.json`` for a run; return the manifest."""
    manifest = build_manifest(client, run_id, **kwargs)
    log_json(client, run_id, MANIFEST_PATH, manifest)
    return manifest


def log_json(client, run_id: str, artifact_path: str, obj) -> None:
    """Log a JSON document at ``artifact_path`` of a run."""
    folder, name = artifact_path.rsplit("/", 1)
    with tempfile.TemporaryDirectory(prefix="assess-json-") as scratch:
        path = Path(scratch) / name
        path.write_text(json.dumps(obj, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
        client.log_artifact(run_id, str(path), folder)


def load_json_artifact(client, run_id: str, artifact_path: str) -> dict | None:
    """Read a JSON artifact of a run; None when it is missing."""
    with tempfile.TemporaryDirectory(prefix="assess-read-") as folder:
        try:
            local = client.download_artifacts(run_id, artifact_path, folder)
        except Exception:  # noqa: BLE001 - missing artifact
            return None
        return json.loads(Path(local).read_text(encoding="utf-8"))


@dataclass
class Verification:
    """Outcome of re-hashing one run's evidence."""

    run_id: str
    differing: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: Values of the run's record or checks that changed since the manifest, each line naming the run.
    changed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.differing or self.missing or self.unexpected or self.problems or self.changed)

    def lines(self) -> list[str]:
        """One line per problem, naming the artifact."""
        return (
            [f"{self.run_id}: {p}" for p in self.problems]
            + [f"{self.run_id}: {p}: content differs from the manifest" for p in self.differing]
            + [f"{self.run_id}: {p}: missing" for p in self.missing]
            + [f"{self.run_id}: {p}: not in the manifest (added afterwards)" for p in self.unexpected]
        )


def verify_run(source, run_id: str) -> Verification:
    """Check an assessment run against its manifest: artifact hashes, then (schema 2) its record and checks.

    Parameters
    ----------
    source : StoreEvidence, BundleEvidence or mlflow.MlflowClient
        Where the run's evidence is (see :mod:`assess.sources`); a client means its store.
    run_id : str

    Returns
    -------
    Verification
    """
    from assess.record import check_differences, record_differences
    from assess.sources import CorruptEvidence, StoreEvidence

    if not hasattr(source, "load_json"):
        source = StoreEvidence(source)
    result = Verification(run_id)
    try:
        manifest = source.load_json(run_id, MANIFEST_PATH)
    except CorruptEvidence as exc:
        result.changed.append(str(exc))
        return result
    if manifest is None:
        result.problems.append(f"{MANIFEST_PATH} is missing")
        return result
    actual = source.artifact_hashes(run_id)
    expected = manifest.get("outputs", {})
    result.differing = sorted(p for p in expected if p in actual and actual[p] != expected[p])
    result.missing = sorted(p for p in expected if p not in actual)
    result.unexpected = sorted(p for p in actual if p not in expected)
    if "record" not in manifest:
        result.notes.append(f"manifest schema {manifest.get('schema', 1)}: its metrics, parameters, tags and checks "
                            "were not recorded, so only its artifacts were checked")
        return result
    where = f"run {manifest.get('assessment', '')} ({run_id})"
    try:
        stored = source.record(run_id)
    except CorruptEvidence as exc:
        result.changed.append(str(exc))
        stored = {}
    if stored is None:
        result.changed.append(f"{where}: its record (metrics, parameters, tags) is missing")
    elif stored:
        result.changed.extend(record_differences(manifest["record"], stored, where))
    try:
        checks = source.load_json(run_id, CHECKS_PATH)
    except CorruptEvidence:  # its hash differs too: that line names it
        return result
    if checks is not None or manifest.get("checks"):
        result.changed.extend(check_differences(manifest.get("checks", []), (checks or {}).get("checks", []), where))
    return result
