"""Great Expectations classes for the checks GX does not ship.

Importing this module imports GX (seconds), so only :mod:`assess.quality.compile` and
:mod:`assess.quality.gx_run` import it. Every class here reuses metrics GX already implements for
pandas, Spark and SQL (``table.column_types``, ``column.value_counts``, ``column.histogram``,
``column_values.between.count`` and the map metrics of the built-in expectations they extend),
so a suite that uses them runs on any GX data source. Checks that need a value computed from the
text (its normalised form, its length, whether it also occurs in another split) read a helper
column that :func:`assess.quality.prepare.add_helper_columns` adds per chunk.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, Dict, List, Optional, Tuple

from assess.quality.offline import disable_gx_analytics

disable_gx_analytics()  # before GX is imported

import great_expectations.expectations as gxe  # noqa: E402
from great_expectations.expectations.expectation import ColumnAggregateExpectation  # noqa: E402
from great_expectations.expectations.row_conditions import Column  # noqa: E402
from great_expectations.render import LegacyRendererType, RenderedStringTemplateContent  # noqa: E402
from great_expectations.render.renderer.renderer import renderer  # noqa: E402
from great_expectations.validator.metric_configuration import MetricConfiguration  # noqa: E402

from assess.quality.profile import UNDECLARED, bin_shares_from_counts, categorical_shares, psi  # noqa: E402
from assess.quality.text import EMPTY_TEXT_PATTERN, GARBLED_PATTERNS  # noqa: E402


def _sentence(template: str, kwargs: dict, runtime_configuration: Optional[dict]) -> list:
    """A Data Docs sentence from ``template`` ($name placeholders filled from ``kwargs``)."""
    params = dict(kwargs)
    mostly = params.get("mostly")
    if isinstance(mostly, (int, float)) and mostly < 1:
        params["mostly_pct"] = f"{mostly * 100:g}"
        template += ", at least $mostly_pct % of the time"
    include_column = (runtime_configuration or {}).get("include_column_name", True)
    if include_column and "column" in params:
        template = "$column " + template
    styling = (runtime_configuration or {}).get("styling", {})
    return [RenderedStringTemplateContent(
        content_block_type="string_template",
        string_template={"template": template + ".", "params": params, "styling": styling},
    )]


class _Described:
    """Mixin: a class attribute ``sentence`` renders the expectation in Data Docs."""

    sentence: ClassVar[str] = ""

    @classmethod
    @renderer(renderer_type=LegacyRendererType.PRESCRIPTIVE)
    def _prescriptive_renderer(cls, configuration=None, result=None, runtime_configuration=None, **kwargs):
        config_kwargs = dict(configuration.kwargs) if configuration is not None else {}
        return _sentence(cls.sentence, config_kwargs, runtime_configuration)


# -- column types --------------------------------------------------------------------------------

#: Spark type names per logical type (SQL engines report their own names; see ``_logical_of``).
_SPARK_TYPES = {
    "string": {"StringType", "VarcharType", "CharType"},
    "integer": {"ByteType", "ShortType", "IntegerType", "LongType"},
    "number": {"ByteType", "ShortType", "IntegerType", "LongType", "FloatType", "DoubleType", "DecimalType"},
    "boolean": {"BooleanType"},
    "datetime": {"TimestampType", "TimestampNTZType", "DateType"},
}


def _type_name(physical: Any) -> str:
    """A short readable name of a column's physical type (pandas dtype or Spark/SQL type)."""
    name = getattr(physical, "name", None)
    if isinstance(name, str):
        return name
    return type(physical).__name__


def _matches_logical(physical: Any, logical: str) -> bool:
    """Whether a pandas dtype or a Spark type holds values of the logical type."""
    import pandas.api.types as ptypes

    if type(physical).__name__ in _SPARK_TYPES["number"] | _SPARK_TYPES["string"] | _SPARK_TYPES["boolean"] | _SPARK_TYPES["datetime"]:
        return type(physical).__name__ in _SPARK_TYPES[logical]
    try:
        if logical == "string":
            return ptypes.is_string_dtype(physical) and not ptypes.is_bool_dtype(physical)
        if logical == "integer":
            return ptypes.is_integer_dtype(physical) and not ptypes.is_bool_dtype(physical)
        if logical == "number":
            return ptypes.is_numeric_dtype(physical) and not ptypes.is_bool_dtype(physical)
        if logical == "boolean":
            return ptypes.is_bool_dtype(physical)
        if logical == "datetime":
            return ptypes.is_datetime64_any_dtype(physical)
    except TypeError:
        return False
    return False


class ExpectColumnToHaveLogicalType(_Described, ColumnAggregateExpectation):
    """Expect a column's type to hold values of a logical type (string, integer, number, boolean, datetime).

    Unlike ``ExpectColumnValuesToBeOfType``, whose type names differ between pandas ("str",
    "int64") and Spark ("StringType", "LongType"), the logical type is the same on every engine.
    """

    logical_type: str

    metric_dependencies: ClassVar[Tuple[str, ...]] = ("table.column_types",)
    success_keys: ClassVar[Tuple[str, ...]] = ("logical_type",)
    args_keys: ClassVar[Tuple[str, ...]] = ("column", "logical_type")
    sentence: ClassVar[str] = "values must be of logical type $logical_type"

    def _validate(self, metrics: Dict, runtime_configuration: Optional[dict] = None, execution_engine=None):
        column = self.configuration.kwargs["column"]
        types = {entry["name"]: entry["type"] for entry in metrics["table.column_types"]}
        if column not in types:
            return {"success": False, "result": {"observed_value": "(column missing)"}}
        physical = types[column]
        return {
            "success": _matches_logical(physical, self.logical_type),
            "result": {"observed_value": _type_name(physical)},
        }


class ExpectColumnValuesToBeParseableAsType(_Described, gxe.ExpectColumnValuesToBeNull):
    """Expect every value of ``source_column`` to parse as its declared logical type.

    Reads the helper column that holds the raw value where parsing failed and nothing elsewhere,
    so the unexpected values are the unparseable ones.
    """

    source_column: str
    logical_type: str
    sentence: ClassVar[str] = "values of $source_column must parse as $logical_type"


# -- text -----------------------------------------------------------------------------------------

class ExpectColumnValuesToHaveNoNormalizedDuplicates(_Described, gxe.ExpectColumnValuesToBeUnique):
    """Expect texts to be unique after normalisation (NFKC, case, whitespace, punctuation).

    Runs on the helper column of normalised text; ``source_column`` names the text column.
    """

    source_column: str
    sentence: ClassVar[str] = "texts of $source_column must be unique after normalisation (NFKC, case, whitespace, punctuation)"


class ExpectColumnValuesToHaveConsistentLabels(_Described, gxe.ExpectColumnValuesToBeNull):
    """Expect texts that are equal after normalisation to carry the same label.

    Runs on the helper column that holds the text where its normalised group has more than one
    label, and nothing elsewhere.
    """

    source_column: str
    label_column: str
    sentence: ClassVar[str] = "texts of $source_column that are equal after normalisation must have one $label_column"


class ExpectColumnValuesToNotBeEmptyText(_Described, gxe.ExpectColumnValuesToNotMatchRegex):
    """Expect texts not to be empty or whitespace only."""

    regex: str = EMPTY_TEXT_PATTERN
    sentence: ClassVar[str] = "texts must not be empty or whitespace only"


class ExpectColumnValuesToNotBeGarbledText(_Described, gxe.ExpectColumnValuesToNotMatchRegexList):
    """Expect texts to carry no replacement characters (U+FFFD), mojibake or control characters."""

    regex_list: List[str] = list(GARBLED_PATTERNS)
    sentence: ClassVar[str] = ("texts must not be garbled (U+FFFD replacement characters, UTF-8 read as "
                               "Latin-1/cp1252 such as 'Ã©' or 'é”™', '锟斤拷', control characters)")


# -- splits ---------------------------------------------------------------------------------------

class ExpectColumnValuesToNotOverlapSplit(_Described, gxe.ExpectColumnValuesToBeNull):
    """Expect no record to occur in another split (``other_split``), compared by ``key``.

    ``key`` is "id" (the id column) or "content" (the normalised text). Runs on the helper column
    that holds the record's id or text where it also occurs in the other split.
    """

    other_split: str
    key: str
    source_column: str
    sentence: ClassVar[str] = "records must not also occur in split $other_split (compared by $key of $source_column)"


# -- labels ---------------------------------------------------------------------------------------

def _class_counts(value_counts, classes: Optional[List[str]]) -> dict:
    """Counts per declared class; without a declared set, classes are numbered, not named."""
    raw = {str(k): int(v) for k, v in value_counts.items()}
    if not classes:
        ordered = sorted(raw.values(), reverse=True)
        return {f"class_{i + 1}": count for i, count in enumerate(ordered)}
    return {str(name): raw.get(str(name), 0) for name in classes}


class ExpectColumnMinClassShareToBeAtLeast(_Described, ColumnAggregateExpectation):
    """Expect every class of a label column to hold at least ``min_value`` of the labelled rows.

    ``classes`` (the declared label set) makes an absent class count, with share 0; values outside
    it are left to the label-set expectation and do not count here.
    """

    min_value: float
    classes: Optional[List[str]] = None

    metric_dependencies: ClassVar[Tuple[str, ...]] = ("column.value_counts",)
    success_keys: ClassVar[Tuple[str, ...]] = ("min_value", "classes")
    args_keys: ClassVar[Tuple[str, ...]] = ("column", "min_value")
    sentence: ClassVar[str] = "every class must hold at least $min_value of the rows"

    def _validate(self, metrics: Dict, runtime_configuration: Optional[dict] = None, execution_engine=None):
        counts = _class_counts(metrics["column.value_counts"], self.classes)
        total = sum(counts.values())
        shares = {name: (count / total if total else 0.0) for name, count in counts.items()}
        smallest = min(shares, key=shares.get) if shares else None
        observed = round(shares[smallest], 6) if smallest is not None else 0.0
        return {
            "success": bool(shares) and observed >= self.min_value,
            "result": {"observed_value": observed,
                       "details": {"smallest_class": smallest, "class_shares": {k: round(v, 6) for k, v in shares.items()}}},
        }


class ExpectColumnClassImbalanceRatioToBeAtMost(_Described, ColumnAggregateExpectation):
    """Expect the largest class to be at most ``max_value`` times the smallest.

    With an absent declared class the ratio is infinite, reported as ``null`` with
    ``details.absent_classes``.
    """

    max_value: float
    classes: Optional[List[str]] = None

    metric_dependencies: ClassVar[Tuple[str, ...]] = ("column.value_counts",)
    success_keys: ClassVar[Tuple[str, ...]] = ("max_value", "classes")
    args_keys: ClassVar[Tuple[str, ...]] = ("column", "max_value")
    sentence: ClassVar[str] = "the largest class must be at most $max_value times the smallest"

    def _validate(self, metrics: Dict, runtime_configuration: Optional[dict] = None, execution_engine=None):
        counts = _class_counts(metrics["column.value_counts"], self.classes)
        absent = sorted(name for name, count in counts.items() if count == 0)
        present = [count for count in counts.values() if count > 0]
        if not present:
            return {"success": False, "result": {"observed_value": None, "details": {"absent_classes": absent}}}
        ratio = None if absent else round(max(present) / min(present), 6)
        details = {"largest_class": max(counts, key=counts.get), "smallest_class": min(counts, key=counts.get),
                   "class_counts": counts, "absent_classes": absent}
        return {"success": ratio is not None and ratio <= self.max_value,
                "result": {"observed_value": ratio, "details": details}}


# -- drift ----------------------------------------------------------------------------------------

class ExpectColumnDriftPsiToBeAtMost(_Described, ColumnAggregateExpectation):
    """Expect a column's distribution to stay within ``max_value`` PSI of a baseline profile.

    ``baseline`` is one entry of :func:`assess.quality.profile.build_profile`: for a categorical
    column ``{"kind": "categorical", "shares": {value: share}}``; for a numeric column (or a text
    length) ``{"kind": "numeric", "edges": [...], "shares": [below, bins..., above]}``. The
    observed value is the population stability index of the current data against it.
    """

    baseline: Dict[str, Any]
    max_value: float

    success_keys: ClassVar[Tuple[str, ...]] = ("baseline", "max_value")
    args_keys: ClassVar[Tuple[str, ...]] = ("column", "max_value")
    sentence: ClassVar[str] = "distribution must stay within PSI $max_value of the previous review's profile"

    def get_validation_dependencies(self, execution_engine=None, runtime_configuration=None):
        dependencies = super().get_validation_dependencies(execution_engine, runtime_configuration)
        domain = self.configuration.get_domain_kwargs()
        if self.baseline.get("kind") == "categorical":
            dependencies.set_metric_configuration("column.value_counts", MetricConfiguration(
                metric_name="column.value_counts", metric_domain_kwargs=domain,
                metric_value_kwargs={"sort": "value", "collate": None}))
            return dependencies
        edges = tuple(float(e) for e in self.baseline["edges"])
        dependencies.set_metric_configuration("column.histogram", MetricConfiguration(
            metric_name="column.histogram", metric_domain_kwargs=domain, metric_value_kwargs={"bins": edges}))
        # Missing values are left out before comparing: on pandas, GX's between-count of a nullable
        # column (Int64, as an integer column or a text length is typed) fails with "boolean value
        # of NA is ambiguous"; on Spark, comparisons skip nulls anyway.
        present = {**domain, "row_condition": Column(self.configuration.kwargs["column"]).is_not_null().dict()}
        dependencies.set_metric_configuration("below", MetricConfiguration(
            metric_name="column_values.between.count", metric_domain_kwargs=present,
            metric_value_kwargs={"max_value": edges[0], "strict_max": True}))
        dependencies.set_metric_configuration("above", MetricConfiguration(
            metric_name="column_values.between.count", metric_domain_kwargs=present,
            metric_value_kwargs={"min_value": edges[-1], "strict_min": True}))
        return dependencies

    def _validate(self, metrics: Dict, runtime_configuration: Optional[dict] = None, execution_engine=None):
        if self.baseline.get("kind") == "categorical":
            known = set(self.baseline["shares"])
            counts: dict = {}
            for value, count in metrics["column.value_counts"].items():
                key = str(value) if str(value) in known else UNDECLARED
                counts[key] = counts.get(key, 0) + int(count)
            current = categorical_shares(counts)
        else:
            current = bin_shares_from_counts(int(metrics["below"]), [int(c) for c in metrics["column.histogram"]],
                                             int(metrics["above"]))
        value = psi(self.baseline["shares"], current)
        value = None if math.isnan(value) else round(value, 6)
        return {"success": value is not None and value <= self.max_value,
                "result": {"observed_value": value, "details": {"current_shares": current}}}


#: Every class defined here, for registration checks and documentation.
CUSTOM_EXPECTATIONS = (
    ExpectColumnToHaveLogicalType,
    ExpectColumnValuesToBeParseableAsType,
    ExpectColumnValuesToHaveNoNormalizedDuplicates,
    ExpectColumnValuesToHaveConsistentLabels,
    ExpectColumnValuesToNotBeEmptyText,
    ExpectColumnValuesToNotBeGarbledText,
    ExpectColumnValuesToNotOverlapSplit,
    ExpectColumnMinClassShareToBeAtLeast,
    ExpectColumnClassImbalanceRatioToBeAtMost,
    ExpectColumnDriftPsiToBeAtMost,
)
