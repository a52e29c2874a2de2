"""Explicit label on audio: the rhythm "短长短短" (Morse "AI": · − · ·) at the start of a WAV.

GB 45438 (audio explicit label): a voice prompt or the short-long-short-short rhythm at the
start and/or end. The cue is a 1 kHz tone: short 0.1 s, long 0.3 s, 0.1 s between marks of a
letter, 0.3 s between the letters, then 0.3 s of silence before the content. Only 16-bit PCM WAV
is handled (the format the demo writes); other sample formats are reported as not checked.
"""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass

import numpy as np

TONE_HZ = 1000.0
UNIT = 0.1  # seconds
#: (tone seconds, pause seconds after it): · −  (letter gap) · ·
PATTERN = ((UNIT, UNIT), (3 * UNIT, 3 * UNIT), (UNIT, UNIT), (UNIT, 3 * UNIT))
_FRAME = 0.01


def read_pcm16(data: bytes) -> tuple[np.ndarray, int, int]:
    """Samples (frames x channels, int16), sample rate and channel count of a 16-bit PCM WAV."""
    from assess.errors import InputError

    try:
        with wave.open(io.BytesIO(data)) as reader:
            if reader.getsampwidth() != 2:
                raise InputError(f"WAV has {8 * reader.getsampwidth()}-bit samples; only 16-bit PCM is supported")
            rate, channels = reader.getframerate(), reader.getnchannels()
            frames = np.frombuffer(reader.readframes(reader.getnframes()), dtype="<i2")
    except (wave.Error, EOFError) as exc:
        raise InputError(f"WAV audio cannot be read ({exc}); re-export it as 16-bit PCM") from None
    return frames.reshape(-1, channels), rate, channels


def write_pcm16(samples: np.ndarray, rate: int) -> bytes:
    """A 16-bit PCM WAV file of ``samples`` (frames x channels)."""
    samples = np.asarray(samples, dtype="<i2").reshape(len(samples), -1)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(samples.shape[1])
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(samples.tobytes())
    return buffer.getvalue()


def cue_samples(rate: int, amplitude: float = 0.4) -> np.ndarray:
    """The cue as mono float samples in [-1, 1], followed by the lead-in silence."""
    pieces = []
    for tone, pause in PATTERN:
        t = np.arange(int(tone * rate)) / rate
        ramp = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.005)  # 5 ms fades: no clicks
        pieces += [amplitude * ramp * np.sin(2 * np.pi * TONE_HZ * t), np.zeros(int(pause * rate))]
    return np.concatenate(pieces)


def add_audio_cue(data: bytes) -> bytes:
    """The WAV ``data`` with the cue prepended (all channels), as a new 16-bit PCM WAV."""
    samples, rate, channels = read_pcm16(data)
    cue = np.round(cue_samples(rate) * 32767).astype(np.int16)
    return write_pcm16(np.concatenate([np.repeat(cue[:, None], channels, axis=1), samples]), rate)


def _tone_runs(mono: np.ndarray, rate: int) -> list[tuple[float, float]]:
    """(start, length) in seconds of runs where the 1 kHz tone dominates."""
    frame = max(1, int(_FRAME * rate))
    count = len(mono) // frame
    if count == 0:
        return []
    frames = mono[: count * frame].reshape(count, frame)
    t = np.arange(frame) / rate
    probe = np.exp(-2j * np.pi * TONE_HZ * t)
    tone = np.abs(frames @ probe) ** 2 * 2 / frame
    total = (frames ** 2).sum(axis=1) + 1e-9
    on = (tone / total > 0.5) & (total / frame > 1e-4)
    runs, start = [], None
    for index, flag in enumerate(np.append(on, False)):
        if flag and start is None:
            start = index
        elif not flag and start is not None:
            runs.append((start * _FRAME, (index - start) * _FRAME))
            start = None
    return runs


def _matches(runs: list[tuple[float, float]]) -> bool:
    kinds = []
    for _, length in runs:
        kinds.append("S" if 0.05 <= length <= 0.2 else "L" if 0.2 < length <= 0.5 else "?")
    text = "".join(kinds)
    if "SLSS" not in text:
        return False
    first = text.index("SLSS")
    chosen = runs[first:first + 4]
    gaps = [chosen[i + 1][0] - (chosen[i][0] + chosen[i][1]) for i in range(3)]
    return all(0.03 <= gap <= 0.6 for gap in gaps)


@dataclass(frozen=True)
class AudioCueMatch:
    """Whether the 短长短短 cue is at the start or the end."""

    found: bool
    position: str = ""


def find_audio_cue(data: bytes, *, span: float = 3.0) -> AudioCueMatch:
    """Look for the cue in the first and last ``span`` seconds of a 16-bit PCM WAV."""
    samples, rate, _ = read_pcm16(data)
    mono = samples.astype(np.float64).mean(axis=1) / 32768.0
    reach = int(span * rate)
    if _matches(_tone_runs(mono[:reach], rate)):
        return AudioCueMatch(True, "start")
    if _matches(_tone_runs(mono[-reach:], rate)):
        return AudioCueMatch(True, "end")
    return AudioCueMatch(False)
