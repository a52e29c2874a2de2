"""Membership inference on a language model: the plan's members and non-members, every LM attack.

Glue between a :class:`~assess.leakage.generators.TextModel` and the pure functions of
:mod:`assess.leakage.lm_attacks` and :mod:`assess.leakage.distribution`: draw equally many
member (training) and non-member (held-out) texts, score them under the target (and the
reference model, where the plan names one), evaluate each attack with bootstrap intervals, and
check that the two sides are alike enough for the attack figures to mean memorisation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from assess.errors import InputError
from assess.leakage.distribution import member_distribution_shift
from assess.leakage.lm_attacks import evaluate_lm_attacks, lm_attack_scores


@dataclass
class LMMembershipResult:
    """Per-attack figures (``table``), the distribution-shift baseline (``shift``) and the setup."""

    table: pd.DataFrame
    shift: dict
    details: dict

    def metrics(self) -> dict[str, float]:
        """``lm_mia_<attack>_<figure>`` (with ``_low``/``_high``), the best attack's figures, the shift AUC."""
        flat: dict[str, float] = {}
        for row in self.table.to_dict("records"):
            for name, value in row.items():
                if name not in ("attack", "n_members", "n_non_members"):
                    flat[f"lm_mia_{row['attack']}_{name}"] = float(value)
        best = self.best()
        flat["lm_mia_max_tpr_at_1pct_fpr"] = float(best["tpr_at_1pct_fpr"])
        flat["lm_mia_max_tpr_at_0_1pct_fpr"] = float(self.table["tpr_at_0_1pct_fpr"].max())
        flat["lm_mia_max_auc"] = float(self.table["auc"].max())
        flat["lm_mia_evaluated_per_side"] = float(self.details["evaluated_per_side"])
        flat["lm_member_shift_auc"] = float(self.shift["auc"])
        return flat

    def best(self) -> dict:
        """The attack with the highest TPR at 1% FPR (AUC breaking ties)."""
        ordered = self.table.sort_values(["tpr_at_1pct_fpr", "auc"], ascending=False)
        return ordered.iloc[0].to_dict()


def run_lm_membership(model, member_texts, non_member_texts, *, reference=None, k: float = 0.2,
                      max_per_side: int | None = 1000, n_bootstrap: int = 200, seed: int = 0) -> LMMembershipResult:
    """Run every LM attack the model allows on equally many members and non-members.

    Parameters
    ----------
    model : TextModel
        The target; Min-K%++ runs when it gives next-token distributions (``kind: transformers``).
    member_texts, non_member_texts : sequence of str
        Texts the model was trained on, and texts of the same kind it never saw.
    reference : TextModel, optional
        A public base model not trained on the members (the offline reference setting of LiRA /
        RMIA with one reference model): adds the ``reference_ratio`` attack.
    k : float
        Share of lowest-scoring tokens Min-K% and Min-K%++ average.
    max_per_side : int, optional
        Seeded sample size per side.
    n_bootstrap : int
        Bootstrap replicates for the intervals.
    seed : int
        Seed of the samples and the bootstrap.
    """
    members = [str(t) for t in member_texts if str(t)]
    non_members = [str(t) for t in non_member_texts if str(t)]
    if not members or not non_members:
        raise InputError("LM membership inference needs member and non-member texts: check generator_train and "
                         "generator_holdout")
    rng = np.random.default_rng(seed)
    side = min(len(members), len(non_members), max_per_side or 10**12)
    members = [members[i] for i in np.sort(rng.choice(len(members), side, replace=False))]
    non_members = [non_members[i] for i in np.sort(rng.choice(len(non_members), side, replace=False))]
    texts = members + non_members
    is_member = np.concatenate([np.ones(side, bool), np.zeros(side, bool)])
    reference_ll = np.asarray(reference.log_likelihood(texts)) if reference is not None else None
    scores = lm_attack_scores(texts, model.token_scores(texts), reference_log_likelihood=reference_ll, k=k)
    table = evaluate_lm_attacks(scores, is_member, n_bootstrap=n_bootstrap, seed=seed)
    shift = member_distribution_shift(members, non_members, folds=min(5, side), seed=seed)
    details = {"evaluated_per_side": side, "k": k, "bootstrap": n_bootstrap, "attacks": list(scores.columns),
               "reference": reference is not None}
    return LMMembershipResult(table, shift, details)
