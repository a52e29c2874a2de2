"""A full disk: found before a review opens a run, and named in one line when it fills during one.

A disk that fills while a review writes surfaces as whatever the writer happened to be doing: a
truncated notebook that no longer parses, SQLite's "database or disk is full", an ``OSError`` from
an artifact copy. None of those says what to do. The review's writers all put their files under
two folders (the reports folder and the embedded store's), so the free space there tells whether
the disk is the cause, whatever the exception.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from assess.errors import InputError

#: Environment variable: the free space (MB) a review needs before it starts.
MIN_FREE_ENV = "ASSESS_MIN_FREE_MB"
#: The demo review writes about 30 MB (notebooks, HTML, artifacts, Data Docs); a margin on top.
DEFAULT_MIN_FREE_MB = 50
#: Below this, a folder's disk counts as full when a review has failed.
_FULL_BYTES = 1 << 20
_FULL_TEXTS = ("no space left on device", "database or disk is full", "disk quota exceeded")


class DiskFullError(InputError):
    """The disk a review writes to filled up: free space, close the review's runs, run it again."""


def free_bytes(folder: Path) -> int:
    """Bytes available to this user on the disk that holds ``folder`` (or its nearest existing parent)."""
    existing = Path(folder).resolve()
    while not existing.exists():
        existing = existing.parent
    return shutil.disk_usage(existing).free


def minimum_free_bytes() -> int:
    """What a review needs free before it starts (``ASSESS_MIN_FREE_MB``, default 50).

    Raises
    ------
    InputError
        The variable is not a number of megabytes.
    """
    raw = os.environ.get(MIN_FREE_ENV, "").strip()
    if not raw:
        return DEFAULT_MIN_FREE_MB << 20
    try:
        megabytes = float(raw)
    except ValueError:
        raise InputError(f"{MIN_FREE_ENV}={raw!r} is not a number of megabytes: set it to e.g. 50, or unset it") from None
    return int(max(megabytes, 0) * (1 << 20))


def low_space_problem(folder: Path, what: str) -> str | None:
    """Why a review should not start writing under ``folder`` (too little free space), or None."""
    free, needed = free_bytes(folder), minimum_free_bytes()
    if free >= needed:
        return None
    return (f"{what} {folder} is on a disk with {_megabytes(free)} free, less than the {_megabytes(needed)} a review "
            f"needs: free space there (or set {MIN_FREE_ENV})")


def _megabytes(count: int) -> str:
    return f"{count / (1 << 20):.1f} MB"


def _caused_by_full_disk(exc: BaseException) -> bool:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if any(text in str(exc).lower() for text in _FULL_TEXTS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def disk_full_error(exc: BaseException, folders: list[Path], subject: str) -> DiskFullError | None:
    """The one-line error for ``exc`` if a full disk caused it, else None.

    Parameters
    ----------
    exc : BaseException
        What stopped the review.
    folders : list of Path
        The folders the review writes to (reports, embedded store).
    subject : str
        The subject under review, named in the recovery command.

    Returns
    -------
    DiskFullError or None
    """
    if isinstance(exc, (KeyboardInterrupt, SystemExit)):
        return None
    nearly_full = [(folder, free_bytes(folder)) for folder in folders]
    nearly_full = [(folder, free) for folder, free in nearly_full if free < _FULL_BYTES]
    if not nearly_full and not _caused_by_full_disk(exc):
        return None
    where = ", ".join(f"{folder} ({_megabytes(free)} free)" for folder, free in nearly_full) or "a folder the review writes"
    return DiskFullError(
        f"the disk filled up while the review wrote its evidence: {where}. Free space there, then run "
        f"`assess verify --chain {subject}`, which closes the runs this review left open (its partial files are "
        "never counted as evidence), and run the review again")
