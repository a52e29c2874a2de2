"""Data quality of training and evaluation data, checked with Great Expectations 1.x.

A dataset's data contract (YAML, :mod:`~assess.quality.contract`) and the ML checks (duplicates,
split overlap, label set and balance, empty or garbled text, drift against the previous review)
compile into one GX ExpectationSuite (:mod:`~assess.quality.compile`), which runs offline through
a ValidationDefinition and a Checkpoint (:mod:`~assess.quality.gx_run`); the results and the Data
Docs are masked before they become evidence (:mod:`~assess.quality.redact`).

Importing this package does not import GX (it takes seconds); the names below load their module
on first use.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "Contract": "contract", "ColumnContract": "contract", "load_contract": "contract", "parse_contract": "contract",
    "Roles": "prepare", "SplitKeys": "prepare", "prepare_frame": "prepare", "split_keys": "prepare",
    "normalize_text": "text",
    "build_profile": "profile", "psi": "profile",
    "QualityPolicy": "compile", "compile_suite": "compile",
    "run_validations": "gx_run", "offline_context": "gx_run",
    "mask_result": "redact", "mask_suite_result_dict": "redact",
    "DatasetInput": "review", "QualityReview": "review", "review_datasets": "review", "overlap_targets": "review",
    "suggest_contract": "suggest",
    "CHECKS": "checks", "GROUP_CLAUSES": "checks",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'assess.quality' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
