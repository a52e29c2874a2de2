"""A small character-level language model (GRU) for the demo subject and for tests.

It is deliberately tiny (a few hundred thousand parameters) so that it trains on one CPU core in
about a minute, yet it memorises what it sees often enough, which is what the leakage
assessment must be able to show. It offers what the assessment needs of any text generator:

- :meth:`CharLM.log_likelihood` of strings (natural log, summed over characters);
- :meth:`CharLM.generate` greedy or sampled continuations of prompts;
- :meth:`CharLM.save` / :meth:`CharLM.load`, and MLflow logging as a registered pyfunc model
  (:func:`log_char_lm`) that loads offline from ``models:/<name>/latest`` (:func:`load_char_lm`).

Every sequence starts with a BOS token and ends with EOS, so a prompt is always read from the
start of a record, as in training.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import torch
from torch import nn

from assess.errors import InputError

PAD, BOS, EOS, UNK = 0, 1, 2, 3
_SPECIALS = ("<pad>", "<bos>", "<eos>", "<unk>")
#: Shown in generated text where the model emits the unknown-character token.
UNKNOWN_CHAR = "\ufffd"
_WEIGHTS_FILE = "weights.pt"
_CONFIG_FILE = "char_lm.json"


class CharVocab:
    """Characters <-> ids; ids 0-3 are PAD, BOS, EOS and UNK."""

    def __init__(self, chars: Sequence[str]):
        self.chars = list(chars)
        self.index = {c: i + len(_SPECIALS) for i, c in enumerate(self.chars)}

    @classmethod
    def build(cls, texts: Sequence[str], max_size: int = 2000) -> "CharVocab":
        """The ``max_size`` most frequent characters of ``texts`` (ties broken by code point)."""
        counts = Counter()
        for text in texts:
            counts.update(text)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return cls(sorted(c for c, _ in ranked[:max_size]))

    def __len__(self) -> int:
        return len(self.chars) + len(_SPECIALS)

    def encode(self, text: str) -> list[int]:
        """Ids of the characters of ``text`` (unknown characters -> UNK), without BOS/EOS."""
        return [self.index.get(c, UNK) for c in text]

    def decode(self, ids: Sequence[int]) -> str:
        """Text of ``ids``; stops at EOS, skips PAD/BOS, shows UNK as U+FFFD."""
        out = []
        for i in ids:
            i = int(i)
            if i == EOS:
                break
            if i in (PAD, BOS):
                continue
            out.append(UNKNOWN_CHAR if i == UNK else self.chars[i - len(_SPECIALS)])
        return "".join(out)


@dataclass
class TrainConfig:
    """How a :class:`CharLM` is built and trained.

    Parameters
    ----------
    embedding_dim, hidden_dim : int
        Sizes of the character embedding and of the GRU state.
    max_vocab : int
        Characters kept (most frequent); the rest map to UNK.
    seq_len, batch_size : int
        Training windows cut from the concatenated corpus, and windows per step.
    steps : int
        Optimiser steps (fixed, not a time budget, so training is reproducible).
    learning_rate : float
        Adam learning rate (cosine-decayed to 10% over ``steps``).
    threads : int
        torch CPU threads while training (1 keeps results identical across machines).
    """

    embedding_dim: int = 48
    hidden_dim: int = 192
    max_vocab: int = 2000
    seq_len: int = 128
    batch_size: int = 32
    steps: int = 600
    learning_rate: float = 3e-3
    threads: int = 1


class CharLM(nn.Module):
    """Embedding -> one GRU layer -> linear layer over the characters."""

    def __init__(self, vocab: CharVocab, embedding_dim: int = 48, hidden_dim: int = 192):
        super().__init__()
        self.vocab = vocab
        self.embedding_dim = embedding_dim
        self.hidden_dim = hidden_dim
        self.embed = nn.Embedding(len(vocab), embedding_dim, padding_idx=PAD)
        self.rnn = nn.GRU(embedding_dim, hidden_dim, batch_first=True)
        self.head = nn.Linear(hidden_dim, len(vocab))

    def forward(self, ids: torch.Tensor, state: torch.Tensor | None = None):
        """Logits for the next character at every position, and the final GRU state."""
        hidden, state = self.rnn(self.embed(ids), state)
        return self.head(hidden), state

    def parameter_count(self) -> int:
        """Number of trainable parameters."""
        return sum(p.numel() for p in self.parameters())

    # -- scoring ------------------------------------------------------------------------------
    @torch.no_grad()
    def log_likelihood(self, texts: Sequence[str], *, include_eos: bool = False, batch_size: int = 64) -> np.ndarray:
        """Natural-log likelihood of each text, read from the start of a record (after BOS).

        Parameters
        ----------
        texts : sequence of str
            Strings to score.
        include_eos : bool
            Also score the end of the record after the text.
        batch_size : int
            Texts per forward pass.

        Returns
        -------
        numpy.ndarray
            One float per text: the sum of log-probabilities of its characters.
        """
        self.eval()
        result = np.zeros(len(texts), dtype=np.float64)
        order = np.argsort([len(t) for t in texts], kind="stable")  # similar lengths pad less
        for start in range(0, len(texts), batch_size):
            chunk = order[start:start + batch_size]
            seqs = [[BOS] + self.vocab.encode(texts[i]) + ([EOS] if include_eos else []) for i in chunk]
            width = max(len(s) for s in seqs)
            ids = torch.full((len(seqs), width), PAD, dtype=torch.long)
            for row, seq in enumerate(seqs):
                ids[row, :len(seq)] = torch.tensor(seq)
            logits, _ = self(ids[:, :-1])
            logp = torch.log_softmax(logits, dim=-1)
            targets = ids[:, 1:]
            picked = logp.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
            picked = picked.masked_fill(targets == PAD, 0.0)
            result[chunk] = picked.sum(dim=1).double().numpy()
        return result

    # -- generation ---------------------------------------------------------------------------
    @torch.no_grad()
    def generate(self, prompts: Sequence[str], max_new_chars: int = 64, *, greedy: bool = True,
                 temperature: float = 1.0, seed: int = 0, stop_at_eos: bool = True,
                 batch_size: int = 128) -> list[str]:
        """Continue each prompt (read from the start of a record).

        Parameters
        ----------
        prompts : sequence of str
            Texts to continue; "" starts a new record.
        max_new_chars : int
            Characters generated at most per prompt.
        greedy : bool
            Take the most likely character (True) or sample (False).
        temperature : float
            Softmax temperature when sampling.
        seed : int
            Seed of the sampler.
        stop_at_eos : bool
            Cut a continuation at the end-of-record token.

        Returns
        -------
        list of str
            The continuations only (without the prompts).
        """
        self.eval()
        generator = torch.Generator().manual_seed(seed)
        out: list[str] = [""] * len(prompts)
        for start in range(0, len(prompts), batch_size):
            chunk = list(range(start, min(start + batch_size, len(prompts))))
            seqs = [[BOS] + self.vocab.encode(prompts[i]) for i in chunk]
            lengths = torch.tensor([len(s) for s in seqs])
            ids = torch.full((len(seqs), int(lengths.max())), PAD, dtype=torch.long)
            for row, seq in enumerate(seqs):
                ids[row, :len(seq)] = torch.tensor(seq)
            packed = nn.utils.rnn.pack_padded_sequence(self.embed(ids), lengths, batch_first=True, enforce_sorted=False)
            _, state = self.rnn(packed)
            logits = self.head(state[-1])
            generated = []
            finished = torch.zeros(len(chunk), dtype=torch.bool)
            for _ in range(max_new_chars):
                if greedy:
                    nxt = logits.argmax(dim=-1)
                else:
                    probs = torch.softmax(logits / max(temperature, 1e-6), dim=-1)
                    nxt = torch.multinomial(probs, 1, generator=generator).squeeze(-1)
                generated.append(nxt)
                finished |= nxt == EOS
                if stop_at_eos and bool(finished.all()):
                    break
                hidden, state = self.rnn(self.embed(nxt.unsqueeze(1)), state)
                logits = self.head(hidden[:, -1])
            matrix = torch.stack(generated, dim=1) if generated else torch.zeros((len(chunk), 0), dtype=torch.long)
            for row, index in enumerate(chunk):
                ids_row = matrix[row].tolist()
                if not stop_at_eos:
                    ids_row = [i for i in ids_row if i != EOS]
                out[index] = self.vocab.decode(ids_row)
        return out

    # -- persistence --------------------------------------------------------------------------
    def save(self, folder) -> Path:
        """Write weights and vocabulary to ``folder`` (created); return the folder."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        torch.save(self.state_dict(), folder / _WEIGHTS_FILE)
        config = {"chars": self.vocab.chars, "embedding_dim": self.embedding_dim, "hidden_dim": self.hidden_dim}
        (folder / _CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder) -> "CharLM":
        """Read a model written by :meth:`save`."""
        folder = Path(folder)
        config_path = folder / _CONFIG_FILE
        if not config_path.exists():
            raise InputError(f"{folder} holds no character LM ({_CONFIG_FILE} missing): pass a folder written by CharLM.save")
        config = json.loads(config_path.read_text(encoding="utf-8"))
        model = cls(CharVocab(config["chars"]), config["embedding_dim"], config["hidden_dim"])
        model.load_state_dict(torch.load(folder / _WEIGHTS_FILE, weights_only=True))
        model.eval()
        return model


def _training_stream(texts: Sequence[str], vocab: CharVocab, rng: np.random.Generator) -> np.ndarray:
    """All records, in a random order, as one id stream ``BOS text EOS BOS text EOS ...``."""
    pieces = []
    for i in rng.permutation(len(texts)):
        pieces.append(BOS)
        pieces.extend(vocab.encode(texts[i]))
        pieces.append(EOS)
    return np.asarray(pieces, dtype=np.int64)


def train_char_lm(texts: Sequence[str], config: TrainConfig | None = None, *, seed: int = 0,
                  progress=None) -> CharLM:
    """Train a :class:`CharLM` on ``texts``, deterministically for a given ``seed``.

    Parameters
    ----------
    texts : sequence of str
        Training records (each read from BOS to EOS).
    config : TrainConfig, optional
        Sizes and schedule; defaults to :class:`TrainConfig`.
    seed : int
        Seeds torch and the window sampler.
    progress : callable, optional
        Called as ``progress(step, loss)`` every 50 steps.

    Returns
    -------
    CharLM
        The trained model, in eval mode.
    """
    config = config or TrainConfig()
    texts = [str(t) for t in texts]
    if not texts or not any(texts):
        raise InputError("no training texts: pass a non-empty list of strings")
    previous_threads = torch.get_num_threads()
    torch.set_num_threads(config.threads)
    try:
        torch.manual_seed(seed)
        rng = np.random.default_rng(seed)
        vocab = CharVocab.build(texts, config.max_vocab)
        model = CharLM(vocab, config.embedding_dim, config.hidden_dim)
        stream = _training_stream(texts, vocab, rng)
        window = config.seq_len + 1
        if len(stream) <= window:
            stream = np.tile(stream, window // len(stream) + 2)
        optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda step: 0.1 + 0.9 * 0.5 * (1 + np.cos(np.pi * min(step, config.steps) / config.steps))
        )
        offsets = np.arange(window)
        model.train()
        for step in range(config.steps):
            starts = rng.integers(0, len(stream) - window, size=config.batch_size)
            batch = torch.from_numpy(stream[starts[:, None] + offsets])
            logits, _ = model(batch[:, :-1])
            loss = nn.functional.cross_entropy(logits.reshape(-1, len(vocab)), batch[:, 1:].reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            if progress is not None and (step % 50 == 0 or step == config.steps - 1):
                progress(step, loss.item())
        model.eval()
        return model
    finally:
        torch.set_num_threads(previous_threads)


# -- MLflow ---------------------------------------------------------------------------------------
def _pyfunc_class():
    """The pyfunc wrapper class (defined lazily so that importing this module needs no MLflow)."""
    import mlflow.pyfunc

    class CharLMPyfunc(mlflow.pyfunc.PythonModel):
        """MLflow pyfunc wrapper of :class:`CharLM`.

        ``predict(DataFrame{"text": [...]}, params={"task": "generate" | "log_likelihood", ...})``
        returns continuations (``generate``: params ``max_new_chars``, ``greedy``, ``seed``) or
        log-likelihoods (``log_likelihood``). :func:`load_char_lm` unwraps the model itself.
        """

        def load_context(self, context):
            self.lm = CharLM.load(context.artifacts["char_lm"])

        def predict(self, context, model_input, params=None):
            import pandas as pd

            params = dict(params or {})
            texts = [str(t) for t in pd.DataFrame(model_input)["text"].tolist()]
            if params.get("task", "generate") == "log_likelihood":
                return pd.DataFrame({"log_likelihood": self.lm.log_likelihood(texts)})
            continuations = self.lm.generate(
                texts,
                int(params.get("max_new_chars", 64)),
                greedy=bool(params.get("greedy", True)),
                seed=int(params.get("seed", 0)),
            )
            return pd.DataFrame({"generated": continuations})

    return CharLMPyfunc


def log_char_lm(model: CharLM, *, name: str = "model", registered_model_name: str | None = None):
    """Log ``model`` as a pyfunc model in the active MLflow run, optionally registering it.

    Parameters
    ----------
    model : CharLM
        The trained model.
    name : str
        Name of the logged model in the run.
    registered_model_name : str, optional
        Registry name; a new version is created when given.

    Returns
    -------
    mlflow.models.model.ModelInfo
        ``.model_uri`` and, when registered, ``.registered_model_version``.
    """
    import tempfile

    import mlflow
    import pandas as pd
    from mlflow.models import infer_signature

    with tempfile.TemporaryDirectory() as tmp:
        folder = model.save(Path(tmp) / "char_lm")
        example = pd.DataFrame({"text": ["hello"]})
        signature = infer_signature(
            example, pd.DataFrame({"generated": ["x"]}),
            params={"task": "generate", "max_new_chars": 64, "greedy": True, "seed": 0},
        )
        return mlflow.pyfunc.log_model(
            name=name,
            python_model=_pyfunc_class()(),
            artifacts={"char_lm": str(folder)},
            signature=signature,
            registered_model_name=registered_model_name,
            pip_requirements=[f"torch=={torch.__version__.split('+')[0]}", "pandas", "numpy"],
        )


def load_char_lm(model_uri: str) -> CharLM:
    """Load a :class:`CharLM` logged by :func:`log_char_lm` (e.g. ``models:/name/latest``)."""
    import mlflow.pyfunc

    wrapper = mlflow.pyfunc.load_model(model_uri).unwrap_python_model()
    lm = getattr(wrapper, "lm", None)
    if not isinstance(lm, CharLM):
        raise InputError(f"{model_uri} is not a character LM logged by assess.textgen: pass such a model")
    return lm


def hyperparameters(config: TrainConfig) -> dict:
    """``config`` as a flat dict for ``mlflow.log_params``."""
    return {f"textgen_{k}": v for k, v in asdict(config).items()}
