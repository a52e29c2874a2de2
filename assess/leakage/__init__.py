"""What a trained model leaks about its training data (Interim Art. 11; PIPL Art. 51; DS Art. 14, 15).

Classifiers (anything giving class probabilities):
    run_membership_attacks(target, members, non_members, retrainer=..., reference_models=K)
        -> MembershipResult  (loss attack; LiRA-style offline and online reference attacks)
    make_retrainer("clone" | "module:function", target) -> Retrainer
    attack_metrics(scores, is_member) -> {auc, tpr_at_0_1pct_fpr, tpr_at_1pct_fpr, advantage, ...}
    lira_online_scores / lira_offline_scores / half_assignment / balanced_evaluation  (pure, arrays)

Text generators (log-likelihood + generation; see ``assess.leakage.generators``):
    make_canaries(format, seed=..., repetitions=(0, 1, 5, 20)) -> CanarySet
    insert_canaries(frame, canary_set) -> frame      # done by the training code
    canary_exposures(model.log_likelihood, canary_set) -> (table, reference NLLs)
    measure_regurgitation(model, corpus, pii_findings, key=..., id_column=...) -> DataFrame
    perplexity_gap(model, train_texts, holdout_texts) -> PerplexityResult
    load_model_canaries(model_uri, client) -> CanarySet | None
"""

from assess.leakage.canaries import (ARTIFACT_PATH as CANARY_ARTIFACT_PATH, Canary, CanaryFormat, CanarySet,
                                     insert_canaries, make_canaries)
from assess.leakage.exposure import (canary_exposures, exposure_by_repetition, exposure_from_rank, exposure_table,
                                     extrapolated_rank, sampled_rank)
from assess.leakage.generators import TextModel, as_text_model
from assess.leakage.membership import (ATTACKS, MembershipResult, accuracy_gap, balanced_evaluation, half_assignment,
                                       lira_offline_scores, lira_online_scores, run_membership_attacks)
from assess.leakage.metrics import attack_metrics, membership_advantage, roc, tpr_at_fpr
from assess.leakage.perplexity import PerplexityResult, per_char_perplexity, perplexity_gap
from assess.leakage.probability import as_probability_model, logit_confidence, true_class_probability
from assess.leakage.regurgitation import measure_regurgitation, regurgitation_summary
from assess.leakage.retrain import CloneRetrainer, FunctionRetrainer, make_retrainer
from assess.leakage.sources import load_model_canaries, source_run_id

__all__ = [
    "ATTACKS", "CANARY_ARTIFACT_PATH", "Canary", "CanaryFormat", "CanarySet", "CloneRetrainer", "FunctionRetrainer",
    "MembershipResult", "PerplexityResult", "TextModel", "accuracy_gap", "as_probability_model", "as_text_model",
    "attack_metrics", "balanced_evaluation", "canary_exposures", "exposure_by_repetition", "exposure_from_rank",
    "exposure_table", "extrapolated_rank", "half_assignment", "insert_canaries", "lira_offline_scores",
    "lira_online_scores", "load_model_canaries", "logit_confidence", "make_canaries", "make_retrainer",
    "measure_regurgitation", "membership_advantage", "per_char_perplexity", "perplexity_gap",
    "regurgitation_summary", "roc", "sampled_rank", "source_run_id", "tpr_at_fpr", "true_class_probability",
]
