"""Finding the keywords of all keyword recognizers in a batch, with numpy prefilters.

A regex alternation of a hundred keywords costs tens of nanoseconds at every candidate position
in Python's ``re``; these prefilters narrow the positions with vectorised table lookups first, so
Python looks only at (nearly) real keyword occurrences.

- Chinese: each keyword is found by its least frequent character (the view's ANCHOR byte). At
  the anchor positions, the character before or after it must be the keyword's neighbour (a
  pair lookup in a sorted array); only those positions are checked with ``str.startswith``.
- English: at every word start, the first four letters (case-folded, non-letters as 0) must be
  the start of a keyword (a table of 27**4 flags); survivors are matched by a trie regex.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

import numpy as np

from assess.pii.lexicon import CN_FREQUENT
from assess.pii.view import ANCHOR

_FREQUENCY_RANK = {ch: rank for rank, ch in enumerate(CN_FREQUENT)}
_SHIFT = np.uint64(21)  # code points fit in 21 bits: a pair is (first << 21) | second


def is_cjk(char: str) -> bool:
    """A CJK unified ideograph (basic block, extension A or compatibility)."""
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def trie_pattern(words: Sequence[bytes]) -> bytes:
    """A regex alternation of ``words`` factored as a trie (each position rejected quickly)."""
    trie: dict = {}
    for word in words:
        node = trie
        for byte in word:
            node = node.setdefault(byte, {})
        node[-1] = {}

    def emit(node: dict) -> bytes:
        ends = -1 in node
        branches = [re.escape(bytes([b])) + emit(child) for b, child in sorted(node.items()) if b != -1]
        if not branches:
            return b""
        body = branches[0] if len(branches) == 1 else b"(?:" + b"|".join(branches) + b")"
        return b"(?:" + body + b")?" if ends else body

    return emit(trie)


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """``np.isin(values, sorted_set)`` for a small sorted set: one binary search per value instead of
    sorting both (a third faster on a batch's keyword anchors)."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    index = np.searchsorted(sorted_set, values)
    index[index == len(sorted_set)] = 0
    return sorted_set[index] == values


def _pairs(pairs: set[tuple[int, int]]) -> np.ndarray:
    return np.array(sorted((a << 21) | b for a, b in pairs), dtype=np.uint64)


class ChineseKeywords:
    """Chinese keywords of many recognizers, found through one anchor character each.

    Parameters
    ----------
    entries : sequence of (keyword, recognizer, allowed_before, allowed_after)
        ``allowed_before`` (for one-character keywords): characters one of which must precede
        the keyword (``号`` after a digit); ``allowed_after``: characters one of which must follow
        it (a surname after 我叫); None: no constraint.
    avoid : set of str
        Characters the view reserves for something else (never anchors).
    """

    def __init__(self, entries, avoid: set[str]):
        self.by_anchor: dict[str, list[tuple[int, str, object]]] = {}
        before: set[tuple[int, int]] = set()
        after: set[tuple[int, int]] = set()
        around: set[tuple[int, int, int]] = set()
        free: set[int] = set()
        for word, recognizer, allowed_before, allowed_after in entries:
            candidates = [(i, ch) for i, ch in enumerate(word) if is_cjk(ch) and ch not in avoid]
            if not candidates:
                raise ValueError(f"keyword {word!r} of {type(recognizer).__name__} has no usable anchor character")
            offset, anchor = max(candidates, key=lambda c: _FREQUENCY_RANK.get(c[1], len(_FREQUENCY_RANK)))
            if allowed_after and len(word) > 1 and word[-1] not in avoid:
                # Anchored on its last character: the characters on both sides are known.
                offset, anchor = len(word) - 1, word[-1]
                self.by_anchor.setdefault(anchor, []).append((offset, word, recognizer))
                around.update((ord(word[-2]), ord(anchor), ord(ch)) for ch in allowed_after)
                continue
            self.by_anchor.setdefault(anchor, []).append((offset, word, recognizer))
            if offset > 0:
                before.add((ord(word[offset - 1]), ord(anchor)))
            elif len(word) > 1:
                after.add((ord(anchor), ord(word[1])))
            elif allowed_before:
                before.update((ord(ch), ord(anchor)) for ch in allowed_before)
            else:
                free.add(ord(anchor))
        self.before, self.after = _pairs(before), _pairs(after)
        self.around = np.array(sorted((a << 42) | (b << 21) | c for a, b, c in around), dtype=np.uint64)
        self.free = np.array(sorted(free), dtype=np.uint32)

    @property
    def anchors(self) -> list[str]:
        """Characters the view marks as ANCHOR."""
        return list(self.by_anchor)

    def occurrences(self, text: str, view: bytes, code_points: np.ndarray) -> Iterator[tuple[int, str, object]]:
        """``(start, keyword, recognizer)`` for every keyword occurrence in ``text``."""
        positions = np.flatnonzero(np.frombuffer(view, dtype=np.uint8) == ANCHOR)
        if not len(positions):
            return
        current = code_points[positions].astype(np.uint64)
        previous = code_points[np.maximum(positions - 1, 0)].astype(np.uint64)
        following = code_points[np.minimum(positions + 1, len(code_points) - 1)].astype(np.uint64)
        keep = _member((previous << _SHIFT) | current, self.before)
        keep |= _member((current << _SHIFT) | following, self.after)
        if len(self.around):
            keep |= _member((((previous << _SHIFT) | current) << _SHIFT) | following, self.around)
        if len(self.free):
            keep |= _member(current, self.free)
        by_anchor = self.by_anchor
        for position in positions[keep].tolist():
            for offset, word, recognizer in by_anchor[text[position]]:
                start = position - offset
                if start >= 0 and text.startswith(word, start):
                    yield start, word, recognizer


_LETTER_CODES = bytes((i - 96 if 97 <= i <= 122 else i - 64 if 65 <= i <= 90 else 0) for i in range(256))


def _codes(word: str, width: int) -> int:
    """The first ``width`` letter codes of ``word`` followed by non-letters (0), base 27."""
    letters = [_LETTER_CODES[b] for b in word.encode()[:width]] + [0] * width
    value = 0
    for letter in letters[:width]:
        value = value * 27 + letter
    return value


class EnglishKeywords:
    """English keywords of many recognizers, matched case-insensitively at word starts."""

    def __init__(self, entries):
        self.by_word: dict[str, list[tuple[str, object]]] = {}
        for word, recognizer in entries:
            self.by_word.setdefault(word.lower(), []).append((word, recognizer))
        self.table = np.zeros(27 ** 4, dtype=bool)
        for word in self.by_word:
            self.table[_codes(word, 4)] = True
            if len(word) <= 2 and word.isalpha():
                # "Rd Springfield" reads r d 0 s, not r d 0 0: after a short word and its separator,
                # any letters pass this stage; the exact stage below still checks the word itself.
                self.table[_codes(word, 4) + np.arange(27 ** (3 - len(word)))] = True
        # Second stage: the first min(len + 1, 6) codes must be exactly a keyword's (its letters and
        # the non-letter after it), one sorted array per width.
        widths: dict[int, set[int]] = {}
        for word in self.by_word:
            width = min(len(word) + 1, 6)
            widths.setdefault(width, set()).add(_codes(word, width))
        self.exact = {w: np.array(sorted(codes), dtype=np.int64) for w, codes in sorted(widths.items())}
        words = sorted(w.encode() for w in self.by_word)
        self.verify = re.compile(rb"(?:" + trie_pattern(words) + rb")(?![A-Za-z])", re.IGNORECASE) if words else None

    def occurrences(self, view: bytes) -> Iterator[tuple[int, int, str, object]]:
        """``(start, end, keyword, recognizer)`` for every keyword occurrence (word-initial)."""
        if self.verify is None:
            return
        letters = np.frombuffer(view.translate(_LETTER_CODES) + b"\0\0\0\0", dtype=np.uint8)
        is_letter = letters[:-4] != 0
        starts = np.flatnonzero(is_letter[1:] & ~is_letter[:-1]) + 1
        if not len(starts):
            return
        code = letters[starts].astype(np.int32)
        for shift in (1, 2, 3):
            code = code * 27 + letters[starts + shift]
        starts = starts[self.table[code]]
        if not len(starts):
            return
        codes = [letters[starts].astype(np.int64)]
        for shift in range(1, 6):
            codes.append(codes[-1] * 27 + letters[np.minimum(starts + shift, len(letters) - 1)])
        keep = np.zeros(len(starts), dtype=bool)
        for width, exact in self.exact.items():
            keep |= _member(codes[width - 1], exact)
        by_word, verify = self.by_word, self.verify
        for start in starts[keep].tolist():
            found = verify.match(view, start)
            if found is not None:
                for word, recognizer in by_word[found.group().lower().decode()]:
                    yield start, found.end(), word, recognizer
