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

import gc
import re
from bisect import bisect_right
from collections.abc import Sequence
from contextlib import contextmanager
from functools import lru_cache
from operator import itemgetter

import numpy as np

from assess.pii.findings import Finding, _keyed
from assess.pii.flag_settings import DEFAULT_FLAGS, FlagSettings
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
        # Recognizers whose adjust() can change a confidence (context or anti-context words).
        self._adjusted = frozenset(r for r in self.recognizers
                                   if r.context_re is not None or r.anti_context_re is not None
                                   or type(r).adjust is not Recognizer.adjust)
        # What a finding reports of its recognizer, and confidences rounded for the report.
        self._reported = {r: (r.type, r.category, r.sensitive, r.identifying) for r in self.recognizers}
        self._rounded: dict[float, float] = {}
        self._shapes: dict[bytes, int] = {b"": 0}
        self._dispatch: dict[tuple, tuple[tuple, ...]] = {}
        # What the token loop needs of a token recognizer, looked up once: its pattern's search,
        # its window, its score() when spans() is the default (called directly), and its index.
        self._runners = {
            id(r): (r.pattern.search, r.pre, r.post,
                    r.score if type(r).spans is TokenRecognizer.spans else None, r, self.index[id(r)])
            for r in self.token_recognizers}

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

    def _dispatch_token(self, key, token: bytes, lead: int, first: str) -> tuple[tuple, ...]:
        digits = token.count(48)
        if digits < 4:
            found: tuple[tuple, ...] = ()
        else:
            others = token.replace(b"0", b"")
            flags = self._shapes.get(others)
            if flags is None:
                flags = self._flags(others)
            if flags & DOT and b".0000" in token:
                flags |= DECIMALS4
            flags |= _LEAD[lead]
            shape = Shape(digits, flags, "" if flags & SEPARATORS else first, len(token), token)
            found = tuple(self._runners[id(r)] for r in self.token_recognizers if r.accepts(shape))
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
        dispatch = self._dispatch

        for match in _TOKEN.finditer(view):
            start, end = match.span()
            token = view[start:end]
            lead = view[start - 1] if start else 32
            # Tokens of one shape ("0000-00-00", "00000000000") share their recognizers; the first
            # character matters for a compact token (an ID starts with 1-8, a UnionPay card with 6).
            key = (lead, token, text[start]) if token.isalnum() else (lead, token)
            runners = dispatch.get(key)
            if runners is None:
                runners = self._dispatch_token(key, token, lead, text[start])
            for search, pre, post, score, rec, rec_index in runners:
                # search() in a loop: finditer() costs a few microseconds just to set up.
                stop = end + post
                found = search(text, start - pre if start > pre else 0, stop)
                while found is not None:
                    if score is not None:  # the default spans(): the match, if score() accepts it
                        confidence = score(found.group())
                        if confidence is not None:
                            begin, finish = found.span()
                            if pre:  # a match reaching back before its token may be found twice
                                mark = (begin, finish, rec_index)
                                if mark in seen:
                                    confidence = None
                                else:
                                    seen.add(mark)
                            if confidence is not None:
                                add((begin, finish, confidence, rec))
                    else:
                        for span in rec.spans(text, found):
                            mark = (span[0], span[1], rec_index)
                            if mark not in seen:
                                seen.add(mark)
                                add((span[0], span[1], span[2], rec))
                    resume = found.end()
                    if resume >= end:
                        break  # a later match belongs to a later token
                    found = search(text, resume if resume > found.start() else resume + 1, stop)

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
        with _cyclic_gc_paused():
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
        adjusted = self._adjusted
        for begin, finish, confidence, rec in self.raw_hits(text, view, code_points):
            if types is not None and rec.type not in types:
                continue
            record = bisect_right(starts, begin) - 1
            if record < 0:
                continue
            record_start = starts[record]
            if finish > record_start + len(texts[first + record]):
                continue  # crosses into the next record
            if confidence < 1.0 and rec in adjusted:  # skip the call where adjust() would change nothing
                confidence = rec.adjust(confidence, text, begin, record_start, id(rec) in column_context)
            if confidence < min_confidence:
                continue
            hit = (begin - record_start, finish - record_start, confidence, rec)
            hits = per_record.get(record)
            if hits is None:
                per_record[record] = [hit]
            else:
                hits.append(hit)
        if ner is not None:
            self._add_entities(ner, texts[first:stop], per_record, min_confidence, types)
        rounded, reported = self._rounded, self._reported
        keyed = _keyed(bytes(key) if isinstance(key, bytearray) else key) if per_record else None
        if len(rounded) > 10_000:  # bounded: confidences come from a few constants and boosts
            rounded.clear()
        for record, hits in per_record.items():
            record_text = texts[first + record]
            out = results[first + record] = []
            for begin, finish, confidence, rec in (hits if len(hits) == 1 else _resolve_overlaps(hits)):
                value = record_text[begin:finish]
                shown = rounded.get(confidence)
                if shown is None:
                    shown = rounded[confidence] = round(confidence, 3)
                finding_type, category, sensitive, identifying = reported[rec]
                value_hash = keyed.hexdigest(rec.normalize(value).encode("utf-8"))
                # Positional, in Finding's field order: keyword arguments cost a dict per finding.
                out.append(Finding(finding_type, begin, finish, rec.mask(value), shown, value_hash, category,
                                   sensitive, identifying))


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
    ordered = sorted(hits, key=_start)
    # The common case: identifiers that do not overlap are all kept, in order of position.
    for index in range(1, len(ordered)):
        if ordered[index][0] < ordered[index - 1][1] or isinstance(ordered[index][3], FlagRecognizer):
            break
    else:
        if not isinstance(ordered[0][3], FlagRecognizer):
            return ordered
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


_start = itemgetter(0)


@contextmanager
def _cyclic_gc_paused():
    """Pause Python's cyclic garbage collector while a batch is scanned.

    A scan allocates tens of thousands of small tuples (hits, findings) and no reference cycles;
    each 700 allocations start a collection, and now and then a full one that walks every object
    of the caller's process (a large DataFrame: 0.1-0.2 s each, measured in
    ``benchmarks/pii_scan.py``). Reference counting still frees everything at once; the
    collector's previous state is restored, and it runs as usual after the batch.
    """
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def get_engine(flags: FlagSettings | None = None) -> Engine:
    """The engine over every registered recognizer (built once per process and flag setting).

    Parameters
    ----------
    flags : FlagSettings, optional
        A plan's terms added to or excluded from the sensitive-category flags, and whether their
        context rules apply (:func:`assess.pii.flag_settings.flag_settings`); default the built-in
        terms with the context rules.
    """
    return _engine(flags or DEFAULT_FLAGS)


@lru_cache(maxsize=8)
def _engine(flags: FlagSettings) -> Engine:
    recognizers = [cls() for cls in registered().values()]
    for rec in recognizers:
        if isinstance(rec, FlagRecognizer):
            rec.configure(flags)
    return Engine(recognizers)
