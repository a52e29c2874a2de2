"""Write notebooks/data_quality.ipynb (the template, without outputs).

Run: .venv/bin/python tools/make_data_quality_notebook.py
"""

from __future__ import annotations

from notebook_builder import build_notebook, write

NAME = "data_quality"
TITLE = "Data quality of training and evaluation data"
CLAUSES = ["DS Art. 14", "DS Art. 15", "Interim Art. 7(4)", "Interim Art. 8", "TC260-003 §5.1", "Algo Rec Art. 8"]


def _share(default: float, help_text: str) -> dict:
    return {"type": "number", "min": 0, "max": 1, "default": default, "basis": "policy", "help": help_text}


PARAMETERS = {
    "datasets": {"type": "datasets", "default": ["train", "holdout", "eval"],
                 "help": "dataset roles to review; each needs contract: in the plan"},
    "overlap_pairs": {"type": "list", "default": [["train", "holdout"], ["train", "eval"]],
                      "help": "pairs [a, b]: no record of a may also be in b (by id and by normalised text)"},
    "max_duplicate_share": _share(0.01, "largest share of rows whose text occurs more than once, exactly or after "
                                        "normalisation (every copy counts); no number in the rules"),
    "max_label_conflict_share": _share(0.0, "largest share of rows whose normalised text also occurs with another label"),
    "min_class_share": _share(0.02, "smallest share of rows any declared label may hold"),
    "max_imbalance_ratio": {"type": "number", "min": 1, "default": 10.0, "basis": "policy",
                            "help": "largest allowed ratio of the most to the least frequent declared label"},
    "max_overlap_share": _share(0.0, "largest share of rows of a that may also be in b (see overlap_pairs)"),
    "max_empty_text_share": _share(0.0, "largest share of texts that are whitespace only"),
    "max_garbled_share": _share(0.0, "largest share of texts with U+FFFD, mojibake or control characters"),
    "max_drift_psi": {"type": "number", "min": 0, "default": 0.2, "basis": "policy",
                      "help": "largest PSI of a column against the previous review's profile (0.1-0.25: moderate shift)"},
    "drift_severity": {"type": "string", "default": "warn", "choices": ["warn", "fail"],
                       "help": "verdict when drift exceeds max_drift_psi (drift calls for a look, not always a stop)"},
}

# Followed across reviews by the review index; assess.quality.summary.review_metrics logs them
# (overall, and per dataset role as "<role>.expectations_failed").
KEY_METRICS = ["expectations_failed", "success_percent", "train.expectations_failed", "holdout.expectations_failed",
               "eval.expectations_failed"]

INTRO = """# Data quality of training and evaluation data

This assessment checks that the datasets a model is trained and evaluated on are what their
**data contracts** say, and free of the defects that quietly spoil a model: duplicates, records
shared between training and evaluation splits, labels outside the declared set or in conflict,
skewed classes, empty or garbled text, and drift since the previous review.

The Interim Measures for Generative AI require providers to "take effective measures to improve
the quality of training data, and enhance its truthfulness, accuracy, objectivity and diversity"
(**Interim Art. 7(4)**); the Deep Synthesis Provisions require providers to "strengthen the
management of training data" (**DS Art. 14**); TC260-003 **§5.1** asks for corpus quality and
diversity checks, and the Algorithm Recommendation Provisions require that "algorithm mechanisms,
models, **data** and application results" be reviewed regularly (**Algo Rec Art. 8**, and
**DS Art. 15** for the regular review). Each clause is summarised in the project's clause catalogue
(`docs/clauses.md`). No rule sets a number for any of these checks: every threshold below is
**policy**, recorded in the plan.

Every check runs as a [Great Expectations](https://greatexpectations.io) expectation, offline.
The evidence (GX validation results and the GX Data Docs site) is masked: values that could be
personal data appear only as `ab*****yz`. Values of a column the contract declares
`personal: false` (an intent label, a language code) are shown as they are, unless the PII
scanner finds an identifier in one, which stays masked."""

CHECKS_MD = """## What is checked

Each dataset's **contract** (a YAML file a person reviewed, named by the dataset's `contract:` in
the plan) compiles into a GX expectation suite, together with the **ML checks**:

| group | checks (GX expectation) | why | clause |
|---|---|---|---|
| contract | row count, exact column set, logical type and parseability, missing values, uniqueness, ranges, value sets, patterns, text lengths | the data is what the provider declared | Interim Art. 7(4); DS Art. 14 |
| duplicates | exact duplicates (`expect_column_values_to_be_unique`); duplicates after NFKC, case folding, whitespace and punctuation normalisation (`expect_column_values_to_have_no_normalized_duplicates`) | repeated records over-weight some examples and inflate evaluation | Interim Art. 7(4); TC260-003 §5.1 |
| text | empty / whitespace-only texts; garbled texts: U+FFFD, UTF-8 read as Latin-1 or cp1252 (`Ã©`, `é”™`), `锟斤拷`, control characters | broken records teach nothing or teach noise | Interim Art. 7(4); TC260-003 §5.1 |
| labels | labels inside the declared label set; smallest class share; largest-to-smallest class ratio; texts equal after normalisation with different labels | label accuracy and balance (label robustness) | Interim Art. 7(4); Interim Art. 8 |
| overlap | records of one split also in another, by id and by normalised text | evaluation on training records overstates quality | Interim Art. 7(4) |
| drift | PSI of each profiled column (declared categories, numbers, text lengths) and of the label distribution against the profile the previous review stored | the regular review compares data with the last one | Algo Rec Art. 8; DS Art. 15 |

Shares count every copy: with one text repeated twice, 2 rows are flagged. An empty string counts as
a missing value."""

INPUTS_MD = """## Datasets, contracts and baselines

The datasets reviewed, their contracts, and the profile each was compared with. The first review
of a dataset has no baseline: it stores the profile the next review compares against (logged as
`evidence/profile_<dataset>.json`; the profile holds shares of declared categories and rounded bin
edges, no record)."""

INPUTS_CODE = '''from assess.quality.assessment import dataset_inputs, load_baselines

baselines, baseline_table = load_baselines(ctx, p["datasets"])
inputs, datasets_table = dataset_inputs(ctx, p["datasets"], p["overlap_pairs"], baselines)
display(datasets_table)
baseline_table'''

RUN_MD = """## Validation

The suites run through a GX `ValidationDefinition` and `Checkpoint` on an in-memory pandas data
source, with analytics disabled. The results are masked before they are stored, logged or
rendered: the GX validation results (`evidence/gx_validation_<dataset>.json`) and the Data Docs
site (`data_docs/index.html`, a static index with a link to each dataset's result page) are built
from the masked results only."""

RUN_CODE = '''from assess.quality.assessment import data_docs_note, log_evidence, overview, policy_from_params
from assess.quality.review import review_datasets

review = review_datasets(inputs, policy_from_params(p), docs_dir=ctx.artifact_dir("data_docs"))
log_evidence(ctx, review)
display(Markdown(data_docs_note(ctx)))
for note in review.notes:
    display(Markdown(f"- {note}"))
display(Markdown(f"**{review.metrics['expectations_evaluated']:.0f}** expectations evaluated, "
                 f"**{review.metrics['expectations_failed']:.0f}** failed "
                 f"({review.metrics['success_percent']:.1f}% met). Failed / evaluated per check group:"))
overview(review)'''

FIGURE_MD = """The first chart shows, for each row-level check that flagged anything, the share of rows it
flagged in each dataset, with a black mark at the share its expectation allows (the plan's policy;
0 for most checks); the second shows the label distribution of each dataset (from the profiles),
which the class-share and imbalance checks and the label drift check read, with `min_class_share`
as a dashed line."""

FIGURE_CODE = '''from assess.quality.figures import class_share_figure, flagged_share_figure

figure = flagged_share_figure(review.summary)
if figure is not None:
    _ = ctx.log_figure("rows_flagged_per_check", figure)
else:
    display(Markdown("No row-level check flagged any row."))
label_column = next((i.roles.label for i in inputs if i.roles.label), None)
figure = class_share_figure(review.profiles, label_column, min_class_share=p["min_class_share"])
if figure is not None:
    _ = ctx.log_figure("label_distribution", figure)'''

TABLES_MD = """## Results per dataset

One row per expectation, failures first. `unexpected_count` / `unexpected_percent` are the rows
that break it; `observed` is the statistic of aggregate checks (smallest class share, class ratio,
PSI, type); `sample` shows up to five of the offending values, **masked** (as they are for a
`personal: false` column), and `sample_rows` their row numbers (0-based; in a CSV file,
line = row + 2)."""

TABLES_CODE = '''from assess.quality.assessment import readable_table

for role in p["datasets"]:
    display(Markdown(f"### {role}"))
    display(readable_table(review, role))'''

DRIFT_MD = """## Drift against the previous review

Population stability index per profiled column: below 0.1 little change, 0.1–0.25 a moderate
shift, above 0.25 a large one. Without a previous profile nothing is compared; this review's
profile becomes the baseline."""

DRIFT_CODE = '''drift = review.summary[review.summary["check"] == "drift"]
if drift.empty:
    display(Markdown("No baseline for any dataset: drift was not checked; the profiles logged by this review are the baseline."))
drift[["dataset", "column", "success", "observed"]].rename(columns={"observed": "psi"})'''

VERDICT_MD = """## Verdict

One check per dataset and check group: the number of failed expectations must be 0 (thresholds
inside each expectation are the plan's policy values shown above). Drift gives
`drift_severity` (a warning by default)."""

VERDICT_CODE = '''from assess.quality.assessment import record_checks

record_checks(ctx, review, drift_severity=p["drift_severity"])
ctx.finish()'''


def build():
    """The notebook template."""
    cells = [
        ("md", CHECKS_MD),
        ("md", INPUTS_MD), ("code", INPUTS_CODE),
        ("md", RUN_MD), ("code", RUN_CODE),
        ("md", FIGURE_MD), ("code", FIGURE_CODE),
        ("md", TABLES_MD), ("code", TABLES_CODE),
        ("md", DRIFT_MD), ("code", DRIFT_CODE),
        ("md", VERDICT_MD), ("code", VERDICT_CODE),
    ]
    return build_notebook(name=NAME, title=TITLE, clauses=CLAUSES, parameters=PARAMETERS, key_metrics=KEY_METRICS,
                          intro=INTRO, cells=cells)


def main() -> None:
    print(f"wrote {write(build(), NAME)}")


if __name__ == "__main__":
    main()
