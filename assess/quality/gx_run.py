"""Run compiled suites through Great Expectations, offline, and keep only masked results.

One ephemeral data context per review (nothing written outside the folders given here, no
analytics): a pandas data source with one dataframe asset per dataset, one
``ValidationDefinition`` and one ``Checkpoint`` per dataset. The checkpoint has no actions, so
nothing is rendered from the raw results: each result is masked (:mod:`assess.quality.redact`),
the masked result replaces the raw one in the context's in-memory validation store, and only
then is the Data Docs site built, from the masked results, made to open offline
(:mod:`assess.quality.data_docs`), and given a static index page with local links to every result
(:mod:`assess.quality.docs_index`). Each validation carries the columns its
contract declares ``personal: false``, whose values the masking keeps (unless the PII scanner
flags them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from assess.quality.data_docs import make_site_offline
from assess.quality.docs_index import write_docs_index
from assess.quality.offline import disable_gx_analytics
from assess.quality.redact import mask_exception_info, mask_result

#: Rows of unexpected values GX keeps per expectation (masked before anything sees them).
PARTIAL_UNEXPECTED_COUNT = 20


def offline_context(docs_dir: Path | None = None):
    """An ephemeral GX context: in-memory stores, analytics off, Data Docs (if any) in ``docs_dir``.

    Parameters
    ----------
    docs_dir : Path, optional
        Folder for the Data Docs site; no site when None.

    Returns
    -------
    great_expectations.data_context.EphemeralDataContext
    """
    disable_gx_analytics()
    import great_expectations as gx
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    sites = {}
    if docs_dir is not None:
        sites["assess"] = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(Path(docs_dir).resolve())},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites=sites,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def result_format() -> dict:
    """GX result format: summary counts and a sample of unexpected values with their row numbers.

    ``unexpected_index_column_names`` (the sample's ids instead of row numbers) is deliberately not
    used: GX then looks up every unexpected row one by one (20 s instead of 1 s for 200,000 rows
    with many failures), and the ids would be masked anyway.
    """
    return {"result_format": "SUMMARY", "partial_unexpected_count": PARTIAL_UNEXPECTED_COUNT}


@dataclass
class Validation:
    """One dataset to validate: its name, its prepared frame (pandas or Spark), its suite, and its public columns
    (declared ``personal: false`` in its contract, :attr:`Contract.public_columns`)."""

    name: str
    frame: pd.DataFrame
    suite: object
    public_columns: frozenset[str] = field(default_factory=frozenset)


def mask_suite_result(result, public_columns=()) -> None:
    """Mask an ``ExpectationSuiteValidationResult`` in place (every expectation's result and errors).

    Values of expectations on ``public_columns`` only (``personal: false``) are kept unless the
    PII scanner flags them (:func:`assess.quality.redact.mask_result`).
    """
    for item in result.results:
        config = item.expectation_config
        item.result = mask_result(config.type, item.result, config.kwargs, public_columns)
        item.exception_info = mask_exception_info(item.exception_info)


def run_validations(validations: list[Validation], docs_dir: Path | None = None, context=None) -> dict[str, dict]:
    """Validate each frame against its suite; return masked results as JSON dicts, by name.

    Parameters
    ----------
    validations : list of Validation
    docs_dir : Path, optional
        Where to build the Data Docs site (from the masked results only).
    context : optional
        A GX context to use instead of a new :func:`offline_context` (it must have no actions that
        render raw results).

    Returns
    -------
    dict
        ``{name: masked ExpectationSuiteValidationResult as a JSON dict}``.
    """
    import great_expectations as gx
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    from assess.quality.spark_prepare import is_spark_frame

    context = context or offline_context(docs_dir)
    sources: dict = {}

    def source_for(frame):  # GX's Spark data source for a Spark DataFrame (engine: spark), else pandas
        kind = "spark" if is_spark_frame(frame) else "pandas"
        if kind not in sources:
            sources[kind] = (context.data_sources.add_spark("assess_spark") if kind == "spark"
                             else context.data_sources.add_pandas("assess"))
        return sources[kind]

    outputs: dict[str, dict] = {}
    suite_names: dict[str, str] = {}
    identifiers = []
    for item in validations:
        batch = source_for(item.frame).add_dataframe_asset(item.name).add_batch_definition_whole_dataframe("whole")
        suite = context.suites.add(item.suite)
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=item.name, data=batch, suite=suite))
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=item.name, validation_definitions=[definition], actions=[], result_format=result_format()))
        run = checkpoint.run(batch_parameters={"dataframe": item.frame})
        for identifier, result in run.run_results.items():
            mask_suite_result(result, item.public_columns)
            # Replace the raw result GX stored with the masked one: Data Docs render from the store.
            context.validation_results_store.set(identifier, result)
            identifiers += [identifier, ExpectationSuiteIdentifier(name=suite.name)]
            outputs[item.name] = result.to_json_dict()
            suite_names[item.name] = suite.name
    if docs_dir is not None and identifiers:
        context.build_data_docs(resource_identifiers=identifiers)
        make_site_offline(docs_dir)  # GX's pages would fetch CSS, scripts and a logo from CDNs
        write_docs_index(docs_dir, {name: (suite_names[name], outputs[name]) for name in outputs})
    return outputs
