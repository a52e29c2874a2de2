"""Where evidence goes: the MLflow tracking store.

The embedded default is ``sqlite:///<plan folder>/mlruns/mlflow.db`` with artifacts under
``<plan folder>/mlruns/artifacts``. ``MLFLOW_TRACKING_URI`` (or the plan's ``tracking_uri``)
replaces it with a real MLflow server with no other change.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

EXPERIMENT_PREFIX = "assess/"

# Tags every assessment run carries; the review index, `assess due` and `assess gate` read them.
TAG_KIND = "assess.kind"  # "review" (parent run) or "assessment" (nested run)
TAG_SUBJECT = "assess.subject"
TAG_ASSESSMENT = "assess.assessment"
TAG_VERDICT = "assess.verdict"
TAG_REVIEW_ID = "assess.review_id"
TAG_ERROR = "assess.error"
TAG_CLAUSES = "assess.clauses"
#: On a review that stopped before it wrote its manifest (interrupted, crashed): the chain links past it.
TAG_ABORTED = "assess.aborted"
#: ``host:pid`` of the process running a review, so a later command can tell one killed from one still running.
TAG_PROCESS = "assess.process"


def embedded_uri(root: Path) -> str:
    """The embedded sqlite store under ``root/mlruns``."""
    return f"sqlite:///{(Path(root) / 'mlruns' / 'mlflow.db').resolve()}"


def resolve_tracking_uri(explicit: str | None, root: Path, plan_uri: str | None = None, *, create: bool = True) -> str:
    """``explicit``, else ``$MLFLOW_TRACKING_URI``, else the plan's URI, else the embedded store.

    ``create=False`` is for commands that only read: they must not leave an empty ``mlruns/``
    behind where nothing was ever reviewed (see :func:`read_only_client`).
    """
    uri = explicit or os.environ.get("MLFLOW_TRACKING_URI") or plan_uri
    if uri:
        if uri.startswith(("http://", "https://")):
            bound_server_retries()
        return credentials_to_environment(uri)
    if create:
        (Path(root) / "mlruns").mkdir(parents=True, exist_ok=True)
    return embedded_uri(root)


#: MLflow's HTTP retry settings while talking to a tracking server, unless the user set them: MLflow's
#: defaults (7 retries, backoff factor 2, 120 s per request) retry a lost server for about 500 s.
SERVER_RETRY_DEFAULTS = {"MLFLOW_HTTP_REQUEST_MAX_RETRIES": "2", "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR": "1",
                         "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER": "0"}


def bound_server_retries() -> None:
    """Bound how long a lost tracking server is retried (inherited by the notebooks' kernels).

    Each request is retried twice with 1 s and 2 s pauses and waits at most ``ASSESS_SERVER_TIMEOUT``
    seconds (default 10), so a server that is gone fails a request within seconds and one that
    hangs within about 35 s. The ``MLFLOW_HTTP_REQUEST_*`` variables, when set, win.
    """
    for name, value in SERVER_RETRY_DEFAULTS.items():
        os.environ.setdefault(name, value)
    os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", os.environ.get("ASSESS_SERVER_TIMEOUT", "10"))


def without_user_info(uri: str) -> str:
    """``uri`` with any ``user:password@`` removed, for messages and evidence."""
    parts = urlsplit(uri)
    if parts.username is None and parts.password is None:
        return uri
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


def credentials_to_environment(uri: str) -> str:
    """``uri`` without its user info, which moves to ``MLFLOW_TRACKING_USERNAME`` / ``_PASSWORD``.

    MLflow sends those as HTTP basic auth. Moving them out of the URI keeps them out of everything
    the URI is written into: notebook parameters (papermill stores them in the executed notebook
    and its HTML), run tags, manifests and the review index. Kernels inherit the environment.
    """
    parts = urlsplit(uri)
    if parts.username is None and parts.password is None:
        return uri
    from urllib.parse import unquote

    os.environ["MLFLOW_TRACKING_USERNAME"] = unquote(parts.username or "")
    if parts.password is not None:
        os.environ["MLFLOW_TRACKING_PASSWORD"] = unquote(parts.password)
    return without_user_info(uri)


def missing_store(uri: str) -> Path | None:
    """The database file of an embedded (sqlite) store that does not exist yet; None otherwise.

    Opening a client on a missing sqlite file would create the file and run every migration, so a
    read-only command checks first. Other stores (a server) are the server's business.
    """
    if not uri.startswith("sqlite:///"):
        return None
    db = Path(uri[len("sqlite:///"):])
    return None if db.exists() else db


def read_only_client(explicit: str | None, root: Path, plan_uri: str | None = None):
    """``(client, uri)`` for a command that only reads the store; client is None when the embedded
    store was never created (so nothing has been reviewed there)."""
    uri = resolve_tracking_uri(explicit, root, plan_uri, create=False)
    return (None if missing_store(uri) else client_for(uri)), uri


def existing_store_client(explicit: str | None, root: Path):
    """The client of a store that must already exist, for commands that read evidence.

    Raises
    ------
    InputError
        No store there: names it and the fix (exit 2), instead of creating an empty one.
    """
    from assess.errors import InputError

    client, uri = read_only_client(explicit, root)
    if client is None:
        raise InputError(no_store_message(uri))
    return client


def no_store_message(uri: str) -> str:
    """One line naming the missing store and the fix."""
    return (f"no evidence store at {missing_store(uri) or uri}: run `assess run` first, or point to the store "
            f"with --tracking-uri or MLFLOW_TRACKING_URI")


def artifact_location(tracking_uri: str) -> str | None:
    """Artifact root for new experiments of the embedded store (None: the server decides)."""
    if tracking_uri.startswith("sqlite:///"):
        db = Path(tracking_uri[len("sqlite:///"):])
        return (db.parent / "artifacts").resolve().as_uri()
    return None


def experiment_name(subject: str) -> str:
    """One MLflow experiment per reviewed subject."""
    return f"{EXPERIMENT_PREFIX}{subject}"


def ensure_experiment(client, subject: str) -> str:
    """Return the id of the subject's experiment, creating it on first use."""
    name = experiment_name(subject)
    experiment = client.get_experiment_by_name(name)
    if experiment is not None:
        return experiment.experiment_id
    try:
        return client.create_experiment(name, artifact_location=artifact_location(client.tracking_uri))
    except Exception:  # noqa: BLE001 - created meanwhile by a concurrent process
        experiment = client.get_experiment_by_name(name)
        if experiment is None:
            raise
        return experiment.experiment_id


@contextmanager
def store_lock(tracking_uri: str) -> Iterator[None]:
    """Hold an exclusive lock on an embedded store for the block (no-op for a server).

    Concurrent reviews of one sqlite store take it while they create the store, their experiment,
    and while they close (link into the chain), so each review links to the review completed just
    before it and sqlite never migrates the same file twice.
    """
    if not tracking_uri.startswith("sqlite:///"):
        yield
        return
    import fcntl

    folder = Path(tracking_uri[len("sqlite:///"):]).parent
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".assess.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def client_for(tracking_uri: str):
    """An ``MlflowClient`` bound to ``tracking_uri`` (registry on the same store)."""
    from mlflow.tracking import MlflowClient

    relocate_embedded_store(tracking_uri)
    return MlflowClient(tracking_uri=tracking_uri, registry_uri=tracking_uri)


#: Columns of MLflow's sqlite schema that hold absolute artifact locations.
_LOCATION_COLUMNS = (("experiments", "artifact_location"), ("runs", "artifact_uri"),
                     ("logged_models", "artifact_location"), ("model_versions", "storage_location"))


_CHECKED_STORES: set[str] = set()


def _store_folder_of(location: str) -> str | None:
    """The ``.../mlruns`` folder an artifact location of the embedded layout lies in, or None."""
    from urllib.parse import unquote

    path = unquote(location[len("file://"):]) if location.startswith("file://") else location
    head, marker, _ = path.partition("/mlruns/")
    return head + "/mlruns" if marker else None


def relocate_embedded_store(tracking_uri: str) -> str | None:
    """Point a copied or moved embedded store at its own artifacts; return the folder it was moved from.

    MLflow records absolute artifact locations. Without this, a copy of a project (evidence handed
    to an auditor, a CI workspace) reads and writes artifacts in the original folder, and breaks
    when the original is deleted. A store belongs to its folder: locations under the folder the
    store was made in are rewritten to the same places under the folder it is in now, in one
    transaction. Locations elsewhere (a user's own artifact roots) are left as they are.
    """
    if not tracking_uri.startswith("sqlite:///") or tracking_uri in _CHECKED_STORES:
        return None
    database = Path(tracking_uri[len("sqlite:///"):])
    if not database.is_file():
        return None
    # Once per store and process: a store does not move while a process uses it.
    _CHECKED_STORES.add(tracking_uri)
    import sqlite3

    here = str(database.parent.resolve())
    connection = sqlite3.connect(database, timeout=30)
    try:
        tables = {row[0] for row in connection.execute("select name from sqlite_master where type = 'table'")}
        if "experiments" not in tables:
            return None
        origins = {_store_folder_of(row[0] or "") for row in connection.execute("select artifact_location from experiments")}
        origins = {o for o in origins if o and o != here and Path(o).name == Path(here).name}
        if len(origins) != 1:
            return None
        [origin] = origins
        moved = [(origin, here), (Path(origin).as_uri(), Path(here).as_uri())]
        with connection:
            for table, column in _LOCATION_COLUMNS:
                if table not in tables:
                    continue
                for old, new in moved:
                    connection.execute(f"update {table} set {column} = replace({column}, ?, ?) "  # noqa: S608 - fixed names
                                       f"where {column} like ?", (old + "/", new + "/", f"%{old}/%"))
        return origin
    finally:
        connection.close()


@contextmanager
def using_store(uri: str) -> Iterator[None]:
    """Make ``uri`` MLflow's store (tracking and registry) for the block, then restore the previous one.

    ``mlflow.set_tracking_uri`` also exports ``MLFLOW_TRACKING_URI``; without the restore, a review
    run from Python would silently redirect every later review in the same process to its store.
    """
    import mlflow

    previous = {name: os.environ.get(name) for name in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")}
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    try:
        yield
    finally:
        mlflow.set_tracking_uri(previous["MLFLOW_TRACKING_URI"])
        mlflow.set_registry_uri(previous["MLFLOW_REGISTRY_URI"])
        if previous["MLFLOW_REGISTRY_URI"] is None:
            os.environ.pop("MLFLOW_REGISTRY_URI", None)


def previous_assessment_run(client, current, subject: str, assessment: str):
    """The latest FINISHED run of ``assessment`` for ``subject`` that a review made before ``current``.

    Only runs inside a review (children of a review run) count: an ad-hoc papermill run of a
    notebook is not a reviewed baseline, so it never becomes the reference for drift or for
    "since the last review" comparisons.
    """
    runs = client.search_runs(
        [current.info.experiment_id],
        filter_string=(f"tags.`{TAG_ASSESSMENT}` = '{assessment}' and tags.`{TAG_SUBJECT}` = '{subject}' "
                       "and attributes.status = 'FINISHED'"),
        order_by=["attributes.start_time DESC"],
        max_results=200,
    )
    for run in runs:
        parent = run.data.tags.get("mlflow.parentRunId")
        if run.info.run_id == current.info.run_id or run.info.start_time > current.info.start_time or not parent:
            continue
        try:
            if client.get_run(parent).data.tags.get(TAG_KIND) == "review":
                return run
        except Exception:  # noqa: BLE001 - a parent deleted from the store is no review
            continue
    return None

