"""The assessments this installation knows: one notebook template each.

An assessment declares itself in its notebook's metadata (``metadata.assess``: name, title,
clauses and typed parameters), so adding one is adding a notebook and its module, never an edit
here. This module only reads those declarations.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from assess.errors import InputError

#: Parameter types a notebook may declare.
PARAMETER_TYPES = ("number", "integer", "string", "boolean", "list", "dict", "path", "dataset", "datasets", "model")


@dataclass(frozen=True)
class AssessmentSpec:
    """An assessment as its notebook declares it."""

    name: str
    title: str
    notebook: Path
    clauses: tuple[str, ...]
    parameters: dict = field(default_factory=dict)
    key_metrics: tuple[str, ...] = ()  # metrics the review index follows across reviews

    def defaults(self) -> dict:
        """Default value of every declared parameter."""
        return {name: decl.get("default") for name, decl in self.parameters.items()}


def default_notebooks_dir() -> Path:
    """``$ASSESS_NOTEBOOKS_DIR``, else the ``notebooks/`` folder beside the package."""
    configured = os.environ.get("ASSESS_NOTEBOOKS_DIR")
    return Path(configured) if configured else Path(__file__).resolve().parent.parent / "notebooks"


def read_spec(path: Path) -> AssessmentSpec | None:
    """Read the ``assess`` declaration of one notebook; None if it declares none."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"notebook template {path} cannot be read ({exc}): restore it from git") from None
    declared = notebook.get("metadata", {}).get("assess")
    if not declared:
        return None
    for name, decl in declared.get("parameters", {}).items():
        if decl.get("type") not in PARAMETER_TYPES:
            raise InputError(
                f"notebook {path.name}: parameter {name!r} has type {decl.get('type')!r}; "
                f"use one of {', '.join(PARAMETER_TYPES)}"
            )
    from assess.clauses import ClauseError, cite

    try:
        cite(declared.get("clauses", ()))
    except ClauseError as exc:
        raise ClauseError(f"notebook {path.name}: {exc}") from None
    return AssessmentSpec(
        name=declared["name"],
        title=declared.get("title", declared["name"]),
        notebook=path,
        clauses=tuple(declared.get("clauses", ())),
        parameters=dict(declared.get("parameters", {})),
        key_metrics=tuple(declared.get("key_metrics", ())),
    )


def discover(notebooks_dir: Path | None = None) -> dict[str, AssessmentSpec]:
    """Every assessment declared by a notebook in ``notebooks_dir``, by name."""
    folder = Path(notebooks_dir or default_notebooks_dir())
    if not folder.is_dir():
        raise InputError(f"notebook folder {folder} does not exist: set notebooks_dir in the plan or ASSESS_NOTEBOOKS_DIR")
    specs = {}
    for path in sorted(folder.glob("*.ipynb")):
        spec = read_spec(path)
        if spec is not None:
            specs[spec.name] = spec
    return specs
