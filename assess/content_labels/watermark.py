"""Invisible image watermark (content implicit label, encouraged by Measures Art. 5): DWT-DCT QIM.

Embedding works on a canonical copy of the luminance (resized to 256 x 256), so a resized image
is read back by resizing it to the same canonical size:

1. Y (BT.601 luma) -> canonical 256 x 256 -> one-level Haar DWT -> LL band (128 x 128);
2. LL -> 8 x 8 block DCT (256 blocks); in each block, a few low-frequency coefficients carry one
   payload bit each by dithered quantisation-index modulation (QIM, step ``DELTA``);
3. the change of the canonical luminance is resized back to the image size and added to R, G
   and B alike (which changes luma only, not chroma).

The payload is 64 bits: 48 bits of SHA-256(ProduceID) and a CRC-16 over them, so the decoder
is blind (it needs neither the original nor the label) and can tell "watermark found, ID hash
X" from noise. Each bit is repeated over 12 keyed, scattered slots and decoded by soft majority.
Not robust to cropping or rotation (the canonical grid moves); the survival table says so.
"""

from __future__ import annotations

import binascii
import hashlib
from dataclasses import dataclass

import numpy as np
from PIL import Image

CANONICAL = 256
BLOCK = 8
#: (row, col) DCT coefficients of each LL block that carry bits: low frequencies survive JPEG.
COEFFICIENTS = ((0, 1), (1, 0), (1, 1))
#: QIM step on the orthonormal LL-DCT coefficients; bigger = more robust and more visible.
DELTA = 36.0
PAYLOAD_BITS = 64
ID_BITS = 48
MIN_SIDE = 64
DEFAULT_KEY = b"assess-content-labels-watermark-v1"


def payload_for(produce_id: str) -> np.ndarray:
    """The 64 payload bits for ``produce_id``: 48 bits of its SHA-256 and their CRC-16."""
    digest = hashlib.sha256(produce_id.encode("utf-8")).digest()[: ID_BITS // 8]
    crc = binascii.crc_hqx(digest, 0xFFFF).to_bytes(2, "big")
    return np.unpackbits(np.frombuffer(digest + crc, dtype=np.uint8)).astype(np.int8)


def _layout(key: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Slot -> payload bit index (a keyed shuffle) and per-slot dither in [0, DELTA)."""
    blocks = (CANONICAL // 2 // BLOCK) ** 2
    slots = blocks * len(COEFFICIENTS)
    seed = int.from_bytes(hashlib.sha256(key).digest()[:8], "big")
    rng = np.random.default_rng(seed)
    bit_of_slot = rng.permutation(np.arange(slots) % PAYLOAD_BITS)
    dither = rng.uniform(0, DELTA, slots)
    return bit_of_slot, dither


def _luma(rgb: np.ndarray) -> np.ndarray:
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def _resize(plane: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize a float plane to ``size`` = (width, height); area averaging when shrinking."""
    image = Image.fromarray(plane.astype(np.float32), mode="F")
    shrinking = size[0] < plane.shape[1] or size[1] < plane.shape[0]
    return np.asarray(image.resize(size, Image.BOX if shrinking else Image.BICUBIC), dtype=np.float64)


def _haar_ll(plane: np.ndarray) -> np.ndarray:
    return (plane[0::2, 0::2] + plane[1::2, 0::2] + plane[0::2, 1::2] + plane[1::2, 1::2]) / 2.0


def _ll_blocks_dct(ll: np.ndarray) -> np.ndarray:
    from scipy.fft import dctn

    n = ll.shape[0] // BLOCK
    blocks = ll.reshape(n, BLOCK, n, BLOCK).transpose(0, 2, 1, 3)
    return dctn(blocks, axes=(2, 3), norm="ortho")


def _coefficients(dct: np.ndarray) -> np.ndarray:
    """Carrier coefficients as a flat vector (block-major, then COEFFICIENTS order)."""
    return np.stack([dct[:, :, r, c] for r, c in COEFFICIENTS], axis=-1).reshape(-1)


def _canonical_luma(image: Image.Image) -> tuple[np.ndarray, np.ndarray]:
    from assess.errors import InputError

    if min(image.size) < MIN_SIDE:
        raise InputError(f"image {image.width}x{image.height} is too small for the watermark; use at least {MIN_SIDE} px per side")
    rgb = np.asarray(image.convert("RGB"), dtype=np.float64)
    return rgb, _resize(_luma(rgb), (CANONICAL, CANONICAL))


def embed_watermark(image: Image.Image, produce_id: str, *, key: bytes = DEFAULT_KEY) -> Image.Image:
    """Return ``image`` (as RGB) with the watermark for ``produce_id`` embedded.

    Parameters
    ----------
    image : PIL.Image.Image
        At least 64 px per side.
    produce_id : str
        The content's ProduceID; its hash is the payload.
    key : bytes
        Layout key (slot shuffle and dither); the decoder needs the same key.

    Returns
    -------
    PIL.Image.Image
    """
    from scipy.fft import idctn

    rgb, canonical = _canonical_luma(image)
    bits = payload_for(produce_id)
    bit_of_slot, dither = _layout(key)
    dct = _ll_blocks_dct(_haar_ll(canonical))
    values = _coefficients(dct)
    offset = dither + bits[bit_of_slot] * (DELTA / 2)
    marked = np.round((values - offset) / DELTA) * DELTA + offset
    delta_dct = np.zeros_like(dct)
    change = (marked - values).reshape(dct.shape[0], dct.shape[1], len(COEFFICIENTS))
    for index, (r, c) in enumerate(COEFFICIENTS):
        delta_dct[:, :, r, c] = change[..., index]
    n = dct.shape[0]
    delta_ll = idctn(delta_dct, axes=(2, 3), norm="ortho").transpose(0, 2, 1, 3).reshape(n * BLOCK, n * BLOCK)
    # Inverse Haar with zero detail bands: each LL coefficient spreads over its 2 x 2 pixels.
    delta_canonical = np.kron(delta_ll / 2.0, np.ones((2, 2)))
    delta = _resize(delta_canonical, image.size)
    out = np.clip(rgb + delta[..., None], 0, 255)
    return Image.fromarray(np.round(out).astype(np.uint8), mode="RGB")


@dataclass(frozen=True)
class WatermarkReading:
    """What the decoder read.

    Attributes
    ----------
    bits : numpy.ndarray
        The 64 decoded payload bits.
    detected : bool
        The CRC-16 over the ID bits holds (a random image passes with probability 2^-16).
    id_hash : str
        The 48 decoded ID bits as hex (compare with :func:`id_hash_for`).
    confidence : float
        Mean absolute soft vote in [0, 1].
    """

    bits: np.ndarray
    detected: bool
    id_hash: str
    confidence: float


def id_hash_for(produce_id: str) -> str:
    """The 48-bit ID hash a watermark for ``produce_id`` carries, as hex."""
    return hashlib.sha256(produce_id.encode("utf-8")).digest()[: ID_BITS // 8].hex()


def read_watermark(image: Image.Image, *, key: bytes = DEFAULT_KEY) -> WatermarkReading:
    """Decode the watermark from ``image`` (blind: no original needed)."""
    _, canonical = _canonical_luma(image)
    bit_of_slot, dither = _layout(key)
    values = _coefficients(_ll_blocks_dct(_haar_ll(canonical)))
    # Distance to the nearest lattice point of bit 0 and bit 1; the soft vote is their difference.
    d0 = np.abs((values - dither) - np.round((values - dither) / DELTA) * DELTA)
    shifted = values - dither - DELTA / 2
    d1 = np.abs(shifted - np.round(shifted / DELTA) * DELTA)
    soft = (d0 - d1) / (DELTA / 2)  # +1: surely 1, -1: surely 0
    votes = np.bincount(bit_of_slot, weights=soft, minlength=PAYLOAD_BITS)
    counts = np.bincount(bit_of_slot, minlength=PAYLOAD_BITS)
    bits = (votes > 0).astype(np.int8)
    packed = np.packbits(bits.astype(np.uint8)).tobytes()
    detected = binascii.crc_hqx(packed[: ID_BITS // 8], 0xFFFF).to_bytes(2, "big") == packed[ID_BITS // 8:]
    confidence = float(np.mean(np.abs(votes / counts)))
    return WatermarkReading(bits, bool(detected), packed[: ID_BITS // 8].hex(), round(confidence, 4))


def bit_accuracy(reading: WatermarkReading, produce_id: str) -> float:
    """Share of the 64 payload bits read correctly for ``produce_id``."""
    return float(np.mean(reading.bits == payload_for(produce_id)))


def psnr(original: Image.Image, marked: Image.Image) -> float:
    """Peak signal-to-noise ratio (dB) between two same-size RGB images."""
    a = np.asarray(original.convert("RGB"), dtype=np.float64)
    b = np.asarray(marked.convert("RGB"), dtype=np.float64)
    mse = float(np.mean((a - b) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)
