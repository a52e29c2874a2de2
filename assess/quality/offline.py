"""Keep Great Expectations offline: call :func:`disable_gx_analytics` before importing GX."""

from __future__ import annotations

import os


def disable_gx_analytics() -> None:
    """Turn GX usage statistics off for this process.

    Forced rather than defaulted: an assessment runs offline and has no reason to honour an opt-in.
    The contexts made by :func:`assess.quality.gx_run.offline_context` also set
    ``analytics_enabled=False`` in their configuration.
    """
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
