"""The model kinds on real models: a transformers folder, an OpenAI-compatible server in front of it,
a torch classifier, and the one-line errors of a model that lacks what an assessment needs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import clone

from assess.errors import InputError
from assess.models import CLASSIFIER, TEXT, CapabilityError, detect_kind, load_model
from assess.plan import ModelSpec
from openai_server import openai_server, tiny_gpt2

TEXTS = ["客户：我的订单还没到。", "Customer: my parcel is late.", "Agent: I will check the order now."]


@pytest.fixture(scope="module")
def lm():
    """A tiny GPT-2 that has memorised TEXTS[0] (trained in the test session)."""
    return tiny_gpt2(TEXTS, seed=0, steps=150)


@pytest.fixture(scope="module")
def lm_folder(lm, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hf") / "tiny-gpt2"
    model, tokenizer = lm
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def direct_log_likelihood(model, tokenizer, text):
    ids = torch.as_tensor([tokenizer(text, add_special_tokens=False)["input_ids"]])
    with torch.no_grad():
        log_probs = torch.log_softmax(model(ids).logits[0, :-1].double(), dim=-1)
    return float(log_probs.gather(-1, ids[0, 1:, None]).sum())


def test_a_save_pretrained_folder_is_kind_transformers_and_scores_token_by_token(lm, lm_folder):
    assert detect_kind(str(lm_folder), True) == "transformers"
    text_model = load_model(ModelSpec("generator", str(lm_folder), kind="transformers", options={"batch_size": 2}), TEXT)
    scores = text_model.token_scores(TEXTS)
    for text, score in zip(TEXTS, scores):
        # No BOS token in this tokenizer: the first character is context, every later one is scored.
        assert len(score.log_probs) == len(text) - 1
        assert score.log_likelihood == pytest.approx(direct_log_likelihood(*lm, text), abs=1e-6)
        assert np.all(score.std >= 0) and np.all(score.mean <= 0)
    # Batched with padding or one by one: the same figures.
    [alone] = text_model.token_scores([TEXTS[1]])
    np.testing.assert_allclose(alone.log_probs, scores[1].log_probs, atol=1e-6)
    assert text_model.generate([TEXTS[0][:4]], 6) == [TEXTS[0][4:10]]


def test_an_openai_endpoint_scores_and_generates_like_the_weights_behind_it(lm, lm_folder, monkeypatch):
    local = load_model(ModelSpec("generator", str(lm_folder), kind="transformers"), TEXT)
    monkeypatch.setenv("TEST_LLM_KEY", "s3cret")
    with openai_server(*lm, api_key="s3cret") as base_url:
        assert detect_kind(base_url, False) == "openai"
        remote = load_model(ModelSpec("generator", base_url, kind="openai", options={"api_key_env": "TEST_LLM_KEY"}), TEXT)
        assert remote.model == "tiny-gpt2"  # read from /v1/models
        assert remote.can_score()
        np.testing.assert_allclose(remote.log_likelihood(TEXTS), local.log_likelihood(TEXTS), atol=1e-4)
        assert remote.token_scores(TEXTS[:1])[0].mean is None  # an API gives no full distribution: no Min-K%++
        assert remote.generate([TEXTS[0][:4]], 6) == local.generate([TEXTS[0][:4]], 6)
        monkeypatch.setenv("TEST_LLM_KEY", "wrong")
        with pytest.raises(InputError, match="refused the API key"):
            load_model(ModelSpec("generator", base_url, kind="openai", options={"api_key_env": "TEST_LLM_KEY"}), TEXT)
    monkeypatch.delenv("TEST_LLM_KEY")
    with pytest.raises(InputError, match="TEST_LLM_KEY .* is not set"):
        load_model(ModelSpec("generator", base_url, kind="openai", options={"api_key_env": "TEST_LLM_KEY"}), TEXT)
    with pytest.raises(InputError, match="did not answer"):
        load_model(ModelSpec("generator", base_url, kind="openai", options={"model": "tiny-gpt2"}), TEXT)


def test_an_endpoint_without_log_probabilities_is_generation_only(lm):
    with openai_server(*lm, logprobs=False) as base_url:
        remote = load_model(ModelSpec("generator", base_url, kind="openai"), TEXT)
        assert not remote.can_score()
        assert "no prompt log-probabilities" in remote.scoring_gap()
        with pytest.raises(CapabilityError, match="kind openai.*cannot score texts"):
            remote.log_likelihood(TEXTS)
        assert len(remote.generate(["Customer: "], 5)[0]) <= 5
        chat = load_model(ModelSpec("generator", base_url, kind="openai", options={"endpoint": "chat"}), TEXT)
        assert not chat.can_score() and "chat endpoint" in chat.scoring_gap()
        assert isinstance(chat.generate(["hello"], 5)[0], str)


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = torch.nn.Sequential(torch.nn.Linear(2, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))

    def forward(self, x):
        return self.layers(x)


def separable(n=200, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(rng.normal(size=(n, 2)), columns=["f1", "f2"])
    return X, np.where(X["f1"] + X["f2"] > 0, "yes", "no")


def test_a_torchscript_classifier_is_a_scikit_learn_classifier_that_can_be_refitted(tmp_path):
    X, y = separable()
    path = tmp_path / "net.pt"
    torch.jit.script(Net()).save(str(path))
    assert detect_kind(str(path), True) == "torch"
    with pytest.raises(CapabilityError, match="label of each output is unknown"):
        load_model(ModelSpec("classifier", str(path), kind="torch"), CLASSIFIER)
    untrained = load_model(ModelSpec("classifier", str(path), kind="torch", options={"classes": ["no", "yes"]}),
                           CLASSIFIER)
    proba = untrained.predict_proba(X)
    assert proba.shape == (len(X), 2) and np.allclose(proba.sum(axis=1), 1)
    refitted = clone(untrained).fit(X, y)  # what reference models and label audits do
    assert (refitted.predict(X) == y).mean() > 0.95
    assert list(refitted.classes_) == ["no", "yes"]
    # The loaded module itself is left as it was.
    np.testing.assert_allclose(untrained.predict_proba(X), proba)


def test_a_model_that_lacks_a_capability_says_kind_need_and_fix(tmp_path, lm_folder):
    torch.jit.script(Net()).save(str(tmp_path / "net.pt"))
    with pytest.raises(CapabilityError, match=r"model 'generator' \(kind torch, .*\) cannot generate or score text: "
                                              r"this assessment needs a model of kind transformers, openai, pyfunc"):
        load_model(ModelSpec("generator", str(tmp_path / "net.pt"), kind="torch", options={"classes": [0, 1]}), TEXT)
    with pytest.raises(CapabilityError, match=r"kind transformers.*cannot give class probabilities"):
        load_model(ModelSpec("classifier", str(lm_folder), kind="transformers"), CLASSIFIER)
    with pytest.raises(InputError, match=r"model 'generator' .* does not exist"):
        load_model(ModelSpec("generator", str(tmp_path / "missing"), kind="transformers"), TEXT)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"kind transformers.*does not load .*config.json"):
        load_model(ModelSpec("generator", str(tmp_path / "empty"), kind="transformers"), TEXT)
