"""Finding a keyword library's words in texts (scoring answers and the technical corpus sample).

The library is compiled once into one regular expression factored as a trie
(:func:`assess.pii.keywords.trie_pattern`) over UTF-8 bytes, so a text is read once whatever the
library's size. Matching ignores case (both sides case-folded) and is by substring: Chinese has no
word boundaries, and ``\\b`` does not work next to Chinese characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assess.pii.keywords import trie_pattern


class KeywordMatcher:
    """The words of a keyword library, found in texts.

    Parameters
    ----------
    keywords : sequence of str
        The library's words.
    risks : sequence of str, optional
        The risk id of each word (for the per-risk counts of hits).
    """

    def __init__(self, keywords: Sequence[str], risks: Sequence[str] | None = None):
        folded = [str(k).casefold() for k in keywords if str(k).strip()]
        self.risk_of = {}
        for word, risk in zip([str(k).casefold() for k in keywords], risks or [""] * len(keywords)):
            self.risk_of.setdefault(word, risk)
        self.size = len(set(folded))
        words = sorted({w.encode("utf-8") for w in folded})
        self.pattern = re.compile(trie_pattern(words)) if words else None

    def find(self, text) -> list[str]:
        """The distinct library words in ``text``, in order of first appearance."""
        if self.pattern is None or not isinstance(text, str) or not text:
            return []
        found = dict.fromkeys(m.group(0).decode("utf-8") for m in self.pattern.finditer(text.casefold().encode("utf-8")))
        return list(found)

    def find_all(self, texts) -> list[list[str]]:
        """:meth:`find` of each text."""
        return [self.find(t) for t in texts]

    def hits(self, texts) -> list[bool]:
        """Whether each text holds a library word."""
        return [bool(self.find(t)) for t in texts]
