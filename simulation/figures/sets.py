"""Which figures each kind of results folder gets, drawn into one output folder.

- run: headline fans; province small multiples, flow and tie maps, sector breakdowns on each
  boundary set; the network layers at the end of the run (roads, agreements, peer learning's
  reach; runs with ``network.graphml``); the animation;
- comparison: fan charts of levels and of paired differences per headline indicator;
  difference bars with intervals and province small multiples on each boundary set; sector
  differences; per scenario (baseline included) the maps, sector breakdowns and animation (no
  network layers: a comparison keeps no run's graph);
- sweep: every headline indicator against each swept parameter; with two swept parameters, a
  heatmap per indicator.

:func:`run_figures` and :func:`comparison_figures` are the few figures the run and compare
commands draw themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from simulation.analysis import kpis, measures
from simulation.analysis.comparison import Plan
from simulation.config.schema import CompareConfig, PlotConfig, RunConfig
from simulation.data import Inputs
from simulation.figures import derive
from simulation.figures.compare import difference_bars, fan_chart, net_fiscal_bars
from simulation.figures.labels import Labels
from simulation.figures.network import network_figure
from simulation.figures.overview import run_overview
from simulation.figures.plotter import SECTOR_KPIS, Plotter
from simulation.figures.sectors import sector_differences
from simulation.figures.source import COMPARISON, RUN, SWEEP, Folder, run_folder
from simulation.figures.style import save_figure
from simulation.figures.sweep import heatmap, response
from simulation.figures.text import level_text
from simulation.model.records import Results


def draw(folder: Folder, cfg: PlotConfig, out: Path,
         progress: Callable[[str], None] | None = None) -> Plotter:
    """Draw the whole figure set of ``folder`` into ``out``; return the plotter (files)."""
    p = Plotter(folder, cfg, Path(out))
    for label, step in steps(p):
        if progress:
            progress(label)
        step()
    return p


def steps(p: Plotter) -> list[tuple[str, Callable[[], None]]]:
    """The figures of the plotter's folder as (label, draw it) pairs, in drawing order."""
    kinds = {RUN: _run_steps, COMPARISON: _comparison_steps, SWEEP: _sweep_steps}
    return kinds[p.folder.kind](p)


def _details(p: Plotter) -> bool:
    if p.folder.sectors is None or p.folder.ties is None:
        p.skipped.append("maps, sector breakdowns and the animation: the folder has no "
                         f"{' and '.join(p.folder.missing)} (made before the plot command "
                         "existed); run the comparison again to get them")
        return False
    return True


def _run_steps(p: Plotter) -> list[tuple[str, Callable[[], None]]]:
    sc = p.folder.meta["scenarios"][0]
    steps = [("fan charts", p.fans)]
    for b in p.cfg.boundaries:
        steps += [(f"provinces ({b})", lambda b=b: p.provinces(b)),
                  (f"maps ({b})", lambda b=b: p.maps(b, sc, "")),
                  (f"sectors ({b})", lambda b=b: p.sectors(b, sc, ""))]
    steps.append(("network layers", lambda: network_layers(p)))
    if p.cfg.animation:
        steps.append(("animation", lambda: p.animation(sc, "")))
    return steps


def network_layers(p: Plotter) -> None:
    """Roads, agreements and peer learning's reach at the end of a run (``network_layers``)."""
    f = p.folder
    parts = derive.network_layers(f)
    if parts is None:
        p.skipped.append(f"network layers: {f.network_missing}")
        return
    title = p.lab.t("network title", when=f.meta["horizon"])
    p.save(network_figure(parts["nodes"], parts["road"], parts["province"], parts["agreement"],
                          parts["km"], None, parts["summary"], p.lab, title, p.note(),
                          reach=parts["reach"]), "network_layers")


def _comparison_steps(p: Plotter) -> list[tuple[str, Callable[[], None]]]:
    steps = [("fan charts", lambda: _fans(p))]
    for b in p.cfg.boundaries:
        steps += [(f"difference bars ({b})", lambda b=b: _bars(p, b)),
                  (f"provinces ({b})", lambda b=b: p.provinces(b))]
    if not _details(p):
        return steps
    steps.append(("sector differences", lambda: _sector_differences(p)))
    for sc in p.folder.meta["scenarios"]:
        for b in p.cfg.boundaries:
            steps += [(f"maps {sc} ({b})", lambda sc=sc, b=b: p.maps(b, sc, f"_{sc}")),
                      (f"sectors {sc} ({b})", lambda sc=sc, b=b: p.sectors(b, sc, f"_{sc}"))]
        if p.cfg.animation:
            steps.append((f"animation {sc}", lambda sc=sc: p.animation(sc, f"_{sc}")))
    return steps


def _fans(p: Plotter) -> None:
    f = p.folder
    agg = derive.aggregated(f, "pre2025")
    for k in p.cfg.kpis:
        values = derive.paths(f, agg, k, [measures.PARTNERS])
        how = f", {p.how(k)}" if p.how(k) else ""
        for diff, stem, key in ((False, "fan_levels", "fan levels title"),
                                (True, "fan_difference", "fan diff title")):
            title = p.lab.t(key, kpi=f"{p.lab.kpi(k)} ({p.unit(k)})", how=how)
            p.save(fan_chart(values, f.meta["baseline"], title, p.unit(k), p.note(), diff,
                             order=f.meta["scenarios"], labels=p.lab), f"{stem}_{k}")


def _bars(p: Plotter, b: str) -> None:
    f = p.folder
    units = derive.units(f, b)
    partners = derive.partner_units(f, b)
    other = [*measures.TOTALS, *units.loc[~units["partner"], "unit"].drop_duplicates()]
    for k in p.cfg.kpis:
        measure = "cumulative" if kpis.KPI_BY_NAME[k].flow else "horizon"
        rows = f.table[(f.table["boundaries"] == b) & (f.table["kpi"] == k)
                       & (f.table["measure"] == measure)]
        title = p.lab.t("bars title", kpi=f"{p.lab.kpi(k)} ({p.unit(k, measure)})",
                        when=p.when(k)) + p.bounds(b)
        p.save(difference_bars(rows, title, p.unit(k, measure), p.note(), partners, other,
                               measures.PARTNERS, labels=p.lab, boundaries=b),
               f"difference_{k}_{b}")


def _sector_differences(p: Plotter) -> None:
    f = p.folder
    sectors = f.inputs.sector_codes
    for k in SECTOR_KPIS:
        title = p.lab.t("sector diff title", kpi=f"{p.lab.kpi(k)} ({p.unit(k)})",
                        when=p.when(k))
        p.save(sector_differences(derive.sector_differences(f, k), sectors,
                                  f.meta["scenarios"][1:], title, p.note(), p.lab, p.unit(k)),
               f"sector_differences_{k}")


def _sweep_steps(p: Plotter) -> list[tuple[str, Callable[[], None]]]:
    params = p.folder.meta["params"]
    steps = [(f"indicators against {param}", lambda param=param: _response(p, param))
             for param in params]
    if len(params) == 2:
        steps.append(("heatmaps", lambda: _heatmaps(p, params)))
    return steps


def _measure(k: str) -> str:
    return "cumulative" if kpis.KPI_BY_NAME[k].flow else "horizon"


def _response(p: Plotter, param: str) -> None:
    cells = []
    for k in p.cfg.kpis:
        c = derive.sweep_cells(p.folder, k, _measure(k), [param])
        cells.append(c.assign(kpi=k))
    panels = [(k, p.heading(k, p.when(k), "\n")) for k in p.cfg.kpis]
    title = p.lab.t("sweep title", kpi=p.lab.t("partners"), param=p.lab.parameter(param))
    note = p.note()
    if len(p.folder.meta["params"]) > 1:
        note += " · " + p.lab.t("averaged")
    p.save(response(pd.concat(cells, ignore_index=True), param, panels, title, note, p.lab),
           f"sweep_{param.replace('.', '_')}")


def _heatmaps(p: Plotter, params: list[str]) -> None:
    x, y = params
    for k in p.cfg.kpis:
        cells = derive.sweep_cells(p.folder, k, _measure(k), [x, y])
        title = p.lab.t("heatmap title", kpi=f"{p.lab.kpi(k)} ({p.unit(k)}), "
                        f"{p.lab.t('partners').lower()}, {p.when(k)}",
                        param_x=p.lab.parameter(x), param_y=p.lab.parameter(y))
        p.save(heatmap(cells, x, y, title, p.note() + " · " + p.lab.t("cells note"),
                       p.lab, p.unit(k)), f"heatmap_{k}")


def run_figures(run_dir: Path, results: Results, inputs: Inputs, rc: RunConfig) -> list[Path]:
    """The run command's own few figures (the full set: ``hcmc-plot <run>``)."""
    loc = inputs.locations
    partners = list(loc.index[loc["role"] == "partner"])
    folder = run_folder(run_dir, results, inputs, rc.scenario.name, rc.seed, rc.time.start,
                        rc.time.end)
    plotter = Plotter(folder, PlotConfig(dir=str(run_dir)), run_dir / "figures")
    # by place (the pre-2025 provinces, as the run summary): after the merger of 1 July 2025
    # the tables' location is the unit, which would move Bắc Kạn's jobs into Thái Nguyên
    fig = run_overview(kpis.table_of(results, "investment"), kpis.table_of(results, "jobs"),
                       loc["name_vi"].to_dict(), partners, plotter.note())
    paths = save_figure(fig, run_dir / "figures" / "overview")
    plotter.fans()
    plotter.maps("pre2025", rc.scenario.name, "", ties=False)
    # not the network layers: at about 1.5 s they would make the run's figures half as slow
    # again; the plot command draws them
    return paths + plotter.written


def footnote_text(cc: CompareConfig, plan: Plan) -> str:
    """Scenarios, replications, interval and data year, for every figure."""
    draws = f" × {len(plan.draws)} parameter draws" if plan.draws else ""
    return (f"Scenarios vs {plan.baseline} · {cc.replications} paired replications each{draws} "
            f"(master seed {cc.seed}) · {level_text(cc.level)} {cc.interval} interval · "
            f"{plan.start}–{plan.horizon} · province data {plan.inputs.data_year}")


def comparison_figures(out_dir: Path, cc: CompareConfig, plan: Plan, table: pd.DataFrame,
                       series: pd.DataFrame, benefits: pd.DataFrame | None = None
                       ) -> list[Path]:
    """The compare command's figures for each indicator of ``figure_kpis``.

    Difference bars (cumulative, pre-2025 provinces) and fan charts of the partners' total;
    the net fiscal effect per budget level when the runs recorded programme costs.
    """
    note = footnote_text(cc, plan)
    formats = tuple(cc.figure_formats)
    units = measures.locations(plan.inputs, "pre2025")
    partners = list(units.loc[units["partner"], "unit"])
    other = [*measures.TOTALS, *units.loc[~units["partner"], "unit"]]
    agg = measures.aggregate(series.astype({"scenario": str, "quarter": str, "location": str}),
                             units)
    window = f"{plan.window_start}–{plan.horizon}"
    english = Labels("en", plan.inputs.locations, plan.inputs.fields)  # as hcmc-plot names them
    paths: list[Path] = []
    for name in cc.figure_kpis:
        k = kpis.KPI_BY_NAME[name]
        measure = "cumulative" if k.flow or k.entered else "horizon"
        rows = table[(table["boundaries"] == "pre2025") & (table["kpi"] == name)
                     & (table["measure"] == measure)]
        when = f"cumulated {window}" if measure == "cumulative" else f"at {plan.horizon}"
        fig = difference_bars(rows, f"{k.title}, {when}: scenario − baseline",
                              k.unit_of(measure), note, partners, other, measures.PARTNERS,
                              labels=english)
        paths += save_figure(fig, out_dir / "figures" / f"difference_{name}", formats)
        values = measures.over_time(agg, name, measures.PARTNERS, plan.window_start,
                                    plan.horizon)
        how = f", cumulated from {plan.window_start}" if k.flow else ""
        for diff, stem in ((True, "fan_difference"), (False, "fan_levels")):
            what = "scenario − baseline (paired)" if diff else "baseline and scenario"
            fig = fan_chart(values, plan.baseline, f"{k.title}, nine partners{how}: {what}",
                            k.unit, note, diff, order=list(plan.configs))
            paths += save_figure(fig, out_dir / "figures" / f"{stem}_{name}", formats)
    if benefits is not None and benefits["quantity"].eq("net_fiscal_national_pv_bn").any():
        fig = net_fiscal_bars(benefits, f"Net fiscal effect by budget level, present value at "
                              f"{cc.discount_rate * 100:g} % a year, {window}: scenario − baseline",
                              note)
        paths += save_figure(fig, out_dir / "figures" / "net_fiscal", formats)
    return paths
