"""``kind: transformers``: a Hugging Face causal LM (tokenizer + ``AutoModelForCausalLM``).

The URI is a ``save_pretrained`` folder or an MLflow model of the ``transformers`` flavor
(``models:/name/version``); nothing is ever fetched from the Hub (``local_files_only``).
"""

from __future__ import annotations

from pathlib import Path

from assess.models.base import TEXT, ModelKind
from assess.models.mlflow_uri import folder_flavors, is_mlflow_model, local_copy


def _find_model_folders(root: Path) -> tuple[Path, Path]:
    """(model folder, tokenizer folder) of a save_pretrained folder or an MLflow transformers model."""
    if (root / "config.json").is_file():
        return root, root
    model = next((p.parent for p in sorted(root.rglob("config.json")) if "components" not in p.parts), None)
    tokenizer = next((p.parent for p in sorted(root.rglob("tokenizer_config.json"))), None)
    if model is None or tokenizer is None:
        raise FileNotFoundError(f"no config.json and tokenizer_config.json under {root}")
    return model, tokenizer


class TransformersKind(ModelKind):
    """A Hugging Face causal LM folder (``save_pretrained``) or an MLflow transformers model."""

    name = "transformers"
    capabilities = (TEXT,)
    options = {
        "device": "torch device, default cpu (cuda, cuda:1, mps)",
        "batch_size": "texts per forward pass, default 8",
        "max_length": "tokens scored per text at most, default the model's context length",
        "dtype": "float32 (default), bfloat16 or float16",
    }
    uri_help = "a save_pretrained folder (config.json + tokenizer files) or an MLflow transformers model URI/folder"

    @classmethod
    def detects(cls, uri, path):
        if path is None:
            return False
        if is_mlflow_model(path):
            return "transformers" in folder_flavors(path)
        return path.is_dir() and (path / "config.json").is_file()

    def load(self, capability):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from transformers.utils import logging as transformers_logging

        from assess.models.transformers_lm import TransformersTextModel

        self.require(capability)
        transformers_logging.disable_progress_bar()  # a notebook is evidence, not a terminal
        model_folder, tokenizer_folder = _find_model_folders(local_copy(self.spec.uri))
        dtype = getattr(torch, str(self.options.get("dtype", "float32")))
        tokenizer = AutoTokenizer.from_pretrained(tokenizer_folder, local_files_only=True)
        model = AutoModelForCausalLM.from_pretrained(model_folder, local_files_only=True, dtype=dtype)
        return TransformersTextModel(model, tokenizer, device=str(self.options.get("device", "cpu")),
                                     batch_size=int(self.options.get("batch_size", 8)),
                                     max_length=self.options.get("max_length"))
