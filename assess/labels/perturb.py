"""Small input perturbations that should not change a prediction.

Text perturbations are one small class each in :data:`TEXT_PERTURBATIONS`: typos, full-width /
half-width forms, white space and homoglyphs. Each makes a few edits per text
(``max(1, round(edit_share * len(text)))``) at random positions where that kind of edit is
possible; a text with no such position is left unchanged (and not counted as perturbed).
Every text gets its own random generator seeded by ``(seed, key)``, so results do not depend on
how the data is split into chunks. Tabular perturbation adds Gaussian noise scaled by each
feature's spread (:func:`perturb_tabular`).
"""

from __future__ import annotations

import unicodedata
import zlib
from functools import lru_cache

import numpy as np

from assess.errors import InputError

#: Default share of a text's characters edited (at least one edit).
EDIT_SHARE = 0.05

_QWERTY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_LATIN_LOOKALIKES = {  # Latin -> Cyrillic / Greek letters drawn the same in common fonts
    "a": "а", "c": "с", "e": "е", "i": "і", "j": "ј", "o": "о", "p": "р", "s": "ѕ", "x": "х", "y": "у",
    "A": "А", "B": "В", "C": "С", "E": "Е", "H": "Н", "I": "І", "K": "К", "M": "М", "N": "Ν", "O": "О",
    "P": "Р", "T": "Т", "X": "Х", "Y": "Υ", "Z": "Ζ",
}
_SPACES = (" ", "\u3000", "\u00a0", "\t")


def is_word_char(char: str) -> bool:
    """Letters, digits and CJK ideographs: where a typo can land."""
    return char.isalnum()


def _neighbours(letter: str) -> str:
    lower = letter.lower()
    for row in _QWERTY_ROWS:
        index = row.find(lower)
        if index >= 0:
            near = row[max(0, index - 1):index] + row[index + 1:index + 2]
            return near.upper() if letter.isupper() else near
    return ""


@lru_cache(maxsize=1)
def homoglyphs() -> dict[str, str]:
    """Look-alike replacements: Latin -> Cyrillic/Greek, and CJK ideographs -> their CJK
    compatibility ideograph or Kangxi radical (NFKC maps those back, so they look the same)."""
    table = dict(_LATIN_LOOKALIKES)
    for start, end in ((0x2F00, 0x2FD5), (0xF900, 0xFAD9)):
        for code in range(start, end + 1):
            char = chr(code)
            if unicodedata.category(char) == "Cn":
                continue
            target = unicodedata.normalize("NFKC", char)
            if len(target) == 1 and target != char:
                table.setdefault(target, char)
    return table


def toggle_width(char: str) -> str:
    """The full-width form of a half-width ASCII character and vice versa; else ``char``."""
    code = ord(char)
    if 0x21 <= code <= 0x7E:
        return chr(code + 0xFEE0)
    if 0xFF01 <= code <= 0xFF5E:
        return chr(code - 0xFEE0)
    if char == " ":
        return "\u3000"
    if char == "\u3000":
        return " "
    return char


class Perturbation:
    """One kind of small text edit."""

    name = ""
    description = ""

    def positions(self, text: str) -> list[int]:
        """Where an edit of this kind can be made."""
        raise NotImplementedError

    def edit(self, text: str, position: int, rng: np.random.Generator) -> str:
        """``text`` with one edit at ``position``."""
        raise NotImplementedError

    def apply(self, text: str, rng: np.random.Generator, edit_share: float = EDIT_SHARE) -> str:
        """``text`` with up to ``max(1, round(edit_share * len(text)))`` edits (right to left, so
        earlier positions stay valid)."""
        candidates = self.positions(text)
        if not candidates:
            return text
        budget = min(len(candidates), max(1, int(round(edit_share * len(text)))))
        chosen = sorted(rng.choice(candidates, size=budget, replace=False).tolist(), reverse=True)
        for position in chosen:
            text = self.edit(text, position, rng)
        return text


class Typo(Perturbation):
    name = "typo"
    description = "typing slips: swapped, dropped, doubled or neighbouring-key characters"

    def positions(self, text):
        return [i for i, c in enumerate(text) if is_word_char(c)]

    def edit(self, text, position, rng):
        char = text[position]
        options = ["drop", "double"]
        if position + 1 < len(text) and is_word_char(text[position + 1]) and text[position + 1] != char:
            options.append("swap")
        if _neighbours(char):
            options.append("neighbour")
        choice = options[int(rng.integers(len(options)))]
        if choice == "drop" and len(text) > 1:
            return text[:position] + text[position + 1:]
        if choice == "swap":
            return text[:position] + text[position + 1] + char + text[position + 2:]
        if choice == "neighbour":
            near = _neighbours(char)
            return text[:position] + near[int(rng.integers(len(near)))] + text[position + 1:]
        return text[:position] + char + text[position:]


class Width(Perturbation):
    name = "width"
    description = "full-width / half-width forms swapped (ASCII <-> U+FF01-FF5E, space <-> U+3000)"

    def positions(self, text):
        return [i for i, c in enumerate(text) if toggle_width(c) != c]

    def edit(self, text, position, rng):
        return text[:position] + toggle_width(text[position]) + text[position + 1:]


class Whitespace(Perturbation):
    name = "whitespace"
    description = "white space added, doubled or swapped for an ideographic space, no-break space or tab"

    def positions(self, text):
        return list(range(len(text) + 1))

    def edit(self, text, position, rng):
        if position < len(text) and text[position].isspace():
            replacement = [s for s in _SPACES if s != text[position]][int(rng.integers(len(_SPACES) - 1))]
            return text[:position] + replacement * int(rng.integers(1, 3)) + text[position + 1:]
        return text[:position] + " " + text[position:]


class Homoglyph(Perturbation):
    name = "homoglyph"
    description = "characters replaced by look-alikes (Cyrillic/Greek letters, CJK compatibility ideographs)"

    def positions(self, text):
        table = homoglyphs()
        return [i for i, c in enumerate(text) if c in table]

    def edit(self, text, position, rng):
        return text[:position] + homoglyphs()[text[position]] + text[position + 1:]


#: Text perturbations by name.
TEXT_PERTURBATIONS: dict[str, Perturbation] = {p.name: p for p in (Typo(), Width(), Whitespace(), Homoglyph())}


def text_perturbation(name: str) -> Perturbation:
    """The :class:`Perturbation` called ``name``."""
    try:
        return TEXT_PERTURBATIONS[name]
    except KeyError:
        raise InputError(f"perturbation {name!r} is not known: use one of {', '.join(TEXT_PERTURBATIONS)}") from None


def record_rng(seed: int, key) -> np.random.Generator:
    """A generator for one record, from the seed and the record's key (its id or position)."""
    return np.random.default_rng([int(seed), zlib.crc32(str(key).encode("utf-8"))])


def perturb_texts(texts, name: str, *, seed: int = 0, keys=None, edit_share: float = EDIT_SHARE) -> list[str]:
    """Each text with perturbation ``name`` applied.

    Parameters
    ----------
    texts : sequence of str
    name : str
        A key of :data:`TEXT_PERTURBATIONS`.
    seed : int
    keys : sequence, optional
        One key per text (e.g. record ids) seeding its generator; default the positions.
    edit_share : float
        Share of characters edited (at least one edit).

    Returns
    -------
    list of str
    """
    perturbation = text_perturbation(name)
    texts = list(texts)
    keys = range(len(texts)) if keys is None else list(keys)
    return [perturbation.apply(text, record_rng(seed, key), edit_share) for text, key in zip(texts, keys)]


def perturb_tabular(values: np.ndarray, *, scale: float = 0.05, spread: np.ndarray | None = None,
                    seed: int = 0) -> np.ndarray:
    """``values`` plus Gaussian noise with standard deviation ``scale`` times each column's spread.

    Parameters
    ----------
    values : numpy.ndarray
        Shape ``(n, d)``, numeric.
    scale : float
        Noise as a share of the spread (0.05: 5% of a standard deviation).
    spread : numpy.ndarray, optional
        Per-column spread; default the columns' standard deviations in ``values`` (constant
        columns get no noise).
    seed : int

    Returns
    -------
    numpy.ndarray
    """
    values = np.asarray(values, dtype=float)
    spread = np.nanstd(values, axis=0) if spread is None else np.asarray(spread, dtype=float)
    rng = np.random.default_rng(seed)
    return values + rng.normal(size=values.shape) * (scale * spread)
