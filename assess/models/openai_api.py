"""A client of one OpenAI-compatible base URL, and the text model it serves."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import numpy as np

from assess.errors import InputError
from assess.leakage.generators import TextModel
from assess.leakage.lm_attacks import TokenScores
from assess.models.base import CapabilityError

class OpenAIClient:
    """POSTs JSON to one OpenAI-compatible base URL; every failure is one line naming the URL and the fix."""

    def __init__(self, base_url: str, *, api_key: str | None, timeout: float, where: str):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.where = where

    def request(self, path: str, body: dict | None = None) -> dict:
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.base_url + path, data=data, headers=headers,
                                         method="GET" if body is None else "POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            detail = _error_message(exc)
            if exc.code in (401, 403):
                raise InputError(f"{self.where} refused the API key (HTTP {exc.code}: {detail}): set the key in the "
                                 "environment variable the plan's api_key_env names") from None
            raise InputError(f"{self.where} answered {path} with HTTP {exc.code} ({detail}): check the base URL, the "
                             "model name and the endpoint") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise InputError(f"{self.where} did not answer ({reason}): start the server or fix the URI") from None
        except json.JSONDecodeError:
            raise InputError(f"{self.where} answered {path} with something other than JSON: is the URI the API's /v1 "
                             "base URL?") from None


def _error_message(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read().decode("utf-8"))
        return str(body.get("error", {}).get("message", body))[:200]
    except Exception:  # noqa: BLE001 - any unreadable error body
        return exc.reason or "no detail"


class OpenAITextModel(TextModel):
    """Texts scored (``echo`` + ``logprobs``) and continued through an OpenAI-compatible API.

    Parameters
    ----------
    client : OpenAIClient
        The API.
    model : str
        The served model's name (``model`` in each request).
    endpoint : {"completions", "chat"}
        Which API generates; only ``completions`` can score texts.
    batch_size : int
        Prompts per request.
    """

    def __init__(self, client: OpenAIClient, model: str, *, endpoint: str = "completions", batch_size: int = 16):
        self.client = client
        self.model = model
        self.endpoint = endpoint
        self.batch_size = batch_size
        self._scores_texts: bool | None = None

    def can_score(self) -> bool:
        if self.endpoint != "completions":
            return False
        if self._scores_texts is None:
            try:
                self.token_scores(["probe"])
            except CapabilityError:
                self._scores_texts = False
        return bool(self._scores_texts)

    def scoring_gap(self) -> str:
        if self.endpoint != "completions":
            return "the chat endpoint returns no log-probabilities of a given text; use endpoint: completions"
        return ("the server returned no prompt log-probabilities (echo with logprobs); use a server that does "
                "(vLLM) or kind: transformers on the weights")

    def token_scores(self, texts) -> list[TokenScores]:
        if self.endpoint != "completions":
            raise CapabilityError(f"{self.client.where} cannot score texts: {self.scoring_gap()}")
        texts = [str(t) for t in texts]
        results: list[TokenScores] = []
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start:start + self.batch_size]
            # max_tokens 1, not 0: servers differ on 0; the one generated token is dropped below.
            answer = self.client.request("/completions", {"model": self.model, "prompt": batch, "max_tokens": 1,
                                                          "echo": True, "logprobs": 0, "temperature": 0})
            choices = sorted(answer.get("choices", []), key=lambda c: c.get("index", 0))
            if len(choices) != len(batch):
                raise InputError(f"{self.client.where} answered {len(choices)} choices for {len(batch)} prompts")
            for text, choice in zip(batch, choices):
                results.append(TokenScores(_prompt_log_probs(text, choice.get("logprobs"), self)))
        self._scores_texts = True
        return results

    def log_likelihood(self, texts) -> np.ndarray:
        return np.asarray([s.log_likelihood for s in self.token_scores(texts)], dtype=np.float64)

    def generate(self, prompts, max_new_chars, greedy=True, seed: int = 0):
        prompts = [str(p) for p in prompts]
        sampling = {"max_tokens": int(max_new_chars), "temperature": 0 if greedy else 1.0, "seed": int(seed)}
        outputs: list[str] = []
        if self.endpoint == "chat":
            for prompt in prompts:
                answer = self.client.request("/chat/completions", {
                    "model": self.model, "messages": [{"role": "user", "content": prompt}], **sampling})
                outputs.append(str(answer["choices"][0]["message"].get("content") or "")[:max_new_chars])
            return outputs
        for start in range(0, len(prompts), self.batch_size):
            batch = prompts[start:start + self.batch_size]
            answer = self.client.request("/completions", {"model": self.model, "prompt": batch, **sampling})
            choices = sorted(answer.get("choices", []), key=lambda c: c.get("index", 0))
            outputs.extend(str(c.get("text", ""))[:max_new_chars] for c in choices)
        return outputs


def _prompt_log_probs(text: str, logprobs: dict | None, model: OpenAITextModel) -> np.ndarray:
    """Log-probabilities of the prompt's tokens from an echoed completion (the unscored first one dropped)."""
    if not logprobs or not logprobs.get("token_logprobs"):
        raise CapabilityError(f"{model.client.where} cannot score texts: {model.scoring_gap()}")
    values = logprobs["token_logprobs"]
    offsets = logprobs.get("text_offset") or list(range(len(values)))
    # The echoed prompt's tokens start before len(text); the generated token starts at or after it.
    prompt = [v for v, offset in zip(values, offsets) if offset < len(text)]
    if not prompt and text:
        raise CapabilityError(f"{model.client.where} cannot score texts: {model.scoring_gap()}")
    return np.asarray([v for v in prompt if v is not None], dtype=np.float64)
