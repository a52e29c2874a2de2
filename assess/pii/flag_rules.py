"""Context rules of the sensitive-category flags: where a term is not about a person.

The rules are data (:data:`assess.pii.lexicon.FLAG_CONTEXT_RULES`); this module compiles them per
term and applies them to one keyword occurrence. A check reads only the characters around the
occurrence, on its own line: the engine joins a batch's records with line breaks, so a rule never
looks into a neighbouring record and a record's flags do not depend on how a chunk is batched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from assess.pii.lexicon import FLAG_CONTEXT_RULES, FLAG_NEAR_WINDOW, FLAG_NUMBER_WINDOW

#: A value next to a term: four or more digits, optionally grouped by spaces or dashes.
_NUMBER = re.compile(r"[0-9](?:[ \-]?[0-9]){3,}")
_RULE_KEYS = {"terms", "followed_by", "preceded_by", "near", "needs_number", "why"}


class ContextRule(NamedTuple):
    """One compiled rule: any of its conditions that holds drops the flag."""

    followed_by: tuple[str, ...]
    after: int  # characters to read after the term (the longest followed_by word)
    preceded_by: tuple[str, ...]
    before: int
    near: re.Pattern | None
    needs_number: bool
    why: str


def compile_rules(flag_type: str, keywords: Iterable[str],
                  rules: Mapping[str, tuple[dict, ...]] = FLAG_CONTEXT_RULES) -> dict[str, tuple[ContextRule, ...]]:
    """The rules of ``flag_type`` by keyword, as the recognizer spells its keywords.

    Parameters
    ----------
    flag_type : str
        A flag's finding type (``SENSITIVE_MINOR``).
    keywords : iterable of str
        The recognizer's keywords (both scripts); a rule's terms must be among them.
    rules : mapping
        Rules by flag type (default :data:`assess.pii.lexicon.FLAG_CONTEXT_RULES`).

    Returns
    -------
    dict of str to tuple of ContextRule
        Only keywords with at least one rule.
    """
    from assess.pii.recognizer import _word_pattern  # recognizer imports this module

    spelled = {word.lower(): word for word in keywords}
    compiled: dict[str, list[ContextRule]] = {}
    for rule in rules.get(flag_type, ()):
        unknown_keys = set(rule) - _RULE_KEYS
        if unknown_keys:
            raise ValueError(f"context rule of {flag_type} has unknown keys {sorted(unknown_keys)}")
        followed = tuple(word.lower() for word in rule.get("followed_by", ()))
        preceded = tuple(word.lower() for word in rule.get("preceded_by", ()))
        one = ContextRule(followed, max(map(len, followed), default=0), preceded, max(map(len, preceded), default=0),
                          _word_pattern(rule.get("near", ())), bool(rule.get("needs_number")), rule["why"])
        for term in rule["terms"]:
            if term.lower() not in spelled:
                raise ValueError(f"context rule of {flag_type} names {term!r}, which is not one of its terms")
            compiled.setdefault(spelled[term.lower()], []).append(one)
    return {word: tuple(found) for word, found in compiled.items()}


def dropped(rules: tuple[ContextRule, ...], text: str, start: int, end: int) -> bool:
    """True when a rule says the term at ``text[start:end]`` is not about a person.

    Parameters
    ----------
    rules : tuple of ContextRule
        The rules of the term (:func:`compile_rules`).
    text : str
        The text (a record, or a batch of records joined by line breaks).
    start, end : int
        The term's position (for an age, the number and 岁 / "years old").
    """
    for rule in rules:
        if rule.followed_by and text[end:end + rule.after].lower().startswith(rule.followed_by):
            return True
        if rule.preceded_by and text[max(0, start - rule.before):start].lower().endswith(rule.preceded_by):
            return True
        if rule.near is not None:
            low, high = _line(text, start, end, FLAG_NEAR_WINDOW)
            if rule.near.search(text[low:start].lower()) or rule.near.search(text[end:high].lower()):
                return True
        if rule.needs_number:
            low, high = _line(text, start, end, FLAG_NUMBER_WINDOW)
            if _NUMBER.search(text, low, high) is None:
                return True
    return False


def _line(text: str, start: int, end: int, window: int) -> tuple[int, int]:
    """Up to ``window`` characters on either side of ``text[start:end]``, without crossing a line break."""
    low = text.rfind("\n", max(0, start - window), start) + 1 or max(0, start - window)
    high = text.find("\n", end, end + window)
    return low, (min(len(text), end + window) if high < 0 else high)


def rules_table(rules: Mapping[str, tuple[dict, ...]] = FLAG_CONTEXT_RULES) -> list[dict]:
    """The rules as rows for evidence and docs: type, terms, condition, words, why."""
    rows = []
    for flag_type, found in rules.items():
        for rule in found:
            conditions = [(name, ", ".join(rule[name])) for name in ("followed_by", "preceded_by", "near") if rule.get(name)]
            if rule.get("needs_number"):
                conditions.append(("needs_number", f"a number of 4+ digits within {FLAG_NUMBER_WINDOW} characters"))
            for condition, words in conditions:
                rows.append({"type": flag_type, "terms": ", ".join(rule["terms"]), "dropped when": condition,
                             "words": words, "why": rule["why"]})
    return rows
