"""An index page for a Data Docs site that works offline, and links to it from the reports.

GX's own home page lists the validation results with bootstrap-table scripts from a CDN: offline
(and after :func:`assess.quality.data_docs.make_site_offline`) it is an empty page and nothing links
to the results. :func:`write_docs_index` replaces it with a static page: one row per dataset with
its outcome and counts (from the masked results) and relative links to its validation result page
and its expectation suite page, so the site opens from any copy of the evidence.
"""

from __future__ import annotations

import html
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from assess.display import format_value
from assess.quality.data_docs import OFFLINE_STYLE

#: The index page, at the top of the site (where GX put its home page).
INDEX_NAME = "index.html"
#: Where a run logs its Data Docs site among its artifacts.
ARTIFACT_DIR = "data_docs"


def _href(path: Path, site: Path) -> str:
    return quote(path.relative_to(site).as_posix())


def site_pages(site_dir: Path, suite_name: str) -> tuple[list[Path], Path | None]:
    """The validation result pages (newest last) and the expectation suite page of ``suite_name``."""
    site_dir = Path(site_dir)
    validations = sorted((site_dir / "validations" / suite_name).rglob("*.html"))
    suite = site_dir / "expectations" / f"{suite_name}.html"
    return validations, (suite if suite.is_file() else None)


def write_docs_index(site_dir: Path, results: dict[str, tuple[str, dict]]) -> Path:
    """Write the site's :data:`INDEX_NAME` with a row and local links per validated dataset.

    Parameters
    ----------
    site_dir : Path
        The built Data Docs site.
    results : dict
        Dataset name -> (expectation suite name, masked validation result as a JSON dict).

    Returns
    -------
    Path
        The index page.
    """
    site_dir = Path(site_dir)
    rows = []
    for dataset, (suite_name, result) in results.items():
        validations, suite = site_pages(site_dir, suite_name)
        stats = result.get("statistics") or {}
        outcome = "pass" if result.get("success") else "fail"
        links = [f'<a href="{_href(page, site_dir)}">validation result</a>' for page in validations]
        if suite is not None:
            links.append(f'<a href="{_href(suite, site_dir)}">expectation suite</a>')
        rows.append(
            f"<tr><td>{html.escape(dataset)}</td><td class=\"{'text-success' if outcome == 'pass' else 'text-danger'}\">"
            f"<b>{outcome.upper()}</b></td>"
            f"<td>{format_value(stats.get('evaluated_expectations'))}</td>"
            f"<td>{format_value(stats.get('unsuccessful_expectations'))}</td>"
            f"<td>{format_value(stats.get('success_percent'), 'percent')}</td>"
            f"<td>{' · '.join(links) or 'no page built'}</td></tr>")
    page = "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8"><title>Data Docs: validation results</title>',
        OFFLINE_STYLE + "</head><body>",
        "<h1>Data Docs: validation results</h1>",
        "<p>One Great Expectations validation per dataset, built from masked results. The pages open offline.</p>",
        "<table><tr><th>dataset</th><th>result</th><th>expectations</th><th>failed</th><th>met</th><th>pages</th></tr>",
        *rows, "</table></body></html>",
    ])
    path = site_dir / INDEX_NAME
    path.write_text(page, encoding="utf-8")
    return path


def local_docs_index(artifact_uri: str) -> Path | None:
    """The Data Docs index among a run's artifacts, where they are local files (a ``file:`` or plain
    path artifact location) and the run logged a site; else None."""
    parsed = urlparse(artifact_uri or "")
    if parsed.scheme not in ("", "file"):
        return None
    index = Path(unquote(parsed.path)) / ARTIFACT_DIR / INDEX_NAME
    return index if index.is_file() else None
