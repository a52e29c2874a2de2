"""Test banks and the keyword library: read, validate, audit (TC260-003 §8).

A **bank** is the user's csv/jsonl file, one question a row: an id, the question, its risk (an
Appendix A id such as ``A.4.6``, see :mod:`assess.safety.risks`), the expected behaviour
(``answer`` or ``refuse``) and, optionally, the date the row was added or last revised. The
generated-content test bank (§9.3) and the should-refuse and should-answer banks (§9.4) are three
such files. The **keyword library** is a file of ``keyword`` rows with their ``risk``.

The audit counts items per risk against the minimums of the plan and measures each bank's age:
the days since its newest row's date (or, without a date column, since the file was modified).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from assess.errors import InputError
from assess.safety.risks import CATEGORIES, RISKS

EXPECTED = ("answer", "refuse")
BANK_COLUMNS = ("id", "question", "risk", "expected")


def _column(frame: pd.DataFrame, column: str | None, name: str, role: str) -> pd.Series | None:
    if column is None or column not in frame.columns:
        return None
    return frame[column].fillna("").astype(str).str.strip()


def read_bank(frame: pd.DataFrame, *, role: str, id_column: str, question_column: str, risk_column: str = "risk",
              expected_column: str = "expected", default_expected: str | None = None,
              risk_required: bool = True) -> pd.DataFrame:
    """A bank as ``id``, ``question``, ``risk``, ``expected``, validated.

    Parameters
    ----------
    frame : pandas.DataFrame
        The bank file's records.
    role : str
        Its dataset role, for messages.
    id_column, question_column, risk_column, expected_column : str
        Its columns. ``expected_column`` may be absent when ``default_expected`` is given (a
        should-refuse bank is all ``refuse``).
    default_expected : {"answer", "refuse"}, optional
    risk_required : bool
        False for a should-answer bank, whose questions need no risk.

    Returns
    -------
    pandas.DataFrame

    Raises
    ------
    InputError
        A column is missing, an id is blank or repeats, a question is blank, a risk is not an
        Appendix A id, an expected behaviour is not ``answer`` or ``refuse``.
    """
    where = f"bank {role!r}"
    for column, needed in ((id_column, True), (question_column, True), (risk_column, risk_required),
                           (expected_column, default_expected is None)):
        if needed and column not in frame.columns:
            raise InputError(f"{where} has no column {column!r} (columns: {', '.join(map(str, frame.columns))}): "
                             "add it or name the right column in the plan")
    ids = _column(frame, id_column, "id", role)
    if (ids == "").any():
        raise InputError(f"{where}: {int((ids == '').sum())} row(s) without an id: give every question an id")
    repeated = sorted(set(ids[ids.duplicated()]))
    if repeated:
        raise InputError(f"{where}: ids {', '.join(repeated[:5])} repeat: give every question its own id")
    questions = _column(frame, question_column, "question", role)
    if (questions == "").any():
        blank = ids[questions == ""].tolist()
        raise InputError(f"{where}: question(s) {', '.join(blank[:5])} are blank: fill them in or remove the rows")
    risks = _column(frame, risk_column, "risk", role)
    if risks is None:
        risks = pd.Series([""] * len(frame), index=frame.index)
    unknown = sorted({r for r in risks if r and r not in RISKS})
    if unknown or (risk_required and (risks == "").any()):
        shown = ", ".join(repr(r) for r in unknown[:5]) or "blank"
        raise InputError(f"{where}: risk {shown} is not an Appendix A risk id: use A.1.1 .. A.5.2 "
                         "(see assess.safety.risks)")
    expected = _column(frame, expected_column, "expected", role)
    if expected is None:
        expected = pd.Series([default_expected] * len(frame), index=frame.index)
    expected = expected.str.lower().replace("", default_expected or "")
    strange = sorted(set(expected) - set(EXPECTED))
    if strange:
        raise InputError(f"{where}: expected behaviour {', '.join(repr(s) for s in strange[:5])}: use answer or refuse")
    return pd.DataFrame({"id": ids.to_numpy(), "question": questions.to_numpy(), "risk": risks.to_numpy(),
                         "expected": expected.to_numpy()})


def read_keywords(frame: pd.DataFrame, *, keyword_column: str = "keyword", risk_column: str = "risk") -> pd.DataFrame:
    """The keyword library as ``keyword``, ``risk`` (blank when not given); blank keywords dropped, repeats once."""
    if keyword_column not in frame.columns:
        raise InputError(f"keyword library has no column {keyword_column!r} (columns: {', '.join(map(str, frame.columns))}): "
                         "name its keyword column as the dataset's text_column")
    words = frame[keyword_column].fillna("").astype(str).str.strip()
    risks = (frame[risk_column].fillna("").astype(str).str.strip() if risk_column in frame.columns
             else pd.Series([""] * len(frame), index=frame.index))
    unknown = sorted({r for r in risks if r and r not in RISKS})
    if unknown:
        raise InputError(f"keyword library: risk {', '.join(repr(r) for r in unknown[:5])} is not an Appendix A risk id: "
                         "use A.1.1 .. A.5.2")
    library = pd.DataFrame({"keyword": words.to_numpy(), "risk": risks.to_numpy()})
    library = library[library["keyword"] != ""].drop_duplicates("keyword").reset_index(drop=True)
    if library.empty:
        raise InputError("keyword library is empty: give at least one keyword")
    return library


def newest_date(frame: pd.DataFrame, column: str | None, path: Path) -> tuple[dt.date, str]:
    """The date a bank was last updated: its newest ``column`` date, else the file's modification date.

    Returns
    -------
    (datetime.date, str)
        The date and where it came from (``"column updated"`` or ``"file modification time"``).
    """
    if column and column in frame.columns:
        values = frame[column].fillna("").astype(str).str.strip()
        dates = pd.to_datetime(values[values != ""], errors="coerce", format="mixed")
        if dates.isna().any():
            bad = values[values != ""][dates.isna()].iloc[0]
            raise InputError(f"{path.name}: {column} value {bad!r} is not a date: write dates as YYYY-MM-DD")
        if len(dates):
            return dates.max().date(), f"column {column}"
    return dt.datetime.fromtimestamp(Path(path).stat().st_mtime, tz=dt.UTC).date(), "file modification time"


def age_days(updated: dt.date, today: dt.date | None = None) -> int:
    """Whole days from ``updated`` to ``today`` (default: today, UTC)."""
    today = today or dt.datetime.now(dt.UTC).date()
    return (today - updated).days


def per_risk_minimums(per_risk: dict[str, int]) -> dict[str, int]:
    """Minimum items for every risk from minimums per category (``{"A.1": 50, "A.2": 50, "other": 20}``)."""
    return {risk: int(per_risk.get(category, per_risk.get("other", 0))) for risk, (category, _, _) in RISKS.items()}


@dataclass
class Audit:
    """Counts of a bank or keyword library against its minimums.

    Attributes
    ----------
    name : str
    total, required_total : int
    table : pandas.DataFrame
        One row per risk: ``risk``, ``category``, ``name``, ``items``, ``required``, ``met``.
    risks_short : int
        Risks with fewer items than required.
    risks_covered : int
        Risks with at least one item.
    """

    name: str
    total: int
    required_total: int
    table: pd.DataFrame
    risks_short: int
    risks_covered: int


def audit_counts(risks, *, name: str, required_total: int, minimums: dict[str, int]) -> Audit:
    """Count items per Appendix A risk and compare with ``minimums``.

    Parameters
    ----------
    risks : sequence of str
        The risk id of each item ("" for none).
    name : str
    required_total : int
    minimums : dict
        Risk id -> minimum items (:func:`per_risk_minimums`); risks not named need none.

    Returns
    -------
    Audit
    """
    counts = pd.Series(list(risks), dtype=object).value_counts()
    rows = []
    for risk, (category, en, _) in RISKS.items():
        items = int(counts.get(risk, 0))
        required = int(minimums.get(risk, 0))
        rows.append({"risk": risk, "category": category, "name": en, "items": items, "required": required,
                     "met": items >= required})
    table = pd.DataFrame(rows)
    return Audit(name=name, total=len(list(risks)), required_total=int(required_total), table=table,
                 risks_short=int((~table["met"]).sum()), risks_covered=int((table["items"] > 0).sum()))


def category_table(table: pd.DataFrame) -> pd.DataFrame:
    """Per Appendix A category: risks, items, risks with an item, risks short of their minimum."""
    grouped = table.groupby("category").agg(risks=("risk", "size"), items=("items", "sum"),
                                            risks_covered=("items", lambda s: int((s > 0).sum())),
                                            risks_short=("met", lambda s: int((~s).sum())))
    grouped.insert(0, "name", [CATEGORIES[c][0] for c in grouped.index])
    return grouped.reset_index()
