"""The test OpenAI-compatible server: real HTTP on 127.0.0.1 in front of a real tiny GPT-2."""

from __future__ import annotations

import json
import math
import socket
import urllib.error
import urllib.request

import pytest
import torch

from openai_server import openai_server, tiny_gpt2

TEXTS = ["the cat sat on the mat.", "a dog ran in the park."]


@pytest.fixture(scope="module")
def trained():
    return tiny_gpt2(TEXTS, seed=0, steps=150)


def call(url, payload=None, *, key=None):
    """(status, JSON body) of a GET (no payload) or POST to `url`."""
    data = None if payload is None else (payload if isinstance(payload, bytes) else json.dumps(payload).encode())
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def test_greedy_completion_is_deterministic_and_equals_generate(trained):
    model, tokenizer = trained
    prompt = "the cat"
    ids = tokenizer(prompt, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        out = model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False, max_new_tokens=12)
    expected = tokenizer.decode(out[0, ids.shape[1]:], skip_special_tokens=True)
    with openai_server(model, tokenizer) as base:
        status, models = call(f"{base}/models")
        assert status == 200 and models["data"][0]["id"] == "tiny-gpt2"
        request = {"model": "tiny-gpt2", "prompt": prompt, "max_tokens": 12, "temperature": 0}
        first, second = call(f"{base}/completions", request), call(f"{base}/completions", request)
    assert first[0] == 200 and first[1]["object"] == "text_completion"
    assert first[1]["choices"][0]["text"] == second[1]["choices"][0]["text"] == expected
    assert expected.startswith(" sat on"), expected  # the model memorised the text


def test_echo_logprobs_sum_to_the_models_log_likelihood(trained):
    model, tokenizer = trained
    prompts = ["the cat sat on the mat.", "a dog sat in the park."]
    with openai_server(model, tokenizer) as base:
        status, body = call(f"{base}/completions", {"model": "tiny-gpt2", "prompt": prompts, "max_tokens": 0,
                                                    "echo": True, "logprobs": 3, "temperature": 0})
    assert status == 200 and len(body["choices"]) == 2
    for prompt, choice in zip(prompts, body["choices"]):
        ids = tokenizer(prompt)["input_ids"]
        with torch.no_grad():
            logp = torch.log_softmax(model(torch.tensor([ids])).logits[0].float(), -1)
        direct = sum(float(logp[i - 1, ids[i]]) for i in range(1, len(ids)))
        lp = choice["logprobs"]
        assert choice["text"] == prompt
        assert "".join(lp["tokens"]) == prompt and len(lp["token_logprobs"]) == len(ids)
        assert lp["token_logprobs"][0] is None and lp["top_logprobs"][0] is None
        assert all(isinstance(v, float) for v in lp["token_logprobs"][1:])
        assert math.isclose(sum(lp["token_logprobs"][1:]), direct, abs_tol=1e-4)
        assert lp["text_offset"] == [prompt.index(t, o) for t, o in zip(lp["tokens"], lp["text_offset"])]
        assert all(3 <= len(top) <= 4 for top in lp["top_logprobs"][1:])
    # the memorised text is more likely than the altered one
    assert sum(body["choices"][0]["logprobs"]["token_logprobs"][1:]) > sum(
        body["choices"][1]["logprobs"]["token_logprobs"][1:])


def test_seeded_sampling_repeats_and_stop_cuts(trained):
    model, tokenizer = trained
    with openai_server(model, tokenizer) as base:
        request = {"model": "tiny-gpt2", "prompt": "a", "max_tokens": 10, "temperature": 1.5, "top_p": 0.9,
                   "seed": 7}
        a, b = call(f"{base}/completions", request)[1], call(f"{base}/completions", request)[1]
        _, stopped = call(f"{base}/completions", {"model": "tiny-gpt2", "prompt": "the cat", "max_tokens": 12,
                                                  "temperature": 0, "stop": ["on"], "logprobs": 1})
    assert a["choices"][0]["text"] == b["choices"][0]["text"]
    choice = stopped["choices"][0]
    assert choice["text"] == " sat " and choice["finish_reason"] == "stop"
    assert "".join(choice["logprobs"]["tokens"]) == " sat "


def test_chat_answers_with_logprobs(trained):
    model, tokenizer = trained
    with openai_server(model, tokenizer) as base:
        status, body = call(f"{base}/chat/completions", {
            "model": "tiny-gpt2", "messages": [{"role": "user", "content": "the cat"}], "max_tokens": 5,
            "temperature": 0, "logprobs": True, "top_logprobs": 2})
    assert status == 200 and body["object"] == "chat.completion"
    choice = body["choices"][0]
    content = choice["logprobs"]["content"]
    assert "".join(c["token"] for c in content) == choice["message"]["content"] and len(content) == 5
    assert all(c["logprob"] <= 0 and len(c["top_logprobs"]) == 2 for c in content)
    assert content[0]["top_logprobs"][0]["logprob"] >= content[0]["logprob"]  # greedy: the chosen token is top


def test_api_key_and_errors(trained):
    model, tokenizer = trained
    with openai_server(model, tokenizer, api_key="sekret") as base:
        status, body = call(f"{base}/models")
        assert status == 401 and body["error"]["code"] == "invalid_api_key" and body["error"]["message"]
        assert call(f"{base}/models", key="wrong")[0] == 401
        assert call(f"{base}/models", key="sekret")[0] == 200
        status, body = call(f"{base}/completions", b"{not json", key="sekret")
        assert status == 400 and body["error"]["type"] == "invalid_request_error"
        status, body = call(f"{base}/completions", {"model": "gpt-4", "prompt": "a"}, key="sekret")
        assert status == 404 and body["error"]["code"] == "model_not_found"


def test_logprobs_false_returns_null_logprobs(trained):
    model, tokenizer = trained
    with openai_server(model, tokenizer, logprobs=False) as base:
        _, body = call(f"{base}/completions", {"model": "tiny-gpt2", "prompt": "the", "max_tokens": 3,
                                               "logprobs": 2, "echo": True, "temperature": 0})
        _, chat = call(f"{base}/chat/completions", {"model": "tiny-gpt2", "messages": [
            {"role": "user", "content": "a"}], "max_tokens": 2, "logprobs": True, "temperature": 0})
    assert body["choices"][0]["logprobs"] is None and body["choices"][0]["text"].startswith("the")
    assert chat["choices"][0]["logprobs"] is None and chat["choices"][0]["message"]["content"]


def test_server_stops_after_the_context(trained):
    model, tokenizer = trained
    with openai_server(model, tokenizer) as base:
        port = int(base.rsplit(":", 1)[1].split("/")[0])
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_chat_template_makes_the_prompt_and_concurrent_requests_agree(trained):
    import copy
    from concurrent.futures import ThreadPoolExecutor

    model, tokenizer = trained
    templated = copy.deepcopy(tokenizer)
    templated.chat_template = "{% for m in messages %}{{ m['content'] }}{% endfor %}"
    with openai_server(model, templated) as base:
        _, chat = call(f"{base}/chat/completions", {"model": "tiny-gpt2", "max_tokens": 8, "temperature": 0,
                                                    "messages": [{"role": "user", "content": "the cat"}]})
        request = {"model": "tiny-gpt2", "prompt": "the cat", "max_tokens": 8, "temperature": 0}
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _: call(f"{base}/completions", request), range(8)))
        status, long_prompt = call(f"{base}/completions", {"model": "tiny-gpt2", "prompt": "a" * 300,
                                                           "max_tokens": 1})
    texts = {body["choices"][0]["text"] for _, body in answers}
    assert texts == {chat["choices"][0]["message"]["content"]}  # the template passed the bare content
    assert status == 400 and long_prompt["error"]["code"] == "context_length_exceeded"
