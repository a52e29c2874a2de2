"""Training time and memorisation of the demo generator: the tiny GPT-2 beside the character LM it replaced.

Run:  .venv/bin/python benchmarks/demo_generator.py

Both train on the demo's dialogue turns with the demo's canaries (repetitions 0, 1, 5, 20), on one
CPU thread, with the demo's configuration; printed: training seconds, parameters, and mean canary
exposure per repetition count (what the demo review measures).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pandas as pd


def main() -> None:
    from assess.demo import build_data
    from assess.demo_generator import DEMO_CANARIES_PER_COUNT, DEMO_CANARY_REPETITIONS, DEMO_TRAIN_CONFIG
    from assess.leakage import as_text_model, canary_exposures, exposure_by_repetition, insert_canaries, make_canaries
    from assess.leakage.canaries import DEFAULT_FORMAT
    from assess.models.transformers_lm import TransformersTextModel
    from assess.textgen import TrainConfig, train_char_lm
    from assess.textgen_hf import train_gpt2

    with tempfile.TemporaryDirectory() as tmp:
        build_data(Path(tmp))
        dialogues = pd.read_json(Path(tmp) / "dialogues_train.jsonl", lines=True, dtype=False)
    canaries = make_canaries(DEFAULT_FORMAT, seed=0, repetitions=DEMO_CANARY_REPETITIONS,
                             per_repetition=DEMO_CANARIES_PER_COUNT)
    texts = insert_canaries(dialogues[["id", "text"]], canaries, seed=0)["text"].tolist()
    rows = []
    started = time.perf_counter()
    gpt2, tokenizer, facts = train_gpt2(texts, DEMO_TRAIN_CONFIG, seed=0)
    rows.append(("tiny GPT-2 (demo since issue 13)", time.perf_counter() - started, facts["parameters"],
                 TransformersTextModel(gpt2, tokenizer, threads=1, batch_size=32)))
    # The character GRU LM's demo configuration before the change (assess.textgen).
    char_config = TrainConfig(embedding_dim=48, hidden_dim=128, max_vocab=2000, seq_len=128, batch_size=32,
                              steps=600, learning_rate=4e-3, threads=1)
    started = time.perf_counter()
    char_lm = train_char_lm(texts, char_config, seed=0)
    rows.append(("character GRU LM (before)", time.perf_counter() - started, char_lm.parameter_count(),
                 as_text_model(char_lm)))
    print(f"{len(texts)} training records, canaries at repetitions {list(canaries.repetitions)}, |R| = "
          f"2^{canaries.format.space_bits:.1f}\n")
    for name, seconds, parameters, model in rows:
        table, _ = canary_exposures(model.log_likelihood, canaries, samples=5000, seed=0)
        means = exposure_by_repetition(table).set_index("repetitions")["exposure_mean_bits"]
        print(f"{name:34s} train {seconds:6.1f} s  {parameters:7d} parameters  exposure bits by repetition: "
              + ", ".join(f"{int(r)}: {v:.1f}" for r, v in means.items()))


if __name__ == "__main__":
    main()
