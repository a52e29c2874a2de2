"""The leakage verdict: the attack figures checked against the plan's policy thresholds.

Pure functions from flat metrics (``membership_metrics``, ``LMMembershipResult.metrics``,
``exposure_metrics``) to the checks the notebook records. No rule sets these numbers; each
threshold is a plan parameter with ``basis: policy``.

Severity, consistently: a figure that measures what an attacker learns about the training data
(TPR at 1% FPR and AUC of the strongest attack, canary exposure) FAILs when over its threshold;
a symptom or a confounder (the perplexity ratio, the blind member/non-member shift baseline, a
sample too small to resolve 1% FPR) WARNs. When the shift baseline warns, the attack checks still
apply: a high AUC is then not proof of memorisation, but neither is it evidence of its absence,
and the fix is non-members drawn like the members.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Non-members needed before "TPR at 1% FPR" is measured at 1% (with fewer, the smallest FPR is 1/n).
MIN_NON_MEMBERS_FOR_1PCT_FPR = 100
MEMBERSHIP_CLAUSE = "Interim Art. 11; PIPL Art. 51"


@dataclass(frozen=True)
class PolicyCheck:
    """One check as :meth:`assess.notebook.AssessmentContext.check` records it."""

    name: str
    value: float
    threshold: float
    op: str
    severity: str
    clause: str
    description: str

    @property
    def holds(self) -> bool:
        return self.value <= self.threshold if self.op == "<=" else self.value >= self.threshold


def membership_checks(metrics: dict, *, prefix: str, max_tpr_at_1pct_fpr: float, max_auc: float,
                      subject_of_attack: str, clause: str = MEMBERSHIP_CLAUSE) -> list[PolicyCheck]:
    """Checks of one set of membership attacks (classifier ``mia`` or generator ``lm_mia``).

    Parameters
    ----------
    metrics : dict
        Flat metrics with ``<prefix>_max_tpr_at_1pct_fpr``, ``<prefix>_max_auc`` and
        ``<prefix>_evaluated_per_side``.
    prefix : {"mia", "lm_mia"}
    max_tpr_at_1pct_fpr, max_auc : float
        The plan's thresholds.
    subject_of_attack : str
        What the members are, for the descriptions ("members", "training texts").
    clause : str
        Clauses the two figures give evidence for.

    Returns
    -------
    list of PolicyCheck
        TPR at 1% FPR and AUC of the strongest attack (fail), and whether the sample resolves 1% FPR (warn).
    """
    per_side = int(metrics[f"{prefix}_evaluated_per_side"])
    return [
        PolicyCheck(f"{prefix}_max_tpr_at_1pct_fpr", round(float(metrics[f"{prefix}_max_tpr_at_1pct_fpr"]), 4),
                    max_tpr_at_1pct_fpr, "<=", "fail", clause,
                    f"share of {subject_of_attack} the strongest attack finds at 1% false positives"),
        PolicyCheck(f"{prefix}_max_auc", round(float(metrics[f"{prefix}_max_auc"]), 4), max_auc, "<=", "fail",
                    clause, f"ROC AUC of the strongest attack telling {subject_of_attack} from "
                                       "non-members (0.5 = guessing)"),
        PolicyCheck(f"{prefix}_non_members_evaluated", per_side, MIN_NON_MEMBERS_FOR_1PCT_FPR, ">=", "warn",
                    "DS Art. 15", f"non-members evaluated; with fewer than {MIN_NON_MEMBERS_FOR_1PCT_FPR} the smallest "
                                  "measurable FPR is above 1%, so the TPR figure is the TPR at zero false positives"),
    ]


def exposure_checks(metrics: dict, *, max_bits: float, max_mean_bits: float) -> list[PolicyCheck]:
    """Checks of canary exposure: the largest and the mean exposure of the inserted canaries (both fail).

    Parameters
    ----------
    metrics : dict
        From :func:`assess.leakage.steps.exposure_metrics`.
    max_bits, max_mean_bits : float
        The plan's thresholds, in bits.
    """
    return [
        PolicyCheck("canary_exposure_max_bits", round(float(metrics["canary_exposure_max_bits"]), 3), max_bits, "<=",
                    "fail", MEMBERSHIP_CLAUSE, "largest exposure of a canary inserted into training"),
        PolicyCheck("canary_exposure_mean_bits", round(float(metrics["canary_exposure_mean_bits"]), 3), max_mean_bits,
                    "<=", "fail", MEMBERSHIP_CLAUSE, "mean exposure of the canaries inserted into training "
                                                     "(a never-inserted canary averages about 1.4 bits)"),
    ]


def record_checks(ctx, checks: list[PolicyCheck]) -> None:
    """Record ``checks`` on the assessment context (all policy thresholds)."""
    for check in checks:
        ctx.check(check.name, check.value, check.threshold, check.op, severity=check.severity, clause=check.clause,
                  basis="policy", description=check.description)
