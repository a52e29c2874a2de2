"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, TCP on 127.0.0.1 only.

Uses the server binaries of Debian's ``postgresql`` package (``scripts/setup --test`` installs it).
PostgreSQL refuses to run as root; as root the cluster runs as the ``postgres`` user.
"""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from tracking_server import free_port

MISSING = ("PostgreSQL's server binaries (initdb, pg_ctl) are not installed: run `scripts/setup --test` "
           "(it installs Debian's postgresql) or `apt-get install postgresql`")


def server_binaries() -> Path | None:
    """The folder with ``initdb`` and ``pg_ctl``: Debian's newest ``/usr/lib/postgresql/N/bin``, else the PATH's."""
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if debian:
        return Path(debian[-1]).parent
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl", path=str(Path(found).parent)) else None


def _as_owner(command: list[str], owner: str | None, **kwargs) -> subprocess.CompletedProcess:
    if owner is not None:
        command = ["runuser", "-u", owner, "--", *command]
        kwargs.setdefault("cwd", "/")  # the owner may not enter the test's working directory (root's home)
    result = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}): {result.stdout}{result.stderr}")
    return result


@contextmanager
def running_postgres(database: str = "mlflow"):
    """Start a PostgreSQL cluster with one database and a password user; stop and delete it after the block.

    Yields
    ------
    str
        The database's URI, ``postgresql://assess:<password>@127.0.0.1:<port>/<database>``.
    """
    binaries = server_binaries()
    if binaries is None:
        raise RuntimeError(MISSING)
    owner = "postgres" if os.geteuid() == 0 else None
    # Not under pytest's tmp_path: its parents are private to root, and the cluster's owner must reach it.
    folder = Path(tempfile.mkdtemp(prefix="assess-pg-"))
    data, password_file = folder / "data", folder / "password"
    password = secrets.token_hex(12)
    password_file.write_text(password + "\n", encoding="utf-8")
    if owner is not None:
        shutil.chown(folder, owner)
        shutil.chown(password_file, owner)
    port = free_port()
    started = False
    try:
        _as_owner([str(binaries / "initdb"), "-D", str(data), "-U", "assess", "--pwfile", str(password_file),
                   "--auth", "scram-sha-256", "-E", "UTF8", "--no-locale"], owner, timeout=120)
        # TCP on 127.0.0.1 only: no Unix socket in a system folder, nothing reachable from outside.
        options = f"-h 127.0.0.1 -p {port} -c unix_socket_directories='' -c fsync=off"
        _as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "server.log"),
                   "-w", "-t", "60", "start"], owner, timeout=120)
        started = True
        _as_owner([str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "assess", database],
                  None, timeout=60, env={**os.environ, "PGPASSWORD": password})
        yield f"postgresql://assess:{password}@127.0.0.1:{port}/{database}"
    finally:
        if started:
            _as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], owner, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)
