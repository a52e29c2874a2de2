"""The clause × evidence matrix of the review index.

One row per clause of the catalogue (:mod:`assess.clauses`, in its order: instrument, then article
number), one column per assessment; each cell is the worst status of the checks of that
assessment's latest run that cite the clause, read from the run's ``evidence/checks.json``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from assess.clauses import catalogue, split_ids
from assess.notebook import VERDICTS

NOT_ASSESSED = "not assessed"
ERROR = "error"
#: What each cell state means, most severe first: the matrix's legend.
CELL_MEANING = {
    ERROR: "the assessment's latest run did not complete (or its checks.json is missing): its checks are unknown",
    "fail": "at least one check citing the clause failed",
    "pending": "a check citing the clause waits for a person; none failed",
    "warn": "a check citing the clause gave a warning; none failed or waits",
    "pass": "every check citing the clause passed",
    NOT_ASSESSED: "none of the assessment's checks cites the clause",
}


@dataclass(frozen=True)
class AssessmentEvidence:
    """What the matrix needs of one assessment run."""

    name: str
    verdict: str
    declared: tuple[str, ...]  # the clauses its notebook declares (the run's assess.clauses tag)
    checks: tuple[dict, ...] | None  # the checks of evidence/checks.json; None when there is none


def cell(evidence: AssessmentEvidence, clause_id: str) -> tuple[str, list[dict]]:
    """The state of one cell and the checks behind it.

    Returns
    -------
    (str, list of dict)
        The worst status of the checks citing ``clause_id`` (fail > pending > warn > pass),
        :data:`ERROR` when the run did not complete and the assessment declares or cites the clause,
        else :data:`NOT_ASSESSED`; and the checks citing it.
    """
    citing = [c for c in evidence.checks or () if clause_id in split_ids(c.get("clause"))]
    if evidence.verdict == ERROR or evidence.checks is None:
        return (ERROR if clause_id in evidence.declared or citing else NOT_ASSESSED), citing
    statuses = [c.get("status") for c in citing if c.get("status") in VERDICTS]
    if not statuses:
        return NOT_ASSESSED, citing
    return max(statuses, key=VERDICTS.index), citing


def clause_rows(evidences: list[AssessmentEvidence]) -> list[str]:
    """Every catalogue clause, then any other id the runs cite (older evidence), in catalogue order."""
    known = catalogue()
    cited = {i for e in evidences for i in e.declared} | {i for e in evidences for c in e.checks or () for i in split_ids(c.get("clause"))}
    return sorted({c.id for c in known} | cited, key=known.sort_key)


def _badge(state: str) -> str:
    css = "none" if state == NOT_ASSESSED else state
    return f'<span class="v {html.escape(css)}">{html.escape(state if state == NOT_ASSESSED else state.upper())}</span>'


def _row_head(clause_id: str) -> str:
    known = catalogue()
    if clause_id not in known:
        return f"<th scope=row>{html.escape(clause_id)}<br><small>not in the clause catalogue</small></th>"
    clause = known.get(clause_id)
    return (f'<th scope=row title="{html.escape(clause.summary)}">{html.escape(clause_id)}<br>'
            f"<small>{html.escape(clause.title_en)} · {html.escape(clause.title_zh)}</small></th>")


def matrix_html(evidences: list[AssessmentEvidence]) -> str:
    """The matrix as an HTML table with its legend; each cell carries ``data-clause``,
    ``data-assessment`` and ``data-status``."""
    evidences = sorted(evidences, key=lambda e: e.name)
    parts = ['<table class="matrix"><tr><th>clause</th>' + "".join(f"<th>{html.escape(e.name)}</th>" for e in evidences) + "</tr>"]
    for clause_id in clause_rows(evidences):
        cells = []
        for evidence in evidences:
            state, citing = cell(evidence, clause_id)
            names = "; ".join(f"{c.get('name', '')}: {c.get('status', '')}" for c in citing)
            count = f"<br><small>{len(citing)} check{'s' * (len(citing) != 1)}</small>" if citing else ""
            cells.append(f'<td data-clause="{html.escape(clause_id)}" data-assessment="{html.escape(evidence.name)}" '
                         f'data-status="{html.escape(state)}" title="{html.escape(names)}">{_badge(state)}{count}</td>')
        parts.append(f"<tr>{_row_head(clause_id)}{''.join(cells)}</tr>")
    parts.append("</table>")
    return "\n".join(parts) + legend_html()


def legend_html() -> str:
    """What a cell means, and the instruments behind the abbreviations."""
    states = "".join(f"<tr><td>{_badge(state)}</td><td>{html.escape(meaning)}</td></tr>" for state, meaning in CELL_MEANING.items())
    instruments = "".join(
        f"<tr><td>{html.escape(i.abbreviation)}</td><td>{html.escape(i.name_zh)}<br>{html.escape(i.name_en)}</td>"
        f"<td>{html.escape(i.effective)}</td></tr>" for i in catalogue().instruments.values())
    return (
        '<details class="legend" open><summary>Legend</summary>'
        "<p>Each cell: the worst status of the checks of that assessment's latest run that cite the clause "
        "(fail, then pending, then warn, then pass), from the run's <code>evidence/checks.json</code>. "
        "Clause summaries and whether their thresholds are regulation or policy: <code>docs/clauses.md</code>.</p>"
        f"<table><tr><th>cell</th><th>meaning</th></tr>{states}</table>"
        f"<table><tr><th>abbreviation</th><th>instrument</th><th>in force</th></tr>{instruments}</table></details>"
    )


def evidence_of(client, run) -> AssessmentEvidence:
    """The matrix's view of one assessment run: its verdict, declared clauses and stored checks."""
    from assess import tracking
    from assess.manifest import CHECKS_PATH, load_json_artifact

    verdict = run.data.tags.get(tracking.TAG_VERDICT, "")
    document = None if verdict == ERROR else load_json_artifact(client, run.info.run_id, CHECKS_PATH)
    checks = None if document is None else tuple(document.get("checks", []))
    return AssessmentEvidence(name=run.data.tags.get(tracking.TAG_ASSESSMENT, ""), verdict=verdict,
                              declared=tuple(split_ids(run.data.tags.get(tracking.TAG_CLAUSES, ""))), checks=checks)
