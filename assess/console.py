"""What `assess run` shows a person: one progress line per assessment, and nothing else.

Everything third-party code writes to standard error while a review runs (MLflow's database
migrations and pickle warnings, tqdm bars, the kernels' own warnings, Python warnings) goes to a log
file instead, which each review keeps as evidence (``logs/console.log``). The capture works on file
descriptor 2, not on ``sys.stderr``, because the notebook kernels are subprocesses that inherit it.

``--verbose`` (or ``ASSESS_VERBOSE=1``) turns the capture off.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

#: ANSI escape sequences (colours, cursor moves) that tracebacks from a kernel carry.
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_SPINNER = "|/-\\"


def plain(text: str) -> str:
    """``text`` without ANSI escape sequences."""
    return _ANSI.sub("", text)


class Console:
    """Progress for people on ``stream``; ``log_path`` holds what third-party code printed, if captured."""

    def __init__(self, stream=None, log_path: Path | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.log_path = log_path
        self._lock = threading.Lock()

    @property
    def interactive(self) -> bool:
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"

    def line(self, message: str) -> None:
        """Print one line of progress."""
        with self._lock:
            self.stream.write(plain(message) + "\n")
            self.stream.flush()

    @contextlib.contextmanager
    def step(self, label: str):
        """Show ``label`` with a spinner and the elapsed time (on a terminal) until the step ends.

        Yields a function that takes the outcome (e.g. ``"FAIL"``); the step's line then ends with the
        outcome and the elapsed seconds. A step left without an outcome ends with ``stopped``.
        """
        started = time.monotonic()
        outcome: list[str] = []
        stop = threading.Event()

        def spin() -> None:
            turn = 0
            while not stop.wait(0.5):
                with self._lock:
                    self.stream.write(f"\r{label} {_SPINNER[turn % 4]} {time.monotonic() - started:5.0f} s")
                    self.stream.flush()
                turn += 1

        spinner = threading.Thread(target=spin, daemon=True) if self.interactive else None
        if spinner is not None:
            spinner.start()
        try:
            yield outcome.append
        finally:
            stop.set()
            if spinner is not None:
                spinner.join()
            text = plain(outcome[-1]) if outcome else "stopped"
            with self._lock:
                self.stream.write(("\r\x1b[K" if spinner is not None else "")
                                  + f"{label} {text} in {time.monotonic() - started:.1f} s\n")
                self.stream.flush()

    def log_text(self) -> str:
        """What was captured so far (empty when nothing is captured)."""
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


_current = Console()


def current() -> Console:
    """The console of the running command."""
    return _current


def verbose_requested() -> bool:
    return os.environ.get("ASSESS_VERBOSE", "").strip().lower() in ("1", "true", "yes")


@contextlib.contextmanager
def captured(folder: Path | None = None):
    """Send file descriptor 2 (and ``sys.stderr``) to a log file while the block runs.

    Progress goes to a duplicate of the original descriptor, so a person still sees it. The log
    file is removed at the end: reviews copy what they need of it into their evidence first.

    Yields
    ------
    Console
        The console progress lines go to; ``log_path`` is the capture file.
    """
    global _current
    sys.stderr.flush()
    saved_fd = os.dup(2)
    handle, name = tempfile.mkstemp(prefix="assess-console-", suffix=".log", dir=folder)
    previous, previous_stderr = _current, sys.stderr
    progress = os.fdopen(os.dup(saved_fd), "w", encoding="utf-8", errors="replace", buffering=1)
    try:
        os.dup2(handle, 2)
        sys.stderr = os.fdopen(os.dup(handle), "w", encoding="utf-8", errors="replace", buffering=1)
        _current = Console(progress, Path(name))
        yield _current
    finally:
        with contextlib.suppress(Exception):
            sys.stderr.flush()
            sys.stderr.close()
        sys.stderr = previous_stderr
        os.dup2(saved_fd, 2)
        os.close(saved_fd)
        os.close(handle)
        progress.close()
        _current = previous
        with contextlib.suppress(OSError):
            os.unlink(name)
