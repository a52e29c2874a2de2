"""Honest verdicts: the leakage verdict follows the attack figures, not the perplexity ratio alone."""

from __future__ import annotations

import json
import numpy as np
import pandas as pd
import pytest

from assess import tracking
from assess.leakage.lm_attacks import evaluate_lm_attacks
from assess.leakage.lm_membership import LMMembershipResult
from assess.leakage.metrics import attack_metrics
from assess.leakage.policy import exposure_checks, membership_checks
from assess.leakage.steps import exposure_metrics, membership_metrics
from conftest import REPO


def separable_scores(n: int, shift: float, seed: int = 0, outlier: bool = False):
    """Attack scores: members ~ N(shift, 1), non-members ~ N(0, 1); ``outlier`` puts one non-member on top."""
    rng = np.random.default_rng(seed)
    members, non_members = rng.normal(shift, 1, n), rng.normal(0, 1, n)
    if outlier:
        non_members[0] = members.max() + 1
    return np.concatenate([members, non_members]), np.concatenate([np.ones(n, bool), np.zeros(n, bool)])


def failed(checks) -> set[str]:
    return {c.name for c in checks if not c.holds and c.severity == "fail"}


def test_a_classifier_attack_with_auc_0_9_fails_even_at_tpr_0():
    # 40 non-members cannot resolve 1% FPR; one confident non-member makes TPR at 1% FPR zero.
    scores, is_member = separable_scores(40, 2.2, outlier=True)
    figures = attack_metrics(scores, is_member)
    assert figures["auc"] > 0.85 and figures["tpr_at_1pct_fpr"] == 0.0
    checks = membership_checks(membership_metrics({"loss": figures}), prefix="mia", max_tpr_at_1pct_fpr=0.05,
                               max_auc=0.6, subject_of_attack="members")
    assert failed(checks) == {"mia_max_auc"}
    small_sample = next(c for c in checks if c.name == "mia_non_members_evaluated")
    assert not small_sample.holds and small_sample.severity == "warn"


def test_a_generator_whose_strongest_lm_attack_has_auc_0_9_fails():
    scores, is_member = separable_scores(150, 1.9, seed=1)
    weak, _ = separable_scores(150, 0.0, seed=2)
    table = evaluate_lm_attacks(pd.DataFrame({"loss": weak, "min_k": scores}), is_member, n_bootstrap=20)
    result = LMMembershipResult(table, {"auc": 0.52, "warning": False}, {"evaluated_per_side": 150})
    metrics = result.metrics()
    assert metrics["lm_mia_max_auc"] > 0.85
    checks = membership_checks(metrics, prefix="lm_mia", max_tpr_at_1pct_fpr=0.05, max_auc=0.6,
                               subject_of_attack="training texts")
    assert {"lm_mia_max_auc", "lm_mia_max_tpr_at_1pct_fpr"} <= failed(checks)
    assert all(c.holds for c in checks if c.name == "lm_mia_non_members_evaluated")


def test_attacks_at_chance_pass():
    scores, is_member = separable_scores(200, 0.0, seed=3)
    metrics = membership_metrics({"loss": attack_metrics(scores, is_member)})
    checks = membership_checks(metrics, prefix="mia", max_tpr_at_1pct_fpr=0.05, max_auc=0.6, subject_of_attack="members")
    assert all(c.holds for c in checks)


def test_mean_canary_exposure_fails_when_the_inserted_canaries_are_exposed():
    table = pd.DataFrame({"repetitions": [0, 0, 1, 1, 20, 20], "exposure_bits": [1.2, 0.7, 6.0, 7.5, 9.0, 9.5]})
    metrics = exposure_metrics(table, 19.93)
    assert metrics["canary_exposure_mean_bits"] == pytest.approx(8.0)
    assert failed(exposure_checks(metrics, max_bits=10.0, max_mean_bits=5.0)) == {"canary_exposure_mean_bits"}
    assert failed(exposure_checks(metrics, max_bits=9.0, max_mean_bits=8.0)) == {"canary_exposure_max_bits"}


LEAKAGE_PLAN = """version: 1
notebooks_dir: {notebooks}
subjects:
  own-lm:
    models:
      generator: {{uri: lm}}
    datasets:
      g_train: {{path: members.jsonl, id_column: tid, text_column: body}}
      g_holdout: {{path: non_members.jsonl, id_column: tid, text_column: body}}
    assessments:
      model_leakage: {{classifier_model: null, generator_train: g_train, generator_holdout: g_holdout,
                      max_eval_per_side: 60, bootstrap: 20, max_probes: 5}}
"""


@pytest.mark.slow
def test_a_memorising_generator_fails_model_leakage_in_a_real_review(tmp_path):
    """The issue's case: perplexity ratio under its threshold, membership AUC far over chance."""
    import torch

    from assess.cli import main
    from openai_server import tiny_gpt2

    rng = np.random.default_rng(0)
    words = ["退款", "物流", "发票", "账号", "快递", "地址", "订单", "客服"]

    def texts(n):
        return [" ".join(rng.choice(words, 4)) + f" {rng.integers(10000, 99999)}" for _ in range(n)]

    members, non_members = texts(60), texts(60)
    vocabulary = tiny_gpt2(members + non_members, seed=0)[1].get_vocab()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # a tiny model trains several times faster on one thread than on contended cores
    try:
        model, tokenizer = tiny_gpt2(members, seed=0, steps=40)
    finally:
        torch.set_num_threads(threads)
    assert tokenizer.get_vocab() == vocabulary  # members cover every character, so non-members tokenize alike
    model.save_pretrained(tmp_path / "lm")
    tokenizer.save_pretrained(tmp_path / "lm")
    for name, rows in (("members", members), ("non_members", non_members)):
        pd.DataFrame({"tid": [f"{name}-{i}" for i in range(len(rows))], "body": rows}).to_json(
            tmp_path / f"{name}.jsonl", orient="records", lines=True, force_ascii=False)
    (tmp_path / "review.yaml").write_text(LEAKAGE_PLAN.format(notebooks=REPO / "notebooks"), encoding="utf-8")

    assert main(["run", str(tmp_path / "review.yaml")]) == 1
    client = tracking.client_for(tracking.embedded_uri(tmp_path))
    experiment = client.get_experiment_by_name(tracking.experiment_name("own-lm"))
    [run] = client.search_runs([experiment.experiment_id], f"tags.`{tracking.TAG_ASSESSMENT}` = 'model_leakage'")
    (tmp_path / "downloaded").mkdir()
    stored = client.download_artifacts(run.info.run_id, "evidence/checks.json", str(tmp_path / "downloaded"))
    checks = {c["name"]: c for c in json.loads(open(stored, encoding="utf-8").read())["checks"]}
    assert run.data.metrics["lm_mia_max_auc"] > 0.6
    assert checks["lm_mia_max_auc"]["status"] == "fail" and checks["lm_mia_max_auc"]["basis"] == "policy"
    assert checks["ppl_ratio"]["status"] == "pass"  # at its default 1.5 the perplexity ratio alone would pass it
    assert checks["lm_member_shift_auc"]["status"] == "pass"  # members and non-members are drawn alike
    assert run.data.tags[tracking.TAG_VERDICT] == "fail"
