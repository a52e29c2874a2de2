"""What a verdict was computed from: the subject's datasets, models and output folders an assessment read.

The assessment context records each input as a notebook asks for it (a dataset role's declaration
or records, a model role, a folder the plan names); :meth:`AssessmentContext.finish` shows them in
one line beside the verdict and logs them in ``evidence/checks.json``. An assessment that read
nothing of the subject's has no evidence: it cannot pass (see :data:`NO_INPUTS_CHECK`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

#: The pending check an assessment gets when it read none of the subject's inputs.
NO_INPUTS_CHECK = "subject_inputs_assessed"
SHORT_HASH = 12


def _digest(path: Path) -> str | None:
    from assess.manifest import sha256_file, sha256_json, sha256_tree

    if path.is_file():
        return sha256_file(path)
    if path.is_dir():
        return sha256_json(sha256_tree(path))
    return None


@dataclass
class UsedInputs:
    """The subject's inputs one assessment read, in the order first asked for."""

    items: dict = field(default_factory=dict)  # (kind, role) -> {"kind", "role", "name", "path" | "uri"}

    def __bool__(self) -> bool:
        return bool(self.items)

    def dataset(self, role: str, path) -> None:
        """Record dataset ``role`` (file ``path``)."""
        self.items.setdefault(("dataset", role), {"kind": "dataset", "role": role, "name": Path(path).name,
                                                  "path": str(path)})

    def model(self, role: str, spec) -> None:
        """Record model ``role`` (its plan spec: uri and kind)."""
        entry = {"kind": "model", "role": role, "name": spec.display_uri(), "model_kind": spec.kind}
        if spec.is_file():
            entry["path"] = str(spec.uri)
        self.items.setdefault(("model", role), entry)

    def folder(self, parameter: str, path) -> None:
        """Record a file or folder named by plan parameter ``parameter`` (e.g. generated outputs)."""
        self.items.setdefault(("path", parameter), {"kind": "path", "role": parameter, "name": Path(path).name,
                                                    "path": str(path)})

    def describe(self) -> list[dict]:
        """Each input with its SHA-256 (a file's, or one over a folder's files); models in a store by URI only.

        Returns
        -------
        list of dict
            ``kind``, ``role``, ``name`` and, for files and folders, ``sha256`` (None when absent).
        """
        rows = []
        for entry in self.items.values():
            row = {k: v for k, v in entry.items() if k != "path"}
            if "path" in entry:
                row["sha256"] = _digest(Path(entry["path"]))
            rows.append(row)
        return rows


def inputs_markdown(rows: list[dict]) -> str:
    """One line naming the inputs of :meth:`UsedInputs.describe`, e.g.
    ``dataset `train` (tickets.parquet, sha256 1a2b3c4d5e6f); model `clf` (models/clf.joblib, sklearn, sha256 …)``."""
    if not rows:
        return "none of the subject's datasets, models or outputs"
    parts = []
    for row in rows:
        details = [row["name"]]
        if row.get("model_kind"):
            details.append(row["model_kind"])
        if "sha256" in row:
            details.append(f"sha256 {row['sha256'][:SHORT_HASH]}" if row["sha256"] else "missing")
        label = {"dataset": "dataset", "model": "model", "path": "parameter"}[row["kind"]]
        parts.append(f"{label} `{row['role']}` ({', '.join(details)})")
    return "; ".join(parts)
