"""The report as a list of blocks (headings, paragraphs, tables), the same for every output format.

:func:`blocks` decides what the report says and in which order; the docx and PDF writers only
draw the blocks, so the two formats never disagree.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from assess.clauses import label as clause_label
from assess.selfreport.content import OPEN_STATUSES, ReportContent
from assess.selfreport.labels import check_lang, say, verdict_word


@dataclass
class Block:
    """One piece of the report.

    ``kind`` is "title", "heading" (``level`` 1 or 2), "paragraph", "fields" (label/value
    ``rows``), "table" (``header`` and ``rows``) or "signoff" (label ``rows`` with blank lines).
    """

    kind: str
    text: str = ""
    level: int = 1
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    verdict: str = ""  # a verdict the block states, for colour


def shown(value) -> str:
    """A value for people: thousands separators, at most 4 significant digits, no reprs."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return f"{int(value):,}"
        return f"{value:,.2f}" if abs(value) >= 1000 else f"{value:.4g}"
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _required(check, lang: str) -> str:
    return f"{check.op} {shown(check.threshold)}" if check.op else say("by_person", lang)


def _check_rows(checks, lang: str, with_assessment: str | None = None) -> tuple[tuple[str, ...], ...]:
    rows = []
    for check in checks:
        row = (check.name, shown(check.value), _required(check, lang),
               say(check.basis, lang) if check.basis in ("policy", "regulation", "standard (unverified)") else check.basis,
               check.clause, verdict_word(check.status, lang))
        rows.append(((with_assessment,) + row) if with_assessment is not None else row)
    return tuple(rows)


def blocks(content: ReportContent, lang: str = "both") -> list[Block]:
    """The report of ``content`` in ``lang`` ("both": Chinese first with English, "zh" or "en")."""
    lang = check_lang(lang)
    t = lambda key: say(key, lang)  # noqa: E731 - the one word-lookup every line uses
    out = [Block("title", t("title")), Block("paragraph", t("draft_note"))]

    out.append(Block("heading", t("subject")))
    out.append(Block("fields", rows=(
        (t("subject_name"), content.subject),
        (t("review_id"), content.review_id),
        (t("started"), content.started),
        (t("ended"), content.ended),
        (t("overall_verdict"), verdict_word(content.verdict, lang)),
        (t("plan"), f"{content.plan_path} (SHA-256 {content.plan_sha256 or t('not_recorded')})"),
        (t("store"), content.store),
        (t("run"), content.review_run_id),
    ) + (((t("error"), content.error),) if content.error else ()), verdict=content.verdict))
    if content.assessments:
        out.append(Block("table", header=(t("assessment"), t("verdict"), t("open_checks")), rows=tuple(
            (f"{a.title} ({a.name})", verdict_word(a.verdict, lang),
             shown(sum(c.status in OPEN_STATUSES for c in a.checks))) for a in content.assessments)))

    out.append(Block("heading", t("models")))
    if content.models:
        out.append(Block("table", header=(t("role"), t("uri"), t("kind"), t("version"), "SHA-256"), rows=tuple(
            (m.role, m.uri, m.kind or t("not_recorded"), m.version or "—", m.sha256 or t("not_recorded"))
            for m in content.models)))
    else:
        out.append(Block("paragraph", t("none")))

    out.append(Block("heading", t("datasets")))
    if content.datasets:
        out.append(Block("table", header=(t("role"), t("path"), "SHA-256"), rows=tuple(
            (d.role, d.path, d.sha256 or t("not_recorded")) for d in content.datasets)))
    else:
        out.append(Block("paragraph", t("none")))

    out.append(Block("heading", t("assessments")))
    for a in content.assessments:
        out.append(Block("heading", f"{a.title} ({a.name})", level=2))
        clauses = "; ".join(clause_label(c, lang) for c in a.clauses)  # with the catalogue's title
        fields = [(t("verdict"), verdict_word(a.verdict, lang)), (t("clauses"), clauses or t("none"))]
        if lang != "en":
            fields.insert(0, (say("method", "zh"), a.method.zh))
        if lang != "zh":
            fields.insert(1 if lang == "both" else 0, (say("method", "en"), a.method.en))
        fields += [(t("run"), a.run_id), ("manifest SHA-256", a.manifest_sha256 or t("not_recorded"))]
        if a.error:
            fields.append((t("error"), a.error))
        out.append(Block("fields", rows=tuple(fields), verdict=a.verdict))
        if a.metrics:
            out.append(Block("paragraph", t("results")))
            out.append(Block("table", header=(t("metric"), t("value")), rows=tuple((m, shown(v)) for m, v in a.metrics)))
        if a.checks:
            out.append(Block("paragraph", t("checks")))
            out.append(Block("table", header=(t("check"), t("value"), t("required"), t("basis"), t("clause"), t("status")),
                             rows=_check_rows(a.checks, lang)))

    out.append(Block("heading", t("findings")))
    errored = [a for a in content.assessments if a.verdict == "error"]
    if content.open_findings or errored:
        rows = [r for name, check in content.open_findings for r in _check_rows([check], lang, with_assessment=name)]
        rows += [(a.name, a.error or t("error"), "—", "—", "—", "; ".join(a.clauses), verdict_word("error", lang))
                 for a in errored]
        out.append(Block("table", header=(t("assessment"), t("check"), t("value"), t("required"), t("basis"), t("clause"),
                                          t("status")), rows=tuple(rows)))
    else:
        out.append(Block("paragraph", t("no_findings")))

    chain = content.chain
    previous = (f"{chain.previous_review_id} (manifest SHA-256 {chain.previous_manifest_sha256})"
                if chain.previous_review_id else t("first_review"))
    out.append(Block("heading", t("evidence")))
    out.append(Block("fields", rows=(
        (t("manifest_digest"), content.manifest_sha256 or t("not_recorded")),
        (t("chain_position"), f"{chain.position} / {chain.total}"),
        (t("previous_review"), previous),
        (t("signature"), t("unsigned" if content.signature == "unsigned" else f"signed_{content.signature}")),
        (t("verification"), (f"{t('verified_ok')} ({content.runs_verified})" if not content.verification else
                             f"{t('verified_problems')} ({len(content.verification)}): " + "; ".join(content.verification))),
        (t("verify_with"), f"assess verify {content.review_run_id} ; assess verify --chain {content.subject}"),
    )))

    out.append(Block("heading", t("signoff")))
    out.append(Block("signoff", rows=((t("prepared_by"),), (t("reviewed_by"),), (t("date"),))))
    return out
