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
    """Progress for people on ``stream``; ``log_path`` holds what third-party code printed, if captured.

    Steps may run at the same time (a review's assessments in parallel, ``assess run --jobs``): each
    ends with its own line when it ends, and on a terminal one spinner line shows what is still running.
    """

    def __init__(self, stream=None, log_path: Path | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.log_path = log_path
        self._lock = threading.Lock()
        self._running: dict[object, tuple[str, float]] = {}  # step -> (label, start time), in start order
        self._spinner: threading.Thread | None = None
        self._stop_spinner = threading.Event()

    @property
    def interactive(self) -> bool:
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"

    def line(self, message: str) -> None:
        """Print one line of progress."""
        with self._lock:
            self.stream.write(self._clear() + plain(message) + "\n")
            self.stream.flush()

    def _clear(self) -> str:
        # The spinner's line is rewritten in place; a finished line replaces it, and the spinner redraws below.
        return "\r\x1b[K" if self._spinner is not None else ""

    @contextlib.contextmanager
    def step(self, label: str):
        """Show ``label`` with a spinner and the elapsed time (on a terminal) until the step ends.

        Yields a function that takes the outcome (e.g. ``"FAIL"``); the step's line then ends with the
        outcome and the elapsed seconds. A step left without an outcome ends with ``stopped``.
        """
        started = time.monotonic()
        outcome: list[str] = []
        key = object()
        with self._lock:
            self._running[key] = (label, started)
            if self._spinner is None and self.interactive:
                self._stop_spinner = threading.Event()
                self._spinner = threading.Thread(target=self._spin, args=(self._stop_spinner,), daemon=True)
                self._spinner.start()
        try:
            yield outcome.append
        finally:
            text = plain(outcome[-1]) if outcome else "stopped"
            spinner = None
            with self._lock:
                del self._running[key]
                self.stream.write(self._clear() + f"{label} {text} in {time.monotonic() - started:.1f} s\n")
                self.stream.flush()
                if not self._running and self._spinner is not None:
                    spinner, self._spinner = self._spinner, None
                    self._stop_spinner.set()
            if spinner is not None:
                spinner.join()

    def _spin(self, stop: threading.Event) -> None:
        """Redraw the spinner line twice a second: the one running step, or every running step's name."""
        import shutil

        turn = 0
        while not stop.wait(0.5):
            with self._lock:
                if stop.is_set() or not self._running:  # set under the lock: no redraw after the last line
                    break
                steps = list(self._running.values())
                first = min(started for _, started in steps)
                names = steps[0][0] if len(steps) == 1 else "  " + ", ".join(label.strip() for label, _ in steps)
                text = f"{names} {_SPINNER[turn % 4]} {time.monotonic() - first:5.0f} s"
                width = shutil.get_terminal_size().columns - 1
                if len(text) > width:  # a wrapped line could not be redrawn in place
                    text = text[:max(width - 3, 0)] + "..."
                self.stream.write(f"\r\x1b[K{text}")
                self.stream.flush()
            turn += 1

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
