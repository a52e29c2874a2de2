"""Canaries for the exposure test of "The Secret Sharer" (Carlini et al., 2019).

A canary is a sentence made from a format such as ``"my verification code is {d}{d}{d}{d}{d}{d}"``
with a random secret. ``assess`` makes the canaries from the format and a seed and records them
(:meth:`CanarySet.to_dict`, logged as ``canaries/canaries.json``) *before* training; the training
code inserts each canary a chosen number of times (0 = never: the control). After training, the
exposure of each canary measures how far the model prefers it over the other candidates of the
same format.

Placeholders: ``{d}`` digit, ``{l}`` lowercase letter, ``{u}`` uppercase letter, ``{h}`` hex digit.
Other text is literal (write ``{{`` and ``}}`` for braces).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from assess.errors import InputError

ALPHABETS = {
    "d": "0123456789",
    "l": "abcdefghijklmnopqrstuvwxyz",
    "u": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "h": "0123456789abcdef",
}
DEFAULT_FORMAT = "my verification code is {d}{d}{d}{d}{d}{d}"
DEFAULT_REPETITIONS = (0, 1, 5, 20)
#: Where the canary record is logged in the run that trains the model.
ARTIFACT_PATH = "canaries/canaries.json"
_TOKEN = re.compile(r"\{\{|\}\}|\{([a-z]+)\}|[{}]")


@dataclass(frozen=True)
class CanaryFormat:
    """A canary format: literal text and random slots, each slot drawn from an alphabet."""

    template: str
    parts: tuple  # ("lit", text) or ("slot", alphabet)

    @classmethod
    def parse(cls, template: str) -> "CanaryFormat":
        """Parse ``template``; raise :class:`InputError` on an unknown or unbalanced placeholder."""
        parts: list[tuple[str, str]] = []
        position = 0
        for match in _TOKEN.finditer(template):
            if match.start() > position:
                parts.append(("lit", template[position:match.start()]))
            token = match.group(0)
            if token in ("{{", "}}"):
                parts.append(("lit", token[0]))
            elif match.group(1) in ALPHABETS:
                parts.append(("slot", ALPHABETS[match.group(1)]))
            else:
                raise InputError(
                    f"canary format {template!r}: {token!r} is not a placeholder; use "
                    f"{', '.join('{' + k + '}' for k in ALPHABETS)} (or {{{{ }}}} for braces)"
                )
            position = match.end()
        if position < len(template):
            parts.append(("lit", template[position:]))
        if not any(kind == "slot" for kind, _ in parts):
            raise InputError(f"canary format {template!r} has no random slot: add e.g. {{d}}{{d}}{{d}}{{d}}")
        return cls(template, tuple(parts))

    @property
    def slots(self) -> list[str]:
        """Alphabet of each random slot, in order."""
        return [alphabet for kind, alphabet in self.parts if kind == "slot"]

    @property
    def space_size(self) -> int:
        """Number of distinct canaries the format allows (|R|)."""
        return math.prod(len(a) for a in self.slots)

    @property
    def space_bits(self) -> float:
        """log2 |R|: the largest exposure a canary of this format can have."""
        return float(sum(math.log2(len(a)) for a in self.slots))

    def render(self, index: int) -> str:
        """The candidate number ``index`` (0 <= index < |R|), in mixed radix over the slots."""
        digits = []
        for alphabet in reversed(self.slots):
            index, rest = divmod(int(index), len(alphabet))
            digits.append(alphabet[rest])
        digits.reverse()
        out, slot = [], 0
        for kind, text in self.parts:
            if kind == "lit":
                out.append(text)
            else:
                out.append(digits[slot])
                slot += 1
        return "".join(out)

    def render_many(self, indices: Sequence[int]) -> list[str]:
        """:meth:`render` for each index."""
        return [self.render(i) for i in indices]

    def random_indices(self, rng: np.random.Generator, size: int, *, distinct: bool = False) -> np.ndarray:
        """``size`` uniform candidate indices (with replacement unless ``distinct``)."""
        space = self.space_size
        if distinct:
            if size > space:
                raise InputError(f"canary format {self.template!r} allows only {space} canaries; ask for fewer")
            chosen: dict[int, None] = {}
            while len(chosen) < size:
                for value in _uniform_ints(rng, space, size - len(chosen)):
                    chosen.setdefault(int(value), None)
            return np.asarray(list(chosen)[:size], dtype=object)
        return _uniform_ints(rng, space, size)


def _uniform_ints(rng: np.random.Generator, high: int, size: int) -> np.ndarray:
    """Uniform integers in [0, high); exact also above 2**63 (then as Python ints)."""
    if high < 2**62:
        return rng.integers(0, high, size=size, dtype=np.int64)
    words = math.ceil(math.log2(high) / 32) + 2  # extra words make the modulo bias negligible
    raw = rng.integers(0, 2**32, size=(size, words), dtype=np.uint64)
    return np.asarray([sum(int(w) << (32 * j) for j, w in enumerate(row)) % high for row in raw], dtype=object)


@dataclass(frozen=True)
class Canary:
    """One canary: its id, its text, its candidate index and how often training inserts it."""

    canary_id: str
    text: str
    index: int
    repetitions: int

    @property
    def sha256(self) -> str:
        """SHA-256 of the text: lets a reader verify a regenerated canary without seeing it."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass
class CanarySet:
    """The canaries of one training run, as recorded before training."""

    template: str
    seed: int | None  # None: a team's own canaries, whose secrets assess did not draw
    repetitions: tuple[int, ...]
    per_repetition: int
    canaries: list[Canary] = field(default_factory=list)

    @property
    def format(self) -> CanaryFormat:
        return CanaryFormat.parse(self.template)

    def to_dict(self) -> dict:
        """JSON-ready record (format, seed, repetition counts, each canary)."""
        fmt = self.format
        return {
            "kind": "assess.canaries",
            "version": 1,
            "format": self.template,
            "seed": self.seed,
            "repetitions": list(self.repetitions),
            "per_repetition": self.per_repetition,
            "space_size": str(fmt.space_size),
            "space_bits": fmt.space_bits,
            "canaries": [
                {"canary_id": c.canary_id, "repetitions": c.repetitions, "index": str(c.index), "text": c.text,
                 "sha256": c.sha256}
                for c in self.canaries
            ],
        }

    @classmethod
    def from_dict(cls, record: dict) -> "CanarySet":
        """Read a record written by :meth:`to_dict`; the canaries are re-derived and verified."""
        try:
            template, seed = record["format"], int(record["seed"])
            repetitions = tuple(int(r) for r in record["repetitions"])
            per_repetition = int(record["per_repetition"])
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"canary record lacks {exc}: pass the canaries.json written by assess.leakage.canaries, "
                             "or a canary file of one {{text, secret}} object a line (docs/canaries.md)") from None
        canary_set = make_canaries(template, seed=seed, repetitions=repetitions, per_repetition=per_repetition)
        stored = {c.get("canary_id"): c for c in record.get("canaries", [])}
        for canary in canary_set.canaries:
            saved = stored.get(canary.canary_id)
            if saved is not None and saved.get("sha256") not in (None, canary.sha256):
                raise InputError(
                    f"canary {canary.canary_id} does not match its format and seed: the record was edited; "
                    "re-create it with make_canaries"
                )
        return canary_set

    def save(self, path) -> Path:
        """Write :meth:`to_dict` as JSON."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    @classmethod
    def load(cls, path) -> "CanarySet":
        """Read a file written by :meth:`save`, or a team's own canary file
        (:func:`assess.leakage.canary_file.read_canary_file`, format in ``docs/canaries.md``)."""
        from assess.leakage.canary_file import read_canary_file

        return read_canary_file(path)

    def frame(self) -> pd.DataFrame:
        """Canary ids and repetition counts (no texts), for tables."""
        return pd.DataFrame({"canary_id": [c.canary_id for c in self.canaries],
                             "repetitions": [c.repetitions for c in self.canaries]})


def make_canaries(template: str = DEFAULT_FORMAT, *, seed: int = 0, repetitions: Sequence[int] = DEFAULT_REPETITIONS,
                  per_repetition: int = 3) -> CanarySet:
    """Make ``per_repetition`` distinct canaries for each repetition count, from ``template`` and ``seed``.

    Parameters
    ----------
    template : str
        Canary format, e.g. ``"my verification code is {d}{d}{d}{d}{d}{d}"``.
    seed : int
        Seed of the secrets; the same seed gives the same canaries.
    repetitions : sequence of int
        How often training will insert each group (0 = never: the control group).
    per_repetition : int
        Canaries per repetition count.

    Returns
    -------
    CanarySet
    """
    fmt = CanaryFormat.parse(template)
    repetitions = tuple(int(r) for r in repetitions)
    if not repetitions or any(r < 0 for r in repetitions):
        raise InputError(f"canary repetitions {list(repetitions)}: give one or more counts >= 0, e.g. [0, 1, 5, 20]")
    if per_repetition < 1:
        raise InputError(f"per_repetition={per_repetition}: make at least one canary per repetition count")
    rng = np.random.default_rng(seed)
    indices = fmt.random_indices(rng, len(repetitions) * per_repetition, distinct=True)
    canaries = []
    for group, count in enumerate(repetitions):
        for j in range(per_repetition):
            index = int(indices[group * per_repetition + j])
            canaries.append(Canary(f"c{group:02d}{j:02d}", fmt.render(index), index, count))
    return CanarySet(template, int(seed), repetitions, int(per_repetition), canaries)


def insert_canaries(frame: pd.DataFrame, canary_set: CanarySet, *, id_column: str = "id", text_column: str = "text",
                    seed: int = 0) -> pd.DataFrame:
    """Return ``frame`` with each canary added as ``repetitions`` records at random positions.

    Added records get ids ``canary-<canary_id>-<n>`` and only ``id_column`` and ``text_column``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Training records.
    canary_set : CanarySet
        The canaries to insert.
    id_column, text_column : str
        Columns of ``frame``.
    seed : int
        Seed of the positions.
    """
    for column in (id_column, text_column):
        if column not in frame.columns:
            raise InputError(f"training frame has no column {column!r}: pass id_column/text_column that exist")
    rows = [
        {id_column: f"canary-{c.canary_id}-{n}", text_column: c.text}
        for c in canary_set.canaries for n in range(c.repetitions)
    ]
    if not rows:
        return frame.copy()
    combined = pd.concat([frame, pd.DataFrame(rows)], ignore_index=True)
    order = np.random.default_rng(seed).permutation(len(combined))
    return combined.iloc[order].reset_index(drop=True)
