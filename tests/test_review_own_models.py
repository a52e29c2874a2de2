"""A team's own models, reviewed with no user code: a plan names a transformers folder, an
OpenAI-compatible endpoint and a torch classifier, and `assess run` executes model_leakage and
label_robustness on them (real papermill, a real MLflow store, a real HTTP server)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import torch

from assess import tracking
from conftest import REPO
from openai_server import openai_server, tiny_gpt2

pytestmark = pytest.mark.slow

PHONES = ["13912345678", "13800138000", "15011112222", "18655554444"]


def dialogues(prefix: str, count: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    topics = ["my parcel is late", "the refund is missing", "the router is broken", "I forgot my password"]
    rows = []
    for i in range(count):
        text = f"Customer: {topics[rng.integers(len(topics))]}. Agent: sorry, we will help."
        if i % 5 == 0:
            text = f"Customer: call me on {PHONES[(i // 5) % len(PHONES)]} please. Agent: sure."
        rows.append({"id": f"{prefix}{i}", "text": text})
    return pd.DataFrame(rows)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = torch.nn.Sequential(torch.nn.Linear(3, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))

    def forward(self, x):
        return self.layers(x)


def tabular(prefix: str, n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    label = np.where(X[:, 0] - X[:, 1] > 0, "yes", "no")
    return pd.DataFrame({"id": [f"{prefix}{i}" for i in range(n)], "f1": X[:, 0], "f2": X[:, 1], "f3": X[:, 2],
                         "label": label})


def subject(name: str, models: str) -> str:
    return f"""  {name}:
    models:
{models}
    datasets:
      train: {{path: tab_train.csv, id_column: id, label_column: label}}
      holdout: {{path: tab_holdout.csv, id_column: id, label_column: label}}
      dialogues_train: {{path: d_train.jsonl, id_column: id, text_column: text}}
      dialogues_holdout: {{path: d_holdout.jsonl, id_column: id, text_column: text}}
    assessments:
      model_leakage: {{reference_models: 2, exposure_samples: 50, max_eval_per_side: 60, bootstrap: 50}}
      label_robustness: {{model: classifier, repeats: 1, noise_rates: [0.0, 0.2], cv: 3}}
"""


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    project = tmp_path_factory.mktemp("own-models")
    train, holdout = dialogues("t", 60, 0), dialogues("h", 60, 1)
    train.to_json(project / "d_train.jsonl", orient="records", lines=True, force_ascii=False)
    holdout.to_json(project / "d_holdout.jsonl", orient="records", lines=True, force_ascii=False)
    tab_train, tab_holdout = tabular("r", 150, 2), tabular("o", 150, 3)
    tab_train.to_csv(project / "tab_train.csv", index=False)
    tab_holdout.to_csv(project / "tab_holdout.csv", index=False)
    model, tokenizer = tiny_gpt2(train["text"].tolist() + holdout["text"].tolist(), seed=0, steps=60)
    model.save_pretrained(project / "lm")
    tokenizer.save_pretrained(project / "lm")
    # The torch classifier, trained by the team's own code and shipped as TorchScript.
    net = Net()
    optimizer = torch.optim.Adam(net.parameters(), lr=0.02)
    X = torch.tensor(tab_train[["f1", "f2", "f3"]].to_numpy(), dtype=torch.float32)
    y = torch.tensor((tab_train["label"] == "yes").to_numpy().astype(int))
    for _ in range(200):
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(net(X), y).backward()
        optimizer.step()
    torch.jit.script(net.eval()).save(str(project / "net.pt"))
    classifier = "      classifier: {uri: net.pt, kind: torch, classes: [\"no\", \"yes\"]}"
    with openai_server(model, tokenizer, model_name="team-lm") as base_url:
        plan = f"version: 1\nnotebooks_dir: {REPO / 'notebooks'}\nsubjects:\n" + subject(
            "local-lm", f"      generator: {{uri: lm}}\n{classifier}") + subject(
            "endpoint-lm", f"      generator: {{uri: \"{base_url}\", kind: openai, model: team-lm}}\n{classifier}")
        (project / "review.yaml").write_text(plan, encoding="utf-8")
        result = subprocess.run([sys.executable, "-m", "assess", "run", "review.yaml"], cwd=project,
                                capture_output=True, text=True, timeout=1800)
    client = tracking.client_for(tracking.embedded_uri(project))
    runs = {}
    for name in ("local-lm", "endpoint-lm"):
        experiment = client.get_experiment_by_name(tracking.experiment_name(name))
        for run in client.search_runs([experiment.experiment_id], f"tags.`{tracking.TAG_KIND}` = 'assessment'"):
            runs[name, run.data.tags[tracking.TAG_ASSESSMENT]] = run
    return project, result, client, runs


def test_both_assessments_run_on_every_kind(reviewed):
    project, result, client, runs = reviewed
    assert set(runs) == {(s, a) for s in ("local-lm", "endpoint-lm") for a in ("model_leakage", "label_robustness")}, \
        result.stdout + result.stderr
    for key, run in runs.items():
        assert run.info.status == "FINISHED", (key, run.data.tags.get(tracking.TAG_ERROR), result.stdout[-3000:])
        assert run.data.tags[tracking.TAG_VERDICT] in ("pass", "warn", "fail"), key


def test_the_transformers_folder_gets_every_lm_attack_and_the_endpoint_those_an_api_allows(reviewed):
    project, result, client, runs = reviewed
    local = runs["local-lm", "model_leakage"].data.metrics
    remote = runs["endpoint-lm", "model_leakage"].data.metrics
    for attack in ("loss", "zlib", "min_k", "min_k_plus_plus"):
        low, value, high = (local[f"lm_mia_{attack}_auc{s}"] for s in ("_low", "", "_high"))
        assert 0 <= low <= value <= high <= 1
    assert "lm_mia_min_k_plus_plus_auc" not in remote  # no full next-token distribution over the API
    # The endpoint serves the same weights: the attacks that need only log-probabilities agree.
    for attack in ("loss", "zlib", "min_k"):
        assert remote[f"lm_mia_{attack}_auc"] == pytest.approx(local[f"lm_mia_{attack}_auc"], abs=0.02)
    for metrics in (local, remote):
        assert metrics["regurgitation_findings_probed"] > 0
        assert 0 <= metrics["lm_member_shift_auc"] <= 1
        assert metrics["mia_evaluated_per_side"] > 0  # the torch classifier was attacked, references re-trained
        assert metrics["mia_reference_models"] == 2


def test_the_torch_classifier_is_audited_for_label_noise(reviewed):
    project, result, client, runs = reviewed
    metrics = runs["local-lm", "label_robustness"].data.metrics
    assert "estimated_noise_rate" in metrics and metrics["estimated_noise_rate"] < 0.2
