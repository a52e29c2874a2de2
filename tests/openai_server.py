"""A real OpenAI-compatible HTTP server in front of a transformers causal LM, for tests and benchmarks.

It speaks the wire format of vLLM's server (``/v1/models``, ``/v1/completions``,
``/v1/chat/completions``) over stdlib ``http.server`` on 127.0.0.1, so clients are tested against
real HTTP and a real model rather than a mock. ``tiny_gpt2`` builds a small character-level GPT-2
offline (from a config, never from the hub) and can train it to memorise a few strings.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import torch

EOS, PAD, UNK = "<|endoftext|>", "<pad>", "<unk>"


class RequestError(Exception):
    """A request the server refuses, with the HTTP status and the OpenAI error fields."""

    def __init__(self, status: int, message: str, type_: str = "invalid_request_error", code: str | None = None):
        super().__init__(message)
        self.status, self.message, self.type, self.code = status, message, type_, code


def tiny_gpt2(texts, *, seed=0, steps=0):
    """A tiny character-level GPT-2 and its fast tokenizer, built offline and optionally trained on `texts`.

    Parameters
    ----------
    texts : list of str
        The characters of these texts make the vocabulary; training uses each text followed by EOS.
    seed : int
        Seeds the weights' initialisation and the training.
    steps : int
        Adam steps over the whole batch of `texts`; enough of them (a few hundred) memorise the texts.

    Returns
    -------
    model : transformers.GPT2LMHeadModel
        In eval mode.
    tokenizer : transformers.PreTrainedTokenizerFast
        One token per character, with eos, pad and unk tokens; decoding concatenates characters.
    """
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    chars = sorted({c for text in texts for c in text})
    vocab = {token: i for i, token in enumerate([EOS, PAD, UNK, *chars])}
    core = Tokenizer(models.WordLevel(vocab, unk_token=UNK))
    core.pre_tokenizer = pre_tokenizers.Split(Regex(r"[\s\S]"), behavior="isolated")
    core.decoder = decoders.Fuse()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=core, eos_token=EOS, pad_token=PAD, unk_token=UNK)

    torch.manual_seed(seed)
    config = GPT2Config(vocab_size=len(vocab), n_positions=256, n_embd=64, n_layer=2, n_head=2,
                        bos_token_id=vocab[EOS], eos_token_id=vocab[EOS], pad_token_id=vocab[PAD])
    model = GPT2LMHeadModel(config)
    if steps:
        batch = tokenizer([text + EOS for text in texts], padding=True, return_tensors="pt")
        labels = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
        optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
        model.train()
        for _ in range(steps):
            optimizer.zero_grad()
            model(**batch, labels=labels).loss.backward()
            optimizer.step()
    model.eval()
    return model, tokenizer


class LanguageModel:
    """The model side of the server: scoring and decoding one prompt at a time, under one lock."""

    def __init__(self, model, tokenizer):
        self.model, self.tokenizer = model, tokenizer
        self.lock = threading.Lock()
        # GPT-2 names it n_positions; its config maps the common name max_position_embeddings onto it
        self.context_length = getattr(model.config, "max_position_embeddings", None) or 10**9

    def token_text(self, token_id: int) -> str:
        return self.tokenizer.decode([token_id])

    def log_probs(self, ids: list[int]) -> torch.Tensor:
        """Natural-log next-token distributions after each prefix of `ids`, shape (len(ids), vocab)."""
        with torch.no_grad():
            logits = self.model(torch.tensor([ids])).logits[0]
        return torch.log_softmax(logits.float(), dim=-1)

    def top(self, row: torch.Tensor, k: int, chosen: int) -> dict[str, float]:
        """The `k` most likely tokens of one distribution, plus the chosen one (vLLM reports it too)."""
        ids = torch.topk(row, k).indices.tolist() if k else []
        if chosen not in ids:
            ids.append(chosen)
        return {self.token_text(i): float(row[i]) for i in ids}

    def complete(self, ids, *, max_tokens, temperature, top_p, seed, stop, top_k):
        """Decode up to `max_tokens` tokens after `ids`.

        Returns
        -------
        generated : list of (token id, logprob, top logprobs dict)
        text : str
            The generated text, cut before the first stop string.
        finish_reason : str
            ``"stop"`` (EOS or a stop string) or ``"length"``.
        """
        generator = torch.Generator()
        # unseeded sampling varies between requests, as on vLLM; a seed makes it repeat
        if seed is None:
            generator.seed()
        else:
            generator.manual_seed(seed)
        eos = self.tokenizer.eos_token_id
        limit = self.context_length
        sequence, generated, finish = list(ids), [], "length"
        with self.lock:
            while len(generated) < max_tokens and len(sequence) < limit:
                row = self.log_probs(sequence)[-1]
                token = self.pick(row, temperature, top_p, generator)
                generated.append((token, float(row[token]), self.top(row, top_k, token)))
                sequence.append(token)
                if token == eos:
                    finish = "stop"
                    break
                text = self.tokenizer.decode([t for t, _, _ in generated])
                if any(s in text for s in stop):
                    finish = "stop"
                    break
        kept = [g for g in generated if g[0] != eos]
        text = self.tokenizer.decode([t for t, _, _ in kept])
        cut = min([text.find(s) for s in stop if s in text], default=-1)
        if cut >= 0:
            text, total, trimmed = text[:cut], 0, []
            for g in kept:
                if total >= cut:
                    break
                trimmed.append(g)
                total += len(self.token_text(g[0]))
            kept = trimmed
        return kept, text, finish, len(generated)

    @staticmethod
    def pick(row, temperature, top_p, generator) -> int:
        if not temperature:
            return int(torch.argmax(row))
        probs = torch.softmax(row / temperature, dim=-1)
        if top_p is not None and top_p < 1:
            order = torch.argsort(probs, descending=True)
            keep = torch.cumsum(probs[order], 0) - probs[order] < top_p
            mask = torch.zeros_like(probs, dtype=torch.bool)
            mask[order[keep]] = True
            probs = torch.where(mask, probs, torch.zeros_like(probs))
        return int(torch.multinomial(probs, 1, generator=generator))

    def prompt_scores(self, ids, top_k):
        """Logprob and top alternatives of each prompt token given its prefix; the first has none."""
        with self.lock:
            rows = self.log_probs(ids)
        scored = [(ids[0], None, None)]
        for position in range(1, len(ids)):
            row = rows[position - 1]
            scored.append((ids[position], float(row[ids[position]]), self.top(row, top_k, ids[position])))
        return scored


def completion_logprobs(lm: LanguageModel, scored, offset0: int = 0) -> dict:
    """The legacy completions ``logprobs`` object for (token id, logprob, top) triples."""
    tokens, offsets, offset = [], [], offset0
    for token, _, _ in scored:
        text = lm.token_text(token)
        tokens.append(text)
        offsets.append(offset)
        offset += len(text)
    return {"tokens": tokens, "token_logprobs": [lp for _, lp, _ in scored],
            "top_logprobs": [top for _, _, top in scored], "text_offset": offsets}


def _number(body, key, default, kind=float, minimum=None):
    value = body.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not isinstance(value, int)):
        raise RequestError(400, f"'{key}' must be a{'n integer' if kind is int else ' number'}, got {value!r}",
                           code="invalid_value")
    if minimum is not None and value < minimum:
        raise RequestError(400, f"'{key}' must be at least {minimum}, got {value!r}", code="invalid_value")
    return kind(value)


def _stops(body) -> list[str]:
    stop = body.get("stop")
    if stop is None:
        return []
    stop = [stop] if isinstance(stop, str) else stop
    if not isinstance(stop, list) or not all(isinstance(s, str) and s for s in stop):
        raise RequestError(400, "'stop' must be a string or a list of non-empty strings", code="invalid_value")
    return stop


class Service:
    """The OpenAI endpoints over one LanguageModel: request dict in, response dict out."""

    def __init__(self, lm: LanguageModel, model_name: str, logprobs: bool):
        self.lm, self.model_name, self.logprobs = lm, model_name, logprobs

    def models(self) -> dict:
        return {"object": "list", "data": [{"id": self.model_name, "object": "model", "created": 0,
                                            "owned_by": "assess-tests"}]}

    def check_model(self, body):
        if body.get("model") != self.model_name:
            raise RequestError(404, f"The model `{body.get('model')}` does not exist.", "NotFoundError",
                               "model_not_found")

    def encode(self, text: str) -> list[int]:
        ids = self.lm.tokenizer(text, add_special_tokens=False)["input_ids"]
        if not ids:
            raise RequestError(400, "the prompt is empty", code="invalid_value")
        limit = self.lm.context_length
        if len(ids) > limit:
            raise RequestError(400, f"This model's maximum context length is {limit} tokens; the prompt has "
                               f"{len(ids)}.", code="context_length_exceeded")
        return ids

    def sampling(self, body, default_tokens):
        if _number(body, "n", 1, int, 1) != 1:
            raise RequestError(400, "only n=1 is supported", code="invalid_value")
        return dict(max_tokens=_number(body, "max_tokens", default_tokens, int, 0),
                    temperature=_number(body, "temperature", 1.0, float, 0),
                    top_p=_number(body, "top_p", 1.0, float, 0),
                    seed=_number(body, "seed", None, int), stop=_stops(body))

    def completions(self, body) -> dict:
        self.check_model(body)
        prompts = body.get("prompt")
        prompts = [prompts] if isinstance(prompts, str) else prompts
        if not isinstance(prompts, list) or not prompts or not all(isinstance(p, str) for p in prompts):
            raise RequestError(400, "'prompt' must be a string or a non-empty list of strings", code="invalid_value")
        options = self.sampling(body, 16)
        top_k = _number(body, "logprobs", None, int, 0)
        echo = bool(body.get("echo", False))
        if options["max_tokens"] == 0 and not echo:
            raise RequestError(400, "'max_tokens' must be at least 1 unless 'echo' is set", code="invalid_value")
        choices, prompt_tokens, completion_tokens = [], 0, 0
        for index, prompt in enumerate(prompts):
            ids = self.encode(prompt)
            generated, text, finish, count = self.lm.complete(ids, top_k=top_k or 0, **options)
            scored = (self.lm.prompt_scores(ids, top_k or 0) if echo else []) + generated
            logprobs = None
            if top_k is not None and self.logprobs:
                logprobs = completion_logprobs(self.lm, scored)
            choices.append({"index": index, "text": (prompt if echo else "") + text, "finish_reason": finish,
                            "logprobs": logprobs, "stop_reason": None})
            prompt_tokens += len(ids)
            completion_tokens += count
        return {"id": f"cmpl-{uuid.uuid4().hex}", "object": "text_completion", "created": int(time.time()),
                "model": self.model_name, "choices": choices, "usage": self.usage(prompt_tokens, completion_tokens)}

    def chat_prompt(self, messages) -> str:
        if not isinstance(messages, list) or not messages or not all(
                isinstance(m, dict) and isinstance(m.get("role"), str) and isinstance(m.get("content"), str)
                for m in messages):
            raise RequestError(400, "'messages' must be a non-empty list of {role, content} strings",
                               code="invalid_value")
        if getattr(self.lm.tokenizer, "chat_template", None):
            return self.lm.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        return "".join(f"{m['role']}: {m['content']}\n" for m in messages) + "assistant: "

    def chat(self, body) -> dict:
        self.check_model(body)
        ids = self.encode(self.chat_prompt(body.get("messages")))
        options = self.sampling(body, 16)
        if options["max_tokens"] == 0:
            raise RequestError(400, "'max_tokens' must be at least 1", code="invalid_value")
        want = bool(body.get("logprobs", False))
        top_k = _number(body, "top_logprobs", 0, int, 0)
        generated, text, finish, count = self.lm.complete(ids, top_k=top_k, **options)
        logprobs = None
        if want and self.logprobs:
            logprobs = {"content": [
                {"token": self.lm.token_text(token), "logprob": lp,
                 "bytes": list(self.lm.token_text(token).encode()),
                 "top_logprobs": [{"token": t, "logprob": v, "bytes": list(t.encode())}
                                  for t, v in sorted(top.items(), key=lambda kv: -kv[1])][:top_k]}
                for token, lp, top in generated]}
        return {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion", "created": int(time.time()),
                "model": self.model_name,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                             "finish_reason": finish, "logprobs": logprobs}],
                "usage": self.usage(len(ids), count)}

    @staticmethod
    def usage(prompt_tokens, completion_tokens):
        return {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens}


def _handler(service: Service, api_key: str | None):
    routes = {("GET", "/v1/models"): lambda body: service.models(),
              ("POST", "/v1/completions"): service.completions,
              ("POST", "/v1/chat/completions"): service.chat}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # tests read responses, not a request log on stderr
            pass

        def send_json(self, status: int, payload: dict):
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def handle_method(self, method: str):
            try:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if api_key is not None and self.headers.get("Authorization") != f"Bearer {api_key}":
                    raise RequestError(401, "Incorrect API key provided.", code="invalid_api_key")
                route = routes.get((method, self.path.split("?")[0].rstrip("/")))
                if route is None:
                    raise RequestError(404, f"no route {method} {self.path}", "NotFoundError", "not_found")
                body = {}
                if method == "POST":
                    try:
                        body = json.loads(raw)
                    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                        raise RequestError(400, f"the request body is not valid JSON: {exc}",
                                           code="invalid_json") from None
                    if not isinstance(body, dict):
                        raise RequestError(400, "the request body must be a JSON object", code="invalid_json")
                self.send_json(200, route(body))
            except RequestError as exc:
                self.send_json(exc.status, {"error": {"message": exc.message, "type": exc.type, "code": exc.code}})
            except Exception as exc:  # a server bug answers 500 with its reason instead of dropping the connection
                self.send_json(500, {"error": {"message": f"{type(exc).__name__}: {exc}",
                                               "type": "InternalServerError", "code": None}})

        def do_GET(self):
            self.handle_method("GET")

        def do_POST(self):
            self.handle_method("POST")

    return Handler


@contextmanager
def openai_server(model, tokenizer, *, model_name="tiny-gpt2", api_key=None, logprobs=True) -> Iterator[str]:
    """Serve `model` (a transformers causal LM) at http://127.0.0.1:<free port>/v1; yields that base URL; stops after.

    Parameters
    ----------
    model : transformers.PreTrainedModel
        A causal LM; requests are served one model call at a time.
    tokenizer : transformers.PreTrainedTokenizerBase
        Its tokenizer; its chat template, if it has one, makes chat prompts.
    model_name : str
        The id ``/v1/models`` lists and requests must name.
    api_key : str or None
        When set, requests without ``Authorization: Bearer <api_key>`` get 401.
    logprobs : bool
        False simulates a server that ignores log-probability requests (``logprobs: null``).

    Returns
    -------
    Iterator[str]
        The base URL, e.g. ``http://127.0.0.1:41234/v1``.
    """
    service = Service(LanguageModel(model, tokenizer), model_name, logprobs)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(service, api_key))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="openai-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
