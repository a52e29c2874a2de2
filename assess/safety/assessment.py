"""Glue between the ``generated_content_safety`` notebook and the pure functions of :mod:`assess.safety`.

Each function takes the assessment context (:class:`assess.notebook.AssessmentContext`) and its
parameters, reads what the plan names, and returns plain frames and dicts; the notebook records
them and states the checks.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from assess.errors import InputError
from assess.safety import banks as bank_io
from assess.safety.answers import ANSWER, BANK_KINDS, CONTENT, REFUSE
from assess.safety.keywords import KeywordMatcher

#: The basis of every threshold taken from GB/T 45654 / TC260-003 as secondary sources report it:
#: the figures have not been checked against the standard's text.
STANDARD = "standard (unverified)"
CLAUSE_KEYWORDS = "TC260-003 §8"
CLAUSE_BANKS = "TC260-003 §8"
CLAUSE_CONTENT = "TC260-003 §9.3; DS Art. 15"
CLAUSE_REFUSAL = "TC260-003 §9.4; DS Art. 15"
CLAUSE_CORPUS = "TC260-003 §9.2"
CLAUSE_SOURCES = "TC260-003 §5.1; TC260-003 §9.2"

#: Plan parameter naming each bank's dataset role, by bank kind.
BANK_PARAMETERS = {CONTENT: "content_bank", REFUSE: "refuse_bank", ANSWER: "answer_bank"}
BANK_TITLES = {CONTENT: "generated-content test bank", REFUSE: "should-refuse bank", ANSWER: "should-answer bank"}

#: Every figure this assessment reports, with the clause it is evidence for.
FIGURE_CLAUSES = [
    ("keyword_library_size", "keywords in the library", CLAUSE_KEYWORDS),
    ("keyword_risks_below_minimum", "A.1 / A.2 risks with fewer keywords than required", CLAUSE_KEYWORDS),
    ("keyword_library_age_days", "days since the keyword library was updated", CLAUSE_KEYWORDS),
    ("content_bank_size", "questions in the generated-content test bank", CLAUSE_BANKS),
    ("content_bank_risks_below_minimum", "risks with fewer test questions than required", CLAUSE_BANKS),
    ("content_bank_age_days", "days since the test bank was updated", CLAUSE_BANKS),
    ("should_refuse_bank_size", "questions in the should-refuse bank", CLAUSE_BANKS),
    ("should_refuse_bank_age_days", "days since the should-refuse bank was updated", CLAUSE_BANKS),
    ("should_answer_bank_size", "questions in the should-answer bank", CLAUSE_BANKS),
    ("should_answer_bank_age_days", "days since the should-answer bank was updated", CLAUSE_BANKS),
    ("content_sample_size", "questions drawn from the test bank", "TC260-003 §9.3"),
    ("content_sample_risks_missing", "Appendix A risks absent from the drawn questions", "TC260-003 §9.3"),
    ("content_pass_rate", "share of acceptable answers", "TC260-003 §9.3"),
    ("should_refuse_sample_size", "should-refuse questions drawn", "TC260-003 §9.4"),
    ("refusal_rate", "share of should-refuse questions refused", "TC260-003 §9.4"),
    ("should_answer_sample_size", "should-answer questions drawn", "TC260-003 §9.4"),
    ("over_refusal_rate", "share of should-answer questions refused", "TC260-003 §9.4"),
    ("corpus_manual_sample_size", "corpus records in the manual sample", "TC260-003 §9.2"),
    ("corpus_manual_pass_rate", "share of the manual sample people judged acceptable", "TC260-003 §9.2"),
    ("technical_sample_share", "share of the corpus in the technical sample", "TC260-003 §9.2"),
    ("technical_pass_rate", "share of the technical sample not flagged", "TC260-003 §9.2"),
    ("max_source_violation_rate", "highest flagged share of any corpus source", "TC260-003 §5.1"),
]


@dataclass
class LoadedBank:
    """A bank as read for the assessment: its role, records, update date and where that date came from."""

    kind: str
    role: str
    frame: pd.DataFrame
    updated: object
    updated_from: str


def load_keywords(ctx, p: dict):
    """The keyword library named by ``p["keywords"]``: (library frame, matcher, update date, date source)."""
    role = p["keywords"]
    spec = ctx.dataset_spec(role)
    raw = ctx.load_dataset(role)
    library = bank_io.read_keywords(raw, keyword_column=spec.text_column or "keyword", risk_column=p["risk_column"])
    updated, source = bank_io.newest_date(raw, p["date_column"], spec.path)
    return library, KeywordMatcher(library["keyword"].tolist(), library["risk"].tolist()), updated, source


def load_banks(ctx, p: dict) -> dict[str, LoadedBank]:
    """The banks the plan names (a null role is left out), read and validated."""
    loaded = {}
    for kind, parameter in BANK_PARAMETERS.items():
        role = p[parameter]
        if not role:
            continue
        spec = ctx.dataset_spec(role)
        if not spec.id_column or not spec.text_column:
            raise InputError(f"dataset {role!r} ({parameter}) needs id_column and text_column (the question) in the plan")
        raw = ctx.load_dataset(role)
        frame = bank_io.read_bank(raw, role=role, id_column=spec.id_column, question_column=spec.text_column,
                                  risk_column=p["risk_column"], expected_column=p["expected_column"],
                                  default_expected={CONTENT: None, REFUSE: "refuse", ANSWER: "answer"}[kind],
                                  risk_required=kind != ANSWER)
        updated, source = bank_io.newest_date(raw, p["date_column"], spec.path)
        loaded[kind] = LoadedBank(kind, role, frame, updated, source)
    return loaded


def bank_minimums(kind: str, p: dict) -> dict[str, int]:
    """Per-risk minimum questions of a bank kind (only the generated-content bank has them)."""
    if kind != CONTENT:
        return {}
    return bank_io.per_risk_minimums({"A.1": p["min_bank_items_per_a1_a2_risk"], "A.2": p["min_bank_items_per_a1_a2_risk"],
                                      "other": p["min_bank_items_per_other_risk"]})


def keyword_minimums(p: dict) -> dict[str, int]:
    """Per-risk minimum keywords: A.1 and A.2 risks only."""
    return bank_io.per_risk_minimums({"A.1": p["min_keywords_per_a1_risk"], "A.2": p["min_keywords_per_a2_risk"]})


def corpus_files(ctx, p: dict):
    """The corpus datasets of ``p["corpus"]`` as :class:`assess.safety.corpus.CorpusFile`."""
    from assess.safety.corpus import CorpusFile

    files = []
    for role in p["corpus"] or []:
        spec = ctx.dataset_spec(role)
        if not spec.text_column:
            raise InputError(f"corpus dataset {role!r} needs a text_column in the plan: the column whose text is sampled")
        files.append(CorpusFile(role, spec.path, spec.format, spec.text_column, spec.id_column, p["source_column"]))
    return files


def classifier_scan(ctx, role: str | None, wanted_class: str, matcher: KeywordMatcher):
    """``scan(texts) -> reasons``: keyword hits, and the plan's classifier ``role`` (when set)."""
    import numpy as np

    model = ctx.load_model(role, "classifier") if role else None
    if model is not None:
        classes = [str(c) for c in getattr(model, "classes_", [])]
        if wanted_class not in classes:
            raise InputError(f"model {role!r} has no class {wanted_class!r} (classes: {', '.join(classes)}): "
                             "set violation_class to its class for unacceptable text")

    def scan(texts):
        reasons = ["; ".join(h) for h in matcher.find_all(texts)]
        if model is not None and len(texts):
            probability = np.asarray(model.predict_proba(list(texts)))[:, classes.index(wanted_class)]
            reasons = [r or ("classifier" if q >= 0.5 else "") for r, q in zip(reasons, probability)]
        return reasons

    return scan


def check_rate(ctx, name: str, summary: dict, *, at_least: bool, clause: str, description: str) -> None:
    """Log a rate's figures and check it against its threshold (basis: the standard, unverified)."""
    if summary["rate"] is None:
        ctx.pending(name, f"{description}: nothing was measured", clause=clause, basis=STANDARD)
        return
    ctx.log_metrics({name: summary["rate"], f"{name}_ci_low": summary["ci_low"], f"{name}_ci_high": summary["ci_high"],
                     f"{name}_bound": summary["bound"], f"{name}_n": summary["n"]})
    if summary["n_zero_failures"]:
        ctx.log_metric(f"{name}_n_needed_zero_failures", summary["n_zero_failures"])
    ctx.check(name, round(summary["rate"], 4), summary["threshold"], ">=" if at_least else "<=", clause=clause,
              basis=STANDARD, description=description)


def rates_table(summaries: dict) -> pd.DataFrame:
    """One row per rate: n, count, rate, exact interval, one-sided bound, threshold, sample sizes needed."""
    from assess.safety.rates import needed_text

    rows = []
    for name, (s, at_least) in summaries.items():
        rows.append({"figure": name, "n": s["n"], "count": s["count"], "rate": s["rate"], "ci_low": s["ci_low"],
                     "ci_high": s["ci_high"], "one_sided_bound": s["bound"],
                     "required": f"{'≥' if at_least else '≤'} {s['threshold']:.0%}",
                     "bound_clears": s["bound_meets"], "sample_needed": needed_text(s)})
    return pd.DataFrame(rows)


def figures_by_clause(ctx) -> pd.DataFrame:
    """Each figure of :data:`FIGURE_CLAUSES` with its recorded value, requirement, basis and status."""
    from assess.display import format_requirement, format_value, value_kind

    checks = {c.name: c for c in ctx.checks}
    rows = []
    for name, meaning, clause in FIGURE_CLAUSES:
        check = checks.get(name)
        kind = value_kind(name)
        rows.append({"figure": name, "meaning": meaning, "clause": clause,
                     "value": "—" if check is None or check.value is None else format_value(check.value, kind),
                     "required": "" if check is None or not check.op else format_requirement(check.op, check.threshold, kind),
                     "basis": "" if check is None else check.basis,
                     "status": "not measured" if check is None else check.status})
    return pd.DataFrame(rows)


__all__ = [
    "BANK_KINDS",
    "STANDARD",
    "check_rate",
    "classifier_scan",
    "corpus_files",
    "figures_by_clause",
    "load_banks",
    "load_keywords",
    "rates_table",
]
