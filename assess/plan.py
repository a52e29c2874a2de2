"""The review plan: which subjects are reviewed, on which data, by which assessments, how often.

A plan is a YAML file. It is validated on load: every error names the file, the line, the key
and what is expected, so a person can fix it without reading code. Paths are relative to the
plan file.

Example::

    version: 1
    subjects:
      demo-assistant:
        prepare: assess.demo:ensure_built
        models:
          classifier: {uri: "models:/assess-demo-intent-classifier/latest", flavor: sklearn}
        datasets:
          train: {path: datasets/demo/intents_train.csv, id_column: id, text_column: text,
                  label_column: label, contract: contracts/intents.yaml}
        assessments:
          pii_training_data: {every: 90d, datasets: [train]}
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from assess.errors import InputError
from assess.registry import AssessmentSpec, discover

DATASET_FORMATS = ("csv", "jsonl", "parquet", "txt")
#: Where a dataset's scans and checks run: pandas on the local cores, or a Spark cluster.
ENGINES = ("pandas", "spark")
#: Formats Spark reads (as a file or a folder of part files); txt has no id column to key records by.
SPARK_FORMATS = ("csv", "jsonl", "parquet")
_SPARK_MASTER = re.compile(r"^(local(\[(\*|\d+)(,\s*\d+)?\])?|spark://\S+|sc://\S+|yarn|k8s://\S+|mesos://\S+)$")
_CADENCE = re.compile(r"^(\d+)\s*([dw])$")
_URI_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:/")


@dataclass(frozen=True)
class DatasetSpec:
    """One dataset of a subject, by role (train, holdout, eval, ...)."""

    role: str
    path: Path
    format: str
    id_column: str | None = None
    text_column: str | None = None
    label_column: str | None = None
    contract: Path | None = None
    #: "pandas" (local cores) or "spark" (the subject's Spark master); see :data:`ENGINES`.
    engine: str = "pandas"

    def columns(self) -> list[str]:
        """The columns the plan declares for this dataset."""
        return [c for c in (self.id_column, self.text_column, self.label_column) if c]


@dataclass(frozen=True)
class SparkOptions:
    """Where a subject's Spark work runs: the master URL and extra Spark settings.

    ``master`` is ``local[*]`` (every local core) by default, or any master URL (``spark://host:7077``,
    ``yarn``, ``k8s://...``), or a Spark Connect server (``sc://host:15002``).
    """

    master: str = "local[*]"
    conf: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ModelSpec:
    """One model of a subject, by role: where it is, its kind (see :mod:`assess.models`), and the kind's options."""

    role: str
    uri: str
    kind: str = "pyfunc"
    task: str | None = None
    options: dict = field(default_factory=dict)
    #: The columns the model takes, as a DataFrame (e.g. a ColumnTransformer pipeline's text and
    #: categorical columns); None: the dataset's text column, or its other columns.
    feature_columns: tuple[str, ...] | None = None

    def is_file(self) -> bool:
        """True when ``uri`` is a path on disk rather than an MLflow URI or a URL."""
        return not _URI_SCHEME.match(self.uri)

    def in_model_store(self) -> bool:
        """True for an MLflow model or run URI (whose source run may hold a canary record)."""
        return self.uri.startswith(("models:/", "runs:/"))

    def display_uri(self) -> str:
        """``uri`` without user info (a URL's credentials never reach a message or the evidence)."""
        return re.sub(r"^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", r"\1", self.uri)


@dataclass(frozen=True)
class Cadence:
    """How often an assessment is due, in days."""

    days: int

    def __str__(self) -> str:
        return f"{self.days}d"


@dataclass
class AssessmentPlan:
    """One assessment as a subject's plan configures it."""

    spec: AssessmentSpec
    every: Cadence | None
    params: dict


@dataclass
class SubjectSpec:
    """A reviewed subject: its models, its datasets and its assessments."""

    name: str
    description: str = ""
    prepare: str | None = None
    models: dict[str, ModelSpec] = field(default_factory=dict)
    datasets: dict[str, DatasetSpec] = field(default_factory=dict)
    assessments: dict[str, AssessmentPlan] = field(default_factory=dict)
    #: The subject's Spark master and settings (used by datasets with ``engine: spark``).
    spark: SparkOptions = field(default_factory=SparkOptions)

    def run_prepare(self, plan: "Plan") -> None:
        """Call the subject's ``prepare`` hook (``module:function``) with the plan, if any."""
        if self.prepare:
            resolve_callable(self.prepare, where=f"subjects.{self.name}.prepare")(plan=plan, subject=self)


@dataclass
class Plan:
    """A validated review plan."""

    path: Path
    subjects: dict[str, SubjectSpec]
    tracking_uri: str | None = None
    reports_dir: Path | None = None
    notebooks_dir: Path | None = None
    timeout_seconds: int = 1800
    #: A review may not start without a signing key (``require_signing: true``).
    require_signing: bool = False

    @property
    def root(self) -> Path:
        """The folder that holds the plan; relative paths start here."""
        return self.path.parent

    def subject(self, name: str) -> SubjectSpec:
        """The subject called ``name``."""
        try:
            return self.subjects[name]
        except KeyError:
            raise InputError(
                f"subject {name!r} is not in {self.path.name}: use one of {', '.join(self.subjects)}"
            ) from None


def resolve_callable(reference: str, *, where: str):
    """Import ``module:function`` and return the function."""
    module_name, _, attribute = reference.partition(":")
    if not module_name or not attribute:
        raise InputError(f"{where}: {reference!r} is not 'module:function'")
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise InputError(f"{where}: cannot import {reference!r} ({exc}): check the module and function name") from None


class _Located:
    """Turns a composed YAML node tree into Python values, keeping each key's line."""

    def __init__(self, file_name: str):
        self.file_name = file_name
        self.lines: dict[str, int] = {}
        self._scalars = yaml.SafeLoader("")

    def convert(self, node, path: str):
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                child = f"{path}.{key}" if path else key
                if key in result:
                    raise InputError(f"{self.file_name}:{key_node.start_mark.line + 1}: {child}: duplicate key; keep one")
                result[key] = self.convert(value_node, child)
                self.lines[child] = key_node.start_mark.line + 1
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, f"{path}[{i}]") for i, item in enumerate(node.value)]
        return self._scalars.construct_object(node, deep=True)


class PlanLoader:
    """Validates a plan document; every error carries file, line, key and what is expected."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.located = _Located(path.name)
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f":{mark.line + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise InputError(f"{path.name}{line}: not valid YAML ({problem}): fix the syntax") from None
        if node is None:
            raise InputError(f"{path.name}: the plan is empty: declare at least one subject under 'subjects:'")
        self.document = self.located.convert(node, "")

    def fail(self, key: str, expected: str, got=None) -> InputError:
        line = self.located.lines.get(key) or self.located.lines.get(key.rsplit(".", 1)[0], 0)
        got_text = "" if got is None else f", got {got!r}"
        return InputError(f"{self.path.name}:{line}: {key}: expected {expected}{got_text}")

    def mapping(self, value, key: str, allowed: tuple[str, ...] | None = None) -> dict:
        if not isinstance(value, dict):
            raise self.fail(key, "a mapping", value)
        if allowed is not None:
            for name in value:
                if name not in allowed:
                    raise self.fail(f"{key}.{name}" if key else name, f"one of the keys {', '.join(allowed)}", name)
        return value

    def text(self, value, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "a non-empty string", value)
        return value

    def relative_path(self, value, key: str) -> Path:
        return (self.path.parent / self.text(value, key)).resolve()

    def load(self) -> Plan:
        doc = self.mapping(self.document, "", ("version", "subjects", "tracking_uri", "reports_dir", "notebooks_dir",
                                               "timeout_seconds", "data_roots", "require_signing"))
        if doc.get("version", 1) != 1:
            raise self.fail("version", "1", doc.get("version"))
        notebooks_dir = self.relative_path(doc["notebooks_dir"], "notebooks_dir") if "notebooks_dir" in doc else None
        self.registry = discover(notebooks_dir)
        roots = doc.get("data_roots", [])
        if not isinstance(roots, list):
            raise self.fail("data_roots", "a list of folders datasets may be read from besides the plan's own", roots)
        self.data_roots = [self.path.parent.resolve()] + [self.relative_path(r, "data_roots") for r in roots]
        timeout = doc.get("timeout_seconds", 1800)
        if not isinstance(timeout, int) or isinstance(timeout, bool) or timeout <= 0:
            raise self.fail("timeout_seconds", "a positive whole number of seconds", timeout)
        require_signing = doc.get("require_signing", False)
        if not isinstance(require_signing, bool):
            raise self.fail("require_signing", "true or false", require_signing)
        subjects_doc = self.mapping(doc.get("subjects"), "subjects")
        if not subjects_doc:
            raise self.fail("subjects", "at least one subject")
        subjects = {name: self.subject(name, value) for name, value in subjects_doc.items()}
        return Plan(
            path=self.path,
            subjects=subjects,
            tracking_uri=self.text(doc["tracking_uri"], "tracking_uri") if "tracking_uri" in doc else None,
            reports_dir=self.relative_path(doc["reports_dir"], "reports_dir") if "reports_dir" in doc else None,
            notebooks_dir=notebooks_dir,
            timeout_seconds=timeout,
            require_signing=require_signing,
        )

    def subject(self, name: str, value) -> SubjectSpec:
        key = f"subjects.{name}"
        doc = self.mapping(value, key, ("description", "prepare", "models", "datasets", "assessments", "engine",
                                        "spark"))
        subject = SubjectSpec(name=name, description=str(doc.get("description", "")))
        engine = self.engine(doc.get("engine", "pandas"), f"{key}.engine")
        if "spark" in doc:
            subject.spark = self.spark_options(doc["spark"], f"{key}.spark")
        if "prepare" in doc:
            subject.prepare = self.text(doc["prepare"], f"{key}.prepare")
            if ":" not in subject.prepare:
                raise self.fail(f"{key}.prepare", "'module:function'", subject.prepare)
        for role, model in self.mapping(doc.get("models", {}), f"{key}.models").items():
            subject.models[role] = self.model(role, model, f"{key}.models.{role}")
        datasets = self.mapping(doc.get("datasets"), f"{key}.datasets")
        for role, dataset in datasets.items():
            subject.datasets[role] = self.dataset(role, dataset, f"{key}.datasets.{role}", engine)
        assessments = self.mapping(doc.get("assessments"), f"{key}.assessments")
        if not assessments:
            raise self.fail(f"{key}.assessments", "at least one assessment")
        for assessment, params in assessments.items():
            subject.assessments[assessment] = self.assessment(subject, assessment, params, f"{key}.assessments.{assessment}")
        return subject

    def model(self, role: str, value, key: str) -> ModelSpec:
        if isinstance(value, str):
            value = {"uri": value}
        from assess.models import FLAVOR_ALIASES, KINDS, detect_kind

        doc = self.mapping(value, key)
        uri = self.text(doc.get("uri"), f"{key}.uri")
        if not _URI_SCHEME.match(uri):
            uri = str((self.path.parent / uri).resolve())
        if "flavor" in doc:
            if doc["flavor"] not in FLAVOR_ALIASES:
                raise self.fail(f"{key}.flavor", f"one of {', '.join(FLAVOR_ALIASES)} (or kind:)", doc["flavor"])
            kind = FLAVOR_ALIASES[doc["flavor"]]
        else:
            kind = doc.get("kind") or detect_kind(uri, not _URI_SCHEME.match(uri))
        if kind not in KINDS:
            raise self.fail(f"{key}.kind", f"one of {', '.join(KINDS)}", kind)
        allowed = ("uri", "kind", "flavor", "task", "feature_columns", *KINDS[kind].options)
        unknown = [k for k in doc if k not in allowed]
        if unknown:
            raise self.fail(f"{key}.{unknown[0]}", f"a key of kind {kind} ({', '.join(allowed)})", unknown[0])
        options = {k: v for k, v in doc.items() if k in KINDS[kind].options}
        feature_columns = None
        if "feature_columns" in doc:
            raw = doc["feature_columns"]
            if not isinstance(raw, list) or not raw or not all(isinstance(c, str) and c for c in raw):
                raise self.fail(f"{key}.feature_columns", "a non-empty list of column names, e.g. [text, channel]", raw)
            feature_columns = tuple(raw)
        return ModelSpec(role=role, uri=uri, kind=kind, task=doc.get("task"), options=options,
                         feature_columns=feature_columns)

    def engine(self, value, key: str) -> str:
        if value not in ENGINES:
            raise self.fail(key, f"one of {', '.join(ENGINES)}", value)
        return value

    def spark_options(self, value, key: str) -> SparkOptions:
        doc = self.mapping(value, key, ("master", "conf"))
        master = self.text(doc.get("master", "local[*]"), f"{key}.master").strip()
        if not _SPARK_MASTER.match(master):
            raise self.fail(f"{key}.master", "a Spark master URL such as local[*], local[4], spark://host:7077, yarn, "
                            "k8s://https://host or sc://host:15002 (Spark Connect)", master)
        conf = self.mapping(doc.get("conf", {}), f"{key}.conf")
        for name, setting in conf.items():
            if not isinstance(setting, (str, int, float, bool)):
                raise self.fail(f"{key}.conf.{name}", "a Spark setting's value (text, number or true/false)", setting)
        return SparkOptions(master=master, conf={str(k): str(v).lower() if isinstance(v, bool) else str(v)
                                                 for k, v in conf.items()})

    def dataset(self, role: str, value, key: str, engine: str = "pandas") -> DatasetSpec:
        if isinstance(value, str):
            value = {"path": value}
        doc = self.mapping(value, key, ("path", "format", "id_column", "text_column", "label_column", "contract",
                                        "engine"))
        engine = self.engine(doc["engine"], f"{key}.engine") if "engine" in doc else engine
        path = self.relative_path(doc.get("path"), f"{key}.path")
        if not any(path.is_relative_to(root) for root in self.data_roots):
            # A plan reads files outside its folder only where it says so: a typo or a copied plan
            # must not make a review read (and hash into evidence) an arbitrary file such as /etc/passwd.
            raise self.fail(f"{key}.path", "a file inside the plan's folder or under one of its data_roots "
                            f"(add data_roots: [{path.parent}] to the plan to allow it)", str(path))
        from assess.compression import data_suffix

        if doc.get("format"):
            fmt = doc["format"]
        elif path.is_dir():  # a folder of part files (as Spark writes them): the format of its files
            from assess.datasets import folder_format

            fmt = folder_format(path)
        else:
            fmt = data_suffix(path).lstrip(".")
        if fmt not in DATASET_FORMATS:
            raise self.fail(f"{key}.format", f"one of {', '.join(DATASET_FORMATS)} (or a path ending in one)", fmt)
        columns = {c: self.text(doc[c], f"{key}.{c}") for c in ("id_column", "text_column", "label_column") if c in doc}
        if engine == "spark":
            if fmt not in SPARK_FORMATS:
                raise self.fail(f"{key}.format", f"one of {', '.join(SPARK_FORMATS)} with engine: spark", fmt)
            if "id_column" not in columns:
                raise self.fail(f"{key}.id_column", "the column that identifies a record (engine: spark reads "
                                "partitions in no fixed order, so records are named by their id)")
        contract = self.relative_path(doc["contract"], f"{key}.contract") if "contract" in doc else None
        return DatasetSpec(role=role, path=path, format=fmt, contract=contract, engine=engine, **columns)

    def assessment(self, subject: SubjectSpec, name: str, value, key: str) -> AssessmentPlan:
        spec = self.registry.get(name)
        if spec is None:
            raise self.fail(key, f"an assessment name, one of {', '.join(sorted(self.registry)) or '(none found)'}", name)
        doc = self.mapping(value if value is not None else {}, key)
        every = None
        if "every" in doc:
            match = _CADENCE.match(str(doc["every"]).strip())
            if not match:
                raise self.fail(f"{key}.every", "a cadence such as 30d or 12w", doc["every"])
            every = Cadence(int(match.group(1)) * (7 if match.group(2) == "w" else 1))
            if every.days < 1:  # due again at once: every run would count it overdue
                raise self.fail(f"{key}.every", "a cadence of at least 1 day, such as 30d or 12w", doc["every"])
        params = spec.defaults()
        for param, raw in doc.items():
            if param == "every":
                continue
            declared = spec.parameters.get(param)
            if declared is None:
                raise self.fail(f"{key}.{param}", f"a parameter of {name}: {', '.join(spec.parameters) or '(none)'}", param)
            params[param] = self.parameter(subject, raw, declared, f"{key}.{param}")
        # With no dataset declared at all, a dataset role by default cannot be met: say so here, not in a notebook.
        for param, declared in ([] if subject.datasets else spec.parameters.items()):
            if param not in doc and declared["type"] in ("dataset", "datasets") and params.get(param):
                roles = params[param] if declared["type"] == "datasets" else [params[param]]
                for role in roles:
                    if role not in subject.datasets:
                        raise self.fail(f"{key}.{param}", f"dataset roles of {subject.name} (declared: "
                                        f"{', '.join(subject.datasets) or 'none'}); the default {role!r} is not one: "
                                        "declare it under datasets: or set the parameter")
        return AssessmentPlan(spec=spec, every=every, params=params)

    def parameter(self, subject: SubjectSpec, value, declared: dict, key: str):
        """Check one parameter value against its declaration; return it (paths made absolute)."""
        kind = declared["type"]
        if value is None:
            return None
        if kind in ("number", "integer"):
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not numeric or (kind == "integer" and not isinstance(value, int)):
                raise self.fail(key, f"a {kind}", value)
            low, high = declared.get("min"), declared.get("max")
            if (low is not None and value < low) or (high is not None and value > high):
                raise self.fail(key, f"a {kind} between {low if low is not None else '-inf'} and {high if high is not None else 'inf'}", value)
            return value
        expected_type = {"string": str, "boolean": bool, "list": list, "dict": dict, "path": str, "dataset": str, "datasets": list, "model": str}[kind]
        if not isinstance(value, expected_type):
            raise self.fail(key, f"a {kind}", value)
        if kind == "path":
            return str(self.relative_path(value, key))
        if kind == "dataset" and value not in subject.datasets:
            raise self.fail(key, f"a dataset role of {subject.name}: {', '.join(subject.datasets)}", value)
        if kind == "datasets":
            for item in value:
                if item not in subject.datasets:
                    raise self.fail(key, f"dataset roles of {subject.name}: {', '.join(subject.datasets)}", item)
        if kind == "model" and value not in subject.models:
            raise self.fail(key, f"a model role of {subject.name}: {', '.join(subject.models) or '(none declared)'}", value)
        if kind == "dict":
            # A declaration may name the keys a dict takes and the type of its values
            # (keyword_terms_add: flag type -> list of terms), so a misspelt key is a plan error.
            allowed, value_kind = declared.get("keys"), declared.get("values")
            for name, item in value.items():
                if allowed is not None and name not in allowed:
                    raise self.fail(f"{key}.{name}", f"one of {', '.join(allowed)}", name)
                if value_kind == "list" and not isinstance(item, list):
                    raise self.fail(f"{key}.{name}", "a list, e.g. [term, term]", item)
        if kind == "string" and "choices" in declared and value not in declared["choices"]:
            raise self.fail(key, f"one of {', '.join(declared['choices'])}", value)
        return value


def load_plan(path: str | Path) -> Plan:
    """Read and validate the plan at ``path``.

    Raises
    ------
    InputError
        When the file is missing, unreadable, not YAML, or does not follow the schema; the
        message names the line and key and says what is expected.
    """
    path = Path(path).resolve()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"plan {path} does not exist: pass the path of your review.yaml") from None
    except UnicodeDecodeError:
        raise InputError(f"plan {path} is not UTF-8 text: save it as UTF-8") from None
    except OSError as exc:
        raise InputError(f"plan {path} cannot be read ({exc.strerror}): check its permissions") from None
    return PlanLoader(path, text).load()
