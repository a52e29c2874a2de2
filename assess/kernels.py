"""Notebook kernels that a review can end from another thread.

papermill (through nbclient) starts one kernel per notebook, in the thread that executes it. When
the assessments of a review run in parallel (``assess run --jobs``) and the review stops (SIGINT,
SIGTERM, an error that ends the review), the signal reaches the main thread only; it ends the
kernels the worker threads started, nbclient sees its kernel die within a second, and each worker
thread returns. A sequential review needs none of this: there the signal interrupts nbclient itself.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading

from jupyter_client.manager import AsyncKernelManager

_lock = threading.Lock()
#: Kernels running now, by the ident of the thread that started them.
_running: dict[int, set[AsyncKernelManager]] = {}


class TrackedKernelManager(AsyncKernelManager):
    """nbclient's default kernel manager, known by the thread that started it while its kernel runs.

    Passed to papermill as ``kernel_manager_class``; nbclient still owns and shuts down the kernel.
    """

    async def start_kernel(self, **kwargs) -> None:
        with _lock:
            _running.setdefault(threading.get_ident(), set()).add(self)
        await super().start_kernel(**kwargs)

    async def cleanup_resources(self, restart: bool = False) -> None:
        try:
            await super().cleanup_resources(restart=restart)
        finally:
            with _lock:
                for managers in _running.values():
                    managers.discard(self)


def end_kernels(thread_ids, signum: int = signal.SIGTERM) -> int:
    """Send ``signum`` to the process group of every kernel that the threads ``thread_ids`` started.

    Parameters
    ----------
    thread_ids : iterable of int
        ``threading.get_ident()`` of the threads whose kernels to end.
    signum : int
        SIGTERM lets a kernel run its exit handlers; SIGKILL for one that does not end.

    Returns
    -------
    int
        How many kernels were signalled.
    """
    with _lock:
        managers = [manager for ident in thread_ids for manager in _running.get(ident, ())]
    signalled = 0
    for manager in managers:
        # Each kernel leads its own process group (jupyter_client starts it in a new session), so this ends
        # what the kernel started too (a Spark JVM, data loader workers), never this process.
        pgid = getattr(manager.provisioner, "pgid", None)
        if not pgid or pgid == os.getpgrp():
            continue
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signum)
            signalled += 1
    return signalled
