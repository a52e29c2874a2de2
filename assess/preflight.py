"""Checks a review makes before it opens a run: every problem of the plan's inputs, all at once.

A dataset that is missing, a directory, empty, unreadable or without a column the plan names
would otherwise surface inside a notebook, after the review's runs were opened, or worse as an
ordinary verdict computed on nothing. Each check here reads at most the first chunk of a file, so
a preflight of a large corpus costs milliseconds, not a scan.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from assess.errors import InputError
from assess.plan import DatasetSpec, Plan, SubjectSpec
from assess.tracking import without_user_info

#: Seconds a tracking server has to answer the preflight (``ASSESS_SERVER_TIMEOUT`` overrides).
DEFAULT_SERVER_TIMEOUT = 10.0
#: Records read to find a file's columns: enough for the keys of a jsonl file to settle.
_SAMPLE_RECORDS = 1_000


def _columns(chunk) -> set[str]:
    """The column names of one chunk (for jsonl, every key any of its records has)."""
    if chunk.fmt == "txt":
        return {"id", "text"}  # read_frame numbers the lines in ``id``
    if chunk.fmt == "jsonl":
        return {key for record in chunk.records for key in record}
    return {str(column) for column in chunk.raw.columns}


def dataset_problems(spec: DatasetSpec) -> list[str]:
    """What stops dataset ``spec`` from being reviewed, one line each (empty when nothing does).

    Parameters
    ----------
    spec : DatasetSpec
        The plan's declaration of the dataset.

    Returns
    -------
    list of str
        Each line names the dataset, what is wrong and the fix.
    """
    from assess.datasets import iter_chunks

    path, where = Path(spec.path), f"dataset {spec.role!r} ({spec.path})"
    fix_path = f"fix datasets.{spec.role}.path in the plan"
    if not path.exists():
        return [f"{where} does not exist: {fix_path}"]
    from assess.datasets import data_files, dataset_bytes

    if path.is_dir() and not data_files(path, spec.format):
        return [f"{where} is a folder without {spec.format} part files: {fix_path}"]
    if not path.is_file() and not path.is_dir():
        return [f"{where} is not a regular file: {fix_path}"]
    if dataset_bytes(path, spec.format) == 0:
        return [f"{where} is empty (0 bytes): provide at least one record"]
    try:
        first = next(iter_chunks(path, spec.format, chunk_size=_SAMPLE_RECORDS), None)
        columns = _columns(first) if first is not None else set()
    except InputError as exc:
        return [f"dataset {spec.role!r}: {exc}"]
    except OSError as exc:
        return [f"{where} cannot be read ({exc.strerror}): check its permissions"]
    if first is None or len(first) == 0:
        header = f" (columns: {', '.join(sorted(columns))})" if columns else ""
        return [f"{where} has no records{header}: provide at least one record"]
    problems = []
    for key in ("id_column", "text_column", "label_column"):
        column = getattr(spec, key)
        if column and column not in columns:
            problems.append(
                f"{where}: {key} {column!r} is not a column of the file (columns: {', '.join(sorted(columns))}): "
                f"fix datasets.{spec.role}.{key} in the plan"
            )
    return problems


def subject_problems(plan: Plan, subject: SubjectSpec) -> list[str]:
    """Run ``subject``'s prepare hook, then check each of its datasets; return the problems found."""
    try:
        subject.run_prepare(plan)
    except InputError as exc:
        return [f"subject {subject.name}: {exc}"]
    except Exception as exc:  # noqa: BLE001 - a hook's own failure is the user's to fix, named in one line
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        return [f"subject {subject.name}: prepare hook {subject.prepare} failed ({type(exc).__name__}: {first}): fix the hook"]
    problems = [f"subject {subject.name}: model {spec.role!r} ({spec.uri}) does not exist: fix models.{spec.role}.uri in "
                "the plan" for spec in subject.models.values() if spec.is_file() and not Path(spec.uri).exists()]
    return problems + [line for spec in subject.datasets.values() for line in dataset_problems(spec)]


def _writable_problem(folder: Path, what: str, fix: str) -> str | None:
    """Why files cannot be written under ``folder``, or None; nothing is created.

    The probe writes (and removes) a file in the nearest folder that exists rather than asking
    ``os.access``: as root, access() says yes to a read-only mount.
    """
    existing = folder.resolve()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        return f"{what} {folder} cannot be created: {existing} is a file, not a folder: {fix}"
    try:
        with tempfile.NamedTemporaryFile(dir=existing, prefix=".assess-probe-"):
            pass
    except OSError as exc:
        return f"{what} {folder} is not writable ({exc.strerror or type(exc).__name__}): {fix}"
    return None


def _space_problem(folder: Path, what: str) -> str | None:
    from assess.diskspace import low_space_problem

    try:
        return low_space_problem(folder, what)
    except InputError as exc:
        return str(exc)


def server_problem(uri: str, timeout: float | None = None) -> str | None:
    """Why the MLflow server at ``uri`` cannot be used (no answer within ``timeout`` s), or None."""
    import urllib.error
    import urllib.request

    if timeout is None:
        timeout = float(os.environ.get("ASSESS_SERVER_TIMEOUT", DEFAULT_SERVER_TIMEOUT))
    shown = without_user_info(uri)
    try:
        with urllib.request.urlopen(shown.rstrip("/") + "/health", timeout=timeout):
            return None
    except urllib.error.HTTPError:
        return None  # it answered; authentication and the API are MLflow's to report
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return (f"tracking server {shown} does not answer within {timeout:g} s ({reason}): start it, or fix "
                f"MLFLOW_TRACKING_URI / the plan's tracking_uri / --tracking-uri")


def environment_problems(uri: str, reports_dir: Path, *, require_signing: bool = False) -> list[str]:
    """Problems of the review's surroundings: the signing key, the reports folder, the store."""
    from assess import signing

    problems = []
    try:
        signing.public_key()  # loads and checks the signing key too, when one is set
        if require_signing and signing.sign(b"") is None:
            problems.append(f"the plan requires signing (require_signing: true) but no signing key is configured: set "
                            f"{signing.SIGNING_KEY}_FILE to an Ed25519 private key (PEM)")
    except InputError as exc:
        problems.append(str(exc))
    found = (_writable_problem(Path(reports_dir), "reports folder", "make it writable or set reports_dir in the plan")
             or _space_problem(Path(reports_dir), "reports folder"))
    if found:
        problems.append(found)
    if uri.startswith("sqlite:///"):
        store = Path(uri[len("sqlite:///"):]).parent
        found = (_writable_problem(store, "evidence store folder", "make it writable or point MLFLOW_TRACKING_URI elsewhere")
                 or _space_problem(store, "evidence store folder"))
        if found:
            problems.append(found)
    elif uri.startswith(("http://", "https://")):
        found = server_problem(uri)
        if found:
            problems.append(found)
    return problems


def check(plan: Plan, subjects: list[SubjectSpec], problems: list[str] | None = None) -> None:
    """Raise one :class:`InputError` listing ``problems`` and every problem of ``subjects``' inputs, if any.

    Raises
    ------
    InputError
        One line per problem, each naming the thing and the fix.
    """
    problems = list(problems or []) + [line for subject in subjects for line in subject_problems(plan, subject)]
    if problems:
        count = f"{len(problems)} problems" if len(problems) > 1 else "1 problem"
        raise InputError(f"the review did not start ({count}; no run was opened):\n  " + "\n  ".join(problems))
