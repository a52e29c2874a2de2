"""The one small API a notebook uses to record an assessment.

A notebook opens its assessment with :func:`open_assessment`, logs metrics, tables, figures and
findings through the returned :class:`AssessmentContext`, records checks against the plan's
thresholds, and calls :meth:`AssessmentContext.finish`. Run by ``assess run``, the context attaches
to the nested MLflow run the runner created (``run_id``); run alone (papermill CLI, JupyterLab), it
starts and finishes its own run, so evidence is recorded either way.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd

from assess import tracking
from assess.clauses import cite
from assess.clauses import label as clause_label
from assess.errors import InputError
from assess.plan import AssessmentPlan, Plan, PlanLoader, SubjectSpec, load_plan

# mlflow imports tqdm.autonotebook, which warns in a kernel without ipywidgets; the warning would
# stand in every auditor report as an error-coloured block.
warnings.filterwarnings("ignore", message="IProgress not found")

VERDICTS = ("pass", "warn", "pending", "fail")  # in increasing order of severity
_OPERATORS = {
    "<=": lambda v, t: v <= t,
    "<": lambda v, t: v < t,
    ">=": lambda v, t: v >= t,
    ">": lambda v, t: v > t,
    "==": lambda v, t: v == t,
}


@dataclass
class Check:
    """One check of a figure against a threshold, with the clauses it gives evidence for (catalogue ids joined with "; ")."""

    name: str
    value: object
    threshold: object
    op: str
    status: str
    severity: str
    clause: str = ""
    basis: str = "policy"
    description: str = ""


def markdown_table(columns: list[str], rows: list[list]) -> str:
    """A Markdown table of values formatted for people (:func:`assess.display.format_value`); pipes
    and line breaks inside cells are escaped so the table stays one."""
    from assess.display import format_value

    def cell(value) -> str:
        return format_value(value).replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def worst_verdict(statuses) -> str:
    """The most severe of ``statuses`` (pass < warn < pending < fail); pass when empty."""
    return max(statuses, key=VERDICTS.index, default="pass")


def _json_default(value):
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, Path):
        return str(value)
    return str(value)


class AssessmentContext:
    """Evidence recorder for one assessment of one subject; see :func:`open_assessment`."""

    def __init__(self, plan: Plan, subject: SubjectSpec, assessment: AssessmentPlan, client, run_id: str, owns_run: bool):
        self.plan = plan
        self.subject = subject
        self.assessment = assessment
        self.params = assessment.params
        self.client = client
        self.run_id = run_id
        self.tracking_uri = client.tracking_uri
        self.owns_run = owns_run
        self.checks: list[Check] = []
        self.finished = False
        from assess.provenance import UsedInputs

        self.used = UsedInputs()  # the subject's inputs this assessment read: what its verdict is computed from
        self._scratch = Path(tempfile.mkdtemp(prefix=f"assess-{assessment.spec.name}-"))

    # -- inputs -----------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.assessment.spec.name

    def load_dataset(self, role: str) -> pd.DataFrame:
        """Load the subject's dataset ``role`` with its declared columns checked."""
        from assess.datasets import load_dataset

        return load_dataset(self.dataset_spec(role))

    def use_path(self, parameter: str, path) -> Path:
        """Record that the file or folder named by plan parameter ``parameter`` is assessed; return it as a Path."""
        self.used.folder(parameter, path)
        return Path(path)

    def dataset_spec(self, role: str):
        """The plan's declaration of dataset ``role``."""
        try:
            spec = self.subject.datasets[role]
            self.used.dataset(role, spec.path)
            return spec
        except KeyError:
            raise InputError(
                f"dataset role {role!r} is not declared for subject {self.subject.name}: "
                f"add it under datasets: in the plan (declared: {', '.join(self.subject.datasets)})"
            ) from None

    def model_spec(self, role: str):
        """The plan's declaration of model ``role``."""
        try:
            return self.subject.models[role]
        except KeyError:
            raise InputError(
                f"model role {role!r} is not declared for subject {self.subject.name}: "
                f"add it under models: in the plan (declared: {', '.join(self.subject.models) or 'none'})"
            ) from None

    def load_model(self, role: str, capability: str):
        """Load the subject's model ``role`` for ``capability`` ("classifier" or "text"; see :mod:`assess.models`)."""
        from assess.models import load_model

        spec = self.model_spec(role)
        self.used.model(role, spec)
        return load_model(spec, capability)

    def hash_key(self) -> bytes:
        """Key for keyed hashes of personal data (from the environment or the project's key file)."""
        from assess.secrets import hash_key

        return hash_key(self.plan.root)

    # -- narrative ----------------------------------------------------------------------------
    def header(self) -> None:
        """Show what is assessed, for whom, against which clauses and with which parameters."""
        from IPython.display import Markdown, display

        from assess.display import format_value, value_kind

        spec = self.assessment.spec
        rows = []
        for name, value in self.params.items():
            declared = spec.parameters.get(name, {})
            shown = format_value(value, value_kind(name))
            if declared.get("type") == "path" and value:
                shown = os.path.relpath(value, self.plan.root)
            rows.append([f"`{name}`", shown, declared.get("basis", ""), declared.get("help", "")])
        datasets = ", ".join(f"`{role}` ({Path(d.path).name})" for role, d in self.subject.datasets.items())
        models = ", ".join(f"`{role}` ({m.uri})" for role, m in self.subject.models.items()) or "none"
        cadence = f"every {self.assessment.every}" if self.assessment.every else "not scheduled"
        display(Markdown("\n".join([
            f"**Subject:** {self.subject.name} &nbsp; **Assessment:** {spec.title} (`{spec.name}`) &nbsp; "
            f"**MLflow run:** `{self.run_id}` &nbsp; **Cadence:** {cadence}",
            "",
            f"**Clauses this assessment gives evidence for** (see `docs/clauses.md`): "
            f"{'; '.join(clause_label(c) for c in spec.clauses) or 'none declared'}",
            "",
            f"**Models:** {models}  ",
            f"**Datasets:** {datasets}",
            "",
            markdown_table(["parameter", "value", "basis", "meaning"], rows),
            "",
            "_basis_: **regulation** = a number a rule sets (clause in the meaning); "
            "**policy** = the user's threshold, set in the plan, not law.",
        ])))

    # -- evidence -----------------------------------------------------------------------------
    def _log_file(self, local_path: Path, artifact_path: str | None) -> None:
        self.client.log_artifact(self.run_id, str(local_path), artifact_path)

    def log_metric(self, name: str, value, step: int | None = None) -> None:
        """Log one numeric metric on this assessment's run."""
        self.client.log_metric(self.run_id, name, float(value), step=step or 0)

    def log_metrics(self, metrics: dict) -> None:
        """Log several numeric metrics."""
        for name, value in metrics.items():
            self.log_metric(name, value)

    def log_table(self, name: str, frame: pd.DataFrame) -> Path:
        """Log ``frame`` as ``tables/<name>.csv``; the caller passes masked data only."""
        path = self._scratch / "tables" / f"{name}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        pd.DataFrame(frame).to_csv(path, index=False)
        self._log_file(path, "tables")
        return path

    def log_figure(self, name: str, figure) -> Path:
        """Log a matplotlib figure as ``figures/<name>.png`` and show that same image in the notebook."""
        import matplotlib.pyplot as plt
        from IPython.display import Image, Markdown, display

        from assess.fonts import INSTALL_HINT, missing_glyphs

        path = self._scratch / "figures" / f"{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        missing = missing_glyphs(figure)
        if missing:
            display(Markdown(f"**Warning:** figure `{name}` has characters no installed font can draw "
                             f"({len(missing)}, e.g. {missing[:10]}); they appear as boxes: {INSTALL_HINT}."))
        figure.savefig(path, dpi=110, bbox_inches="tight")
        self._log_file(path, "figures")
        # Showing the saved PNG (not the figure) works whatever matplotlib backend a module chose.
        display(Image(filename=str(path)))
        plt.close(figure)
        return path

    def log_findings(self, name: str, records) -> Path:
        """Log findings as ``findings/<name>.jsonl``; the caller passes masked records only."""
        if isinstance(records, pd.DataFrame):
            records = records.to_dict(orient="records")
        path = self._scratch / "findings" / f"{name}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False, default=_json_default) + "\n")
        self._log_file(path, "findings")
        return path

    def log_dict(self, name: str, obj) -> Path:
        """Log a JSON document as ``evidence/<name>.json``."""
        path = self._scratch / "evidence" / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(obj, ensure_ascii=False, indent=2, default=_json_default), encoding="utf-8")
        self._log_file(path, "evidence")
        return path

    def log_artifact(self, path, artifact_path: str | None = None) -> None:
        """Log one file as an artifact."""
        self._log_file(Path(path), artifact_path)

    def log_dir(self, path, artifact_path: str) -> None:
        """Log a folder (e.g. a GX Data Docs site) under ``artifact_path``."""
        self.client.log_artifacts(self.run_id, str(path), artifact_path)

    def artifact_dir(self, sub: str) -> Path:
        """A scratch folder to write files into before logging them."""
        path = self._scratch / sub
        path.mkdir(parents=True, exist_ok=True)
        return path

    # -- history ------------------------------------------------------------------------------
    def previous_run(self, assessment: str | None = None):
        """The latest finished run of this subject's ``assessment`` in a review before this one, or None."""
        current = self.client.get_run(self.run_id)
        return tracking.previous_assessment_run(self.client, current, self.subject.name, assessment or self.name)

    def download_previous_artifact(self, artifact_path: str, assessment: str | None = None) -> Path | None:
        """Download ``artifact_path`` from :meth:`previous_run`; None when there is no such run or file."""
        import mlflow

        run = self.previous_run(assessment)
        if run is None:
            return None
        target = self.artifact_dir(f"previous-{run.info.run_id}")
        try:
            return Path(mlflow.artifacts.download_artifacts(
                run_id=run.info.run_id, artifact_path=artifact_path, dst_path=str(target), tracking_uri=self.tracking_uri
            ))
        except Exception:  # noqa: BLE001 - an older review may not have logged this artifact
            return None

    # -- checks and verdict -------------------------------------------------------------------
    def check(self, name: str, value, threshold, op: str = "<=", *, severity: str = "fail", clause: str | Sequence[str] = "",
              basis: str = "policy", description: str = "") -> bool:
        """Record that ``value op threshold`` must hold; return whether it does.

        Parameters
        ----------
        severity : {"fail", "warn"}
            The verdict this check gives when it does not hold.
        clause : str or sequence of str
            Ids of the clause catalogue (:mod:`assess.clauses`) this check gives evidence for, as a
            list or joined with ";"; an id the catalogue lacks raises :class:`assess.clauses.ClauseError`.
        basis : {"policy", "regulation", "standard (unverified)"}
            Whether the threshold is the user's choice, a number a rule sets, or a figure reported
            for a standard that has not been checked against its text (a plan parameter too).
        """
        clause = cite(clause)
        if op not in _OPERATORS:
            raise ValueError(f"op must be one of {', '.join(_OPERATORS)}")
        if severity not in ("fail", "warn"):
            raise ValueError("severity must be 'fail' or 'warn'")
        holds = bool(_OPERATORS[op](value, threshold))
        self.checks.append(Check(name, value, threshold, op, "pass" if holds else severity, severity, clause, basis, description))
        return holds

    def pending(self, name: str, description: str, clause: str | Sequence[str] = "", basis: str = "policy") -> None:
        """Record a check that waits for a person (for example a re-annotation sheet); ``clause`` and
        ``basis`` (of the threshold it will be held to) as in :meth:`check`."""
        self.checks.append(Check(name, None, None, "", "pending", "pending", cite(clause), basis, description))

    @property
    def verdict(self) -> str:
        """The worst status among the recorded checks."""
        return worst_verdict(c.status for c in self.checks)

    def finish(self) -> str:
        """Log the checks and the verdict, show the summary box and the full table, and (standalone) close the run.

        The summary box is an HTML output marked ``assess_summary`` in its metadata, which
        :func:`assess.render.render_html` moves to the top of the rendered report.
        """
        from IPython.display import HTML, Markdown, display

        from assess.display import format_requirement, format_value, readable_name, value_kind
        from assess.provenance import NO_INPUTS_CHECK, inputs_markdown
        from assess.summary_box import SUMMARY_METADATA, badge, summary_html

        if not self.used and self.verdict in ("pass", "warn"):  # no evidence, no pass
            self.pending(NO_INPUTS_CHECK, "this assessment read none of the subject's datasets, models or outputs: "
                                          "name them in the plan (see the sections above)", clause="DS Art. 15")
        verdict = self.verdict
        checks = [asdict(c) for c in self.checks]
        inputs = self.used.describe()
        self.log_dict("checks", {"assessment": self.name, "subject": self.subject.name, "verdict": verdict,
                                 "inputs": inputs, "checks": checks})
        self.log_metrics({
            "checks_total": len(checks),
            "checks_failed": sum(c["status"] == "fail" for c in checks),
            "checks_warned": sum(c["status"] == "warn" for c in checks),
            "checks_pending": sum(c["status"] == "pending" for c in checks),
        })
        self.client.set_tag(self.run_id, tracking.TAG_VERDICT, verdict)
        display(HTML(summary_html(title=self.assessment.spec.title, assessment=self.name, subject=self.subject.name,
                                  verdict=verdict, checks=checks, run_id=self.run_id)),
                metadata={SUMMARY_METADATA: True})
        rows = [
            [readable_name(c["name"]),
             format_value(c["value"], value_kind(c["name"])) if c["status"] != "pending" else "not measured",
             format_requirement(c["op"], c["threshold"], value_kind(c["name"])) if c["op"] else "review by a person",
             c["basis"], c["clause"] or "—", badge(c["status"])]
            for c in checks
        ]
        display(Markdown("\n".join([
            f"## Verdict: **{verdict.upper()}**",
            "",
            f"**Computed from:** {inputs_markdown(inputs)}",
            "",
            markdown_table(["check", "measured", "required", "basis", "clause", "status"], rows),
        ])))
        if self.owns_run:
            from assess.manifest import write_manifest

            write_manifest(self.client, self.run_id, plan=self.plan, subject=self.subject, assessment=self.assessment)
            self.client.set_terminated(self.run_id, "FINISHED")
        self.finished = True
        from assess.spark_session import stop_session

        stop_session()  # the kernel's SparkSession, if an engine: spark step started one
        return verdict


def _validated_overrides(plan: Plan, subject: SubjectSpec, assessment: AssessmentPlan, overrides: dict) -> dict:
    """Check notebook-level parameter overrides exactly as the plan's own values are checked."""
    import yaml

    if not overrides:
        return assessment.params
    loader = PlanLoader(plan.path, yaml.safe_dump({"params": dict(overrides)}, allow_unicode=True))
    merged = dict(assessment.params)
    for name, value in overrides.items():
        declared = assessment.spec.parameters.get(name)
        if declared is None:
            raise InputError(f"params.{name}: not a parameter of {assessment.spec.name}: use one of {', '.join(assessment.spec.parameters)}")
        merged[name] = loader.parameter(subject, value, declared, f"params.{name}")
    return merged


def open_assessment(name: str, *, plan: str, subject: str, tracking_uri: str = "", run_id: str = "",
                    params: dict | None = None) -> AssessmentContext:
    """Open assessment ``name`` of ``subject`` as declared in the plan at ``plan``.

    Parameters
    ----------
    name : str
        The assessment (its notebook's declared name).
    plan, subject : str
        Path of the review plan and the subject reviewed.
    tracking_uri : str
        MLflow tracking URI; empty for ``$MLFLOW_TRACKING_URI`` or the plan's embedded store.
    run_id : str
        The MLflow run to record into (the runner's nested run); empty to start a new run.
    params : dict
        Overrides of the plan's parameters for this assessment, validated like the plan.

    Returns
    -------
    AssessmentContext
    """
    loaded = load_plan(plan)
    subject_spec = loaded.subject(subject)
    assessment = subject_spec.assessments.get(name)
    if assessment is None:
        from assess.registry import discover

        spec = discover(loaded.notebooks_dir).get(name)
        if spec is None:
            raise InputError(f"assessment {name!r} has no notebook template: check the name")
        assessment = AssessmentPlan(spec=spec, every=None, params=spec.defaults())
    assessment = AssessmentPlan(assessment.spec, assessment.every, _validated_overrides(loaded, subject_spec, assessment, params or {}))
    os.environ["ASSESS_PROJECT_DIR"] = str(loaded.root)

    import mlflow

    uri = tracking.resolve_tracking_uri(tracking_uri or None, loaded.root, loaded.tracking_uri)
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    client = tracking.client_for(uri)
    owns_run = not run_id
    if owns_run:
        experiment_id = tracking.ensure_experiment(client, subject_spec.name)
        run = client.create_run(experiment_id, run_name=name, tags={
            tracking.TAG_KIND: "assessment",
            tracking.TAG_SUBJECT: subject_spec.name,
            tracking.TAG_ASSESSMENT: name,
            "assess.standalone": "true",
        })
        run_id = run.info.run_id
    client.set_tag(run_id, tracking.TAG_CLAUSES, "; ".join(assessment.spec.clauses))
    from assess.display import install
    from assess.fonts import use_cjk_font

    install()  # every DataFrame the notebook shows is formatted for people
    use_cjk_font()  # Chinese labels in figures are drawn, not boxes
    for param, value in assessment.params.items():
        client.log_param(run_id, param, json.dumps(value, ensure_ascii=False, default=_json_default)[:6000])
    return AssessmentContext(loaded, subject_spec, assessment, client, run_id, owns_run)
