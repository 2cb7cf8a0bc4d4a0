"""The report's charts: matplotlib figures (no pyplot, no display) as base64 PNG data."""

from __future__ import annotations

import base64
import io

import matplotlib.dates as mdates
import numpy as np
from matplotlib.figure import Figure

PALETTE = ("#3060c0", "#c03030", "#2a9d4a", "#d08a1a", "#7a4fb0", "#1a9bb0", "#8a6a3a", "#c04f9a")
SIDE_COLOURS = {"un": "#3060c0", "communist": "#c03030", "draw": "#888888"}
WIDTH = 9.0          # inches at 100 dpi: 900 px, the report's column


def png(fig: Figure) -> str:
    """The figure as base64 PNG data for an <img src="data:image/png;base64,...">."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _figure(height: float) -> Figure:
    fig = Figure(figsize=(WIDTH, height))
    fig.set_layout_engine("constrained")
    return fig


def outcome_chart(scenarios, outcomes, shares) -> str:
    """Grouped horizontal bars: the share of runs each outcome, per scenario, with its CI.
    ``shares[scenario][outcome] = (share, low, high)``."""
    fig = _figure(0.6 + 0.35 * len(outcomes) * len(scenarios))
    ax = fig.add_subplot()
    h = 0.8 / len(scenarios)
    y = np.arange(len(outcomes))
    for i, sc in enumerate(scenarios):
        vals = np.array([shares[sc].get(o, (0, 0, 0)) for o in outcomes], dtype=float)
        err = np.clip(np.vstack([vals[:, 0] - vals[:, 1], vals[:, 2] - vals[:, 0]]), 0, None)
        ax.barh(y - 0.4 + h * (i + 0.5), vals[:, 0], height=h * 0.9, xerr=err, capsize=3,
                color=PALETTE[i % len(PALETTE)], label=sc)
    ax.set_yticks(y, outcomes)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlabel("share of runs (bars: 95% Wilson interval)")
    ax.grid(axis="x", alpha=0.3)
    if len(scenarios) > 1:
        ax.legend(loc="lower right")
    return png(fig)


def vp_chart(scenarios, vp) -> str:
    """Histograms of each side's victory points, one panel a side, one outline a scenario.
    ``vp[scenario] = (un values, communist values)``."""
    fig = _figure(3.2)
    axes = fig.subplots(1, 2, sharey=True)
    everything = np.concatenate([np.asarray(v, dtype=float) for pair in vp.values() for v in pair] or [[0.0]])
    bins = np.histogram_bin_edges(everything[np.isfinite(everything)], bins=30)
    for side, ax in zip(("UN", "Communist"), axes, strict=True):
        for i, sc in enumerate(scenarios):
            values = np.asarray(vp[sc][0 if side == "UN" else 1], dtype=float)
            ax.hist(values, bins=bins, histtype="step", linewidth=1.8, color=PALETTE[i % len(PALETTE)],
                    label=f"{sc} (mean {np.nanmean(values):.1f})" if values.size else sc)
        ax.set_title(f"{side} victory points")
        ax.set_xlabel("VP")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    axes[0].set_ylabel("runs")
    return png(fig)


def fan_chart(dates, bands, median, reference, n_runs, title) -> str:
    """The front's mean latitude over time: the median run, the 25-75 % and 10-90 % bands,
    and the historical line. ``bands`` = (p10, p25, p75, p90), each per date."""
    fig = _figure(3.6)
    ax = fig.add_subplot()
    p10, p25, p75, p90 = bands
    ax.fill_between(dates, p10, p90, color="#3060c0", alpha=0.18, linewidth=0, label="10-90% of runs")
    ax.fill_between(dates, p25, p75, color="#3060c0", alpha=0.35, linewidth=0, label="25-75% of runs")
    ax.plot(dates, median, color="#1d3f82", linewidth=2, label="median run")
    if reference:
        rd, rv = zip(*reference, strict=True)
        ax.plot(rd, rv, color="black", linestyle="--", marker="o", markersize=3, linewidth=1.3,
                label="the war (approximate)")
    ax.axhline(38.0, color="#999999", linewidth=0.8, linestyle=":")
    ax.annotate("38th parallel", (0.0, 38.0), xycoords=("axes fraction", "data"), xytext=(4, -2),
                textcoords="offset points", ha="left", va="top", fontsize=8, color="#666666")
    ax.set_ylabel("mean latitude of the front (°N)")
    ax.set_title(f"{title}  ({n_runs} runs)", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    fig.autofmt_xdate()
    return png(fig)


def card_chart(labels, dates, shares) -> str:
    """When each card fired: a box of its dates over the runs, the share of runs at the right."""
    fig = _figure(0.8 + 0.32 * len(labels))
    ax = fig.add_subplot()
    y = np.arange(len(labels))
    nums = [mdates.date2num(list(ds)) for ds in dates]
    ax.boxplot(nums, positions=y, orientation="horizontal", widths=0.6, showfliers=True,
               flierprops={"markersize": 2}, medianprops={"color": "#c03030"})
    ax.set_yticks(y, labels, fontsize=8)
    ax.invert_yaxis()
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    for yi, share in zip(y, shares, strict=True):
        ax.annotate(f"{share:.0%}", (1.0, yi), xycoords=("axes fraction", "data"), xytext=(4, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_xlabel("date fired (box: quartiles; right: share of runs in which it fired)")
    ax.grid(axis="x", alpha=0.3)
    return png(fig)


def difference_chart(rows, title) -> str:
    """A forest plot: each difference (what-if minus the first scenario) with its 95 % CI.
    ``rows`` = [(label, diff, low, high)], all on one scale."""
    fig = _figure(0.8 + 0.3 * len(rows))
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    d = np.array([r[1] for r in rows], dtype=float)
    lo = np.array([r[2] for r in rows], dtype=float)
    hi = np.array([r[3] for r in rows], dtype=float)
    lo, hi = np.where(np.isnan(lo), d, lo), np.where(np.isnan(hi), d, hi)
    ax.errorbar(d, y, xerr=np.clip([d - lo, hi - d], 0, None), fmt="o", color="#3060c0", capsize=3)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, [r[0] for r in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_title(title, fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return png(fig)
