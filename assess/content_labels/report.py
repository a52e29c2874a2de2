"""Figures and rates the content-label notebook shows (kept here so the notebook stays thin)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from assess.content_labels.check import FileReport


def conformance_rates(reports: list[FileReport]) -> pd.DataFrame:
    """Per media and overall: files, share with a valid metadata label, share with a conforming explicit label.

    Returns
    -------
    pandas.DataFrame
        Columns: media, files, implicit_conformance, explicit_conformance (NaN when no file of
        that media had its explicit label checked), integrity_verified (share of files whose
        ReservedCode1 verified).
    """
    frame = pd.DataFrame([
        {"media": r.media or "unreadable", "implicit": r.implicit_valid and not r.error,
         "explicit": r.explicit_conforms, "verified": r.integrity == "verified"}
        for r in reports
    ])

    def rates(group: pd.DataFrame, media: str) -> dict:
        explicit = group["explicit"].dropna()
        return {
            "media": media,
            "files": len(group),
            "implicit_conformance": float(group["implicit"].mean()),
            "explicit_conformance": float(explicit.astype(bool).mean()) if len(explicit) else np.nan,
            "integrity_verified": float(group["verified"].mean()),
        }

    rows = [rates(group, media) for media, group in frame.groupby("media")]
    rows.append(rates(frame, "all"))
    return pd.DataFrame(rows)


def notice_figure(files, *, max_images: int = 4, crop_only: bool = False):
    """Images with their detected explicit notice outlined (or only the notice corner).

    Parameters
    ----------
    files : iterable of path-like
        Image files (others are skipped).
    crop_only : bool
        Show only the corner holding the notice, not the picture (for real outputs that may
        show people).
    """
    import matplotlib.pyplot as plt

    from assess.content_labels.formats import detect_format
    from assess.content_labels.image_notice import find_image_notice
    from assess.content_labels.images import load_image

    images = []
    for path in files:
        data = Path(path).read_bytes()
        try:
            if detect_format(data, Path(path).name).media == "image":
                images.append((Path(path).name, load_image(data)))
        except Exception:  # noqa: BLE001 - damaged files are reported by the check, not here
            continue
        if len(images) == max_images:
            break
    if not images:
        return None
    figure, axes = plt.subplots(1, len(images), figsize=(4 * len(images), 3.4), squeeze=False)
    for axis, (name, image) in zip(axes[0], images):
        match = find_image_notice(image)
        shown = image
        if crop_only:
            w, h = image.size
            side = min(w, h) // 3
            x0 = w - side * 2 if "right" in (match.corner or "right") else 0
            y0 = h - side if "bottom" in (match.corner or "bottom") else 0
            shown = image.crop((x0, y0, x0 + side * 2, y0 + side))
        axis.imshow(shown)
        axis.set_title(f"{name}\n" + (f"notice {match.corner}, glyph {match.glyph_height_ratio:.1%} of short side"
                                      if match.found else "no notice found"), fontsize=9)
        axis.axis("off")
    figure.tight_layout()
    return figure


def survival_figure(summary: pd.DataFrame, minimums: dict[str, float] | None = None):
    """Bar chart per edit: metadata survival, explicit survival and watermark bit accuracy.

    ``minimums`` maps a series (``explicit_survival``, ``watermark_bit_accuracy_mean``, ...) to the
    threshold its checks use, drawn as a dashed line in that series' colour.
    """
    import matplotlib.pyplot as plt

    media_order = [m for m in ("image", "text", "audio") if m in set(summary["media"])]
    figure, axes = plt.subplots(1, len(media_order), figsize=(5.2 * len(media_order), 3.8), squeeze=False)
    series = (("metadata_survival", "metadata label"), ("explicit_survival", "explicit label"),
              ("watermark_bit_accuracy_mean", "watermark bit accuracy"))
    for axis, media in zip(axes[0], media_order):
        part = summary[summary["media"] == media].reset_index(drop=True)
        x = np.arange(len(part))
        shown = [(column, label) for column, label in series if part[column].notna().any()]
        width = 0.8 / max(1, len(shown))
        for index, (column, label) in enumerate(shown):
            positions = x + (index - (len(shown) - 1) / 2) * width
            values = part[column]
            bars = axis.bar(positions, values.fillna(0), width, label=label)
            if minimums and column in minimums:
                axis.axhline(minimums[column], color=bars.patches[0].get_facecolor(), linestyle="--", linewidth=1,
                             label=f"minimum {label} (policy) {minimums[column]:g}")
            for position, value in zip(positions, values):
                if value == 0:  # a zero bar is invisible: say it
                    axis.text(position, 0.01, "0", ha="center", va="bottom", fontsize=7)
        axis.set_xticks(x, part["edit"], rotation=40, ha="right", fontsize=8)
        axis.set_ylim(0, 1.05)
        axis.set_title(f"{media} samples ({int(part['files'].max())} files)")
        axis.set_ylabel("share of files / bit accuracy")
        axis.legend(fontsize=7, loc="lower left")
    figure.tight_layout()
    return figure
