"""Mask the data values inside GX validation results before they become evidence.

GX puts sample rows into results (``partial_unexpected_list``, ``partial_unexpected_counts``,
``partial_unexpected_index_list``, ``unexpected_list``, ``unexpected_index_query``, ...), some
observed values (a most common value, a maximum) and sometimes values in exception messages.
:func:`mask_result` replaces every such value with :func:`assess.masking.mask_value`, keeping
the counts and percentages. It works on the plain ``result`` dicts, so it needs no GX; it is
applied before results are stored, logged, or rendered into Data Docs.

The rule is conservative: a key of ``result`` is kept as is only when it is a known count or
percentage, a row number (integer entries of the unexpected index lists), or when the expectation type is known to report only schema facts or statistics
(:data:`SAFE_OBSERVED_TYPES`); everything else is masked.

One exception, declared in the data contract: an expectation whose columns (kwargs ``column``,
or every one of ``column_list`` / ``column_A`` / ``column_B``) are all ``personal: false``
(*public columns*) keeps the values of :data:`PUBLIC_VALUE_KEYS` (the unexpected values, the
observed value, the details), so an auditor reads which label was unexpected. Each kept value is
still run through the PII scanner (:mod:`assess.pii`, imported only when there is a value to
check) and masked if it holds any identifying finding: a phone number typed into a label column
stays masked. Row lists (``unexpected_index_*``, ``unexpected_rows``) and exception messages are
masked as for any other column.
"""

from __future__ import annotations

import re

from assess.masking import mask_value

#: Result keys that hold counts, percentages or column names, never data values.
SAFE_RESULT_KEYS = frozenset({
    "element_count", "missing_count", "missing_percent", "unexpected_count", "unexpected_percent",
    "unexpected_percent_total", "unexpected_percent_nonmissing", "unexpected_index_column_names",
})

#: Expectation types whose ``observed_value`` and ``details`` hold no data values: schema facts
#: (column names, type names, row counts) or statistics of this package's own expectations,
#: which name only declared classes and report numbers.
SAFE_OBSERVED_TYPES = frozenset({
    "expect_table_row_count_to_be_between",
    "expect_table_row_count_to_equal",
    "expect_table_column_count_to_be_between",
    "expect_table_column_count_to_equal",
    "expect_table_columns_to_match_set",
    "expect_table_columns_to_match_ordered_list",
    "expect_column_to_exist",
    "expect_column_values_to_be_of_type",
    "expect_column_values_to_be_in_type_list",
    "expect_column_to_have_logical_type",
    "expect_column_min_class_share_to_be_at_least",
    "expect_column_class_imbalance_ratio_to_be_at_most",
    "expect_column_drift_psi_to_be_at_most",
})

#: Result keys whose values come from the expectation's own columns; kept for public columns.
PUBLIC_VALUE_KEYS = frozenset({
    "partial_unexpected_list", "partial_unexpected_counts", "unexpected_list", "observed_value", "details",
})

#: Fixed key of the keyed hashes the PII scanner computes while checking public values: only
#: whether a value holds a finding matters, the hashes are thrown away (not a secret).
_SCAN_KEY = b"assess.quality.redact: public column check"

#: Masked stand-in for a GX query string that would list the unexpected rows.
MASKED_QUERY = "(masked: lists unexpected rows)"

_QUOTED_OR_LONG_NUMBER = re.compile(r"'[^']*'|\"[^\"]*\"|\d{4,}")


def mask_any(value):
    """Mask every scalar inside ``value`` (lists and dicts keep their shape; None and booleans stay)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, dict):
        return {k: mask_any(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_any(v) for v in value]
    return mask_value(value)


def _mask_counts(entries):
    """``partial_unexpected_counts``: mask each value, keep each count."""
    masked = []
    for entry in entries or []:
        if isinstance(entry, dict):
            masked.append({"value": mask_any(entry.get("value")), "count": entry.get("count")})
        else:
            masked.append(mask_any(entry))
    return masked


def _mask_index_entry(entry):
    """A row number (an int, the frame's position) is kept; id columns and other values are masked."""
    if isinstance(entry, int) and not isinstance(entry, bool):
        return entry
    return mask_any(entry)


def expectation_columns(kwargs: dict | None) -> list[str]:
    """The columns an expectation's kwargs name (``column``, ``column_list``, ``column_A``, ``column_B``)."""
    kwargs = kwargs or {}
    names = []
    if kwargs.get("column") is not None:
        names.append(kwargs["column"])
    names += list(kwargs.get("column_list") or [])
    names += [kwargs[k] for k in ("column_A", "column_B") if kwargs.get(k) is not None]
    return names


def is_public(kwargs: dict | None, public_columns) -> bool:
    """True when the expectation names at least one column and every column it names is public."""
    names = expectation_columns(kwargs)
    public = frozenset(public_columns or ())
    return bool(names) and all(isinstance(name, str) and name in public for name in names)


def _scalars(value, out: list) -> list:
    """Every scalar inside ``value`` that would be shown (not None or booleans), in order."""
    if value is None or isinstance(value, bool):
        return out
    if isinstance(value, dict):
        for v in value.values():
            _scalars(v, out)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _scalars(v, out)
    else:
        out.append(value)
    return out


def identifying_texts(texts) -> set[str]:
    """The texts among ``texts`` in which the PII scanner finds any identifying finding."""
    texts = sorted(set(texts))
    if not texts:
        return set()
    from assess.pii import get_engine

    found = get_engine().scan_batch(texts, key=_SCAN_KEY)
    return {text for text, findings in zip(texts, found) if any(f.identifying for f in findings)}


def _keep_public(value, flagged: set[str]):
    """``value`` with its shape and scalars kept, except scalars the scanner flagged (masked)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, dict):
        return {k: _keep_public(v, flagged) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_keep_public(v, flagged) for v in value]
    return mask_value(value) if str(value) in flagged else value


def mask_message(message):
    """Mask quoted strings and long digit runs in an error message (they may be data values)."""
    if not isinstance(message, str):
        return message
    return _QUOTED_OR_LONG_NUMBER.sub(lambda m: mask_value(m.group(0)), message)


def mask_result(expectation_type: str, result: dict | None, kwargs: dict | None = None,
                public_columns=()) -> dict:
    """Return a copy of one expectation's ``result`` dict with data values masked.

    Parameters
    ----------
    expectation_type : str
        The expectation's type (snake case), which decides whether ``observed_value`` and
        ``details`` may be kept.
    result : dict
        The ``result`` member of an expectation validation result.
    kwargs : dict, optional
        The expectation's kwargs, which name its columns.
    public_columns : collection of str
        Columns the data contract declares ``personal: false``. When every column the kwargs
        name is one of them, the values of :data:`PUBLIC_VALUE_KEYS` are kept, except those in
        which the PII scanner finds an identifier.

    Returns
    -------
    dict
    """
    masked = {}
    result = result or {}
    safe_type = expectation_type in SAFE_OBSERVED_TYPES
    flagged = None
    if public_columns and is_public(kwargs, public_columns):
        kept = [result[key] for key in PUBLIC_VALUE_KEYS if key in result]
        # Everything shown is scanned as text, numbers too (an int column may hold phone numbers).
        flagged = identifying_texts(str(v) for v in _scalars(kept, []))
    for key, value in result.items():
        if key in SAFE_RESULT_KEYS:
            masked[key] = value
        elif flagged is not None and key == "partial_unexpected_counts":
            masked[key] = [{"value": _keep_public(e.get("value"), flagged), "count": e.get("count")}
                           if isinstance(e, dict) else _keep_public(e, flagged) for e in value or []]
        elif flagged is not None and key in PUBLIC_VALUE_KEYS:
            masked[key] = _keep_public(value, flagged)
        elif key == "partial_unexpected_counts":
            masked[key] = _mask_counts(value)
        elif key == "unexpected_index_query":
            masked[key] = MASKED_QUERY if value else value
        elif key in ("partial_unexpected_index_list", "unexpected_index_list"):
            masked[key] = [_mask_index_entry(v) for v in value or []]
        elif key in ("observed_value", "details") and safe_type:
            masked[key] = value
        elif key == "observed_value" and isinstance(value, (int, float)) and expectation_type.startswith("expect_table_"):
            masked[key] = value
        else:
            masked[key] = mask_any(value)
    return masked


def mask_exception_info(info):
    """Mask messages and drop tracebacks in an ``exception_info`` (flat or keyed by metric)."""
    if not isinstance(info, dict):
        return info
    if "exception_message" in info or "exception_traceback" in info:
        out = dict(info)
        out["exception_message"] = mask_message(info.get("exception_message"))
        if info.get("exception_traceback"):
            out["exception_traceback"] = "(traceback withheld from evidence: it may quote data)"
        return out
    return {key: mask_exception_info(value) for key, value in info.items()}


def mask_suite_result_dict(suite_result: dict, public_columns=()) -> dict:
    """Mask a whole ``ExpectationSuiteValidationResult`` in its JSON-dict form (a copy).

    ``public_columns`` are the columns the dataset's contract declares ``personal: false``
    (:attr:`assess.quality.contract.Contract.public_columns`); see :func:`mask_result`.
    """
    out = dict(suite_result)
    results = []
    for item in suite_result.get("results", []):
        item = dict(item)
        config = item.get("expectation_config") or {}
        item["result"] = mask_result(config.get("type", ""), item.get("result"), config.get("kwargs"), public_columns)
        item["exception_info"] = mask_exception_info(item.get("exception_info"))
        results.append(item)
    out["results"] = results
    return out
