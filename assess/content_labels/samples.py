"""Demo samples of "generated" content, labelled as a conforming provider would label them.

Used by the notebook when no folder of real outputs is given: a few texts (passed in, e.g. from
the demo text generator, or built-in ones), a few images drawn with Pillow and one short WAV,
each with the explicit label, the metadata label and (images) the watermark.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import pandas as pd
from PIL import Image, ImageDraw

from assess.content_labels.mark import mark_bytes, write_atomically

DEFAULT_TEXTS = (
    "您好，您的退款申请已受理，预计3个工作日内原路退回。",
    "Your parcel left the regional hub this morning and should arrive within two days.",
    "关于账户登录问题：请在设置页面重置密码后重新登录。",
)
#: (file name, width, height): PNG and JPEG, landscape and square
IMAGE_SPECS = (("image_01.png", 320, 240), ("image_02.jpg", 400, 300), ("image_03.png", 256, 256))


def draw_demo_image(width: int, height: int, rng: np.random.Generator) -> Image.Image:
    """A synthetic picture: smooth colour fields, a few shapes and mild noise."""
    y, x = np.mgrid[0:height, 0:width] / max(width, height)
    phase = rng.uniform(0, 2 * np.pi, 3)
    base = np.stack([
        128 + 90 * np.sin(3 * x + phase[0]),
        128 + 90 * np.cos(4 * y + phase[1]),
        128 + 60 * np.sin(5 * (x + y) + phase[2]),
    ], axis=-1)
    image = Image.fromarray(np.clip(base + rng.normal(0, 5, base.shape), 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        cx, cy = rng.integers(0, width), rng.integers(0, height)
        radius = int(rng.integers(10, min(width, height) // 4))
        colour = tuple(int(v) for v in rng.integers(0, 256, 3))
        box = (cx - radius, cy - radius, cx + radius, cy + radius)
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    return image


def _demo_wav(rng: np.random.Generator, rate: int = 16000, seconds: float = 1.5) -> bytes:
    from assess.content_labels.audio_cue import write_pcm16

    t = np.arange(int(rate * seconds)) / rate
    notes = rng.choice([262.0, 330.0, 392.0, 523.0], size=3, replace=False)
    signal = sum(np.sin(2 * np.pi * f * t) for f in notes) / len(notes) * np.exp(-t)
    return write_pcm16(np.round(signal * 0.5 * 32767).astype(np.int16), rate)


def produce_id_for(producer: str, seed: int, index: int) -> str:
    """A deterministic ProduceID for demo item ``index`` (hex, within the Annex E charset)."""
    return hashlib.sha256(f"{producer}:{seed}:{index}".encode()).hexdigest()[:20]


def make_demo_samples(out_dir, texts=None, producer: str = "assess-demo", seed: int = 0, *,
                      key: bytes | None = None) -> pd.DataFrame:
    """Write labelled demo samples into ``out_dir``.

    Parameters
    ----------
    out_dir : path-like
        Folder to write into (created if missing).
    texts : list of str, optional
        Generated texts to label (e.g. from the demo text generator); built-in ones when None.
    producer : str
        ContentProducer of every sample.
    seed : int
        Seed for the drawings, the audio and the ProduceIDs.
    key : bytes, optional
        ReservedCode1 key; None reads ``ASSESS_LABEL_KEY`` (no code when unset).

    Returns
    -------
    pandas.DataFrame
        One row per file: file, media, produce_id.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    items: list[tuple[str, bytes, bool]] = []  # name, raw content, watermark?
    for name, width, height in IMAGE_SPECS:
        buffer = io.BytesIO()
        image = draw_demo_image(width, height, rng)
        image.save(buffer, "PNG" if name.endswith(".png") else "JPEG", quality=92)
        items.append((name, buffer.getvalue(), True))
    for index, text in enumerate(list(texts) if texts is not None else DEFAULT_TEXTS, start=1):
        items.append((f"text_{index:02d}.txt", str(text).strip().encode("utf-8") + b"\n", False))
    items.append(("audio_01.wav", _demo_wav(rng), False))
    rows = []
    for index, (name, raw, watermark) in enumerate(items):
        produce_id = produce_id_for(producer, seed, index)
        data, result = mark_bytes(raw, producer=producer, produce_id=produce_id, explicit=True,
                                  watermark=watermark, name=name, key=key)
        write_atomically(out / name, data)
        rows.append({"file": name, "media": result.media, "produce_id": produce_id})
    return pd.DataFrame(rows)
