"""The demo subject's text generator: a tiny GPT-2 trained from scratch on dialogue turns with canaries.

:func:`build_demo_generator` is called by :mod:`assess.demo` inside the active "demo build" MLflow
run. In that run it

1. makes canaries from a format and a seed (repetition counts 0, 1, 5, 20; three per count) and
   logs them as ``canaries/canaries.json`` *before* training, as an audit trail would require;
2. inserts them into the training texts (count 0 = never inserted: the control group);
3. trains a tiny GPT-2 (:func:`assess.textgen_hf.train_gpt2`) deterministically on one CPU thread;
4. logs and registers it with MLflow's transformers flavor (``models:/assess-demo-text-generator/latest``),
   which the plan reviews as ``kind: transformers``, the path a provider's own LM takes.
"""

from __future__ import annotations

import pandas as pd

from assess.errors import InputError
from assess.leakage.canaries import ARTIFACT_PATH, DEFAULT_FORMAT, insert_canaries, make_canaries
from assess.textgen_hf import GPT2TrainConfig, hyperparameters, log_transformers_lm, train_gpt2

DEMO_CANARY_REPETITIONS = (0, 1, 5, 20)
DEMO_CANARIES_PER_COUNT = 3
#: Sized to train in under a minute on one CPU core while memorising what it sees often (canaries
#: inserted 20 times reach 7-10 bits of exposure; once-inserted ones stay near chance).
DEMO_TRAIN_CONFIG = GPT2TrainConfig(n_embd=64, n_layer=2, n_head=2, n_positions=96, max_vocab=2000, batch_size=24,
                                    steps=500, learning_rate=4e-3, threads=1)


def build_demo_generator(dialogues_train: pd.DataFrame, *, registered_name: str = "assess-demo-text-generator",
                         seed: int = 0, text_column: str = "text", id_column: str = "id",
                         config: GPT2TrainConfig | None = None) -> str:
    """Train, log and register the demo generator in the active MLflow run; return its model URI.

    Parameters
    ----------
    dialogues_train : pandas.DataFrame
        Dialogue turns (``id``, ``text``).
    registered_name : str
        Registry name of the model.
    seed : int
        Seed of the canaries, their positions and training.
    text_column, id_column : str
        Columns of ``dialogues_train``.
    config : GPT2TrainConfig, optional
        Model size and schedule; default :data:`DEMO_TRAIN_CONFIG`.

    Returns
    -------
    str
        ``models:/<registered_name>/<version>``.
    """
    import mlflow

    if mlflow.active_run() is None:
        raise InputError("build_demo_generator must run inside an active MLflow run (the demo build run)")
    config = config or DEMO_TRAIN_CONFIG
    canaries = make_canaries(DEFAULT_FORMAT, seed=seed, repetitions=DEMO_CANARY_REPETITIONS,
                             per_repetition=DEMO_CANARIES_PER_COUNT)
    # Logged before training: the record proves which canaries existed before the model did.
    mlflow.log_dict(canaries.to_dict(), ARTIFACT_PATH)
    corpus = insert_canaries(dialogues_train[[id_column, text_column]], canaries, id_column=id_column,
                             text_column=text_column, seed=seed)
    model, tokenizer, facts = train_gpt2(corpus[text_column].astype(str).tolist(), config, seed=seed)
    mlflow.log_params({**hyperparameters(config), "gpt2_seed": seed, "gpt2_parameters": facts["parameters"],
                       "gpt2_training_records": len(corpus)})
    mlflow.log_metrics({"gpt2_training_seconds": facts["seconds"], "gpt2_final_loss": facts["final_loss"]})
    info = log_transformers_lm(model, tokenizer, name="text_generator", registered_model_name=registered_name)
    version = getattr(info, "registered_model_version", None)
    return f"models:/{registered_name}/{version}" if version else info.model_uri
