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


# -- no evidence, no pass ----------------------------------------------------------------------

def test_watermark_survival_is_averaged_over_watermarked_images_only(tmp_path):
    from assess.content_labels.edits import edits_named
    from assess.content_labels.mark import mark_bytes
    from assess.content_labels.survival import run_survival, summarise_survival
    from test_content_labels import encoded, picture

    marked, _ = mark_bytes(encoded(picture(seed=1), "PNG"), producer="acme", produce_id="id-1", explicit=True,
                           watermark=True, name="marked.png")
    unmarked, _ = mark_bytes(encoded(picture(seed=2), "PNG"), producer="acme", produce_id="id-2", explicit=True,
                             watermark=False, name="unmarked.png")
    (tmp_path / "marked.png").write_bytes(marked)
    (tmp_path / "unmarked.png").write_bytes(unmarked)
    results = run_survival([tmp_path / "marked.png", tmp_path / "unmarked.png"], edits_named(["strip_metadata"]))
    summary = summarise_survival(results).set_index(["edit", "media"])
    stripped = summary.loc[("strip_metadata", "image")]
    assert stripped["files"] == 2 and stripped["watermarked_files"] == 1
    assert stripped["watermark_bit_accuracy_mean"] == 1.0 and stripped["watermark_detection_rate"] == 1.0
    never = results[(results["file"] == "unmarked.png") & (results["edit"] == "strip_metadata")].iloc[0]
    assert never["watermark_bit_accuracy"] < 0.9  # what the old average mixed in: a watermark that never was
    unedited = summary.loc[("unedited", "image")]
    assert unedited["watermark_detection_rate"] == 0.5  # the unedited row still shows that one image has none


NO_EVIDENCE_PLAN = """version: 1
notebooks_dir: notebooks
subjects:
  own:
    datasets:
      train: {path: tickets.csv, id_column: ticket, text_column: body, label_column: intent}
    assessments:
      content_labels: {}
      model_leakage: {classifier_model: null, generator_model: null, members: train, non_members: train,
                      generator_train: train, generator_holdout: train}
      row_count: {}
  own-outputs:
    datasets:
      tickets: {path: tickets.csv, id_column: ticket, text_column: body, label_column: intent}
    assessments:
      content_labels: {samples_dir: outputs, edits: [strip_metadata, export_keep_label],
                       watermark_gate_edits: [strip_metadata]}
"""


@pytest.fixture(scope="module")
def no_evidence_review(tmp_path_factory):
    """content_labels without outputs, model_leakage without models, a row count, and content_labels on own outputs."""
    import shutil

    from assess.cli import main
    from assess.content_labels.mark import mark_bytes
    from notebook_factory import write_notebook
    from test_content_labels import encoded, picture

    project = tmp_path_factory.mktemp("no-evidence")
    for name in ("content_labels", "model_leakage"):
        (project / "notebooks").mkdir(exist_ok=True)
        shutil.copy(REPO / "notebooks" / f"{name}.ipynb", project / "notebooks")
    write_notebook(project / "notebooks", "row_count", parameters={
        "min_rows": {"type": "integer", "min": 0, "default": 2, "basis": "policy", "help": "fewest rows"}})
    (project / "tickets.csv").write_text("ticket,body,intent\nT1,快递到哪了,物流\nT2,我要退款,退款\n", encoding="utf-8")
    (project / "outputs").mkdir()
    image, _ = mark_bytes(encoded(picture(seed=3), "PNG"), producer="own-service", produce_id="own-1", explicit=True,
                          watermark=True, name="reply.png")
    (project / "outputs" / "reply.png").write_bytes(image)
    text, _ = mark_bytes("您好，已为您登记退款。".encode("utf-8"), producer="own-service", produce_id="own-2",
                         explicit=True, name="reply.txt")
    (project / "outputs" / "reply.txt").write_bytes(text)
    (project / "review.yaml").write_text(NO_EVIDENCE_PLAN, encoding="utf-8")
    code = main(["run", str(project / "review.yaml")])
    client = tracking.client_for(tracking.embedded_uri(project))
    runs = {}
    for subject in ("own", "own-outputs"):
        experiment = client.get_experiment_by_name(tracking.experiment_name(subject))
        for run in client.search_runs([experiment.experiment_id], f"tags.`{tracking.TAG_KIND}` = 'assessment'"):
            stored = client.download_artifacts(run.info.run_id, "evidence/checks.json", str(
                project / "downloaded" / run.info.run_id))
            runs[subject, run.data.tags[tracking.TAG_ASSESSMENT]] = (run, json.loads(open(stored, encoding="utf-8").read()))
    return project, code, runs


def test_content_labels_without_outputs_is_pending_and_says_what_to_add(no_evidence_review):
    _, code, runs = no_evidence_review
    run, checks = runs["own", "content_labels"]
    assert run.data.tags[tracking.TAG_VERDICT] == "pending"
    [pending] = [c for c in checks["checks"] if c["status"] == "pending"]
    assert pending["name"] == "generated_outputs" and "add samples_dir" in pending["description"]
    assert len(checks["checks"]) == 1 and checks["inputs"] == []  # no conformance figure about anyone's files
    assert code == 0  # pending is not a failure, and nothing errored


def test_an_assessment_that_read_nothing_of_the_subject_cannot_pass(no_evidence_review):
    _, _, runs = no_evidence_review
    run, checks = runs["own", "model_leakage"]
    assert run.data.tags[tracking.TAG_VERDICT] == "pending"
    assert [c["name"] for c in checks["checks"] if c["status"] == "pending"] == ["subject_inputs_assessed"]


def test_every_verdict_names_the_inputs_it_was_computed_from(no_evidence_review):
    from assess.manifest import sha256_file

    project, _, runs = no_evidence_review
    run, checks = runs["own", "row_count"]
    assert run.data.tags[tracking.TAG_VERDICT] == "pass"
    assert checks["inputs"] == [{"kind": "dataset", "role": "train", "name": "tickets.csv",
                                 "sha256": sha256_file(project / "tickets.csv")}]
    run, checks = runs["own-outputs", "content_labels"]
    assert run.data.tags[tracking.TAG_VERDICT] in ("pass", "warn")
    [outputs] = checks["inputs"]
    assert outputs["role"] == "samples_dir" and outputs["name"] == "outputs" and len(outputs["sha256"]) == 64
    folder = project / "reports" / "own-outputs"
    [auditor] = folder.glob("*/content_labels.auditor.html")
    assert f"parameter <code>samples_dir</code> (outputs, sha256 {outputs['sha256'][:12]})" in auditor.read_text(
        encoding="utf-8")
