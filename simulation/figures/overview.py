"""Figures of one run or a set of runs, from tidy tables."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulation.figures.style import CATEGORICAL, PALETTE, finish, number_axis, talk_style
from simulation.figures.text import nfc


def run_overview(investment: pd.DataFrame, jobs: pd.DataFrame, names: dict[str, str],
                 partners: list[str], note: str) -> Figure:
    """Registered capital per year by partner (stacked) and jobs at the end by partner.

    Args:
        investment: the investment table (one or more runs; runs are averaged), by place
            (``site``) when it has one.
        jobs: the jobs table (likewise).
        names: location code → display name.
        partners: partner codes in display order.
        note: footnote (scenario, replications, data year).
    """
    # by place: after the merger of 1 July 2025 a model table's ``location`` is the unit
    # (Bắc Kạn's jobs would count in Thái Nguyên); ``site`` is the place
    investment, jobs = (df.drop(columns="location").rename(columns={"site": "location"})
                        if "site" in df.columns else df for df in (investment, jobs))
    runs = investment.groupby(["scenario", "replication", "seed"], observed=True).ngroups
    inv = investment[investment["location"].astype(str).isin(partners)].copy()
    inv["year"] = inv["quarter"].astype(str).str[:4]
    cap = (inv.groupby(["year", "location"], observed=True)["registered_bn"].sum() / runs
           ).unstack("location").reindex(columns=partners).fillna(0.0)
    last_q = jobs["quarter"].astype(str).max()
    jend = jobs[(jobs["quarter"].astype(str) == last_q)
                & jobs["location"].astype(str).isin(partners)]
    jb = (jend.groupby("location", observed=True)[["direct_jobs", "indirect_jobs"]].sum() / runs
          ).reindex(partners).fillna(0.0)
    with talk_style():
        fig, (ax1, ax2) = plt.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
        bottom = np.zeros(len(cap))
        colors = (CATEGORICAL * 2)[: len(partners)]
        x = cap.index.astype(int).to_numpy()
        for code, color in zip(partners, colors, strict=True):
            ax1.bar(x, cap[code], bottom=bottom, color=color, label=nfc(names[code]),
                    edgecolor="white", linewidth=0.5)
            bottom += cap[code].to_numpy()
        ax1.set_xticks(x)
        ax1.set_title("Registered capital, VND bn per year")
        ax1.set_xlabel("year")
        ax1.legend(ncol=2, frameon=False, loc="upper left", fontsize=12)
        ax1.set_ylim(0, bottom.max() * 1.45 if bottom.max() > 0 else 1)
        number_axis(ax1, "y")
        y = np.arange(len(partners))
        ax2.barh(y, jb["direct_jobs"], color=PALETTE[0], label="direct")
        ax2.barh(y, jb["indirect_jobs"], left=jb["direct_jobs"], color=PALETTE[4],
                 label="local indirect")
        ax2.set_yticks(y, [nfc(names[c]) for c in partners])
        ax2.invert_yaxis()
        ax2.set_title(f"Jobs at {last_q}, persons")
        ax2.xaxis.set_major_locator(plt.MaxNLocator(4))
        ax2.legend(frameon=False, loc="lower right")
        ax2.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        finish(fig, "HCMC investors in the nine partner provinces", note)
    return fig
