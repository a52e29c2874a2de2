"""Text generators seen through the operations the leakage tests need.

- ``log_likelihood(texts) -> array``: natural-log likelihood of each text, read from the start of
  a record;
- ``token_scores(texts) -> list[TokenScores]``: per-token log-probabilities (and, where the model
  gives its whole next-token distribution, their mean and spread), for the LM attacks;
- ``generate(prompts, max_new_chars, greedy=True, seed=0) -> list[str]``: continuations only.

A model that only generates (an API without log-probabilities) says so through ``can_score()``.
The model kinds of :mod:`assess.models` load a plan's model into one of these.

Adapters: an object that already has both methods (e.g. :class:`assess.textgen.CharLM`), an MLflow
pyfunc model (a wrapped ``CharLM`` is unwrapped; any other pyfunc is called with
``DataFrame({"text": ...})`` and ``params={"task": "log_likelihood" | "generate", ...}``), or a
pair of callables.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Sequence

import numpy as np
import pandas as pd

from assess.errors import InputError


class TextModel:
    """A text generator that scores and continues strings."""

    def log_likelihood(self, texts: Sequence[str]) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError

    def generate(self, prompts: Sequence[str], max_new_chars: int, greedy: bool = True,
                 seed: int = 0) -> list[str]:  # pragma: no cover - interface
        raise NotImplementedError

    def token_scores(self, texts: Sequence[str]) -> list:
        """Per-token scores (:class:`assess.leakage.lm_attacks.TokenScores`) of each text."""
        raise InputError(f"{type(self).__name__} gives no per-token log-probabilities: the token-level attacks "
                         "(Min-K%, Min-K%++) need a model of kind transformers or openai")

    def can_score(self) -> bool:
        """True when ``log_likelihood`` works (False for a generation-only model)."""
        return True

    def scoring_gap(self) -> str:
        """Why ``can_score()`` is False, and the fix."""
        return ""


@contextmanager
def torch_threads(threads: int | None):
    """Run torch with ``threads`` CPU threads (None: unchanged), restoring the setting after.

    Small models are not faster with more threads, and on a busy machine extra threads make
    scoring many times slower, so the leakage tests use one thread by default.
    """
    if threads is None:
        yield
        return
    import torch

    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


class DirectTextModel(TextModel):
    """An object with ``log_likelihood`` and ``generate`` methods of the expected shape."""

    def __init__(self, model, threads: int | None = 1):
        self.model = model
        self.threads = threads

    @classmethod
    def accepts(cls, model) -> bool:
        return callable(getattr(model, "log_likelihood", None)) and callable(getattr(model, "generate", None))

    def log_likelihood(self, texts):
        with torch_threads(self.threads):
            return np.asarray(self.model.log_likelihood(list(texts)), dtype=np.float64)

    def generate(self, prompts, max_new_chars, greedy=True, seed=0):
        import inspect

        # The documented shape is generate(prompts, max_new_chars, greedy); seed only where accepted.
        extra = {"seed": seed} if "seed" in inspect.signature(self.model.generate).parameters else {}
        with torch_threads(self.threads):
            return list(self.model.generate(list(prompts), max_new_chars, greedy=greedy, **extra))


class PyfuncTextModel(TextModel):
    """An MLflow pyfunc text generator (see the module docstring for its contract)."""

    def __init__(self, model):
        self.model = model

    @classmethod
    def accepts(cls, model) -> bool:
        return type(model).__name__ == "PyFuncModel"

    def _predict(self, texts, params: dict) -> pd.DataFrame | np.ndarray:
        return self.model.predict(pd.DataFrame({"text": list(texts)}), params=params)

    def log_likelihood(self, texts):
        output = self._predict(texts, {"task": "log_likelihood"})
        if isinstance(output, pd.DataFrame):
            output = output["log_likelihood"] if "log_likelihood" in output else output.iloc[:, 0]
        return np.asarray(output, dtype=np.float64).reshape(-1)

    def generate(self, prompts, max_new_chars, greedy=True, seed=0):
        output = self._predict(prompts, {"task": "generate", "max_new_chars": int(max_new_chars), "greedy": bool(greedy),
                                         "seed": int(seed)})
        if isinstance(output, pd.DataFrame):
            output = output["generated"] if "generated" in output else output.iloc[:, 0]
        return [str(t) for t in list(output)]


class CallableTextModel(TextModel):
    """Two functions: ``log_likelihood(texts)`` and ``generate(prompts, max_new_chars, greedy)``."""

    def __init__(self, log_likelihood: Callable, generate: Callable | None = None):
        self._log_likelihood = log_likelihood
        self._generate = generate

    def log_likelihood(self, texts):
        return np.asarray(self._log_likelihood(list(texts)), dtype=np.float64)

    def generate(self, prompts, max_new_chars, greedy=True, seed=0):
        if self._generate is None:
            raise InputError("this text model cannot generate: pass a generate function")
        return list(self._generate(list(prompts), max_new_chars, greedy))


def as_text_model(model, *, threads: int | None = 1) -> TextModel:
    """Wrap ``model`` (CharLM-like object, MLflow pyfunc, or :class:`TextModel`) for the leakage tests.

    Parameters
    ----------
    model : object
        The generator.
    threads : int or None
        torch CPU threads while scoring a torch model (None: torch's default).
    """
    if isinstance(model, TextModel):
        return model
    if PyfuncTextModel.accepts(model):
        try:
            inner = getattr(model.unwrap_python_model(), "lm", None)
        except Exception:  # noqa: BLE001 - not a Python-model pyfunc
            inner = None
        if inner is not None and DirectTextModel.accepts(inner):
            return DirectTextModel(inner, threads)
        return PyfuncTextModel(model)
    if DirectTextModel.accepts(model):
        return DirectTextModel(model, threads)
    raise InputError(
        f"{type(model).__name__} is not a text generator the leakage test can drive: give it "
        "log_likelihood(texts) and generate(prompts, max_new_chars, greedy), or log it as a pyfunc"
    )
