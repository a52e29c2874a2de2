"""Label survival: apply each edit to each labelled sample and re-check every label.

Measures Art. 10 and DS Art. 18 forbid removing labels; GB 45438 sets no robustness number,
so survival rates under third-party edits are reported against policy thresholds, while the
provider's own pipeline (``own_pipeline`` edits) must keep the metadata label every time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from assess.content_labels.check import check_bytes
from assess.content_labels.edits import Edit
from assess.content_labels.formats import detect_format
from assess.content_labels.images import load_image
from assess.content_labels.watermark import MIN_SIDE, bit_accuracy, read_watermark

UNEDITED = "unedited"


def _observe(data: bytes, name: str, produce_id: str, key: bytes | None) -> dict:
    report = check_bytes(data, name, key=key, watermark=False)
    row = {
        "format_after": report.format,
        "metadata_label": report.implicit_valid,
        "explicit_label": report.explicit_conforms,
        "watermark_bit_accuracy": np.nan,
        "watermark_detected": None,
    }
    if report.media == "image" and produce_id:
        image = load_image(data, name)
        if min(image.size) >= MIN_SIDE:
            reading = read_watermark(image)
            row["watermark_bit_accuracy"] = bit_accuracy(reading, produce_id)
            row["watermark_detected"] = reading.detected
    return row


def run_survival(files, edits: list[Edit], *, key: bytes | None = None) -> pd.DataFrame:
    """One row per (file, edit), with an ``unedited`` row per file first.

    Parameters
    ----------
    files : iterable of path-like
        Labelled samples (PNG, JPEG, WAV, UTF-8 text).
    edits : list of Edit
        Edits to apply; each is applied only to the media it declares.
    key : bytes, optional
        ReservedCode1 key (None reads ``ASSESS_LABEL_KEY``).

    Returns
    -------
    pandas.DataFrame
        Columns: file, media, metadata_before, explicit_before, watermark_before (the unedited
        file's labels; watermark_before None when not applicable),
        edit, own_pipeline, format_after, metadata_label (bool),
        explicit_label (bool or None when not checked), watermark_bit_accuracy (NaN when not
        applicable), watermark_detected. The ProduceID of the unedited file is the expected
        watermark payload, so stripping the metadata does not hide the watermark result.
    """
    rows = []
    for path in files:
        path = Path(path)
        data = path.read_bytes()
        fmt = detect_format(data, path.name)
        baseline = check_bytes(data, path.name, key=key, watermark=False)
        produce_id = baseline.produce_id
        before = _observe(data, path.name, produce_id, key)
        common = {"file": path.name, "media": fmt.media, "metadata_before": before["metadata_label"],
                  "explicit_before": before["explicit_label"], "watermark_before": before["watermark_detected"]}
        rows.append({**common, "edit": UNEDITED, "own_pipeline": False, **before})
        for edit in edits:
            if fmt.media not in edit.media:
                continue
            edited = edit.apply(data, fmt)
            rows.append({**common, "edit": edit.name, "own_pipeline": edit.own_pipeline,
                         **_observe(edited, f"{path.name} [{edit.name}]", produce_id, key)})
    return pd.DataFrame(rows)


def summarise_survival(results: pd.DataFrame) -> pd.DataFrame:
    """Survival rates per edit and media.

    Returns
    -------
    pandas.DataFrame
        Columns: edit, media, files, metadata_survival, explicit_survival (for an edit: share of
        the files that had a valid label before the edit which still have one after it, so a
        missing label counts once, as non-conformance, not again as non-survival; for
        ``unedited``: share of files with the label; NaN if none to count),
        watermarked_files, watermark_bit_accuracy_mean / _min, watermark_detection_rate (for an
        edit: over the files whose unedited watermark was detected, so an image that was never
        watermarked does not count as a watermark lost; for ``unedited``: over every image).
    """
    def share(values):
        checked = [bool(v) for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))]
        return float(np.mean(checked)) if checked else np.nan

    from assess.content_labels.edits import EDITS

    present = list(dict.fromkeys(results["edit"]))
    order = [UNEDITED] + [name for name in EDITS if name in present]
    order += [name for name in present if name not in order]
    rows = []
    for (edit, media), group in results.groupby(["edit", "media"], sort=False):
        watermarked = group if edit == UNEDITED else group[group["watermark_before"].map(lambda v: v is True)]
        accuracy = watermarked["watermark_bit_accuracy"].astype(float)
        had_metadata = group if edit == UNEDITED else group[group["metadata_before"].astype(bool)]
        had_explicit = group if edit == UNEDITED else group[group["explicit_before"].map(lambda v: v is not None and v == v and bool(v))]
        rows.append({
            "edit": edit,
            "media": media,
            "own_pipeline": bool(group["own_pipeline"].any()),
            "files": len(group),
            "watermarked_files": int(group["watermark_before"].map(lambda v: v is True).sum()),
            "metadata_survival": share(had_metadata["metadata_label"]),
            "explicit_survival": share(had_explicit["explicit_label"]),
            "watermark_bit_accuracy_mean": float(accuracy.mean()) if accuracy.notna().any() else np.nan,
            "watermark_bit_accuracy_min": float(accuracy.min()) if accuracy.notna().any() else np.nan,
            "watermark_detection_rate": share(watermarked["watermark_detected"]),
        })
    summary = pd.DataFrame(rows)
    summary["_order"] = summary["edit"].map(order.index)
    return summary.sort_values(["_order", "media"]).drop(columns="_order").reset_index(drop=True)
