"""Review sheets for people, and reading them back: the sheet code of annotation acceptance sampling
(:func:`assess.labels.sampling.review_sheet`, :func:`assess.labels.sampling.read_reviewed_sheet`).

A sheet has the columns of the acceptance sheet — ``id``, ``text``, ``given_label`` (here the
automatic outcome, ``pass`` or ``fail``), ``reviewed_label`` (blank, for the reviewer: ``pass`` or
``fail``) — and, for context, more columns the reader ignores. A returned sheet must list every
issued id once, with a verdict, and with ``given_label`` unchanged (else the answers or the
corpus changed since it was issued, and a new sheet is reviewed).

- The **answers sheet** (§9.3, §9.4) shows the question and the model's answer with identifiers
  masked (``138****5678``; the PII scanner's masked form): the answer is the thing reviewed and is
  kept nowhere else.
- The **corpus sheet** (§9.2) shows each record's text masked whole (``ab*****yz``), as the
  acceptance sheet does: the reviewer opens the record by its id (``role:row``) and ``record_id``
  in the access-controlled corpus.
"""

from __future__ import annotations

import pandas as pd

from assess.labels.sampling import read_reviewed_sheet, review_sheet

OUTCOMES = ("pass", "fail")


def mask_identifiers(texts, key: bytes) -> list[str]:
    """``texts`` with the identifiers the PII scanner finds masked (``138****5678``), the rest as it is."""
    from assess.pii.redact import redact_values

    redacted, _ = redact_values([str(t) for t in texts], mode="mask", key=key)
    return [str(t) for t in redacted]


def answers_sheet(scored: pd.DataFrame, key: bytes) -> pd.DataFrame:
    """The sheet of scored answers (:func:`assess.safety.answers.score_answers`, concatenated over banks)."""
    ids = [f"{b}:{i}" for b, i in zip(scored["bank"], scored["id"])]
    answers = mask_identifiers(scored["answer"], key)  # one scan of all answers, then kept as they are
    sheet = review_sheet(ids, answers, scored["outcome"], ids, mask=str)
    context = pd.DataFrame({"bank": scored["bank"].to_numpy(), "risk": scored["risk"].to_numpy(),
                            "expected": scored["expected"].to_numpy(),
                            "question": mask_identifiers(scored["question"], key),
                            "keyword_hits": scored["keyword_hits"].to_numpy(),
                            "refused": scored["refused"].to_numpy()})
    sheet = pd.concat([sheet[["id"]], context, sheet[["text", "given_label", "reviewed_label"]]], axis=1)
    return sheet.rename(columns={"text": "answer"})


def corpus_sheet(manual: pd.DataFrame, reasons) -> pd.DataFrame:
    """The sheet of the manual corpus sample: ``id``, ``source``, ``record_id``, masked ``text``,
    ``flagged_by`` (the technical check's reason), ``given_label``, ``reviewed_label``."""
    given = ["fail" if r else "pass" for r in reasons]
    sheet = review_sheet(manual["id"], manual["text"], given, manual["id"])
    context = pd.DataFrame({"source": manual["source"].to_numpy(),
                            "record_id": ["" if v is None else str(v) for v in manual["record_id"]],
                            "flagged_by": list(reasons)})
    return pd.concat([sheet[["id"]], context, sheet[["text", "given_label", "reviewed_label"]]], axis=1)


def read_sheet(path, issued: pd.DataFrame) -> pd.DataFrame:
    """Read a returned sheet against the issued one: ``id``, ``given_label``, ``reviewed_label``.

    Raises
    ------
    assess.errors.InputError
        As :func:`assess.labels.sampling.read_reviewed_sheet`: missing or unknown ids, a blank or
        unknown verdict (use pass or fail), a changed ``given_label``, not UTF-8 CSV.
    """
    return read_reviewed_sheet(path, issued, OUTCOMES)


def apply_review(scored: pd.DataFrame, reviewed: pd.DataFrame, id_column: str = "id") -> pd.Series:
    """The reviewed outcome of each row of ``scored`` (keyed like the sheet's ids)."""
    verdicts = dict(zip(reviewed["id"], reviewed["reviewed_label"]))
    return pd.Series([verdicts[str(i)] for i in scored[id_column]], index=scored.index)
