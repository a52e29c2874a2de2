"""Recognizer base classes and the registry (one small class per finding type).

A recognizer says *what* a type looks like (pattern, validator, context words, PIPL category and
sensitivity, how to mask and normalise a value). *Where* to look is decided by the engine, by
family, so that a chunk is read a handful of times instead of once per type:

- :class:`TokenRecognizer`: identifiers with at least four digits (IDs, phones, cards, IPs, ...).
  The engine finds digit tokens once, then runs only the recognizers that accept the token's
  :class:`Shape`, on a small window around it.
- :class:`KeywordRecognizer`: anything found next to a keyword (names after 我叫 / "my name is",
  addresses ending in 号 or a street suffix, sensitive-category terms). The engine finds all
  keywords of all keyword recognizers in one pass per script.
- :class:`ScanRecognizer`: types with their own cheap anchor in the engine's view (``@`` for
  email, a province character for licence plates, the separators of a MAC address).

Positions are always offsets into the chunk's text (a Python ``str``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import ClassVar, NamedTuple

from assess.pii.flag_rules import ContextRule, dropped

#: ASCII-only word boundaries: ``\\b`` treats Chinese characters as word characters, so
#: "电话13812345678" would have no boundary before the digits.
NOT_AFTER_ALNUM = r"(?<![0-9A-Za-z])"
NOT_BEFORE_ALNUM = r"(?![0-9A-Za-z])"

#: Confidence added when a context word precedes the value (or names its column).
DEFAULT_CONTEXT_BOOST = 0.3
#: How far before a value context words are looked for, in characters.
CONTEXT_WINDOW = 32
#: Anti-context words count only right before a value ("订单号123...", "Order #123...").
ANTI_CONTEXT_WINDOW = 12

#: Shape flags of a digit token, used to pick the recognizers worth running on it.
(DOT, COLON, DASH, SPACE, COMMA, LETTER, LEAD_LETTER, LEAD_PLUS, LEAD_PAREN, SLASH, DOUBLE_COLON,
 DECIMALS4, PUNCTUATION, LEAD_SEPARATOR) = (1 << i for i in range(14))
#: Flags of separators inside a token; a token without them is "compact".
SEPARATORS = DOT | COLON | DASH | SPACE | COMMA | SLASH | PUNCTUATION


class Shape(NamedTuple):
    """What the engine knows about a digit token before running any recognizer on it.

    ``first`` (the token's first character) is set for compact tokens only (no separators),
    where a match must be the whole token, else ``""``. ``flags`` also carry ``LEAD_*`` bits for
    the character just before the token. ``token`` is the token in the view (every digit is
    ``0``), for structural checks: the engine caches the result per token shape, so a recognizer
    may check the structure with a regex in :meth:`TokenRecognizer.accepts` at no cost per token.
    """

    digits: int
    flags: int
    first: str
    length: int
    token: bytes = b""

    @property
    def compact(self) -> bool:
        """No separator inside the token (letters allowed)."""
        return not self.flags & SEPARATORS


Span = tuple[int, int, float]
_RUNS = re.compile(r"([\W_]+)")
_SEPARATORS = re.compile(r"[\s\-·•・.()（）]")

_REGISTRY: dict[str, type["Recognizer"]] = {}


def register(cls: type["Recognizer"]) -> type["Recognizer"]:
    """Class decorator: add a recognizer to the registry (by class name)."""
    if cls.__name__ in _REGISTRY and _REGISTRY[cls.__name__] is not cls:
        raise ValueError(f"two recognizers are named {cls.__name__}")
    _REGISTRY[cls.__name__] = cls
    return cls


def registered() -> dict[str, type["Recognizer"]]:
    """All registered recognizer classes, by class name, in registration order."""
    import assess.pii.recognizers  # noqa: F401 - importing registers the built-in recognizers

    return dict(_REGISTRY)


def _word_pattern(words) -> re.Pattern | None:
    """A regex for any of ``words`` in lower-cased text; ASCII words only as whole words ("ip" is
    not in "ship", "ref" not in "refund"). Lower-cased text instead of IGNORECASE keeps the
    regex's fast first-character scan."""
    parts = []
    for word in sorted({w.lower() for w in words}, key=len, reverse=True):
        if word.isascii():
            # The boundary check comes after the first character ("(?<![a-z0-9].)" looks at the
            # character before it): every branch then starts with a literal, so ``re`` skips
            # ahead with a first-character set instead of trying each branch at each position
            # (about ten times faster on a context window).
            escaped = re.escape(word[0]) + r"(?<![a-z0-9].)" + re.escape(word[1:]) + r"(?![a-z0-9])"
        else:
            escaped = re.escape(word)
        parts.append(escaped)
    return re.compile("|".join(parts)) if parts else None


def mask_middle(value: str, head: int, tail: int) -> str:
    """Replace letters, digits and CJK characters by ``*``, keeping ``head`` and ``tail`` of them.

    Separators (spaces, dashes, dots, colons) stay, so the masked value keeps its shape:
    ``mask_middle("138-1234-5678", 3, 4) == "138-****-5678"``.
    """
    if value.isalnum():  # the common case: no separators
        if len(value) <= head + tail:
            return "*" * len(value)
        return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail:]
    total = len(_RUNS.sub("", value))  # letters and digits
    if total <= head + tail:
        return _WORD.sub("*", value)
    # Keep up to the head-th letter/digit and from the tail-th one counted from the end (found
    # on the reversed value); mask the letters and digits between, in C.
    keep_to = _first_letters(head).match(value).end() if head else 0
    keep_from = len(value) - _first_letters(tail).match(value[::-1]).end() if tail else len(value)
    return value[:keep_to] + _WORD.sub("*", value[keep_to:keep_from]) + value[keep_from:]


_WORD = re.compile(r"[^\W_]")


@lru_cache(maxsize=None)
def _first_letters(count: int) -> re.Pattern:
    """Matches a string's first ``count`` letters/digits and the separators before them."""
    return re.compile(r"(?:[\W_]*[^\W_]){%d}" % count)


class Recognizer:
    """One finding type: what it looks like and how it is reported.

    Subclasses set the class attributes and, where a checksum or a plausibility test exists,
    override :meth:`score`.
    """

    #: Finding type, Presidio's name where Presidio has the type, ``CN_*`` for Chinese ones.
    type: ClassVar[str] = ""
    #: PIPL / GB/T 35273 category, e.g. "identity document", "contact", "financial account".
    category: ClassVar[str] = ""
    #: Sensitive personal information (PIPL Art. 28).
    sensitive: ClassVar[bool] = False
    #: Whether the finding identifies a person (False for keyword flags and organisation codes).
    identifying: ClassVar[bool] = True
    #: Words that, just before a value or in its column name, make it more likely.
    context: ClassVar[tuple[str, ...]] = ()
    context_boost: ClassVar[float] = DEFAULT_CONTEXT_BOOST
    #: Words that, just before a value, say it is something else (an order number, an ID card).
    anti_context: ClassVar[tuple[str, ...]] = ()
    anti_context_penalty: ClassVar[float] = 0.4
    #: Alphanumerics kept at each end by :meth:`mask`.
    mask_keep: ClassVar[tuple[int, int]] = (2, 2)
    #: Short human description for docs/pii_types.md and the CLI.
    description: ClassVar[str] = ""

    def __init__(self) -> None:
        self.context_re = _word_pattern(self.context)
        self.anti_context_re = _word_pattern(self.anti_context)

    def adjust(self, confidence: float, text: str, start: int, lower_bound: int, column_context: bool) -> float:
        """Confidence after context: a context word (or the column name) raises it; without one,
        an anti-context word (an order number, another document) lowers it."""
        if confidence >= 1.0 or (self.context_re is None and self.anti_context_re is None):
            return confidence
        window = text[max(lower_bound, start - CONTEXT_WINDOW):start].lower()
        if column_context or (self.context_re is not None and self.context_re.search(window)):
            return min(1.0, confidence + self.context_boost)
        if self.anti_context_re is not None and self.anti_context_re.search(window[-ANTI_CONTEXT_WINDOW:]):
            return confidence - self.anti_context_penalty
        return confidence

    def matches_column(self, column: str | None) -> bool:
        """True when the column name itself is a context word (``phone``, ``身份证号``)."""
        return bool(column and self.context_re is not None and self.context_re.search(str(column).lower()))

    def normalize(self, value: str) -> str:
        """Canonical form for the keyed hash, so that one value written two ways counts once."""
        if value.isalnum():
            return value.upper()
        return _SEPARATORS.sub("", value).upper()

    def mask(self, value: str) -> str:
        """Masked form of ``value`` for evidence (never the raw value)."""
        return mask_middle(value, *self.mask_keep)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.type}>"


class TokenRecognizer(Recognizer):
    """An identifier with at least four digits, found from the engine's digit tokens.

    The engine runs :attr:`pattern` (a ``str`` regex with ASCII-only boundaries) over the token
    plus :attr:`pre` characters before it and :attr:`post` after it, and keeps what
    :meth:`score` accepts.
    """

    pattern: ClassVar[re.Pattern]
    min_digits: ClassVar[int] = 4
    #: Upper bound on the digits of a compact token (no separators).
    max_digits: ClassVar[int] = 64
    #: Characters a compact token may start with (None: any).
    first_chars: ClassVar[str | None] = None
    #: Shape flags of which the token needs at least one (0: none needed).
    needs: ClassVar[int] = 0
    pre: ClassVar[int] = 0
    post: ClassVar[int] = 2

    def accepts(self, shape: Shape) -> bool:
        """Whether a token of this shape is worth running :attr:`pattern` on (called once per shape)."""
        if shape.digits < self.min_digits:
            return False
        if shape.compact:
            if shape.digits > self.max_digits:
                return False
            if self.first_chars is not None and shape.first not in self.first_chars:
                return False
        return not self.needs or bool(shape.flags & self.needs)

    def score(self, value: str) -> float | None:
        """Confidence for a pattern match without context, or None to reject it."""
        return 0.5

    def spans(self, text: str, match: re.Match) -> list[Span]:
        """Accepted spans for one pattern match (most recognizers: the match itself)."""
        confidence = self.score(match.group())
        return [] if confidence is None else [(match.start(), match.end(), confidence)]


class KeywordRecognizer(Recognizer):
    """A type found next to keywords (both scripts); see :meth:`at_keyword`."""

    keywords_zh: ClassVar[tuple[str, ...]] = ()
    keywords_en: ClassVar[tuple[str, ...]] = ()
    #: For a one-character keyword, the characters one of which must come just before it
    #: (``号`` after a digit): the engine skips other occurrences without calling Python.
    anchor_before: ClassVar[dict[str, str]] = {}
    #: Characters one of which must come just after a keyword (a surname after 我叫).
    anchor_after: ClassVar[dict[str, str]] = {}

    def at_keyword(self, text: str, start: int, end: int, keyword: str) -> Iterable[Span]:
        """Spans found around one keyword occurrence at ``text[start:end]``."""
        raise NotImplementedError


class ScanRecognizer(Recognizer):
    """A type with its own anchor in the engine's byte view (see ``assess.pii.view``)."""

    #: ``bytes`` regexes over the view; each should start with a literal byte so that it scans fast.
    view_patterns: ClassVar[tuple[re.Pattern, ...]]

    def confirm(self, text: str, view: bytes, match: re.Match) -> Iterable[Span]:
        """Spans for one view match; ``text`` and ``view`` share positions."""
        raise NotImplementedError


class FlagRecognizer(KeywordRecognizer):
    """A PIPL Art. 28 sensitive-category term: the record talks about health, religion, ...

    A flag is not an identifier: it makes a record's personal information sensitive when the
    record also identifies someone. The masked value is the term itself (it names nobody).
    """

    identifying = False
    sensitive = True
    base_confidence: ClassVar[float] = 0.6
    #: Context rules by keyword (:mod:`assess.pii.flag_rules`), set by :meth:`configure`.
    rules: dict[str, tuple[ContextRule, ...]] = {}

    def configure(self, settings) -> None:
        """Apply a plan's terms and the context rules (a :class:`~assess.pii.flag_settings.FlagSettings`):
        excluded terms are dropped, added ones matched like the built-in terms (without rules)."""
        from assess.pii.flag_rules import compile_rules

        builtin = type(self).keywords_zh + type(self).keywords_en
        excluded = {word.lower() for word in settings.excluded(self.type)}
        known = {word.lower() for word in builtin}
        added = tuple(word for word in settings.added(self.type) if word.lower() not in known)
        kept = tuple(word for word in builtin if word.lower() not in excluded) + added
        self.keywords_zh = tuple(word for word in kept if not word.isascii())
        self.keywords_en = tuple(word for word in kept if word.isascii())
        self.rules = compile_rules(self.type, builtin) if settings.context_rules else {}

    def at_keyword(self, text: str, start: int, end: int, keyword: str) -> Iterable[Span]:
        rules = self.rules.get(keyword)
        if rules is None or not dropped(rules, text, start, end):
            yield start, end, self.base_confidence

    def mask(self, value: str) -> str:
        return value

    def normalize(self, value: str) -> str:
        return value.lower()
