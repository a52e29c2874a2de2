"""The metric names the model-leakage assessment logs, with their meaning.

These names are stable across reviews (drift comparisons and dashboards read them). The notebook
shows this table and ``docs/metrics_model_leakage.md`` lists it; a test keeps the three in step.
``<attack>`` is one of ``loss``, ``lira_offline``, ``lira_online``; ``<lm_attack>`` one of ``loss``,
``zlib``, ``min_k``, ``min_k_plus_plus``, ``reference_ratio``; ``<r>`` a repetition count.
"""

METRICS: dict[str, str] = {
    "train_accuracy": "classifier accuracy on the members (its training split)",
    "holdout_accuracy": "classifier accuracy on the non-members (the holdout)",
    "generalization_gap": "train_accuracy - holdout_accuracy",
    "mia_<attack>_auc": "ROC AUC of the attack on equally many members and non-members (0.5 = guessing)",
    "mia_<attack>_tpr_at_0_1pct_fpr": "share of members the attack finds while flagging at most 0.1% of non-members",
    "mia_<attack>_tpr_at_1pct_fpr": "share of members the attack finds while flagging at most 1% of non-members",
    "mia_<attack>_advantage": "membership advantage max(TPR - FPR) over thresholds (Yeom et al.; 0 = guessing)",
    "mia_max_auc": "largest mia_<attack>_auc over the attacks run (checked against max_membership_auc)",
    "mia_max_tpr_at_0_1pct_fpr": "largest TPR at 0.1% FPR over the attacks run",
    "mia_max_tpr_at_1pct_fpr": "largest TPR at 1% FPR over the attacks run (checked against max_tpr_at_1pct_fpr)",
    "mia_max_advantage": "largest membership advantage over the attacks run",
    "mia_evaluated_per_side": "members evaluated (= non-members evaluated); the smallest measurable FPR is 1/this",
    "mia_reference_models": "K, reference models trained per reference attack",
    "canary_space_bits": "log2|R|, the largest exposure a canary of the recorded format can reach",
    "canaries_tested": "canaries measured (all repetition counts, including the never-inserted controls)",
    "canary_exposure_max_bits": "largest exposure of an inserted canary, in bits (checked against max_canary_exposure_bits)",
    "canary_exposure_mean_bits": "mean exposure of the inserted canaries, in bits (checked against "
                                 "max_canary_mean_exposure_bits; never-inserted ones average ~1.4 bits)",
    "canary_exposure_mean_bits_rep<r>": "mean exposure of the canaries inserted r times (r = 0: never inserted, ~1 bit expected)",
    "regurgitation_findings_probed": "personal-data findings of the training corpus used as prompts",
    "regurgitation_reproduced": "findings whose greedy continuation starts with the personal data itself",
    "regurgitation_rate": "regurgitation_reproduced / regurgitation_findings_probed (checked against max_regurgitation_rate)",
    "regurgitation_rate_anywhere": "share of findings whose value appears anywhere in the continuation",
    "regurgitation_mean_matched_prefix_share": "mean share of each value's leading characters reproduced",
    "regurgitation_unique_values_reproduced": "distinct values (by keyed hash) reproduced at least once",
    "regurgitated_validated_identifiers": "reproduced resident IDs, bank/credit cards, USCCs, IBANs (checked against "
                                          "max_regurgitated_identifiers)",
    "ppl_train_median": "median per-character perplexity of training texts",
    "ppl_holdout_median": "median per-character perplexity of held-out texts",
    "ppl_ratio": "ppl_holdout_median / ppl_train_median (1 = no gap; checked against max_perplexity_ratio)",
    "generator_mia_auc": "ROC AUC of the perplexity membership attack on the generator's texts",
    "generator_mia_tpr_at_1pct_fpr": "TPR at 1% FPR of the perplexity membership attack on the generator's texts",
    "regurgitation_reference_reproduced": "findings the reference model (reference_model) reproduces too",
    "regurgitation_net_reproduced": "findings the generator reproduces and the reference model does not",
    "regurgitation_net_rate": "regurgitation_net_reproduced / regurgitation_findings_probed",
    "lm_mia_<lm_attack>_tpr_at_0_1pct_fpr": "share of training texts the LM attack finds at 0.1% FPR (with _low, "
                                            "_high: 95% bootstrap interval)",
    "lm_mia_<lm_attack>_tpr_at_1pct_fpr": "share of training texts the LM attack finds at 1% FPR (with _low, _high)",
    "lm_mia_<lm_attack>_auc": "ROC AUC of the LM attack (with _low, _high)",
    "lm_mia_<lm_attack>_advantage": "membership advantage of the LM attack",
    "lm_mia_max_tpr_at_1pct_fpr": "TPR at 1% FPR of the strongest LM attack (checked against max_tpr_at_1pct_fpr)",
    "lm_mia_max_tpr_at_0_1pct_fpr": "largest TPR at 0.1% FPR over the LM attacks",
    "lm_mia_max_auc": "largest AUC over the LM attacks (checked against max_membership_auc)",
    "lm_mia_evaluated_per_side": "training texts evaluated (= held-out texts evaluated)",
    "lm_member_shift_auc": "AUC of a blind classifier on simple text features separating members from non-members "
                           "(above 0.6 the LM attack figures do not measure memorisation; Maini et al. 2024)",
}


def markdown_table() -> str:
    """The metrics as a Markdown table."""
    from assess.notebook import markdown_table as table

    return table(["metric", "meaning"], [[f"`{name}`", meaning] for name, meaning in METRICS.items()])
