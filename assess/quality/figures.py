"""Figures of the data-quality review (aggregates only: no record is drawn)."""

from __future__ import annotations

import pandas as pd


def flagged_share_figure(summary: pd.DataFrame):
    """Horizontal bars: share of rows each row-level check flags, per dataset (checks flagging none omitted).

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`assess.quality.summary.summarise` output.

    Returns
    -------
    matplotlib.figure.Figure or None
        None when no row-level check flagged a row.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    rows = summary[summary["unexpected_percent"].fillna(0) > 0].copy()
    if rows.empty:  # nothing flagged: the tables say so, a chart of zeros would not add anything
        return None
    rows["label"] = rows.apply(lambda r: " / ".join(str(x) for x in (r["check"], r["column"], r["other_split"])
                                                    if x is not None and x == x), axis=1)
    table = rows.pivot_table(index="label", columns="dataset", values="unexpected_percent", aggfunc="max").fillna(0.0)
    table = table.loc[table.max(axis=1).sort_values().index]
    figure, axis = plt.subplots(figsize=(8, 0.32 * len(table) + 1.2))
    table.plot.barh(ax=axis, width=0.8)
    if "allowed_percent" in rows:
        limits = rows.groupby("label")["allowed_percent"].min().reindex(table.index)
        # One mark per check at the share of rows its expectation allows (0 for most: none may break it).
        axis.scatter(limits.to_numpy(), range(len(limits)), marker="|", s=400, color="black", zorder=3,
                     label="allowed (policy)")
    axis.set_xlabel("rows flagged (%)")
    axis.set_ylabel("")
    axis.set_title("Share of rows flagged, per check (checks that flag no row are not shown)")
    axis.legend(title="dataset", loc="lower right")
    figure.tight_layout()
    return figure


def class_share_figure(profiles: dict[str, dict], label_column: str | None, min_class_share: float | None = None):
    """Bars of the label distribution per dataset, from the (masked) profiles; None without labels.

    ``min_class_share`` (the plan's policy) is drawn as a line: a bar below it is a failed check.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    shares = {role: profile["columns"][label_column]["shares"] for role, profile in profiles.items()
              if label_column and label_column in profile.get("columns", {})}
    if not shares:
        return None
    table = pd.DataFrame(shares).fillna(0.0)
    figure, axis = plt.subplots(figsize=(8, 3.5))
    table.plot.bar(ax=axis)
    if min_class_share is not None:
        axis.axhline(min_class_share, color="black", linestyle="--", linewidth=1,
                     label=f"min_class_share (policy) {min_class_share:.1%}")
    axis.set_ylabel("share of rows")
    axis.set_title(f"Label distribution ({label_column})")
    axis.legend(title="dataset")
    figure.tight_layout()
    return figure
