"""The summary box every report opens with: the verdict and the checks that did not pass.

:meth:`assess.notebook.AssessmentContext.finish` shows the box (an HTML output marked with
:data:`SUMMARY_METADATA`); :func:`assess.render.render_html` moves it to the top of the page, so a
rendered report leads with its verdict and the detail follows. Styles are inline: the box reads the
same in JupyterLab, in the rendered HTML and in an evidence archive.
"""

from __future__ import annotations

import html

from assess.display import format_requirement, format_value, readable_name, value_kind

#: Output metadata key that marks the summary box among a notebook's outputs.
SUMMARY_METADATA = "assess_summary"

#: Badge colours (background, text) per verdict, as in ``reports/index.html``.
BADGE_COLOURS = {
    "pass": ("#dafbe1", "#116329"),
    "warn": ("#fff8c5", "#7d4e00"),
    "pending": ("#ddf4ff", "#0a3069"),
    "fail": ("#ffebe9", "#a40e26"),
    "error": ("#a40e26", "#ffffff"),
}
_BORDER = {"pass": "#1a7f37", "warn": "#9a6700", "pending": "#0969da", "fail": "#cf222e", "error": "#a40e26"}
_CELL = "border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top"


def badge(status: str) -> str:
    """An inline verdict badge (``PASS``, ``FAIL``, ...)."""
    background, colour = BADGE_COLOURS.get(status, ("#eaeef2", "#1b1f24"))
    return (f'<span class="assess-badge assess-{html.escape(status)}" style="background:{background};color:{colour};'
            f'font-weight:700;padding:.1rem .45rem;border-radius:.3rem">{html.escape(status.upper())}</span>')


def check_row(check: dict) -> list[str]:
    """One check as the box's cells: status, what was checked, measured, required, basis, clause (HTML)."""
    kind = value_kind(check["name"])
    label = html.escape(readable_name(check["name"]))
    if check.get("description"):
        label += f'<br><small style="color:#57606a">{html.escape(check["description"])}</small>'
    if check["status"] == "pending":
        measured, required = "not measured", "review by a person"
    else:
        measured = format_value(check["value"], kind)
        required = format_requirement(check["op"], check["threshold"], kind)
    return [badge(check["status"]), label, html.escape(measured), html.escape(required),
            html.escape(check.get("basis", "")), html.escape(check.get("clause", "") or "—")]


def summary_html(*, title: str, assessment: str, subject: str, verdict: str, checks: list[dict], run_id: str = "") -> str:
    """The summary box of one assessment.

    Parameters
    ----------
    title, assessment : str
        The assessment's title and name.
    subject : str
        The subject reviewed.
    verdict : str
        The assessment's verdict.
    checks : list of dict
        The checks as in ``evidence/checks.json`` (name, value, threshold, op, status, basis, clause,
        description).
    run_id : str
        The MLflow run holding the evidence.

    Returns
    -------
    str
        An HTML ``<section>``: verdict badge, counts, and a table of the checks that failed, warned
        or are pending (all checks passed: a line saying so).
    """
    counts = {status: sum(c["status"] == status for c in checks) for status in ("fail", "warn", "pending", "pass")}
    tally = ", ".join(f"{n} {word}" for n, word in ((counts["fail"], "failed"), (counts["warn"], "warned"),
                                                   (counts["pending"], "pending"), (counts["pass"], "passed")) if n)
    open_checks = sorted((c for c in checks if c["status"] != "pass"),
                         key=lambda c: ("fail", "pending", "warn").index(c["status"]))
    parts = [
        f'<section class="assess-summary" id="assess-summary" style="border:2px solid {_BORDER.get(verdict, "#57606a")};'
        'border-radius:.5rem;padding:.75rem 1rem;margin:0 0 1.25rem;background:#fff">',
        f'<div style="font-size:1.35rem;font-weight:700">Verdict: {badge(verdict)}</div>',
        f'<div style="margin:.35rem 0">{html.escape(title)} (<code>{html.escape(assessment)}</code>) of '
        f'<b>{html.escape(subject)}</b>' + (f' · MLflow run <code>{html.escape(run_id)}</code>' if run_id else "") + "</div>",
        f'<div style="margin:.35rem 0">{len(checks)} check{"" if len(checks) == 1 else "s"}: {html.escape(tally or "none recorded")}</div>',
    ]
    if open_checks:
        head = "".join(f'<th style="{_CELL};background:#f6f8fa">{h}</th>'
                       for h in ("status", "check", "measured", "required", "basis", "clause"))
        rows = "".join("<tr>" + "".join(f'<td style="{_CELL}">{cell}</td>' for cell in check_row(c)) + "</tr>"
                       for c in open_checks)
        parts.append(f'<table style="border-collapse:collapse;margin:.5rem 0"><tr>{head}</tr>{rows}</table>')
    elif checks:
        parts.append("<div>Every check passed.</div>")
    standard = ("<b>standard (unverified)</b> = a figure secondary sources give for a national standard, not yet "
                "checked against its text, set in the plan; " if any(c.get("basis") == "standard (unverified)" for c in checks) else "")
    parts.append('<div style="color:#57606a;font-size:.85rem">basis: <b>regulation</b> = a number a rule sets; '
                 f"{standard}<b>policy</b> = the plan's threshold. The detail of every check follows below; the full table "
                 "closes the report.</div></section>")
    return "\n".join(parts)


def error_html(*, title: str) -> str:
    """The box of a report whose notebook stopped before it recorded a verdict."""
    return (f'<section class="assess-summary" id="assess-summary" style="border:2px solid {_BORDER["error"]};'
            'border-radius:.5rem;padding:.75rem 1rem;margin:0 0 1.25rem">'
            f'<div style="font-size:1.35rem;font-weight:700">Verdict: {badge("error")}</div>'
            f"<div>{html.escape(title)}: the notebook stopped with an error before it recorded a verdict; "
            "the error is shown where it happened, below.</div></section>")
