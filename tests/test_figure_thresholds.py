"""Charts of a checked quantity show the check's threshold: a real GX review, real matplotlib figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from assess.quality.compile import QualityPolicy
from assess.quality.figures import class_share_figure, flagged_share_figure
from assess.quality.review import DatasetInput, overlap_targets, review_datasets
from test_quality_gx import CONTRACT, ROLES, defective_frames


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    train, holdout = defective_frames()
    targets = overlap_targets(["train", "holdout"], [["train", "holdout"]])
    return review_datasets([
        DatasetInput("train", train, CONTRACT, ROLES, targets["train"]),
        DatasetInput("holdout", holdout, CONTRACT, ROLES, targets["holdout"]),
    ], policy=QualityPolicy(max_duplicate_share=0.05, min_class_share=0.1))


def test_flagged_share_marks_the_share_each_expectation_allows(review):
    summary = review.summary
    duplicates = summary[(summary["dataset"] == "train") & (summary["check"] == "exact_duplicates")]
    assert duplicates["allowed_percent"].tolist() == [5.0]
    assert summary[summary["check"] == "empty_text"]["allowed_percent"].eq(0).all()
    assert summary[summary["check"] == "row_count"]["allowed_percent"].isna().all()  # aggregate: no share of rows
    figure = flagged_share_figure(summary)
    axis = figure.axes[0]
    labels = [t.get_text() for t in axis.get_yticklabels()]
    (marks,) = [c for c in axis.collections if c.get_label() == "allowed (policy)"]
    allowed = dict(zip(labels, marks.get_offsets()[:, 0]))
    assert allowed["exact_duplicates / text"] == 5.0 and allowed["empty_text / text"] == 0.0


def test_class_share_draws_the_minimum_share(review):
    figure = class_share_figure(review.profiles, "label", min_class_share=0.1)
    lines = [line for line in figure.axes[0].get_lines() if line.get_label().startswith("min_class_share")]
    assert len(lines) == 1 and np.allclose(lines[0].get_ydata(), 0.1)
    assert "10.0%" in lines[0].get_label()


def test_roc_and_survival_draw_their_thresholds():
    from assess.content_labels.report import survival_figure
    from assess.leakage.figures import roc_loglog

    grid = np.linspace(0, 1, 11)
    figure = roc_loglog({"loss": (grid, np.sqrt(grid))}, max_tpr_at_1pct_fpr=0.05)
    (line,) = [l for l in figure.axes[0].get_lines() if l.get_label().startswith("max TPR at 1% FPR")]
    assert np.allclose(line.get_ydata(), 0.05)
    summary = pd.DataFrame({"media": ["image", "image"], "edit": ["unedited", "crop"], "files": [4, 4],
                            "metadata_survival": [1.0, 0.0], "explicit_survival": [1.0, 0.5],
                            "watermark_bit_accuracy_mean": [1.0, 0.9]})
    figure = survival_figure(summary, {"explicit_survival": 0.8, "watermark_bit_accuracy_mean": 0.95})
    minimums = {l.get_label(): l.get_ydata()[0] for l in figure.axes[0].get_lines() if l.get_label().startswith("minimum")}
    assert minimums == {"minimum explicit label (policy) 0.8": 0.8, "minimum watermark bit accuracy (policy) 0.95": 0.95}
