"""The character LM, canary exposure growing with repetition, perplexity gap, and the demo build in MLflow."""

from __future__ import annotations

import mlflow
import numpy as np
import pandas as pd
import pytest

from assess.errors import InputError
from assess.leakage import (as_text_model, canary_exposures, insert_canaries, load_model_canaries, make_canaries,
                            perplexity_gap)
from assess.textgen import CharLM, TrainConfig, train_char_lm

TINY = TrainConfig(embedding_dim=16, hidden_dim=48, seq_len=48, batch_size=16, steps=250, learning_rate=1e-2)
FILLER = ["the parcel is late", "please refund my order", "where is my package", "reset my password please",
          "the kettle is broken", "call me back tomorrow"]


@pytest.fixture(scope="module")
def canary_model():
    canaries = make_canaries("pin {d}{d}{d}{d}", seed=3, repetitions=(0, 20), per_repetition=2)
    corpus = pd.DataFrame({"id": [f"f{i}" for i in range(60)], "text": [FILLER[i % len(FILLER)] for i in range(60)]})
    corpus = insert_canaries(corpus, canaries, seed=0)
    return train_char_lm(corpus["text"].tolist(), TINY, seed=0), canaries


def test_canary_repeated_20_times_is_far_more_exposed_than_one_never_inserted(canary_model):
    model, canaries = canary_model
    table, _ = canary_exposures(as_text_model(model).log_likelihood, canaries)
    assert set(table["method"]) == {"exact"}  # 10^4 candidates: every one is scored
    inserted = table[table["repetitions"] == 20]["exposure_bits"]
    control = table[table["repetitions"] == 0]["exposure_bits"]
    assert inserted.min() > 9.0  # log2(10^4) = 13.3 at most
    assert control.max() < 6.0
    assert inserted.min() > control.max() + 4


def test_training_is_deterministic_and_generation_continues_prompts(canary_model):
    model, _ = canary_model
    again = train_char_lm([FILLER[i % len(FILLER)] for i in range(60)], TrainConfig(**{**TINY.__dict__, "steps": 20}), seed=1)
    twice = train_char_lm([FILLER[i % len(FILLER)] for i in range(60)], TrainConfig(**{**TINY.__dict__, "steps": 20}), seed=1)
    for a, b in zip(again.state_dict().values(), twice.state_dict().values()):
        assert bool((a == b).all())
    continuation = model.generate(["where is my pa"], 5)[0]
    assert continuation.startswith("ckage")
    sampled = model.generate(["", ""], 10, greedy=False, seed=0)
    assert len(sampled) == 2 and all(len(s) <= 10 for s in sampled)
    ll = model.log_likelihood(["where is my package", "zqxj zqxj zqxj zqxj"])
    assert ll[0] > ll[1]


def test_save_and_load_round_trip(canary_model, tmp_path):
    model, _ = canary_model
    model.save(tmp_path / "lm")
    loaded = CharLM.load(tmp_path / "lm")
    texts = ["the parcel is late", "unseen text ✓"]
    np.testing.assert_allclose(loaded.log_likelihood(texts), model.log_likelihood(texts), rtol=1e-6)
    with pytest.raises(InputError):
        CharLM.load(tmp_path / "nothing")


def test_perplexity_gap_of_a_memorising_model(canary_model):
    model, _ = canary_model
    held_out = ["the refund is late", "my order is broken", "where is my refund", "call me back today"]
    result = perplexity_gap(model, FILLER, held_out, seed=0)
    assert result.metrics["ppl_train_median"] < result.metrics["ppl_holdout_median"]
    assert result.metrics["ppl_ratio"] > 1.0
    assert len(result.train) == len(result.holdout) == 4


def test_demo_generator_registers_a_model_whose_canaries_are_found_via_its_source_run(tmp_path, monkeypatch):
    from assess import demo_generator

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    from assess.models import load_model
    from assess.plan import ModelSpec
    from assess.textgen_hf import GPT2TrainConfig

    monkeypatch.setattr(demo_generator, "DEMO_TRAIN_CONFIG", GPT2TrainConfig(n_embd=16, n_head=2, n_positions=32, steps=5))
    dialogues = pd.DataFrame({"id": ["c1", "c2"], "text": ["客户：你好。客服：您好！", "Customer: hi. Agent: hello"]})
    experiment = mlflow.create_experiment("build", artifact_location=(tmp_path / "artifacts").as_uri())
    try:
        with pytest.raises(InputError, match="active MLflow run"):
            demo_generator.build_demo_generator(dialogues, registered_name="tiny-generator")
        with mlflow.start_run(experiment_id=experiment) as run:
            model_uri = demo_generator.build_demo_generator(dialogues, registered_name="tiny-generator")
        assert model_uri == "models:/tiny-generator/1"
        client = mlflow.tracking.MlflowClient(uri, uri)
        canaries = load_model_canaries("models:/tiny-generator/latest", client)
        assert canaries is not None and canaries.repetitions == (0, 1, 5, 20)
        assert client.get_model_version("tiny-generator", "1").run_id == run.info.run_id
        # The registered model is a transformers model: the plan reviews it as kind transformers.
        lm = load_model(ModelSpec("generator", "models:/tiny-generator/latest", kind="transformers"), "text")
        [scored] = lm.token_scores(["客户：你好"])
        assert len(scored.log_probs) == len("客户：你好")  # one token per character, the first scored after BOS
        assert lm.log_likelihood(["客户：你好"])[0] == pytest.approx(scored.log_likelihood)
        assert scored.mean is not None and (scored.std >= 0).all()
        assert len(lm.generate(["客户"], 4)[0]) <= 4
    finally:
        mlflow.set_tracking_uri("")
