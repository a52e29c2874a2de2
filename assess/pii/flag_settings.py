"""A plan's adjustments to the sensitive-category flags: terms added or excluded per flag type, and
whether the context rules (:mod:`assess.pii.flag_rules`) apply.

The notebook ``pii_training_data`` takes them as the parameters ``keyword_terms_add`` and
``keyword_terms_exclude`` (flag type -> list of terms); a scan gets them as one hashable
:class:`FlagSettings`, so each distinct setting compiles its engine once per process.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assess.errors import InputError
from assess.pii.keywords import is_cjk

#: Parameter names of the notebook (and the names in error messages).
ADD_PARAMETER = "keyword_terms_add"
EXCLUDE_PARAMETER = "keyword_terms_exclude"


@dataclass(frozen=True)
class FlagSettings:
    """Terms added and excluded per flag type, and whether context rules apply.

    ``add`` and ``exclude`` are sorted ``(flag type, terms)`` pairs (hashable); build one with
    :func:`flag_settings`, which validates them.
    """

    add: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[tuple[str, tuple[str, ...]], ...] = ()
    context_rules: bool = True

    def added(self, flag_type: str) -> tuple[str, ...]:
        """Terms added to ``flag_type``."""
        return dict(self.add).get(flag_type, ())

    def excluded(self, flag_type: str) -> tuple[str, ...]:
        """Terms excluded from ``flag_type``."""
        return dict(self.exclude).get(flag_type, ())

    def as_evidence(self) -> dict:
        """What the scan used, for the evidence: terms added and excluded, and the context rules."""
        from assess.pii.flag_rules import rules_table

        return {"terms_added": {t: list(w) for t, w in self.add}, "terms_excluded": {t: list(w) for t, w in self.exclude},
                "context_rules": rules_table() if self.context_rules else []}


DEFAULT_FLAGS = FlagSettings()


def flag_terms() -> dict[str, tuple[str, ...]]:
    """Every flag type and its built-in terms (both scripts; the minors flag's age words 岁 / old included)."""
    from assess.pii.recognizer import FlagRecognizer, registered

    return {cls.type: cls.keywords_zh + cls.keywords_en for cls in registered().values() if issubclass(cls, FlagRecognizer)}


def flag_settings(add: Mapping | None = None, exclude: Mapping | None = None, *, context_rules: bool = True) -> FlagSettings:
    """Validated :class:`FlagSettings` from a plan's ``keyword_terms_add`` / ``keyword_terms_exclude``.

    Parameters
    ----------
    add : mapping of str to list of str, optional
        Flag type (``SENSITIVE_MINOR``) -> terms to flag as well (``["童装"]``). A Chinese term needs
        a Chinese character; an English term must start with a letter and is matched as a whole
        word, case-insensitively.
    exclude : mapping of str to list of str, optional
        Flag type -> built-in terms not to flag (``{"SENSITIVE_FINANCIAL": ["工资"]}``).
    context_rules : bool
        Apply the context rules (default); off reproduces the bare keyword match.

    Returns
    -------
    FlagSettings

    Raises
    ------
    InputError
        An unknown flag type, a term that is not a list of non-empty strings, an added term that
        cannot be matched, or an excluded term that is not a built-in term of its type.
    """
    known = flag_terms()
    checked_add = _checked(ADD_PARAMETER, add, known)
    checked_exclude = _checked(EXCLUDE_PARAMETER, exclude, known)
    for flag_type, terms in checked_add:
        for term in terms:
            if term.isascii() and not term[0].isalpha():
                raise InputError(f"{ADD_PARAMETER}[{flag_type}]: English term {term!r} must start with a letter "
                                 "(terms are matched as whole words)")
            if not term.isascii() and not any(map(is_cjk, term)):
                raise InputError(f"{ADD_PARAMETER}[{flag_type}]: term {term!r} has no Chinese character: "
                                 "write an English term in ASCII, a Chinese one with Chinese characters")
    for flag_type, terms in checked_exclude:
        builtin = {word.lower() for word in known[flag_type]}
        for term in terms:
            if term.lower() not in builtin:
                raise InputError(f"{EXCLUDE_PARAMETER}[{flag_type}]: {term!r} is not a term of {flag_type}: "
                                 f"use one of {', '.join(known[flag_type])}")
    return FlagSettings(checked_add, checked_exclude, bool(context_rules))


def _checked(parameter: str, value: Mapping | None, known: dict) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise InputError(f"{parameter} must map a flag type to a list of terms, e.g. {{SENSITIVE_MINOR: [童装]}}")
    pairs = []
    for flag_type, terms in value.items():
        if flag_type not in known:
            raise InputError(f"{parameter} names unknown category {flag_type!r}: use one of {', '.join(sorted(known))}")
        if isinstance(terms, str) or not isinstance(terms, (list, tuple)) or \
                not all(isinstance(t, str) and t.strip() for t in terms):
            raise InputError(f"{parameter}[{flag_type}] must be a list of non-empty terms, got {terms!r}")
        if terms:
            pairs.append((flag_type, tuple(sorted({t.strip() for t in terms}))))
    return tuple(sorted(pairs))
