"""The scanning engine: all recognizers over a batch of texts, in a few anchored passes.

The texts of a batch are joined into one string and mapped to a byte view
(:mod:`assess.pii.view`). A few passes then run over the whole batch, each in C:

1. digit tokens (a regex starting with the literal ``0`` of the view), dispatched by their shape
   (cached per shape) to the token recognizers that fit, which run their own pattern on a small
   window of the text and validate checksums;
2. each scan recognizer's own view pattern (``@`` for email, a province byte for plates);
3. Chinese keywords, through one anchor character each and a vectorised neighbour check
   (:class:`~assess.pii.keywords.ChineseKeywords`);
4. English keywords at word starts, through vectorised letter-code tables
   (:class:`~assess.pii.keywords.EnglishKeywords`).

Python code runs only for candidates that passed these filters. Hits are then assigned to
records, boosted by context words, filtered by confidence, de-overlapped per record, masked and
hashed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from assess.pii.findings import Finding, keyed_hash
from assess.pii.keywords import ChineseKeywords, EnglishKeywords
from assess.pii.recognizer import (
    COLON,
    COMMA,
    DASH,
    DECIMALS4,
    DOT,
    DOUBLE_COLON,
    LEAD_LETTER,
    LEAD_PAREN,
    LEAD_SEPARATOR,
    LEAD_PLUS,
    LETTER,
    PUNCTUATION,
    SEPARATORS,
    SLASH,
    SPACE,
    FlagRecognizer,
    KeywordRecognizer,
    Recognizer,
    ScanRecognizer,
    Shape,
    TokenRecognizer,
    registered,
)
from assess.pii.view import ViewBuilder

#: Findings below this confidence are not reported (validated identifiers score 0.75-0.95,
#: shapes without a checksum need a context word to pass).
DEFAULT_MIN_CONFIDENCE = 0.5
#: Characters per batch: bounds the memory of the view (5 bytes per character while built).
BATCH_CHARS = 2_000_000

# A digit token: starts at a digit with at least three more digits close by; continues over
# letters and digits, and over separators that are followed by more of the token.
_TOKEN = re.compile(
    rb"0(?=(?:[A-Za-z\-.:/_#, ()+]{0,3}0){3})"
    rb"(?:[0A-Za-z]|[\-.:/_#](?=[0A-Za-z])|::(?=[0A-Za-z])|[ ](?=0|[A-Z]{4} 0)|,[ ]?(?=[0\-+])|\)[ \-]?(?=0)|\((?=0))*"
)
_SHAPE_BITS = {ord("."): DOT, ord(":"): COLON, ord("-"): DASH, ord(" "): SPACE, ord(","): COMMA, ord("/"): SLASH}
_LEAD = [0] * 256
for _byte in range(256):
    if chr(_byte).isascii() and chr(_byte).isalpha():
        _LEAD[_byte] = LEAD_LETTER
_LEAD[ord("+")] = LEAD_PLUS
_LEAD[ord("(")] = LEAD_PAREN
for _byte in b"-:.":
    _LEAD[_byte] = LEAD_SEPARATOR


class Engine:
    """All registered recognizers, compiled for scanning. Build one with :func:`get_engine`."""

    def __init__(self, recognizers: Sequence[Recognizer]):
        self.recognizers = list(recognizers)
        self.index = {id(rec): i for i, rec in enumerate(self.recognizers)}
        self.token_recognizers = [r for r in self.recognizers if isinstance(r, TokenRecognizer)]
        self.scan_recognizers = [r for r in self.recognizers if isinstance(r, ScanRecognizer)]
        special: dict[str, int] = {}
        for rec in self.scan_recognizers:
            special.update(getattr(rec, "view_chars", {}))
        chinese, english = [], []
        for rec in self.recognizers:
            if isinstance(rec, KeywordRecognizer):
                for word in rec.keywords_zh + rec.keywords_en:
                    if word.isascii():
                        english.append((word, rec))
                    else:
                        chinese.append((word, rec, rec.anchor_before.get(word), rec.anchor_after.get(word)))
        self.chinese = ChineseKeywords(chinese, avoid=set(special))
        self.english = EnglishKeywords(english)
        self.view_builder = ViewBuilder(self.chinese.anchors, special)
        self._shapes: dict[bytes, int] = {b"": 0}
        self._dispatch: dict[tuple, tuple[TokenRecognizer, ...]] = {}

    def _add_entities(self, ner, texts, per_record, min_confidence, types) -> None:
        from assess.pii.ner import NER_CONFIDENCE, ner_spans

        if NER_CONFIDENCE < min_confidence:
            return
        recognizers = _entity_recognizers(self)
        for record, spans in enumerate(ner_spans(ner, texts)):
            for begin, finish, finding_type in spans:
                if types is not None and finding_type not in types:
                    continue
                value = texts[record][begin:finish]
                chinese = any("\u4e00" <= ch <= "\u9fff" for ch in value)
                per_record.setdefault(record, []).append(
                    (begin, finish, NER_CONFIDENCE, recognizers[(finding_type, chinese)]))

    # -- dispatch -------------------------------------------------------------------------------
    def _flags(self, others: bytes) -> int:
        flags = 0
        for byte in set(others):
            flags |= _SHAPE_BITS.get(byte, LETTER if chr(byte).isalpha() else PUNCTUATION)
        if b"::" in others:
            flags |= DOUBLE_COLON
        self._shapes[others] = flags
        return flags

    def _dispatch_token(self, key, token: bytes, lead: int, first: str) -> tuple[TokenRecognizer, ...]:
        digits = token.count(48)
        if digits < 4:
            found: tuple[TokenRecognizer, ...] = ()
        else:
            others = token.replace(b"0", b"")
            flags = self._shapes.get(others)
            if flags is None:
                flags = self._flags(others)
            if flags & DOT and b".0000" in token:
                flags |= DECIMALS4
            flags |= _LEAD[lead]
            shape = Shape(digits, flags, "" if flags & SEPARATORS else first, len(token), token)
            found = tuple(r for r in self.token_recognizers if r.accepts(shape))
        if len(self._dispatch) > 100_000:  # bounded: shapes of ordinary text repeat, odd ones do not
            self._dispatch.clear()
        self._dispatch[key] = found
        return found

    # -- scanning -------------------------------------------------------------------------------
    def raw_hits(self, text: str, view: bytes, code_points) -> list[tuple[int, int, float, Recognizer]]:
        """Every accepted span in ``text`` (any record), before context and de-overlapping."""
        hits: list[tuple[int, int, float, Recognizer]] = []
        seen: set[tuple[int, int, int]] = set()
        add = hits.append
        dispatch, index = self._dispatch, self.index

        for match in _TOKEN.finditer(view):
            start, end = match.span()
            token = view[start:end]
            lead = view[start - 1] if start else 32
            # Tokens of one shape ("0000-00-00", "00000000000") share their recognizers; the first
            # character matters for a compact token (an ID starts with 1-8, a UnionPay card with 6).
            key = (lead, token, text[start]) if token.isalnum() else (lead, token)
            recognizers = dispatch.get(key)
            if recognizers is None:
                recognizers = self._dispatch_token(key, token, lead, text[start])
            for rec in recognizers:
                # search() in a loop: finditer() costs a few microseconds just to set up.
                stop = end + rec.post
                found = rec.pattern.search(text, start - rec.pre if start > rec.pre else 0, stop)
                while found is not None:
                    for span in rec.spans(text, found):
                        mark = (span[0], span[1], index[id(rec)])
                        if mark not in seen:
                            seen.add(mark)
                            add((span[0], span[1], span[2], rec))
                    resume = found.end()
                    if resume >= end:
                        break  # a later match belongs to a later token
                    found = rec.pattern.search(text, resume if resume > found.start() else resume + 1, stop)

        for rec in self.scan_recognizers:
            for pattern in rec.view_patterns:
                for found in pattern.finditer(view):
                    for span in rec.confirm(text, view, found):
                        add((span[0], span[1], span[2], rec))

        for begin, word, rec in self.chinese.occurrences(text, view, code_points):
            for span in rec.at_keyword(text, begin, begin + len(word), word):
                add((span[0], span[1], span[2], rec))

        for begin, finish, word, rec in self.english.occurrences(view):
            for span in rec.at_keyword(text, begin, finish, word):
                add((span[0], span[1], span[2], rec))
        return hits

    def scan_batch(self, texts: Sequence[str], *, key: bytes, min_confidence: float = DEFAULT_MIN_CONFIDENCE,
                   column: str | None = None, types: frozenset[str] | None = None, ner=None) -> list:
        """Findings for each text of ``texts``: a sequence per text, in order (``()`` when none).

        Parameters
        ----------
        texts : sequence of str
            Record texts; non-strings must be converted by the caller.
        key : bytes
            Key of the keyed hash.
        min_confidence : float
            Findings below it are dropped.
        column : str, optional
            Column name: when it is a context word of a recognizer (``phone``, ``身份证号``), every
            value of the column gets that recognizer's context boost.
        types : frozenset of str, optional
            Report only these finding types.
        ner : spacy.Language, optional
            A locally installed NER pipeline (:func:`assess.pii.ner.load_ner`) whose PERSON and
            LOCATION entities are added to the heuristics' findings.
        """
        # Most records have no finding: they share one empty tuple; the others get a list.
        results: list = [()] * len(texts)
        column_context = {id(r) for r in self.recognizers if r.matches_column(column)}
        # Where each record ends in the texts joined with a separator (vectorised: one pass in C).
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
        ends = np.cumsum(lengths) + np.arange(1, len(texts) + 1)
        first = 0
        while first < len(texts):
            base = int(ends[first - 1]) if first else 0
            stop = max(int(np.searchsorted(ends, base + BATCH_CHARS, side="right")), first + 1)
            # Record i starts at ends[i - 1] + 1 of the batch's text, which starts with a separator.
            starts = [1, *(ends[first:stop - 1] + (1 - base)).tolist()]
            self._scan_joined(texts, first, stop, starts, results, key, min_confidence, column_context, types, ner)
            first = stop
        return results

    def _scan_joined(self, texts, first, stop, starts, results, key, min_confidence, column_context, types,
                     ner=None) -> None:
        # A leading newline gives every record a separator before it (English keywords are
        # anchored on the space the view makes of it); newlines never join two records' matches.
        text = "\n" + "\n".join(texts[first:stop])
        view, code_points = self.view_builder.build(text)
        per_record: dict[int, list[tuple[int, int, float, Recognizer]]] = {}
        for begin, finish, confidence, rec in self.raw_hits(text, view, code_points):
            if types is not None and rec.type not in types:
                continue
            record = bisect_right(starts, begin) - 1
            if record < 0:
                continue
            record_start = starts[record]
            if finish > record_start + len(texts[first + record]):
                continue  # crosses into the next record
            confidence = rec.adjust(confidence, text, begin, record_start, id(rec) in column_context)
            if confidence < min_confidence:
                continue
            per_record.setdefault(record, []).append((begin - record_start, finish - record_start, confidence, rec))
        if ner is not None:
            self._add_entities(ner, texts[first:stop], per_record, min_confidence, types)
        for record, hits in per_record.items():
            record_text = texts[first + record]
            out = results[first + record] = []
            for begin, finish, confidence, rec in _resolve_overlaps(hits):
                value = record_text[begin:finish]
                out.append(Finding(
                    type=rec.type, start=begin, end=finish, masked=rec.mask(value),
                    confidence=round(confidence, 3), value_hash=keyed_hash(rec.normalize(value), key),
                    category=rec.category, sensitive=rec.sensitive, identifying=rec.identifying,
                ))


def _entity_recognizers(engine: "Engine") -> dict[tuple[str, bool], Recognizer]:
    """The recognizer that masks an NER entity, by (type, Chinese script)."""
    by_name = {type(r).__name__: r for r in engine.recognizers}
    return {("PERSON", True): by_name["PersonZh"], ("PERSON", False): by_name["PersonEn"],
            ("LOCATION", True): by_name["LocationZh"], ("LOCATION", False): by_name["LocationEn"]}


def _resolve_overlaps(hits: list[tuple[int, int, float, Recognizer]]) -> list[tuple[int, int, float, Recognizer]]:
    """Keep, among overlapping identifier hits, the most confident (then the longest); flags are
    kept unless a longer flag of the same type covers them."""
    if len(hits) == 1:
        return hits
    values = sorted((h for h in hits if not isinstance(h[3], FlagRecognizer)),
                    key=lambda h: (h[0], -(h[1] - h[0]), -h[2]))
    kept: list[tuple[int, int, float, Recognizer]] = []
    for hit in values:
        if kept and hit[0] < kept[-1][1]:
            last = kept[-1]
            if (hit[2], hit[1] - hit[0]) > (last[2], last[1] - last[0]):
                kept[-1] = hit
            continue
        kept.append(hit)
    flags = sorted((h for h in hits if isinstance(h[3], FlagRecognizer)), key=lambda h: (h[0], -(h[1] - h[0])))
    for hit in flags:
        if not any(f[3].type == hit[3].type and f[0] <= hit[0] and hit[1] <= f[1] for f in kept if isinstance(f[3], FlagRecognizer)):
            kept.append(hit)
    kept.sort(key=lambda h: (h[0], h[1]))
    return kept


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    """The engine over every registered recognizer (built once per process)."""
    return Engine([cls() for cls in registered().values()])
