"""evidence.log: one line per completed review, appended to a file outside the store.

The store can be rewritten by whoever can write to it; a copy of each review's manifest digest kept
elsewhere (a CI artifact, a WORM bucket) cannot be rewritten with it. Each line is a JSON object
(time, subject, review id, run id, verdict, manifest digest, signature digest) that also carries the
digest of the line before it, so an edited or deleted line breaks the log's own chain.

Where: ``$ASSESS_EVIDENCE_LOG`` if set (``off`` turns it off); otherwise, for the embedded store,
``evidence.log`` in the folder that holds ``mlruns/``; for a server store, nowhere.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from assess.errors import InputError

ENV = "ASSESS_EVIDENCE_LOG"
FILE_NAME = "evidence.log"


def log_path(tracking_uri: str) -> Path | None:
    """The evidence.log reviews of this store append to, or None when there is none.

    Parameters
    ----------
    tracking_uri : str

    Returns
    -------
    Path or None
    """
    configured = os.environ.get(ENV, "").strip()
    if configured.lower() == "off":
        return None
    if configured:
        return Path(configured)
    if tracking_uri.startswith("sqlite:///"):
        return Path(tracking_uri[len("sqlite:///"):]).parent.parent / FILE_NAME
    return None


def _line_digest(line: str) -> str:
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


def append(path: Path, entry: dict) -> dict:
    """Append ``entry`` as one line, chained to the last line; return what was written.

    The caller holds the store lock, so concurrent reviews of one store append one at a time.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    entry = {**entry, "previous_line_sha256": _line_digest(lines[-1]) if lines else None}
    text = json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    with path.open("a", encoding="utf-8") as handle:
        handle.write(text + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return entry


def read(path: Path) -> tuple[list[dict], list[str]]:
    """``(entries, problems)``: the log's lines, and one line per break in its own chain.

    Raises
    ------
    InputError
        The file is missing or a line is not JSON (exit 2: not a log at all).
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"evidence log {path} cannot be read ({exc}): pass the evidence.log CI kept with --log") from None
    entries, problems, previous = [], [], None
    for number, line in enumerate(lines, start=1):
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            raise InputError(f"evidence log {path} line {number} is not a JSON line: is this an evidence.log?") from None
        # A line with no previous digest starts a segment: logs of several CI jobs concatenated in order.
        chained = entry.get("previous_line_sha256")
        if chained is not None and chained != (_line_digest(previous) if previous is not None else None):
            problems.append(f"{path.name} line {number}: the line before it was edited or deleted")
        entries.append({**entry, "_line": number})
        previous = line
    return entries, problems


def entry_for(review_run, manifest_sha256: str, signature_sha256: str | None, when: str) -> dict:
    """The log entry of one completed review."""
    from assess import tracking

    tags = review_run.data.tags
    return {"time": when, "subject": tags.get(tracking.TAG_SUBJECT), "review_id": tags.get(tracking.TAG_REVIEW_ID),
            "run_id": review_run.info.run_id, "verdict": tags.get(tracking.TAG_VERDICT),
            "manifest_sha256": manifest_sha256, "signature_sha256": signature_sha256}


def compare(entries: list[dict], reviews: dict[str, tuple[str, str | None, str | None]], subject: str,
            name: str = FILE_NAME) -> tuple[list[str], list[str]]:
    """``(problems, notes)``: each store review of ``subject`` checked against the log's lines.

    Parameters
    ----------
    entries : list of dict
        :func:`read` of the log.
    reviews : dict
        run id -> (review id, manifest digest now, signature digest now) of every completed
        (not aborted) review of ``subject`` in the store, newest first.
    subject : str
    name : str
        How messages name the log.

    Returns
    -------
    tuple of (list of str, list of str)
    """
    logged = {e["run_id"]: e for e in entries if e.get("subject") == subject}
    problems, notes, seen_logged = [], [], False
    # Oldest first: reviews before the log's first line of this subject were made before it was kept.
    for run_id, (review_id, manifest_sha256, signature_sha256) in reversed(list(reviews.items())):
        entry = logged.get(run_id)
        if entry is None:
            if seen_logged:
                problems.append(f"review {review_id} ({run_id}) is not in {name}: it was added to the store afterwards, "
                                "or made without the log")
            else:
                notes.append(f"review {review_id} ({run_id}) is older than {name}'s first line for {subject}: not checked against it")
            continue
        seen_logged = True
        if entry.get("manifest_sha256") != manifest_sha256:
            problems.append(f"review {review_id} ({run_id}): its review manifest differs from the one {name} recorded at "
                            f"{entry.get('time')} (line {entry['_line']}): the review was rewritten")
        if entry.get("signature_sha256") != signature_sha256:
            problems.append(f"review {review_id} ({run_id}): its signature differs from the one {name} recorded "
                            f"(line {entry['_line']})")
    for run_id, entry in logged.items():
        if run_id not in reviews:
            problems.append(f"{name} line {entry['_line']} records review {entry.get('review_id')} ({run_id}), "
                            "which the store no longer holds (deleted, or replaced by a rewrite)")
    return problems, notes
