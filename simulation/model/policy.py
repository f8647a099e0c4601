"""Scenario levers → parameter paths per quarter (MODEL_SPEC §9).

:func:`compile_schedule` turns the lever lists of a :class:`~simulation.config.ScenarioConfig`
into dense arrays indexed by simulated quarter, so the model reads one slice per step and the
scenario logic lives in one place. Baseline ingredients (the pre-2023 programme budget and
promotion, statutory incentive regimes, the roads open before the run) are part of every
schedule.

Levers target administrative units (:mod:`simulation.model.state`): a lever naming a province
that the 1 July 2025 reform dissolves applies to its successor from the reform on (budgets
add up, flags and regimes take the stronger), so an agreement with Hà Nam to 2030 carries over
to Ninh Bình.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.config.params import ModelParams
from simulation.config.scenario import ALL, CIT_REGIMES, ScenarioConfig
from simulation.config.schema import RunConfig
from simulation.data import Inputs
from simulation.model.network.roads import distance_path
from simulation.timeline import parse_quarter

# codes: none 0, park 1, difficult 2, special 3
REGIME_CODE = {name: i for i, name in enumerate(CIT_REGIMES)}


@dataclass
class Schedule:
    """Per-quarter parameter paths; axis 0 is the simulated quarter (spin-up included).

    Shapes: T quarters, L places (unit-level arrays are indexed by the unit's slot), S sectors,
    C fields.
    """

    quarters: np.ndarray  # (T,) absolute quarter indices
    unit: np.ndarray  # (T, L) the administrative unit of each place
    partner: np.ndarray  # (T, L) bool: units with a cooperation programme
    agreement: np.ndarray  # (T, L, C) bool: agreement in force (unit)
    signature: np.ndarray  # (T, L, C) strength floor applied in the quarter it starts (unit)
    budget_bn: np.ndarray  # (T, L, C) cooperation budget per quarter (unit)
    promo_events: np.ndarray  # (T, L) promotion events in the quarter (unit)
    dx_gain: np.ndarray  # (T, L) DX programme: share of the DX gap closed (unit)
    cit_regime: np.ndarray  # (T, L, S) regime for projects licensed in the quarter (place)
    subsidy_pct: np.ndarray  # (T, L, S) capex subsidy for projects licensed then (place)
    readiness_gain: np.ndarray  # (T,) firm digital-readiness gain (share of gap)
    land_add_ha: np.ndarray  # (T, L) extra industrial-park land opened (unit)
    distance_km: np.ndarray  # (T, L) effective road km from HCMC (place)
    hc_gain: np.ndarray  # (T, L) human-capital gain (share of gap) (unit)
    potential_mult: np.ndarray  # (T, L, S) multiplier on sector potential (place)
    retention: np.ndarray  # (T, L) share of shared revenue retained locally (unit)
    match_firms: np.ndarray  # (T, L, S) real firms matched with the unit in the quarter
    assoc_links: np.ndarray  # (T, L) real firm–firm ties made at the unit's events
    regional: np.ndarray  # (T, L, L) province–province weight of partner agreements (unit)
    sections: pd.DataFrame  # expressway sections of the scenario with their opening quarters


def divergence(a: Schedule, b: Schedule) -> int:
    """Index of the first simulated quarter in which two schedules differ (T if none does).

    Two runs of one configuration and seed whose schedules agree before quarter ``k`` are the
    same run up to ``k``: every phase reads the schedule at the quarter it simulates (the
    initial stock reads quarter 0), so a scenario can continue from a copy of the other's
    state (:meth:`~simulation.model.model.Phases.fork`). Arrays are compared bit for bit;
    expressway sections from the earliest opening among the sections that differ.
    """
    T = len(a.quarters)
    if not np.array_equal(a.quarters, b.quarters):
        return 0
    first = T
    for name in Schedule.__dataclass_fields__:
        if name in ("quarters", "sections"):
            continue
        x, y = np.ascontiguousarray(getattr(a, name)), np.ascontiguousarray(getattr(b, name))
        if x.shape != y.shape or x.dtype != y.dtype:
            return 0
        differs = (x.view(np.uint8).reshape(T, -1) != y.view(np.uint8).reshape(T, -1)).any(1)
        if differs.any():
            first = min(first, int(np.argmax(differs)))
    sa, sb = a.sections, b.sections
    if not sa.equals(sb):
        rows = sa.index.union(sb.index)
        both = sa.reindex(rows), sb.reindex(rows)
        same = (both[0].eq(both[1]) | (both[0].isna() & both[1].isna())).all(axis=1)
        opening = pd.concat([both[0]["opening_q"], both[1]["opening_q"]], axis=1)[~same]
        q = opening.min().min()
        first = min(first, int(np.searchsorted(a.quarters, q)) if pd.notna(q) else 0)
    return first


def _select(names: list[str], universe: list[str]) -> np.ndarray:
    idx = {c: i for i, c in enumerate(universe)}
    if ALL in names:
        return np.arange(len(universe))
    return np.array([idx[n] for n in names], dtype=int)


def _window(quarters: np.ndarray, start: str, end: str | None) -> np.ndarray:
    a = parse_quarter(start)
    b = parse_quarter(end) if end is not None else quarters[-1]
    return (quarters >= a) & (quarters <= b)


def unit_path(quarters: np.ndarray, successor: np.ndarray, reform_k: int | None) -> np.ndarray:
    """(T, L) unit of each place: itself before the reform, its successor from it on."""
    unit = np.broadcast_to(np.arange(len(successor)), (len(quarters), len(successor))).copy()
    if reform_k is not None:
        unit[reform_k:] = successor
    return unit


def _fold(arr: np.ndarray, unit: np.ndarray, how: str) -> np.ndarray:
    """Move the values of dissolved units onto their successors, quarter by quarter.

    ``arr`` has the unit axis second ((T, L, ...)); ``how`` is ``sum`` or ``max``.
    """
    out = arr.copy()
    for t in np.flatnonzero((unit != np.arange(unit.shape[1])).any(axis=1)):
        moved = np.flatnonzero(unit[t] != np.arange(unit.shape[1]))
        for p in moved:
            s = unit[t, p]
            out[t, s] = out[t, s] + out[t, p] if how == "sum" else np.maximum(out[t, s],
                                                                               out[t, p])
            out[t, p] = 0
    return out


def compile_schedule(scenario: ScenarioConfig, params: ModelParams, quarters: np.ndarray,
                     inputs: Inputs, successor: np.ndarray, reform_k: int | None,
                     first_recorded: int) -> Schedule:
    """Build the per-quarter parameter paths of a scenario.

    Args:
        scenario: the levers.
        params: behavioural parameters (baseline budget and promotion, reform, network).
        quarters: absolute quarter index of every simulated quarter.
        inputs: the input tables (places, sectors, fields, roads, expressway sections).
        successor: (L,) each place's unit after the reform.
        reform_k: index of the first quarter on the new units, or None.
        first_recorded: absolute index of the first recorded quarter (sections opened before it
            are part of every scenario).
    """
    loc, sec = inputs.locations, inputs.sectors
    codes, sector_codes = list(loc.index), list(sec.index)
    field_codes = list(inputs.fields.index)
    T, L, S, C = len(quarters), len(codes), len(sector_codes), len(field_codes)
    partners = np.flatnonzero(np.array(loc["role"]) == "partner")
    partner_codes = [codes[i] for i in partners]
    unit = unit_path(quarters, successor, reform_k)

    def provinces(names: list[str]) -> np.ndarray:
        return partners[_select(names, partner_codes)]

    agreement = np.zeros((T, L, C), bool)
    signature = np.zeros((T, L, C))
    budget = np.zeros((T, L, C))
    budget[:, partners, :] = params.ties.base_budget_bn_per_year / 4.0 / C
    for a in scenario.agreements:
        w = _window(quarters, a.start, a.end)
        p, c = provinces(a.provinces), _select(a.fields, field_codes)
        agreement[np.ix_(w, p, c)] = True
        budget[np.ix_(w, p, c)] += a.budget_bn_per_year / 4.0
        if w.any():
            first = [int(np.argmax(w))]
            signature[np.ix_(first, p, c)] = np.maximum(signature[np.ix_(first, p, c)],
                                                        a.initial_strength)

    # Statutory regimes by place: especially difficult areas → special, difficult → difficult;
    # elsewhere encouraged sectors → park (2 + 4 years); others standard.
    zone, encouraged = loc["incentive_zone"].to_numpy(int), sec["encouraged"].to_numpy(int)
    statutory = np.where(zone[:, None] >= 2, REGIME_CODE["special"],
                         np.where(zone[:, None] >= 1, REGIME_CODE["difficult"],
                                  np.where(encouraged[None, :] > 0, REGIME_CODE["park"],
                                           REGIME_CODE["none"]))).astype(np.int8)
    lever_regime = np.zeros((T, L, S), np.int8)
    lever_subsidy = np.zeros((T, L, S))
    for inc in scenario.incentives:
        sel = np.ix_(_window(quarters, inc.start, inc.end), provinces(inc.provinces),
                     _select(inc.sectors, sector_codes))
        lever_regime[sel] = np.maximum(lever_regime[sel], REGIME_CODE[inc.cit_regime])
        lever_subsidy[sel] = np.maximum(lever_subsidy[sel], inc.capex_subsidy_pct)

    promo = np.zeros((T, L))
    promo[:, partners] = params.government.base_promotion_events_per_year / 4.0
    for pr in scenario.promotions:
        promo[np.ix_(_window(quarters, pr.start, pr.end), provinces(pr.provinces))] += (
            pr.events_per_year / 4.0)

    dx_gain, readiness = np.zeros((T, L)), np.zeros(T)
    for d in scenario.digital:
        w = _window(quarters, d.start, d.end)
        dx_gain[np.ix_(w, provinces(d.provinces))] += d.dx_gain_per_year / 4.0
        readiness[w] = np.maximum(readiness[w], d.firm_readiness_gain_per_year / 4.0)

    land = np.zeros((T, L))
    for ls in scenario.land:
        land[np.ix_(_window(quarters, ls.start, ls.end), provinces(ls.provinces))] += (
            ls.hectares_per_year / 4.0)

    hc = np.zeros((T, L))
    for h in scenario.human_capital:
        hc[np.ix_(_window(quarters, h.start, h.end), provinces(h.provinces))] += (
            h.gain_per_year / 4.0)

    lever_pot = np.ones((T, L, S))
    for sp in scenario.potential:
        lever_pot[np.ix_(_window(quarters, sp.start, sp.end), provinces(sp.provinces),
                         _select(sp.sectors, sector_codes))] *= sp.multiplier

    match = np.zeros((T, L, S))
    for mm in scenario.matchmaking:
        s_ = _select(mm.sectors, sector_codes)
        match[np.ix_(_window(quarters, mm.start, mm.end), provinces(mm.provinces), s_)] += (
            mm.events_per_year / 4.0 * mm.firms_per_event / len(s_))
    assoc = np.zeros((T, L))
    for asn in scenario.associations:
        assoc[np.ix_(_window(quarters, asn.start, asn.end), provinces(asn.provinces))] += (
            asn.events_per_year / 4.0 * asn.links_per_event)
    regional = np.zeros((T, L, L))
    for rg in scenario.regional:
        p = provinces(rg.provinces)
        w = _window(quarters, rg.start, None)
        pair = np.zeros((L, L))
        pair[np.ix_(p, p)] = rg.weight
        np.fill_diagonal(pair, 0.0)
        regional[w] = np.maximum(regional[w], pair)

    retention = np.broadcast_to(loc["retention_rate"].to_numpy(float), (T, L)).copy()
    for fr in scenario.fiscal:
        targets = partners if ALL in fr.provinces else _select(fr.provinces, codes)
        retention[np.ix_(_window(quarters, fr.start, None), targets)] = fr.retention_rate
    if reform_k is not None:  # the merged units keep their successor's rate; HCMC's is dated
        home = int(np.flatnonzero(np.array(loc["role"]) == "origin")[0])
        retention[quarters >= 4 * 2026, home] = params.reform.hcmc_retention_from_2026

    # fold dissolved units onto their successors from the reform on
    agreement = _fold(agreement, unit, "max")
    signature = _fold(signature, unit, "max")
    budget, promo, land, assoc = (_fold(x, unit, "sum") for x in (budget, promo, land, assoc))
    dx_gain, hc = _fold(dx_gain, unit, "max"), _fold(hc, unit, "max")
    lever_regime, lever_subsidy = _fold(lever_regime, unit, "max"), _fold(lever_subsidy, unit,
                                                                          "max")
    lever_pot, match = _fold(lever_pot - 1.0, unit, "max") + 1.0, _fold(match, unit, "sum")
    is_partner = np.zeros((T, L), bool)
    is_partner[:, partners] = True
    is_partner = _fold(is_partner, unit, "max")

    # place-level views of unit levers (a merged unit's programme covers all its places)
    rows = np.arange(T)[:, None]
    cit_regime = np.maximum(statutory[None], lever_regime[rows, unit])
    subsidy = lever_subsidy[rows, unit]
    potential = lever_pot[rows, unit]

    sections = _sections(scenario, inputs, first_recorded)
    distance = (distance_path(inputs, quarters, sections) if params.network.road_graph
                else np.broadcast_to(loc["road_km"].to_numpy(float), (T, L)).copy())

    return Schedule(quarters, unit, is_partner, agreement, signature, budget, promo, dx_gain,
                    cit_regime, subsidy, readiness, land, distance, hc, potential, retention,
                    match, assoc, regional, sections)


def _sections(scenario: ScenarioConfig, inputs: Inputs, first_recorded: int) -> pd.DataFrame:
    """The expressway sections of the scenario with their opening quarters.

    Sections that opened before the first recorded quarter are in every scenario; the others
    only when a transport lever lists them (at their own or the lever's opening quarter).
    """
    ex = inputs.expressway
    chosen = ex[ex["opening_q"] < first_recorded].copy()
    for tr in scenario.transport:
        names = set(ex["segment"]) if ALL in tr.sections else set(tr.sections)
        extra = ex[ex["segment"].isin(names) & (ex["opening_q"] >= first_recorded)].copy()
        if tr.opening is not None:
            extra["opening_q"] = parse_quarter(tr.opening)
        chosen = pd.concat([chosen.drop(index=extra.index, errors="ignore"), extra])
    return chosen.sort_index()


def build_schedule(cfg: RunConfig, quarters: np.ndarray, inputs: Inputs, successor: np.ndarray,
                   reform_k: int | None) -> Schedule:
    """The run's scenario levers as parameter paths over its simulated quarters."""
    return compile_schedule(cfg.scenario, cfg.params, quarters, inputs, successor, reform_k,
                            parse_quarter(cfg.time.start))
