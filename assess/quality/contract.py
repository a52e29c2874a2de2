"""Data contracts: what a dataset must look like, declared in YAML and read without GX.

A contract is the reviewed, human-owned statement of a dataset's shape: its columns, their types,
which may be missing, their ranges, value sets, patterns, uniqueness, text lengths and the row
count. :func:`load_contract` reads and checks one; :mod:`assess.quality.compile` turns it into a
Great Expectations suite. Example::

    version: 1
    dataset: intents
    rows: {min: 100, max: 5000000}
    extra_columns: forbid          # or allow
    columns:
      id:    {type: string, nullable: false, unique: true, regex: '^u\\d{5}$'}
      text:  {type: string, nullable: false, min_length: 2, max_length: 500}
      label: {type: string, nullable: false, values: [billing, refund], personal: false}
      score: {type: number, nullable: true, max_null_share: 0.05, min: 0, max: 1}
    unique_together: [[text, label]]
    roles: {id: id, text: text, label: label}   # optional; the plan's dataset columns win

An empty string counts as a missing value (CSV files have no other way to say "missing").

``personal: false`` declares that a column holds no personal data (an intent label, a language
code). Every column is personal by default, and its values are masked wherever a GX result
quotes them; the values of a ``personal: false`` column are shown as they are, so an auditor reads
``refunds`` instead of ``*******``, except a value in which the PII scanner still finds an
identifier, which stays masked (:mod:`assess.quality.redact`). Declare it only for columns whose
values come from a closed, reviewed vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assess.errors import InputError

#: Logical column types, with the spellings a contract may use for them.
TYPE_ALIASES = {
    "string": "string", "str": "string", "text": "string",
    "integer": "integer", "int": "integer",
    "number": "number", "float": "number", "double": "number",
    "boolean": "boolean", "bool": "boolean",
    "datetime": "datetime", "timestamp": "datetime", "date": "datetime",
}
LOGICAL_TYPES = ("string", "integer", "number", "boolean", "datetime")
_COLUMN_KEYS = ("type", "nullable", "max_null_share", "unique", "min", "max", "values", "regex",
                "min_length", "max_length", "description", "personal")
_TOP_KEYS = ("version", "dataset", "description", "rows", "extra_columns", "columns", "unique_together", "roles")


@dataclass(frozen=True)
class ColumnContract:
    """What one column must satisfy; None means "not constrained"."""

    name: str
    type: str = "string"
    nullable: bool = True
    max_null_share: float | None = None
    unique: bool = False
    min: float | None = None
    max: float | None = None
    values: tuple | None = None
    regex: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    description: str = ""
    personal: bool = True


@dataclass(frozen=True)
class Contract:
    """A dataset's data contract (see the module docstring for the YAML form)."""

    dataset: str
    columns: dict[str, ColumnContract]
    min_rows: int | None = None
    max_rows: int | None = None
    extra_columns: str = "forbid"
    unique_together: tuple[tuple[str, ...], ...] = ()
    roles: dict[str, str] = field(default_factory=dict)
    description: str = ""
    path: Path | None = None

    def column(self, name: str | None) -> ColumnContract | None:
        """The contract of column ``name``, or None when it is not declared."""
        return self.columns.get(name) if name else None

    @property
    def public_columns(self) -> frozenset[str]:
        """Names of the columns declared ``personal: false`` (their values need not be masked)."""
        return frozenset(name for name, column in self.columns.items() if not column.personal)


class _Reader:
    """Checks a parsed contract document; every error names the file, the key and the fix."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, key: str, expected: str, got=None) -> InputError:
        shown = "" if got is None else f" (got {got!r})"
        return InputError(f"contract {self.source}: {key} must be {expected}{shown}: fix the contract")

    def mapping(self, value, key: str, allowed: tuple[str, ...]) -> dict:
        if not isinstance(value, dict):
            raise self.fail(key, "a mapping", value)
        unknown = [k for k in value if k not in allowed]
        if unknown:
            raise self.fail(f"{key}.{unknown[0]}", f"one of the known keys ({', '.join(allowed)})", unknown[0])
        return value

    def number(self, value, key: str, *, low: float | None = None, high: float | None = None, integer: bool = False):
        if value is None:
            return None
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not ok or (integer and not float(value).is_integer()):
            raise self.fail(key, "an integer" if integer else "a number", value)
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.fail(key, f"between {low} and {high}", value)
        return int(value) if integer else value

    def boolean(self, value, key: str, default: bool) -> bool:
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(key, "true or false", value)
        return value

    def column(self, name, doc, key: str) -> ColumnContract:
        if not isinstance(name, str) or not name:
            raise self.fail(key, "a column name (text)", name)
        if doc is None:
            doc = {}
        doc = self.mapping(doc, key, _COLUMN_KEYS)
        raw_type = str(doc.get("type", "string")).lower()
        if raw_type not in TYPE_ALIASES:
            raise self.fail(f"{key}.type", f"one of {', '.join(LOGICAL_TYPES)}", doc.get("type"))
        logical = TYPE_ALIASES[raw_type]
        values = doc.get("values")
        if values is not None:
            if not isinstance(values, list) or not values:
                raise self.fail(f"{key}.values", "a non-empty list", values)
            values = tuple(values)
        regex = doc.get("regex")
        if regex is not None:
            if not isinstance(regex, str):
                raise self.fail(f"{key}.regex", "a regular expression (text)", regex)
            try:
                re.compile(regex)
            except re.error as exc:
                raise self.fail(f"{key}.regex", f"a valid regular expression ({exc})", regex) from None
        column = ColumnContract(
            name=name,
            type=logical,
            nullable=self.boolean(doc.get("nullable"), f"{key}.nullable", True),
            max_null_share=self.number(doc.get("max_null_share"), f"{key}.max_null_share", low=0, high=1),
            unique=self.boolean(doc.get("unique"), f"{key}.unique", False),
            min=self.number(doc.get("min"), f"{key}.min"),
            max=self.number(doc.get("max"), f"{key}.max"),
            values=values,
            regex=regex,
            min_length=self.number(doc.get("min_length"), f"{key}.min_length", low=0, integer=True),
            max_length=self.number(doc.get("max_length"), f"{key}.max_length", low=0, integer=True),
            description=str(doc.get("description", "")),
            personal=self.boolean(doc.get("personal"), f"{key}.personal", True),
        )
        if column.min is not None and column.max is not None and column.min > column.max:
            raise self.fail(f"{key}.min", f"at most {key}.max ({column.max})", column.min)
        if column.min_length is not None and column.max_length is not None and column.min_length > column.max_length:
            raise self.fail(f"{key}.min_length", f"at most {key}.max_length ({column.max_length})", column.min_length)
        if (column.min is not None or column.max is not None) and logical not in ("integer", "number"):
            raise self.fail(f"{key}.type", "integer or number when min/max are given (use min_length/max_length for text)", doc.get("type"))
        return column

    def contract(self, doc, path: Path | None) -> Contract:
        doc = self.mapping(doc, "(top level)", _TOP_KEYS)
        version = doc.get("version", 1)
        if version != 1:
            raise self.fail("version", "1", version)
        columns_doc = doc.get("columns")
        if not isinstance(columns_doc, dict) or not columns_doc:
            raise self.fail("columns", "a mapping of column name to its rules, with at least one column", columns_doc)
        columns = {name: self.column(name, spec, f"columns.{name}") for name, spec in columns_doc.items()}
        rows = self.mapping(doc.get("rows") or {}, "rows", ("min", "max"))
        min_rows = self.number(rows.get("min"), "rows.min", low=0, integer=True)
        max_rows = self.number(rows.get("max"), "rows.max", low=0, integer=True)
        if min_rows is not None and max_rows is not None and min_rows > max_rows:
            raise self.fail("rows.min", f"at most rows.max ({max_rows})", min_rows)
        extra = doc.get("extra_columns", "forbid")
        if extra not in ("forbid", "allow"):
            raise self.fail("extra_columns", "forbid or allow", extra)
        together = []
        for index, group in enumerate(doc.get("unique_together") or []):
            key = f"unique_together[{index}]"
            if not isinstance(group, list) or len(group) < 2 or any(c not in columns for c in group):
                raise self.fail(key, "a list of two or more declared columns", group)
            together.append(tuple(group))
        roles = self.mapping(doc.get("roles") or {}, "roles", ("id", "text", "label"))
        for role, column in roles.items():
            if column not in columns:
                raise self.fail(f"roles.{role}", f"a declared column ({', '.join(columns)})", column)
        return Contract(
            dataset=str(doc.get("dataset") or (path.stem if path else "dataset")),
            columns=columns,
            min_rows=min_rows,
            max_rows=max_rows,
            extra_columns=extra,
            unique_together=tuple(together),
            roles=dict(roles),
            description=str(doc.get("description", "")),
            path=path,
        )


def parse_contract(text: str, *, source: str = "<text>", path: Path | None = None) -> Contract:
    """Parse and check a contract from YAML text.

    Parameters
    ----------
    text : str
        The YAML document.
    source : str
        How to name the document in error messages (usually its path).
    path : Path, optional
        Where the contract lives, kept on the result for evidence.

    Returns
    -------
    Contract

    Raises
    ------
    InputError
        The text is not YAML or does not follow the contract schema.
    """
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InputError(f"contract {source} is not valid YAML{where}: fix the syntax") from None
    return _Reader(source).contract(doc, path)


def load_contract(path: str | Path) -> Contract:
    """Read and check the contract file at ``path``.

    Raises
    ------
    InputError
        The file is missing, not UTF-8, not YAML, or does not follow the schema.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            f"contract {path} does not exist: fix the dataset's contract: path in the plan, "
            f"or write one with `assess contract suggest DATASET --out {path}`"
        ) from None
    except UnicodeDecodeError:
        raise InputError(f"contract {path} is not UTF-8 text: save it as UTF-8") from None
    return parse_contract(text, source=str(path), path=path.resolve())
