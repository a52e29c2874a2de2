"""Annotation acceptance sampling: how many labels to re-check, which ones, and the verdict.

Interim Art. 8 asks providers to "sample and verify the accuracy of annotations"; no rule sets
the accuracy, so the required accuracy ``p0`` and the confidence ``1 - alpha`` are policy.

**Sample size (exact binomial bound).** The plan accepts when at most ``c`` of ``n`` re-checked labels
are wrong (``c = allowed_errors``, default 0). ``n`` is the smallest size for which ``c`` errors still
give a one-sided exact (Clopper-Pearson) lower confidence bound of at least ``p0``, equivalently

    P(X <= c | n, 1 - p0) <= alpha,   X ~ Binomial(n, 1 - p0) errors;

for ``c = 0`` this is ``n = ceil(ln(alpha) / ln(p0))`` (59 for p0 = 0.95 at 95%; 299 for 0.99).
If the true accuracy were below ``p0``, a batch would pass with probability at most ``alpha``.

**Verdict.** With the re-annotated sheet back, the accuracy is the share of sampled labels the
reviewer confirmed; it is accepted when the one-sided Clopper-Pearson lower bound at the plan's
confidence is at least ``p0`` (with the planned ``n`` this is exactly "at most ``c`` errors").
The two-sided interval at the same confidence is reported alongside. Bounds come from
``scipy.stats.beta``: lower ``B(alpha; x, n-x+1)`` (0 when ``x = 0``), upper ``B(1-alpha; x+1, n-x)``
(1 when ``x = n``), with ``alpha`` halved per side for the two-sided interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from assess.errors import InputError

SHEET_COLUMNS = ("id", "text", "given_label", "reviewed_label")
FORMULA = ("smallest n with P(X <= c | n, 1 - p0) <= 1 - confidence, X ~ Binomial (exact binomial / "
           "Clopper-Pearson bound); c = 0: n = ceil(ln(1 - confidence) / ln(p0))")


def _share(value, name: str) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value < 1:
        raise InputError(f"{name}={value!r}: use a share strictly between 0 and 1 (e.g. 0.95)")
    return float(value)


def sample_size(required_accuracy: float, confidence: float, allowed_errors: int = 0) -> int:
    """Re-checked labels needed to show ``required_accuracy`` at ``confidence`` (see module docs).

    Parameters
    ----------
    required_accuracy : float
        ``p0``, e.g. 0.95.
    confidence : float
        ``1 - alpha``, e.g. 0.95.
    allowed_errors : int
        ``c``: wrong labels the sample may hold and still pass.

    Returns
    -------
    int
    """
    from scipy.stats import binom

    p0 = _share(required_accuracy, "required_accuracy")
    alpha = 1.0 - _share(confidence, "confidence")
    if not isinstance(allowed_errors, (int, np.integer)) or allowed_errors < 0:
        raise InputError(f"allowed_errors={allowed_errors!r}: use a whole number, 0 or more")
    if allowed_errors == 0:
        # Guard the float rounding of the closed form with the exact condition.
        n = max(1, math.ceil(math.log(alpha) / math.log(p0) - 1e-9))
        return n if p0 ** n <= alpha else n + 1
    n = allowed_errors + 1
    while binom.cdf(allowed_errors, n, 1.0 - p0) > alpha:
        n += 1
    return n


def clopper_pearson(successes: int, n: int, confidence: float = 0.95, alternative: str = "two-sided") -> tuple[float, float]:
    """Exact binomial confidence interval for a proportion.

    Parameters
    ----------
    successes, n : int
        ``0 <= successes <= n``, ``n >= 1``.
    confidence : float
    alternative : {"two-sided", "greater", "less"}
        ``"greater"``: one-sided lower bound (upper is 1); ``"less"``: one-sided upper bound.

    Returns
    -------
    (float, float)
        Lower and upper bound.
    """
    from scipy.stats import beta

    if n < 1 or not 0 <= successes <= n:
        raise InputError(f"clopper_pearson: need 0 <= successes <= n and n >= 1, got {successes} of {n}")
    alpha = 1.0 - _share(confidence, "confidence")
    if alternative not in ("two-sided", "greater", "less"):
        raise InputError(f"alternative={alternative!r}: use two-sided, greater or less")
    tail = alpha / 2 if alternative == "two-sided" else alpha
    lower = 0.0 if successes == 0 else float(beta.ppf(tail, successes, n - successes + 1))
    upper = 1.0 if successes == n else float(beta.ppf(1 - tail, successes + 1, n - successes))
    if alternative == "greater":
        upper = 1.0
    if alternative == "less":
        lower = 0.0
    return lower, upper


def draw_sample(ids, labels, size: int, seed: int = 0) -> list:
    """A stratified random sample of ``size`` record ids, proportional to the label counts.

    Each class gets ``size * share`` records, rounded by largest remainder (:func:`allocate`), so
    every record has nearly the same chance of selection, as the binomial bound assumes; records
    inside a class are drawn uniformly without replacement. The result is shuffled (seeded), so a
    reviewer does not meet the records grouped by label.

    Parameters
    ----------
    ids, labels : sequence
        One id and one given label per record.
    size : int
        Records to draw; all records when ``size`` is not smaller than their number.
    seed : int

    Returns
    -------
    list
        Sampled ids.
    """
    ids = np.asarray(list(ids), dtype=object)
    labels = np.asarray([str(v) for v in labels], dtype=object)
    if len(ids) != len(labels):
        raise InputError(f"sample: {len(ids)} ids for {len(labels)} labels: pass one label per id")
    if len(pd.unique(ids)) != len(ids):
        raise InputError("sample: record ids repeat: use the dataset's unique id column")
    if not isinstance(size, (int, np.integer)) or size < 1:
        raise InputError(f"sample size {size!r}: use 1 or more")
    rng = np.random.default_rng(seed)
    if size >= len(ids):
        return ids[rng.permutation(len(ids))].tolist()
    classes, counts = np.unique(labels, return_counts=True)
    quota = allocate(counts, size)
    chosen = []
    for cls, take in zip(classes, quota):
        members = np.flatnonzero(labels == cls)
        chosen.extend(rng.choice(members, size=take, replace=False).tolist())
    chosen = np.asarray(chosen)[rng.permutation(len(chosen))]
    return ids[chosen].tolist()


def allocate(counts, size: int) -> np.ndarray:
    """Per-class quotas summing to ``size``, proportional to ``counts`` (largest remainder).

    No class is given a minimum: forcing one row from a tiny class would give its records a much
    higher chance of selection, and the binomial bound assumes (nearly) equal chances.
    """
    counts = np.asarray(counts, dtype=np.int64)
    exact = counts / counts.sum() * size
    quota = np.minimum(np.floor(exact).astype(np.int64), counts)
    while quota.sum() < size:
        short = np.where(quota < counts, exact - quota, -np.inf)
        quota[np.argmax(short)] += 1
    return quota


def review_sheet(ids, texts, labels, sample_ids, *, mask=None) -> pd.DataFrame:
    """The re-annotation sheet: ``id``, ``text`` (masked), ``given_label``, blank ``reviewed_label``.

    Parameters
    ----------
    ids, texts, labels : sequence
        The dataset's ids, texts and given labels.
    sample_ids : sequence
        Ids drawn by :func:`draw_sample`, in sheet order.
    mask : callable, optional
        Applied to every text before it enters the sheet; default :func:`assess.masking.mask_value`.
        The sheet is evidence, so it never holds raw text: reviewers open each record by its id in
        the access-controlled dataset.

    Returns
    -------
    pandas.DataFrame
    """
    if mask is None:
        from assess.masking import mask_value as mask
    frame = pd.DataFrame({"id": list(ids), "text": list(texts), "given_label": [str(v) for v in labels]})
    frame = frame.set_index(frame["id"].astype(str), drop=False)
    wanted = [str(i) for i in sample_ids]
    missing = [i for i in wanted if i not in frame.index]
    if missing:
        raise InputError(f"sample ids {', '.join(missing[:5])} are not in the dataset: draw the sample from this dataset")
    sheet = frame.loc[wanted, ["id", "text", "given_label"]].reset_index(drop=True)
    sheet["text"] = [mask(t) for t in sheet["text"]]
    sheet["reviewed_label"] = ""
    return sheet[list(SHEET_COLUMNS)]


def read_reviewed_sheet(path, expected: pd.DataFrame, classes) -> pd.DataFrame:
    """Read and check a re-annotated sheet against the sheet that was issued.

    Parameters
    ----------
    path : str or Path
        CSV (UTF-8) with at least ``id`` and ``reviewed_label``.
    expected : pandas.DataFrame
        The issued sheet (:func:`review_sheet`): ``id`` and ``given_label``.
    classes : sequence of str
        Labels a reviewer may choose.

    Returns
    -------
    pandas.DataFrame
        ``id``, ``given_label``, ``reviewed_label`` in the issued order.

    Raises
    ------
    InputError
        The file is missing or not UTF-8 CSV; a required column is missing; ids are missing,
        unknown or repeated; a ``reviewed_label`` is blank or not a known class; or a
        ``given_label`` differs from the dataset (the data changed since the sheet was drawn).
    """
    path = Path(path)
    where = f"reviewed sheet {path.name}"
    if not path.is_file():
        raise InputError(f"{where} does not exist at {path}: fill in the logged review sheet and pass its path as reviewed_sheet")
    try:
        sheet = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{where} is not UTF-8: save it as 'CSV UTF-8'") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{where} is not a readable CSV ({str(exc).splitlines()[0][:120]}): save it as CSV") from None
    sheet.columns = [str(c).strip() for c in sheet.columns]
    missing_columns = [c for c in ("id", "reviewed_label") if c not in sheet.columns]
    if missing_columns:
        raise InputError(
            f"{where} lacks column(s) {', '.join(missing_columns)} (found: {', '.join(sheet.columns) or 'none'}): "
            "keep the issued columns id, text, given_label, reviewed_label"
        )
    for column in sheet.columns:
        sheet[column] = sheet[column].str.strip()
    ids = sheet["id"]
    expected_ids = [str(i) for i in expected["id"]]
    repeated = sorted(set(ids[ids.duplicated()]))
    if repeated:
        raise InputError(f"{where} lists ids {_few(repeated)} more than once: keep one row per id")
    unknown = [i for i in ids if i not in set(expected_ids)]
    if unknown:
        raise InputError(f"{where} has {len(unknown)} id(s) not in the issued sample ({_few(unknown)}): "
                         "return the issued sheet without adding or renaming rows")
    absent = [i for i in expected_ids if i not in set(ids)]
    if absent:
        raise InputError(f"{where} is missing {len(absent)} of {len(expected_ids)} sampled rows ({_few(absent)}): "
                         "return every row of the issued sheet")
    sheet = sheet.set_index("id").loc[expected_ids]
    blank = [i for i, v in sheet["reviewed_label"].items() if not v]
    if blank:
        raise InputError(f"{where} has {len(blank)} row(s) without reviewed_label ({_few(blank)}): review every row")
    known = {str(c) for c in classes}
    strange = sorted({v for v in sheet["reviewed_label"] if v not in known})
    if strange:
        shown = ", ".join(repr(v[:30]) for v in strange[:5])
        raise InputError(f"{where} has reviewed labels {shown} that are not classes: use one of {', '.join(sorted(known))}")
    given = pd.Series([str(v) for v in expected["given_label"]], index=expected_ids)
    if "given_label" in sheet.columns:
        changed = [i for i in expected_ids if sheet.at[i, "given_label"] != given[i]]
        if changed:
            raise InputError(f"{where}: given_label differs from the dataset for {len(changed)} row(s) ({_few(changed)}): "
                             "the data changed since the sheet was drawn, or the sheet was edited; review a new sheet")
    return pd.DataFrame({"id": expected_ids, "given_label": given.to_numpy(), "reviewed_label": sheet["reviewed_label"].to_numpy()})


def _few(values, limit: int = 5) -> str:
    values = [str(v) for v in values]
    return ", ".join(values[:limit]) + (f" and {len(values) - limit} more" if len(values) > limit else "")


@dataclass
class Acceptance:
    """Verdict on a re-annotated sample.

    Attributes
    ----------
    n, errors : int
        Rows reviewed and rows whose reviewed label differs from the given one.
    accuracy : float
    lower_bound : float
        One-sided Clopper-Pearson lower bound at ``confidence``; the verdict compares it with
        ``required_accuracy``.
    interval : (float, float)
        Two-sided Clopper-Pearson interval at ``confidence``.
    kappa : float
        Cohen's kappa of given against reviewed labels (NaN when undefined).
    accepted : bool
    confusion : pandas.DataFrame
        Counts: given label (rows) by reviewed label (columns).
    """

    n: int
    errors: int
    accuracy: float
    lower_bound: float
    interval: tuple[float, float]
    kappa: float
    required_accuracy: float
    confidence: float
    accepted: bool
    confusion: pd.DataFrame

    def metrics(self) -> dict[str, float]:
        """Headline figures for MLflow."""
        return {"review_n": self.n, "review_errors": self.errors, "review_accuracy": self.accuracy,
                "review_accuracy_lower_bound": self.lower_bound, "review_accuracy_ci_low": self.interval[0],
                "review_accuracy_ci_high": self.interval[1], "review_kappa": self.kappa,
                "review_accepted": float(self.accepted)}


def assess_review(reviewed: pd.DataFrame, required_accuracy: float, confidence: float) -> Acceptance:
    """Accuracy of the given labels on the reviewed sample, with the acceptance verdict.

    Parameters
    ----------
    reviewed : pandas.DataFrame
        :func:`read_reviewed_sheet` output.
    required_accuracy, confidence : float

    Returns
    -------
    Acceptance
    """
    from sklearn.metrics import cohen_kappa_score

    p0 = _share(required_accuracy, "required_accuracy")
    n = len(reviewed)
    if n == 0:
        raise InputError("reviewed sheet: no rows: review the issued sample")
    correct = int((reviewed["given_label"] == reviewed["reviewed_label"]).sum())
    lower, _ = clopper_pearson(correct, n, confidence, "greater")
    interval = clopper_pearson(correct, n, confidence, "two-sided")
    given, checked = reviewed["given_label"].astype(str), reviewed["reviewed_label"].astype(str)
    if given.nunique() > 1 or checked.nunique() > 1:
        kappa = float(cohen_kappa_score(given, checked))
    else:
        kappa = float("nan")
    confusion = pd.crosstab(given.rename("given"), checked.rename("reviewed"))
    return Acceptance(n=n, errors=n - correct, accuracy=correct / n, lower_bound=lower, interval=interval,
                      kappa=kappa, required_accuracy=p0, confidence=float(confidence),
                      accepted=bool(lower >= p0 - 1e-12), confusion=confusion)
