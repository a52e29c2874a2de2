"""``kind: openai``: a model behind an OpenAI-compatible HTTP API (vLLM, TGI, llama.cpp, SGLang, ...).

The URI is the API's base URL (``http://host:8000/v1``). ``endpoint: completions`` (default) uses
``/completions``: generation, and log-likelihoods from ``echo`` + ``logprobs`` where the server
returns prompt log-probabilities (vLLM does); ``endpoint: chat`` uses ``/chat/completions``, which
only generates. A server that returns no prompt log-probabilities is *generation-only*: the
tests that need likelihoods say so and are skipped, the generation tests run.

The API key is read from the environment variable ``api_key_env`` names (default
``OPENAI_API_KEY``; none sent when it is unset), never from the plan or a notebook parameter.
Only the configured URL is ever called.
"""

from __future__ import annotations

import os

from assess.errors import InputError
from assess.models.base import TEXT, ModelKind

DEFAULT_API_KEY_ENV = "OPENAI_API_KEY"


class OpenAIKind(ModelKind):
    """An OpenAI-compatible API's base URL."""

    name = "openai"
    capabilities = (TEXT,)
    options = {
        "model": "the served model's name (default: the first the server lists at /models)",
        "endpoint": "completions (default; can score texts) or chat (generation only)",
        "api_key_env": f"environment variable holding the API key (default {DEFAULT_API_KEY_ENV})",
        "timeout": "seconds per request, default 120",
        "batch_size": "prompts per request, default 16",
    }
    uri_help = "the API's base URL, e.g. http://127.0.0.1:8000/v1"

    @classmethod
    def detects(cls, uri, path):
        return uri.startswith(("http://", "https://"))

    def load(self, capability):
        from assess.models.openai_api import OpenAIClient, OpenAITextModel

        self.require(capability)
        endpoint = self.options.get("endpoint", "completions")
        if endpoint not in ("completions", "chat"):
            raise InputError(f"models.{self.spec.role}.endpoint is {endpoint!r}: use completions or chat")
        api_key_env = self.options.get("api_key_env", DEFAULT_API_KEY_ENV)
        if "api_key_env" in self.options and not os.environ.get(api_key_env):
            raise InputError(f"{self.where}: the environment variable {api_key_env} (api_key_env) is not set: export "
                             "the API key there")
        client = OpenAIClient(self.spec.uri, api_key=os.environ.get(api_key_env), where=self.where,
                              timeout=float(self.options.get("timeout", 120)))
        # Asked at load, so that a wrong URL, key or model name fails before any test runs.
        served = [str(m.get("id")) for m in client.request("/models").get("data") or []]
        model = self.options.get("model")
        if not model:
            if not served:
                raise InputError(f"{self.where} lists no model at /models: name it under model: in the plan")
            model = served[0]
        elif served and str(model) not in served:
            raise InputError(f"{self.where} serves {', '.join(served)}, not {model!r}: fix models.{self.spec.role}.model")
        return OpenAITextModel(client, str(model), endpoint=endpoint, batch_size=int(self.options.get("batch_size", 16)))
