"""A real `mlflow server` on 127.0.0.1 for the tests: a free port, proxied artifacts, any backend store."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_mlflow_server(folder: Path, backend_store_uri: str | None = None, timeout: float = 180):
    """Start ``mlflow server`` serving artifacts from ``folder/artifacts``; stop it after the block.

    Parameters
    ----------
    folder : Path
        The server's working folder (created); the backend defaults to ``sqlite:///folder/mlflow.db``.
    backend_store_uri : str, optional
        Where the server keeps runs, e.g. ``postgresql://user:pw@127.0.0.1:5432/mlflow``.

    Yields
    ------
    (int, subprocess.Popen)
        The port and the server's process. Its output goes to a temporary file outside the test's
        folders (a test that scans them for leaked secrets sees only what the server stored), quoted
        if the server does not start.
    """
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    backend = backend_store_uri or f"sqlite:///{folder / 'mlflow.db'}"
    handle, name = tempfile.mkstemp(prefix="mlflow-server-", suffix=".log")
    log_path = Path(name)
    with os.fdopen(handle, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "mlflow", "server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
             "--backend-store-uri", backend, "--serve-artifacts", "--artifacts-destination", str(folder / "artifacts")],
            stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
                    raise RuntimeError(f"mlflow server did not start on port {port}; its output ends:\n{tail}") from None
                time.sleep(0.5)
        yield port, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
        log_path.unlink(missing_ok=True)
