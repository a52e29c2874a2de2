"""The review index, ``reports/index.html``: every review of every subject, its verdicts and links.

Built from the MLflow store (the record) and the rendered notebooks under ``reports/`` (the
pages). It is one static page with inline styles: it opens offline.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone
from pathlib import Path

from assess import tracking
from assess.clause_matrix import evidence_of, matrix_html
from assess.masking import mask_error_text

_STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem;color:#1b1f24;max-width:1200px}
h1{font-size:1.6rem} h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0 1.5rem} th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;font-size:.9rem}
th{background:#f6f8fa} code{font-size:.8rem}
.v{font-weight:600;padding:.1rem .4rem;border-radius:.3rem}
.pass{background:#dafbe1;color:#116329}.warn{background:#fff8c5;color:#7d4e00}.pending{background:#ddf4ff;color:#0a3069}
.fail{background:#ffebe9;color:#a40e26}.error{background:#a40e26;color:#fff}.none{color:#57606a;font-weight:400}
.matrix th[scope=row]{font-weight:600} .matrix td{white-space:nowrap} .matrix small{font-weight:400;color:#57606a} .legend{margin-bottom:1.5rem}
"""


def verdict_badge(verdict: str | None) -> str:
    """An inline badge for a verdict."""
    verdict = verdict or "unknown"
    return f'<span class="v {html.escape(verdict)}">{html.escape(verdict.upper())}</span>'


def review_runs(client, subject: str) -> list:
    """All review (parent) runs of a subject, newest first."""
    experiment = client.get_experiment_by_name(tracking.experiment_name(subject))
    if experiment is None:
        return []
    return client.search_runs(
        [experiment.experiment_id],
        filter_string=f"tags.`{tracking.TAG_KIND}` = 'review' and tags.`{tracking.TAG_SUBJECT}` = '{subject}'",
        order_by=["attributes.start_time DESC"],
        max_results=500,
    )


def assessment_runs(client, review_run) -> list:
    """The nested assessment runs of one review run."""
    from mlflow.utils.mlflow_tags import MLFLOW_PARENT_RUN_ID

    return client.search_runs(
        [review_run.info.experiment_id],
        filter_string=f"tags.`{MLFLOW_PARENT_RUN_ID}` = '{review_run.info.run_id}'",
        order_by=["tags.`assess.assessment` ASC"],
        max_results=200,
    )


def _review_manifest_digest(client, run_id: str) -> str:
    from assess.manifest import REVIEW_MANIFEST_PATH, load_json_artifact, sha256_json

    manifest = load_json_artifact(client, run_id, REVIEW_MANIFEST_PATH)
    return sha256_json(manifest) if manifest is not None else "missing"


def _time(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def _link(reports_dir: Path, path: Path, label: str) -> str:
    if not path.exists():
        return ""
    return f'<a href="{html.escape(path.relative_to(reports_dir).as_posix())}">{html.escape(label)}</a>'


def _data_docs_link(reports_dir: Path, run) -> str:
    """A relative link to the Data Docs index a run logged, where its artifacts are local files."""
    from assess.quality.docs_index import local_docs_index
    from assess.render import relative_href

    index = local_docs_index(run.info.artifact_uri)
    return f'<a href="{relative_href(index, reports_dir)}">Data Docs</a>' if index else ""


def _figure_data_uri(figure) -> str:
    import base64
    import io

    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


HIDDEN_METRICS = ("checks_", "execution_seconds")


def history_figure(name: str, runs: list, key_metrics: list[str] | None) -> str:
    """An ``<img>`` of an assessment's key metrics across reviews (oldest to newest), or ''."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    runs = sorted(runs, key=lambda r: r.info.start_time)
    logged = {m for r in runs for m in r.data.metrics}
    # Declared key metrics may name dataset roles a plan does not use: fall back to what was logged.
    names = [m for m in key_metrics or () if m in logged] or sorted(m for m in logged if not m.startswith(HIDDEN_METRICS))[:6]
    if not names:
        return ""
    figure, axes = plt.subplots(1, len(names), figsize=(2.6 * len(names), 2.1), squeeze=False)
    for axis, metric in zip(axes[0], names):
        points = [(i, r.data.metrics[metric]) for i, r in enumerate(runs, start=1) if metric in r.data.metrics]
        axis.plot([p[0] for p in points], [p[1] for p in points], marker="o")
        axis.set_title(metric, fontsize=8)
        axis.set_xlabel("review", fontsize=7)
        axis.set_xticks(range(1, len(runs) + 1))
        axis.tick_params(labelsize=7)
    figure.suptitle(name, fontsize=9, y=1.06)
    return f'<img alt="history of {html.escape(name)} metrics" src="{_figure_data_uri(figure)}">'


def _specs(notebooks_dir=None):
    from assess.registry import discover

    try:
        return discover(notebooks_dir)
    except Exception:  # noqa: BLE001 - the index still lists what the store holds
        return {}


def subject_summary(client, subject: str, reviews: list, specs: dict) -> str:
    """Latest verdict of each assessment, clause x evidence matrix and metric history figures."""
    runs_by_assessment: dict[str, list] = {}
    for review in reviews:
        for child in assessment_runs(client, review):
            runs_by_assessment.setdefault(child.data.tags.get(tracking.TAG_ASSESSMENT, ""), []).append(child)
    if not runs_by_assessment:
        return ""
    latest = {name: max(runs, key=lambda r: r.info.start_time) for name, runs in runs_by_assessment.items()}
    parts = ["<h3>Latest verdict of each assessment</h3><table><tr><th>assessment</th><th>verdict</th><th>reviewed</th><th>reviews</th></tr>"]
    for name, run in sorted(latest.items()):
        parts.append(f"<tr><td>{html.escape(name)}</td><td>{verdict_badge(run.data.tags.get(tracking.TAG_VERDICT))}</td>"
                     f"<td>{_time(run.info.start_time)}</td><td>{len(runs_by_assessment[name])}</td></tr>")
    parts.append("</table>")
    parts.append("<h3>Clause × evidence</h3>")
    parts.append(matrix_html([evidence_of(client, run) for run in latest.values()]))
    figures = [history_figure(name, runs, (specs[name].key_metrics if name in specs else None)) for name, runs in sorted(runs_by_assessment.items())]
    figures = [f for f in figures if f]
    if figures:
        parts.append("<h3>Key metrics across reviews</h3>" + "".join(f"<div>{f}</div>" for f in figures))
    return "\n".join(parts)


def subject_section(client, subject: str, reports_dir: Path, specs: dict) -> str:
    """The index section of one subject: summary, then one table row per assessment of each review."""
    reviews = review_runs(client, subject)
    parts = [f"<h2>{html.escape(subject)}</h2>"]
    if not reviews:
        parts.append("<p>No review recorded yet.</p>")
        return "\n".join(parts)
    parts.append(subject_summary(client, subject, reviews, specs))
    parts.append("<h3>Reviews</h3><table><tr><th>review</th><th>started</th><th>review verdict</th><th>assessment</th>"
                 "<th>verdict</th><th>reports</th><th>MLflow run</th></tr>")
    for review in reviews:
        review_id = review.data.tags.get(tracking.TAG_REVIEW_ID, "")
        children = assessment_runs(client, review) or [None]
        for index, child in enumerate(children):
            head = ""
            if index == 0:
                span = len(children)
                digest = _review_manifest_digest(client, review.info.run_id)
                head = (f'<td rowspan="{span}"><code>{html.escape(review_id)}</code><br><small>manifest sha256 '
                        f'<code title="{digest}">{digest[:16]}…</code></small></td>'
                        f'<td rowspan="{span}">{_time(review.info.start_time)}</td>'
                        f'<td rowspan="{span}">{verdict_badge(review.data.tags.get(tracking.TAG_VERDICT))}</td>')
            if child is None:
                error = mask_error_text(review.data.tags.get(tracking.TAG_ERROR, "no assessment ran"))
                parts.append(f"<tr>{head}<td colspan=4>{html.escape(error)}</td></tr>")
                continue
            name = child.data.tags.get(tracking.TAG_ASSESSMENT, "")
            folder = reports_dir / subject / review_id
            links = " · ".join(filter(None, [
                _link(reports_dir, folder / f"{name}.auditor.html", "auditor view"),
                _link(reports_dir, folder / f"{name}.html", "with code"),
                _link(reports_dir, folder / f"{name}.ipynb", "notebook"),
                _data_docs_link(reports_dir, child),
            ]))
            # Masked again here: a run recorded before errors were masked must not show its data either.
            error = mask_error_text(child.data.tags.get(tracking.TAG_ERROR, ""))
            note = f"<br><small>{html.escape(error)}</small>" if error else ""
            parts.append(f"<tr>{head}<td>{html.escape(name)}</td><td>{verdict_badge(child.data.tags.get(tracking.TAG_VERDICT))}{note}</td>"
                         f"<td>{links}</td><td><code>{child.info.run_id}</code></td></tr>")
    parts.append("</table>")
    return "\n".join(parts)


def write_index(client, plan, reports_dir: Path) -> Path:
    """Write ``reports_dir/index.html`` for every subject of ``plan``; return its path."""
    reports_dir = Path(reports_dir)
    reports_dir.mkdir(parents=True, exist_ok=True)
    specs = _specs(plan.notebooks_dir)
    sections = [subject_section(client, name, reports_dir, specs) for name in plan.subjects]
    page = "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>assess: review index</title>',
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Review index</h1>",
        f"<p>Plan <code>{html.escape(plan.path.name)}</code> · evidence store <code>{html.escape(client.tracking_uri)}</code> · "
        f"generated {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}</p>",
        *sections,
        "</body></html>",
    ])
    path = reports_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
