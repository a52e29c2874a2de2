"""A Hugging Face causal LM and its tokenizer as a :class:`~assess.leakage.generators.TextModel`.

Texts are scored token by token in batches: for each token its log-probability, and the mean and
standard deviation of the log-probability under the model's next-token distribution (what
Min-K%++ needs).
"""

from __future__ import annotations

import numpy as np

from assess.leakage.generators import TextModel, torch_threads
from assess.leakage.lm_attacks import TokenScores


class TransformersTextModel(TextModel):
    """A causal LM and its tokenizer, scored and sampled in batches.

    Parameters
    ----------
    model : transformers.PreTrainedModel
        A causal LM.
    tokenizer : transformers.PreTrainedTokenizerBase
        Its tokenizer.
    device : str
        torch device ("cpu" by default; "cuda", "cuda:1", "mps").
    batch_size : int
        Texts per forward pass.
    max_length : int, optional
        Tokens scored per text at most (default: the model's context length).
    threads : int, optional
        torch CPU threads (None: torch's default).
    """

    def __init__(self, model, tokenizer, *, device: str = "cpu", batch_size: int = 8, max_length: int | None = None,
                 threads: int | None = None):
        self.model = model.to(device).eval()
        self.tokenizer = tokenizer
        self.device = device
        self.batch_size = batch_size
        context = getattr(model.config, "max_position_embeddings", None) or getattr(model.config, "n_positions", None)
        self.max_length = max_length or context or 1024
        self.threads = threads
        if tokenizer.pad_token_id is None:
            tokenizer.pad_token = tokenizer.eos_token if tokenizer.eos_token is not None else tokenizer.unk_token

    def _encode(self, text: str) -> list[int]:
        ids = self.tokenizer(text, add_special_tokens=False)["input_ids"]
        bos = self.tokenizer.bos_token_id
        # With a BOS token the first token of the text is scored too; without one it is the context.
        prefix = [bos] if bos is not None else []
        return (prefix + list(ids))[: self.max_length]

    def token_scores(self, texts) -> list[TokenScores]:
        import torch

        encoded = [self._encode(str(t)) for t in texts]
        results: list[TokenScores] = []
        pad = self.tokenizer.pad_token_id or 0
        with torch_threads(self.threads), torch.no_grad():
            order = np.argsort([len(ids) for ids in encoded])  # similar lengths per batch: less padding
            by_index: dict[int, TokenScores] = {}
            for start in range(0, len(order), self.batch_size):
                batch_indices = order[start:start + self.batch_size]
                batch = [encoded[i] for i in batch_indices]
                width = max(len(ids) for ids in batch)
                ids = torch.full((len(batch), width), pad, dtype=torch.long)
                mask = torch.zeros((len(batch), width), dtype=torch.long)
                for row, sequence in enumerate(batch):
                    ids[row, : len(sequence)] = torch.as_tensor(sequence)
                    mask[row, : len(sequence)] = 1
                logits = self.model(input_ids=ids.to(self.device), attention_mask=mask.to(self.device)).logits
                log_probs = torch.log_softmax(logits[:, :-1].double(), dim=-1)
                targets = ids[:, 1:].to(self.device)
                chosen = log_probs.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
                probs = log_probs.exp()
                mean = (probs * log_probs).sum(-1)
                variance = (probs * log_probs.square()).sum(-1) - mean.square()
                std = variance.clamp_min(0).sqrt()
                for row, index in enumerate(batch_indices):
                    n = len(batch[row]) - 1
                    by_index[int(index)] = TokenScores(chosen[row, :n].cpu().numpy(), mean[row, :n].cpu().numpy(),
                                                       std[row, :n].cpu().numpy())
            results = [by_index[i] for i in range(len(encoded))]
        return results

    def log_likelihood(self, texts) -> np.ndarray:
        return np.asarray([s.log_likelihood for s in self.token_scores(texts)], dtype=np.float64)

    def generate(self, prompts, max_new_chars, greedy=True, seed: int = 0):
        import torch

        outputs: list[str] = []
        with torch_threads(self.threads), torch.no_grad():
            torch.manual_seed(seed)
            for prompt in prompts:
                ids = self._encode(str(prompt))[-(self.max_length - max_new_chars):] if self.max_length > max_new_chars else []
                if not ids:
                    ids = [self.tokenizer.bos_token_id if self.tokenizer.bos_token_id is not None else self.tokenizer.eos_token_id]
                input_ids = torch.as_tensor([ids], device=self.device)
                # A token is at least one character for the tokenizers LMs use, so max_new_chars tokens suffice.
                generated = self.model.generate(input_ids, attention_mask=torch.ones_like(input_ids),
                                                max_new_tokens=int(max_new_chars), do_sample=not greedy,
                                                pad_token_id=self.tokenizer.pad_token_id)
                text = self.tokenizer.decode(generated[0, len(ids):], skip_special_tokens=True)
                outputs.append(text[:max_new_chars])
        return outputs
