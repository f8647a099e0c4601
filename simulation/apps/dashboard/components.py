"""Solara components of the dashboard's main area: headline numbers, charts and map."""

from __future__ import annotations

import html

import solara
from mesa.visualization.utils import update_counter

from simulation.analysis.live import Snapshot, headline_numbers, largest_gain, snapshot
from simulation.apps.dashboard.levers import Levers
from simulation.apps.dashboard.live import DashboardModel
from simulation.figures import live as charts
from simulation.figures.labels import Labels, tr
from simulation.figures.text import number as fmt
from simulation.io import command_line

lang = solara.reactive("en")  # page language, per browser session

CSS = """
<style>
#hcmc-headline table {border-collapse: collapse; width: 100%; font-size: 16px;}
#hcmc-headline th, #hcmc-headline td {padding: 3px 7px; border-bottom: 1px solid #ddd;}
#hcmc-headline td {white-space: nowrap;}
#hcmc-headline th {text-align: right; font-weight: 600; color: #444;}
#hcmc-headline th:first-child, #hcmc-headline td:first-child {text-align: left;}
#hcmc-headline td {text-align: right; font-variant-numeric: tabular-nums;}
#hcmc-headline td:first-child {white-space: normal;}
#hcmc-headline td.pos {color: #00704a; font-weight: 600;}
#hcmc-headline td.neg {color: #b3261e; font-weight: 600;}
#hcmc-headline td.unclear {color: #9a9a9a;}
.hcmc .meta {color: #555; font-size: 13px; margin: 3px 0; line-height: 1.35;}
.hcmc code {font-size: 12px; word-break: break-all;}
</style>
"""


def place_names(locations, lg: str) -> dict[str, str]:
    """Location code → name on the page: Vietnamese names of places, composites translated."""
    return Labels(lg, locations, vietnamese_roles=("origin", "partner")).names(
        [str(c) for c in locations.index])


def levers_text(lv: Levers, lg: str) -> str:
    """The extra levers in words."""
    parts = []
    if lv.agreement_budget > 0:
        parts.append(tr("lever_agreement", lg, v=fmt(lv.agreement_budget, lg, 1)))
    if lv.incentive_regime != "none":
        parts.append(tr("lever_incentive", lg, v=tr(lv.incentive_regime, lg)))
    if lv.dx_gain > 0:
        parts.append(tr("lever_dx", lg, v=fmt(lv.dx_gain, lg, 2)))
    if lv.land_ha > 0:
        parts.append(tr("lever_land", lg, v=fmt(lv.land_ha, lg)))
    return tr("levers", lg, levers="; ".join(parts)) if parts else tr("no_levers", lg)


def headline_html(model: DashboardModel, snap: Snapshot, lg: str) -> str:
    """The headline table with the levers in force, as HTML (numbers have ``data-`` tags)."""
    esc = html.escape
    rows = []
    several = snap.seeds > 1
    for m in headline_numbers(snap):
        cls = "pos" if m.difference > 0.5 else "neg" if m.difference < -0.5 else ""
        if several and cls and not m.clear:
            cls = "unclear"  # the interval includes 0: not told apart from chance
        pct = "" if m.difference == 0 or m.percent != m.percent else (
            f" ({fmt(m.percent, lg, 1, signed=True)} %)")
        span = (f'<td data-col="interval" class="{cls}">[{fmt(m.low, lg, signed=True)}, '
                f'{fmt(m.high, lg, signed=True)}]</td>' if several else "")
        rows.append(
            f'<tr data-metric="{m.key}"><td>{esc(tr(m.key, lg))}</td>'
            f'<td data-col="scenario">{fmt(m.scenario, lg)}</td>'
            f'<td data-col="baseline">{fmt(m.baseline, lg)}</td>'
            f'<td data-col="difference" class="{cls}">'
            f'{fmt(m.difference, lg, signed=True)}{pct}</td>{span}</tr>')
    lv = model.levers
    head = (f'<h3 style="margin:0 0 4px 0">{esc(tr("headline", lg))}</h3>'
            f'<div class="meta"><b>{esc(tr("quarter_label", lg))}: <span id="hcmc-quarter">'
            f'{esc(charts.when(snap, lg))}</span></b> · {esc(tr("scenario_label", lg))}: '
            f'<span id="hcmc-scenario">{esc(lv.scenario)}</span> – '
            f'{esc(model.cfg.scenario.description)}</div>')
    table = (f'<table><thead><tr><th>{esc(tr("indicator", lg))}</th>'
             f'<th>{esc(tr("col_scenario", lg))}</th><th>{esc(tr("col_baseline", lg))}</th>'
             f'<th>{esc(tr("col_difference", lg))}</th>'
             + (f'<th>{esc(tr("col_interval", lg))}</th>' if several else "")
             + f'</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    notes = [tr("seeds_note", lg, n=snap.seeds) if several else tr("one_seed_note", lg),
             levers_text(lv, lg)]
    gain = largest_gain(snap)
    if gain is not None:
        names = place_names(model.inputs.locations, lg)
        notes.append(tr("largest", lg, name=names[gain[0]], value=fmt(gain[1], lg, signed=True)))
    meta = "".join(f'<div class="meta">{esc(n)}</div>' for n in notes)
    return f'{CSS}<div id="hcmc-headline" class="hcmc">{head}{table}{meta}</div>'


def about_html(model: DashboardModel, lg: str) -> str:
    """How the numbers are made, and the same run on the command line."""
    esc = html.escape
    lv = model.levers
    note = tr("paired", lg) + " " + tr("population", lg, n=fmt(lv.n_agents, lg),
                                       r=fmt(model.p.firms.represented, lg))
    cmd = command_line("hcmc-run", *model.overrides)
    return (f'{CSS}<div id="hcmc-about" class="hcmc"><div class="meta">{esc(note)}</div>'
            f'<div class="meta">{esc(tr("reproduce", lg))} '
            f'<code id="hcmc-command">{esc(cmd)}</code></div></div>')


@solara.component
def Dashboard(model: DashboardModel):
    """The main area: the error of an invalid configuration, or the model's state."""
    if model.error:
        solara.Error(f"{tr('error', lang.value)} {model.error}")
    else:
        ModelView(model)


@solara.component
def ModelView(model: DashboardModel):
    """Headline numbers, bars by province, the map and the time series."""
    tick = update_counter.get()  # Mesa's SolaraViz bumps this after every step
    lg = lang.value
    key = [id(model), tick, lg, len(model.track.quarters)]
    snap = solara.use_memo(lambda: snapshot(model), key)
    names = place_names(model.inputs.locations, lg)
    bars = solara.use_memo(lambda: charts.province_bars(snap, names, lg), key)
    series = solara.use_memo(lambda: charts.time_series(snap, lg), key)
    geo = solara.use_memo(lambda: charts.location_map(snap, names, lg), key)
    stamp = f"hcmc-at-{snap.current or 'start'}-{lg}"  # lets a browser test wait for a chart
    # one 1920 × 1080 screen: numbers, bars and time series left; the tall map and notes right
    with solara.Columns([3, 2], gutters_dense=True):
        with solara.Column(gap="6px"):
            with solara.Card(margin=0):
                solara.HTML(tag="div", unsafe_innerHTML=headline_html(model, snap, lg))
            with solara.Card(margin=0):
                solara.Image(bars, width="100%", classes=["hcmc-bars", stamp])
            with solara.Card(margin=0):
                solara.Image(series, width="100%", classes=["hcmc-series", stamp])
        with solara.Column(gap="6px"):
            with solara.Card(margin=0):
                solara.Image(geo, width="100%", classes=["hcmc-map", stamp])
            with solara.Card(margin=0):
                solara.HTML(tag="div", unsafe_innerHTML=about_html(model, lg))
