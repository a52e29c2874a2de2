"""A tiny GPT-2 trained from scratch, offline: the demo's generator and the tests' transformers model.

Providers ship Hugging Face causal LMs; the demo's generator is one too, so the demo exercises the
path a user's model takes (``kind: transformers``). Nothing is downloaded: the tokenizer is built
from the training texts' characters (one token per character, which also suits Chinese), the model
from a :class:`transformers.GPT2Config`.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Sequence

import numpy as np

from assess.errors import InputError

#: The tokenizer's one special token: text boundary (BOS and EOS, as in GPT-2), padding and unknown.
BOUNDARY, PAD, UNK = "<|endoftext|>", "<pad>", "<unk>"


@dataclass
class GPT2TrainConfig:
    """Size and schedule of a tiny GPT-2.

    Parameters
    ----------
    n_embd, n_layer, n_head : int
        Width, depth and attention heads.
    n_positions : int
        Context length in characters (also the training window).
    max_vocab : int
        Characters kept (most frequent); the rest map to ``<unk>``.
    batch_size, steps, learning_rate : int, int, float
        Windows per step, Adam steps (fixed, so training is reproducible), peak learning rate
        (cosine-decayed to 10%).
    threads : int
        torch CPU threads while training (1 keeps results identical across machines).
    """

    n_embd: int = 96
    n_layer: int = 2
    n_head: int = 4
    n_positions: int = 128
    max_vocab: int = 2000
    batch_size: int = 32
    steps: int = 600
    learning_rate: float = 3e-3
    threads: int = 1


def char_tokenizer(texts: Sequence[str], max_vocab: int = 2000):
    """A fast tokenizer with one token per character of ``texts`` (the most frequent ``max_vocab``).

    Returns
    -------
    transformers.PreTrainedTokenizerFast
        ``bos_token`` = ``eos_token`` = ``<|endoftext|>`` (so a text's first character is scored),
        ``pad_token`` and ``unk_token`` set; decoding joins characters.
    """
    from collections import Counter

    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    counts = Counter(c for text in texts for c in text)
    chars = sorted(c for c, _ in counts.most_common(max_vocab))
    vocab = {token: i for i, token in enumerate([BOUNDARY, PAD, UNK, *chars])}
    core = Tokenizer(models.WordLevel(vocab, unk_token=UNK))
    core.pre_tokenizer = pre_tokenizers.Split(Regex(r"[\s\S]"), behavior="isolated")
    core.decoder = decoders.Fuse()
    return PreTrainedTokenizerFast(tokenizer_object=core, bos_token=BOUNDARY, eos_token=BOUNDARY, pad_token=PAD,
                                   unk_token=UNK)


def train_gpt2(texts: Sequence[str], config: GPT2TrainConfig | None = None, *, seed: int = 0, model=None,
               tokenizer=None):
    """Train a tiny GPT-2 on ``texts`` from scratch, deterministically for a given ``seed``.

    Training reads random windows of the corpus laid out as ``<|endoftext|> text <|endoftext|> ...``
    (records in a seeded random order), so every record is seen from its start.

    Parameters
    ----------
    texts : sequence of str
        Training records.
    config : GPT2TrainConfig, optional
        Size and schedule.
    seed : int
        Seeds the weights, the record order and the windows.
    model, tokenizer : optional
        Continue training this model (fine-tuning a base model) with its tokenizer, instead of
        starting from a new one; ``tokenizer`` alone fixes the vocabulary of a new model.

    Returns
    -------
    (transformers.GPT2LMHeadModel, transformers.PreTrainedTokenizerFast, dict)
        The model in eval mode, its tokenizer, and training facts (``seconds``, ``parameters``,
        ``final_loss``).
    """
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    config = config or GPT2TrainConfig()
    texts = [str(t) for t in texts]
    if not texts or not any(texts):
        raise InputError("no training texts: pass a non-empty list of strings")
    started = time.perf_counter()
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(config.threads)
    try:
        torch.manual_seed(seed)
        rng = np.random.default_rng(seed)
        tokenizer = tokenizer if tokenizer is not None else char_tokenizer(texts, config.max_vocab)
        boundary = tokenizer.convert_tokens_to_ids(BOUNDARY)
        encoded = tokenizer(texts, add_special_tokens=False)["input_ids"]
        stream = [boundary]
        for i in rng.permutation(len(texts)):
            stream.extend(encoded[i])
            stream.append(boundary)
        stream = np.asarray(stream, dtype=np.int64)
        window = config.n_positions
        if model is None:
            model = GPT2LMHeadModel(GPT2Config(
                vocab_size=len(tokenizer), n_positions=config.n_positions, n_embd=config.n_embd,
                n_layer=config.n_layer, n_head=config.n_head, bos_token_id=boundary, eos_token_id=boundary,
                pad_token_id=tokenizer.pad_token_id))
        window = min(window, model.config.n_positions)
        if len(stream) <= window:
            stream = np.tile(stream, window // len(stream) + 2)
        optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, weight_decay=0.0)
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda step: 0.1 + 0.9 * 0.5 * (1 + np.cos(np.pi * min(step, config.steps) / config.steps)))
        offsets = np.arange(window)
        model.train()
        loss = torch.tensor(float("nan"))
        for _ in range(config.steps):
            starts = rng.integers(0, len(stream) - window, size=config.batch_size)
            batch = torch.from_numpy(stream[starts[:, None] + offsets])
            loss = model(input_ids=batch, labels=batch).loss
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
        model.eval()
    finally:
        torch.set_num_threads(previous_threads)
    facts = {"seconds": time.perf_counter() - started, "parameters": int(sum(p.numel() for p in model.parameters())),
             "final_loss": float(loss.item())}
    return model, tokenizer, facts


def hyperparameters(config: GPT2TrainConfig) -> dict:
    """``config`` as a flat dict for ``mlflow.log_params``."""
    return {f"gpt2_{k}": v for k, v in asdict(config).items()}


def log_transformers_lm(model, tokenizer, *, name: str = "model", registered_model_name: str | None = None):
    """Log ``model`` and ``tokenizer`` in the active MLflow run with the transformers flavor.

    Returns
    -------
    mlflow.models.model.ModelInfo
    """
    import mlflow
    import torch
    import transformers

    return mlflow.transformers.log_model(
        transformers_model={"model": model, "tokenizer": tokenizer}, name=name, task="text-generation",
        registered_model_name=registered_model_name,
        # Given, not inferred: inference imports every package transformers might use (torchvision, ...).
        pip_requirements=[f"transformers=={transformers.__version__}", f"torch=={torch.__version__.split('+')[0]}"])
