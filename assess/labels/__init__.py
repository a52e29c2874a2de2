"""Label robustness: wrong labels, noise sensitivity, prediction stability, acceptance sampling.

Evidence for Interim Art. 7(4) (training-data accuracy), Interim Art. 8 (annotation quality and
sampled verification) and TC260-003 §5.3 (annotation security); see ``docs/clauses.md``.

Public API::

    audit(features, labels, model=None, cv=5, ...) -> LabelAudit        # suspected wrong labels
    inject_noise(labels, rate, kind, seed) -> ndarray                    # symmetric / class-conditional
    noise_sensitivity(model, X, y, X_holdout, y_holdout, ...) -> NoiseCurve
    prediction_stability(model, features, ...) -> StabilityResult        # typos, widths, spaces, homoglyphs
    sample_size(required_accuracy, confidence, allowed_errors=0) -> int  # exact binomial plan
    draw_sample / review_sheet / read_reviewed_sheet / assess_review     # re-annotation round trip
    clopper_pearson(successes, n, confidence, alternative) -> (low, high)

The label audit is global by nature (cross-validation needs the whole dataset); perturbation,
sampling and sheet checks work on any chunk.
"""

from assess.labels.audit import CALIBRATED_COUNT, FILTERS, LabelAudit, audit
from assess.labels.models import default_members, default_single_model, text_vectorizer
from assess.labels.noise import NOISE_KINDS, inject_noise
from assess.labels.perturb import TEXT_PERTURBATIONS, perturb_tabular, perturb_texts
from assess.labels.sampling import (Acceptance, assess_review, clopper_pearson, draw_sample, read_reviewed_sheet,
                                    review_sheet, sample_size)
from assess.labels.sensitivity import DEFAULT_RATES, NoiseCurve, noise_sensitivity
from assess.labels.stability import StabilityResult, prediction_stability

__all__ = [
    "Acceptance", "CALIBRATED_COUNT", "DEFAULT_RATES", "FILTERS", "LabelAudit", "NOISE_KINDS", "NoiseCurve",
    "StabilityResult", "TEXT_PERTURBATIONS", "assess_review", "audit", "clopper_pearson", "default_members",
    "default_single_model", "draw_sample", "inject_noise", "noise_sensitivity", "perturb_tabular", "perturb_texts",
    "prediction_stability", "read_reviewed_sheet", "review_sheet", "sample_size", "text_vectorizer",
]
