"""Error text as evidence: what a failing assessment records is masked like its findings.

The runner writes an error in three places: the run's ``assess.error`` tag (shown by the review
index and the auditor report), the review manifest, and the executed notebook (its traceback,
rendered into both HTML reports). Each passes through :func:`assess.masking.mask_error_text`
with the subject's canary strings, gathered here from the plan.
"""

from __future__ import annotations

import json
from pathlib import Path

from assess.masking import canary_strings, mask_error_text


def _raw_canary_texts(path: Path) -> set[str]:
    """Texts of a canary file that does not load as a CanarySet (a team's own format, a damaged record)."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return set()
    items = record.get("canaries", []) if isinstance(record, dict) else record
    texts = set()
    for item in items if isinstance(items, list) else []:
        text = item.get("text") if isinstance(item, dict) else item
        if isinstance(text, str):
            texts.add(text)
        secret = item.get("secret") if isinstance(item, dict) else None
        if isinstance(secret, str):
            texts.add(secret)
    return texts


def subject_canaries(subject, client=None) -> set[str]:
    """Canary texts and secret parts an error of ``subject``'s review must never show.

    From every ``*canaries_file`` parameter of the subject's assessments and, with ``client``, the
    canary record of each model-store model's source run. A file that cannot be read gives nothing
    (the assessment that uses it reports that); a record that does not parse gives its raw texts.

    Parameters
    ----------
    subject : SubjectSpec
    client : MlflowClient, optional

    Returns
    -------
    set of str
    """
    from assess.errors import InputError
    from assess.leakage.canaries import CanarySet

    sets, texts = [], set()
    for assessment in subject.assessments.values():
        for name, value in assessment.params.items():
            if name.endswith("canaries_file") and value:
                path = Path(value)
                try:
                    sets.append(CanarySet.load(path))
                except InputError:
                    texts |= _raw_canary_texts(path)
    if client is not None:
        from assess.leakage.sources import load_model_canaries

        for model in subject.models.values():
            if not model.in_model_store():
                continue
            try:
                found = load_model_canaries(model.uri, client)
            except Exception:  # noqa: BLE001 - no source run or no record: nothing to hide
                found = None
            if found is not None:
                sets.append(found)
    return canary_strings(sets) | texts


def mask_notebook_errors(path: Path, canaries=()) -> bool:
    """Mask the error outputs (name, value, traceback) and stderr streams of an executed notebook in place.

    Parameters
    ----------
    path : Path
        An executed ``.ipynb``.
    canaries : iterable of str
        From :func:`subject_canaries`.

    Returns
    -------
    bool
        Whether anything changed.
    """
    canaries = set(canaries)
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    changed = False

    def masked(value):
        nonlocal changed
        if isinstance(value, list):
            return [masked(v) for v in value]
        out = mask_error_text(value, canaries=canaries)
        changed |= out != value
        return out

    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                for key in ("ename", "evalue", "traceback"):
                    if key in output:
                        output[key] = masked(output[key])
            elif output.get("output_type") == "stream" and output.get("name") == "stderr":
                output["text"] = masked(output["text"])
    if changed:
        Path(path).write_text(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return changed
