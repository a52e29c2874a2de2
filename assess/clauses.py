"""The clause catalogue (``assess/clauses.yaml``): every clause a check or a notebook cites, by id.

A check cites clauses by id (``"DS Art. 15"``, ``"Interim Art. 7(4)"``, ``"TC260-003 §5.3"``);
several ids are joined with ``"; "``, the form ``evidence/checks.json`` stores. :func:`cite` turns
what a notebook passes into that form and refuses an id the catalogue lacks, so a typo fails the
assessment instead of reaching an auditor. ``python -m assess.clauses`` prints ``docs/clauses.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Iterable, Sequence

from assess.errors import InputError

#: Separator of several clause ids in one check's ``clause`` field.
SEPARATOR = "; "
THRESHOLDS = ("regulation", "policy", "mixed")
CONFIDENCE = ("text", "secondary", "unverified")


class ClauseError(InputError):
    """A clause id that is not in the catalogue."""


@dataclass(frozen=True)
class Instrument:
    """A law, regulation or standard whose clauses the project cites."""

    abbreviation: str
    name_zh: str
    name_en: str
    issuer: str
    effective: str
    binding: str
    confidence: str
    note: str = ""


@dataclass(frozen=True)
class Clause:
    """One citable clause, in the project's own words."""

    id: str
    instrument: str
    article: str
    title_zh: str
    title_en: str
    summary: str
    thresholds: str
    thresholds_note: str
    confidence: str


def article_key(article: str) -> tuple:
    """Sort key of an article reference: numbers compare as numbers ("Art. 4" < "Art. 13"),
    sub-items after their article ("Art. 7" < "Art. 7(3)" < "Art. 7(4)"), annexes after sections."""
    annex = re.fullmatch(r"Annex\s+([A-Z])(.*)", article.strip())
    if annex:
        return (1, ord(annex.group(1)), tuple(int(n) for n in re.findall(r"\d+", annex.group(2))))
    return (0, 0, tuple(int(n) for n in re.findall(r"\d+", article)))


class Catalogue:
    """The instruments and clauses of ``clauses.yaml``, clauses in citation order."""

    def __init__(self, instruments: Sequence[Instrument], clauses: Sequence[Clause]):
        self.instruments = {i.abbreviation: i for i in instruments}
        order = list(self.instruments)
        self.clauses = {c.id: c for c in sorted(clauses, key=lambda c: (order.index(c.instrument), article_key(c.article)))}
        self._rank = {clause_id: rank for rank, clause_id in enumerate(self.clauses)}

    def __contains__(self, clause_id: str) -> bool:
        return clause_id in self.clauses

    def __iter__(self):
        return iter(self.clauses.values())

    def get(self, clause_id: str) -> Clause:
        """The clause ``clause_id``; :class:`ClauseError` naming the fix when there is none."""
        try:
            return self.clauses[clause_id]
        except KeyError:
            # Not quoted: error text is masked, and a quoted phrase with a space reads as a record.
            raise ClauseError(f"clause {clause_id} is not in the clause catalogue: cite an id of "
                              "assess/clauses.yaml (see docs/clauses.md) or add the clause there") from None

    def sort_key(self, clause_id: str) -> tuple:
        """Catalogue order (instrument, then article number); ids outside the catalogue come last, by name."""
        return (0, self._rank[clause_id], "") if clause_id in self._rank else (1, 0, clause_id)


def _parse(document: dict) -> Catalogue:
    instruments = [Instrument(**entry) for entry in document["instruments"]]
    known = {i.abbreviation for i in instruments}
    clauses, seen = [], set()
    for entry in document["clauses"]:
        clause = Clause(**entry)
        problems = [
            f"repeats id {clause.id!r}" if clause.id in seen else "",
            f"names unknown instrument {clause.instrument!r}" if clause.instrument not in known else "",
            f"id is not '{clause.instrument} {clause.article}'" if clause.id != f"{clause.instrument} {clause.article}" else "",
            f"thresholds must be one of {THRESHOLDS}" if clause.thresholds not in THRESHOLDS else "",
            f"confidence must be one of {CONFIDENCE}" if clause.confidence not in CONFIDENCE else "",
        ]
        problems = [p for p in problems if p]
        if problems:
            raise ClauseError(f"clauses.yaml: clause {clause.id!r}: {'; '.join(problems)}: fix the catalogue")
        seen.add(clause.id)
        clauses.append(clause)
    return Catalogue(instruments, clauses)


@cache
def catalogue() -> Catalogue:
    """The catalogue shipped with the package, read once."""
    import yaml

    text = resources.files("assess").joinpath("clauses.yaml").read_text(encoding="utf-8")
    return _parse(yaml.safe_load(text))


def split_ids(text: str | None) -> list[str]:
    """The clause ids of a stored ``clause`` field (``"DS Art. 14; PIPL Art. 13"``), in order, without blanks."""
    return [part.strip() for part in (text or "").split(";") if part.strip()]


def cite(clauses: str | Iterable[str] | None) -> str:
    """Clause ids as a check stores them (joined with ``"; "``), each checked against the catalogue.

    Parameters
    ----------
    clauses : str or iterable of str
        One id, several ids joined with ";", or a list of ids; empty for none.

    Returns
    -------
    str
        The ids joined with ``"; "``.

    Raises
    ------
    ClauseError
        An id is not in the catalogue.
    """
    ids = split_ids(clauses) if isinstance(clauses, str) or clauses is None else [c.strip() for c in clauses if c.strip()]
    known = catalogue()
    for clause_id in ids:
        known.get(clause_id)
    return SEPARATOR.join(ids)


def label(clause_id: str, lang: str = "both") -> str:
    """``clause_id`` with its catalogue title in ``lang`` ("zh", "en" or "both"); the id alone when unknown."""
    known = catalogue()
    if clause_id not in known:
        return clause_id
    clause = known.get(clause_id)
    title = {"zh": clause.title_zh, "en": clause.title_en}.get(lang, f"{clause.title_zh} / {clause.title_en}")
    return f"{clause_id} ({title})"


def markdown(known: Catalogue | None = None) -> str:
    """``docs/clauses.md``: the instrument legend and every clause, in catalogue order."""
    known = known or catalogue()

    def cell(text: str) -> str:
        return " ".join(str(text).split()).replace("|", "\\|")

    lines = [
        "# Clause catalogue",
        "",
        "<!-- Written by `python -m assess.clauses > docs/clauses.md` from assess/clauses.yaml; edit the YAML. -->",
        "",
        "Every check of every assessment cites the clauses it gives evidence for by the ids below;",
        "`ctx.check` and the notebook registry refuse any other id. Summaries are the project's own",
        "words, not the official text. **thresholds**: *regulation* = the rule itself fixes what the",
        "checks require; *policy* = the rule sets no number, the plan chooses it; *mixed* = both (see",
        "the note). **confidence**: *text* = read in the instrument's text or a full translation;",
        "*secondary* = several independent secondary sources agree, the official text was not read;",
        "*unverified* = check the official text before relying on it.",
        "",
        "## Instruments",
        "",
        "| abbreviation | name | issuer | in force | kind | confidence |",
        "|---|---|---|---|---|---|",
    ]
    for i in known.instruments.values():
        name = f"{cell(i.name_zh)}<br>{cell(i.name_en)}" + (f"<br>_{cell(i.note)}_" if i.note else "")
        lines.append(f"| {cell(i.abbreviation)} | {name} | {cell(i.issuer)} | {cell(i.effective)} | {cell(i.binding)} | {i.confidence} |")
    lines += ["", "## Clauses", "", "| id | title | what it asks | thresholds | confidence |", "|---|---|---|---|---|"]
    for c in known:
        lines.append(f"| {cell(c.id)} | {cell(c.title_zh)}<br>{cell(c.title_en)} | {cell(c.summary)} | "
                     f"**{c.thresholds}**: {cell(c.thresholds_note)} | {c.confidence} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown(), end="")
