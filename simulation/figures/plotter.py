"""Figures shared by every kind of results folder, with their titles and footnotes.

:class:`Plotter` knows the folder, the settings and the language; each method draws one kind
of figure and saves it in every requested format (see :mod:`simulation.figures.sets` for which
figures each kind of folder gets).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulation.analysis import kpis, measures
from simulation.config.schema import PlotConfig
from simulation.figures import derive
from simulation.figures.animation import flows_animation
from simulation.figures.labels import Labels
from simulation.figures.mapbase import places_table
from simulation.figures.maps import flow_map, tie_scale, ties_map
from simulation.figures.sectors import sector_bars
from simulation.figures.source import COMPARISON, RUN, Folder
from simulation.figures.style import save_figure
from simulation.figures.text import level_text
from simulation.figures.timeseries import kpi_fans, province_multiples

SECTOR_KPIS = ("registered_bn", "total_jobs")


@dataclass
class Plotter:
    """Draws figures of one folder into ``out`` and keeps the list of files written."""

    folder: Folder
    cfg: PlotConfig
    out: Path
    lab: Labels = field(init=False)
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    _scales: dict[str, tuple[float, float | None]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        inp = self.folder.inputs
        self.lab = Labels(self.cfg.lang, inp.locations, inp.fields)

    # ------------------------------------------------------------------ text
    def span(self) -> str:
        """The recorded calendar, e.g. ``2020Q1–2025Q4``."""
        return f"{self.folder.meta['start']}–{self.folder.meta['horizon']}"

    def note(self, scenario: str | None = None) -> str:
        """Footnote: scenario(s), replications, period, data year."""
        m, t = self.folder.meta, self.lab.t
        year = t("data year", year=m["data_year"])
        if self.folder.kind == RUN:
            head = (f"{t('scenario', name=self.lab.scenario(m['scenarios'][0]))} · "
                    f"{t('one replication', seed=m['seed'])}")
        elif self.folder.kind == COMPARISON and scenario is None:
            head = (f"{t('scenarios vs', name=self.lab.scenario(m['baseline']))} · "
                    f"{t('paired replications', n=m['replications'], seed=m['seed'])} · "
                    + (f"{t('with draws', n=m['n_draws'])} · " if m.get("n_draws") else "")
                    + f"{t('interval', level=self.interval())}")
        elif self.folder.kind == COMPARISON:
            head = (f"{t('scenario', name=self.lab.scenario(scenario))} · "
                    f"{t('replications', n=m['replications'])} ({t('mean over runs')})")
        else:
            head = (f"{t('sweep note', jobs=m['jobs'], seeds=m['seeds'])} · "
                    f"{t('interval', level=self.interval())}")
        return f"{head} · {self.span()} · {year}"

    def interval(self) -> str:
        """The interval of the folder, e.g. ``90 % t``."""
        m = self.folder.meta
        return f"{level_text(m.get('level', 0.9))} {m.get('interval', 't')}"

    def unit(self, kpi: str, measure: str | None = None) -> str:
        """Unit of an indicator (of a measure when given) in the figure's language."""
        k = kpis.KPI_BY_NAME[kpi]
        return self.lab.unit(k.unit_of(measure) if measure else k.unit)

    def how(self, kpi: str) -> str:
        """What the path of an indicator shows: cumulated from the window start, or levels."""
        if kpis.KPI_BY_NAME[kpi].flow:
            return self.lab.t("cumulated from", start=self.folder.meta["window_start"])
        return ""

    def when(self, kpi: str) -> str:
        """The period of a flow or the quarter of a stock."""
        m = self.folder.meta
        if kpis.KPI_BY_NAME[kpi].flow:
            return self.lab.t("cumulated", start=m["window_start"], end=m["horizon"])
        return self.lab.t("at", quarter=m["horizon"])

    def heading(self, kpi: str, extra: str = "", sep: str = ", ") -> str:
        """``Indicator (unit), extra`` (``sep`` may be a line break for panel titles)."""
        text = f"{self.lab.kpi(kpi)} ({self.unit(kpi)})"
        return f"{text}{sep}{extra}" if extra else text

    def bounds(self, b: str) -> str:
        """Suffix naming the boundary set (post-2025 only; pre-2025 is the default)."""
        return f" — {self.lab.t(b)}" if b == "post2025" else ""

    # ------------------------------------------------------------------ output
    def save(self, fig: Figure, stem: str) -> None:
        """Write a figure in every requested format."""
        self.written += save_figure(fig, self.out / stem, self.cfg.formats, self.cfg.dpi)

    # ------------------------------------------------------------------ figures
    def fans(self) -> None:
        """Headline indicators of the partners' total, one panel each."""
        f = self.folder
        agg = derive.aggregated(f, "pre2025")
        parts = [derive.paths(f, agg, k, [measures.PARTNERS]).assign(kpi=k) for k in self.cfg.kpis]
        values = pd.concat(parts, ignore_index=True)
        panels = [(k, self.heading(k, self.how(k), "\n")) for k in self.cfg.kpis]
        self.save(kpi_fans(values, panels, self.lab.t("fans title"), self.note(), self.lab,
                           f.meta["scenarios"], f.meta["baseline"]), "fans")

    def provinces(self, b: str) -> None:
        """Province small multiples of each headline indicator."""
        f = self.folder
        agg = derive.aggregated(f, b)
        partners = derive.partner_units(f, b)
        for k in self.cfg.kpis:
            values = derive.paths(f, agg, k, partners)
            how = f", {self.how(k)}" if self.how(k) else ""
            title = self.lab.t("provinces title", kpi=self.heading(k), how=how) \
                + self.bounds(b)
            self.save(province_multiples(values, partners, self.lab.names(partners, b), title,
                                         self.note(), self.lab, f.meta["scenarios"],
                                         f.meta["baseline"]), f"provinces_{k}_{b}")

    def maps(self, b: str, scenario: str, suffix: str, ties: bool = True) -> None:
        """Flow map and (when the folder has ties) tie map of one scenario."""
        f = self.folder
        places = places_table(f.inputs.locations, b, self.lab)
        named = f" — {self.lab.scenario(scenario)}" if f.kind == COMPARISON else ""
        note = self.note(scenario if f.kind == COMPARISON else None)
        note += f" · {self.lab.t('merged note')}" if b == "post2025" else ""
        title = (self.lab.t("flows title", when=self.when("registered_bn"))
                 + f" ({self.unit('registered_bn')})" + named + self.bounds(b))
        self.save(flow_map(places, derive.flows(f, b, scenario), title, note, self.lab,
                           self.unit("registered_bn"), self.scales(b)[0]),
                  f"map_flows{suffix}_{b}")
        if not ties or f.ties is None:
            return
        title = (self.lab.t("ties title", when=self.lab.t("at", quarter=f.meta["horizon"]))
                 + named + self.bounds(b))
        self.save(ties_map(places, derive.ties_at(f, b, scenario), title, note, self.lab,
                           f.inputs.field_codes, self.scales(b)[1]), f"map_ties{suffix}_{b}")

    def scales(self, b: str) -> tuple[float, float | None]:
        """The largest partner flow and the tie colour scale over every scenario of the folder.

        The maps of all scenarios share them: the same arc width is the same capital and the
        same colour the same tie strength in every scenario's map.
        """
        if b not in self._scales:
            f = self.folder
            partners = derive.partner_units(f, b)
            flow = max(float(derive.flows(f, b, sc).reindex(partners).max())
                       for sc in f.meta["scenarios"])
            tie = None
            if f.ties is not None:
                tie = tie_scale(max(float(np.nanmax(derive.ties_at(f, b, sc).to_numpy()))
                                    for sc in f.meta["scenarios"]))
            self._scales[b] = (flow, tie)
        return self._scales[b]

    def sectors(self, b: str, scenario: str, suffix: str) -> None:
        """Sector breakdown by province of capital and jobs."""
        f = self.folder
        note = self.note(scenario if f.kind == COMPARISON else None)
        for k in SECTOR_KPIS:
            levels = derive.sector_levels(f, b, scenario, k)
            title = self.lab.t("sectors title", kpi=f"{self.lab.kpi(k)} ({self.unit(k)})",
                               when=self.when(k))
            title += (f" — {self.lab.scenario(scenario)}" if f.kind == COMPARISON else "")
            self.save(sector_bars(levels, self.lab.names(list(levels.index), b),
                                  title + self.bounds(b), note, self.lab, self.unit(k)),
                      f"sectors_{k}{suffix}_{b}")

    def animation(self, scenario: str, suffix: str) -> None:
        """GIF of flows and ties over the quarters (pre-2025 provinces)."""
        f = self.folder
        capital, strength = derive.quarterly_flows(f, "pre2025", scenario)
        places = places_table(f.inputs.locations, "pre2025", self.lab)
        title = self.lab.t("animation title")
        title += f" — {self.lab.scenario(scenario)}" if f.kind == COMPARISON else ""
        path = self.out / f"animation{suffix}.gif"
        self.written.append(flows_animation(
            places, capital, strength, path, title,
            self.note(scenario if f.kind == COMPARISON else None), self.lab,
            self.unit("registered_bn"), fps=self.cfg.fps, dpi=self.cfg.gif_dpi))
