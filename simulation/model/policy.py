"""Scenario levers → parameter paths per quarter (MODEL_SPEC §9).

`compile_schedule` turns the lever lists of a :class:`~simulation.config.ScenarioConfig` into
dense arrays indexed by simulated quarter, so the model reads one slice per step and the
scenario logic lives in one place. Baseline ingredients (the pre-2023 programme budget and
promotion, statutory incentive regimes by province and sector) are part of every schedule.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.config.params import ModelParams
from simulation.config.scenario import ALL, CIT_REGIMES, ScenarioConfig
from simulation.config.schema import RunConfig
from simulation.data import Inputs
from simulation.timeline import parse_quarter

# codes: none 0, park 1, difficult 2, special 3
REGIME_CODE = {name: i for i, name in enumerate(CIT_REGIMES)}


@dataclass
class Schedule:
    """Per-quarter parameter paths; axis 0 is the simulated quarter (spin-up included).

    Shapes: T quarters, L locations, S sectors, C fields.
    """

    quarters: np.ndarray  # (T,) absolute quarter indices
    agreement: np.ndarray  # (T, L, C) bool: agreement in force
    signature: np.ndarray  # (T, L, C) strength floor applied in the quarter an agreement starts
    budget_bn: np.ndarray  # (T, L, C) cooperation budget per quarter
    cit_regime: np.ndarray  # (T, L, S) int: regime for projects licensed in the quarter
    subsidy_pct: np.ndarray  # (T, L, S) capex subsidy for projects licensed in the quarter
    promo_events: np.ndarray  # (T, L) promotion events in the quarter
    dx_gain: np.ndarray  # (T, L) extra DX gain (share of gap) in the quarter
    readiness_gain: np.ndarray  # (T,) firm digital-readiness gain (share of gap)
    land_add_ha: np.ndarray  # (T, L) extra industrial-park land opened in the quarter
    distance_factor: np.ndarray  # (T, L) multiplier on road distance
    hc_gain: np.ndarray  # (T, L) human-capital gain (share of gap)
    potential_mult: np.ndarray  # (T, L, S) multiplier on sector potential
    retention: np.ndarray  # (T, L) share of shared revenue retained locally


def _select(names: list[str], universe: list[str]) -> np.ndarray:
    idx = {c: i for i, c in enumerate(universe)}
    if ALL in names:
        return np.arange(len(universe))
    return np.array([idx[n] for n in names], dtype=int)


def _window(quarters: np.ndarray, start: str, end: str | None) -> np.ndarray:
    a = parse_quarter(start)
    b = parse_quarter(end) if end is not None else quarters[-1]
    return (quarters >= a) & (quarters <= b)


def compile_schedule(
    scenario: ScenarioConfig, params: ModelParams, quarters: np.ndarray,
    location_codes: list[str], partner_codes: list[str], sector_codes: list[str],
    field_codes: list[str], incentive_zone: np.ndarray, encouraged: np.ndarray,
    retention_base: np.ndarray,
) -> Schedule:
    """Build the per-quarter parameter paths of a scenario.

    Args:
        scenario: the levers.
        params: behavioural parameters (baseline budget and promotion).
        quarters: absolute quarter index of every simulated quarter.
        location_codes: all locations in model order.
        partner_codes: the partner provinces (levers with provinces=[all] target these).
        sector_codes, field_codes: sectors and cooperation fields in model order.
        incentive_zone: (L,) 0 none, 1 difficult, 2 especially difficult area.
        encouraged: (S,) 1 for encouraged sectors (park regime outside difficult areas).
        retention_base: (L,) statutory retention rates.
    """
    T, L, S, C = len(quarters), len(location_codes), len(sector_codes), len(field_codes)
    loc_index = {c: i for i, c in enumerate(location_codes)}
    partners = np.array([loc_index[c] for c in partner_codes])

    def provinces(names: list[str]) -> np.ndarray:
        return partners[_select(names, partner_codes)]

    agreement = np.zeros((T, L, C), bool)
    signature = np.zeros((T, L, C))
    budget = np.zeros((T, L, C))
    budget[:, partners, :] = params.ties.base_budget_bn_per_year / 4.0 / C
    for a in scenario.agreements:
        w = _window(quarters, a.start, a.end)
        p, c = provinces(a.provinces), _select(a.fields, field_codes)
        sel = np.ix_(w, p, c)
        agreement[sel] = True
        budget[sel] += a.budget_bn_per_year / 4.0
        first = np.argmax(w) if w.any() else None
        if first is not None:
            signature[np.ix_([first], p, c)] = np.maximum(
                signature[np.ix_([first], p, c)], a.initial_strength)

    # Statutory regimes: especially difficult areas → special, difficult → difficult (any new
    # project there); elsewhere encouraged sectors → park (2 + 4 years); others standard.
    base_regime = np.where(incentive_zone[:, None] >= 2, REGIME_CODE["special"],
                           np.where(incentive_zone[:, None] >= 1, REGIME_CODE["difficult"],
                                    np.where(encouraged[None, :] > 0, REGIME_CODE["park"],
                                             REGIME_CODE["none"])))
    cit_regime = np.broadcast_to(base_regime, (T, L, S)).astype(np.int8).copy()
    subsidy = np.zeros((T, L, S))
    for inc in scenario.incentives:
        w = _window(quarters, inc.start, inc.end)
        sel = np.ix_(w, provinces(inc.provinces), _select(inc.sectors, sector_codes))
        cit_regime[sel] = np.maximum(cit_regime[sel], REGIME_CODE[inc.cit_regime])
        subsidy[sel] = np.maximum(subsidy[sel], inc.capex_subsidy_pct)

    promo = np.zeros((T, L))
    promo[:, partners] = params.government.base_promotion_events_per_year / 4.0
    for pr in scenario.promotions:
        w = _window(quarters, pr.start, pr.end)
        promo[np.ix_(w, provinces(pr.provinces))] += pr.events_per_year / 4.0

    dx_gain = np.zeros((T, L))
    readiness = np.zeros(T)
    for d in scenario.digital:
        w = _window(quarters, d.start, d.end)
        dx_gain[np.ix_(w, provinces(d.provinces))] += d.dx_gain_per_year / 4.0
        readiness[w] = np.maximum(readiness[w], d.firm_readiness_gain_per_year / 4.0)

    land = np.zeros((T, L))
    for ls in scenario.land:
        w = _window(quarters, ls.start, ls.end)
        land[np.ix_(w, provinces(ls.provinces))] += ls.hectares_per_year / 4.0

    dist = np.ones((T, L))
    for tr in scenario.transport:
        w = _window(quarters, tr.start, None)
        sel = np.ix_(w, provinces(tr.provinces))
        dist[sel] = np.minimum(dist[sel], tr.distance_factor)

    hc = np.zeros((T, L))
    for h in scenario.human_capital:
        w = _window(quarters, h.start, h.end)
        hc[np.ix_(w, provinces(h.provinces))] += h.gain_per_year / 4.0

    pot = np.ones((T, L, S))
    for sp in scenario.potential:
        w = _window(quarters, sp.start, sp.end)
        pot[np.ix_(w, provinces(sp.provinces), _select(sp.sectors, sector_codes))] *= sp.multiplier

    retention = np.broadcast_to(retention_base, (T, L)).copy()
    for fr in scenario.fiscal:
        w = _window(quarters, fr.start, None)
        retention[np.ix_(w, _select(fr.provinces, location_codes)
                         if ALL not in fr.provinces else partners)] = fr.retention_rate

    return Schedule(quarters, agreement, signature, budget, cit_regime, subsidy, promo, dx_gain,
                    readiness, land, dist, hc, pot, retention)


def build_schedule(cfg: RunConfig, quarters: np.ndarray, inputs: Inputs) -> Schedule:
    """The run's scenario levers as parameter paths over its simulated quarters."""
    loc, sec = inputs.locations, inputs.sectors
    codes = list(loc.index)
    return compile_schedule(
        cfg.scenario, cfg.params, quarters, codes, list(loc.index[loc["role"] == "partner"]),
        list(sec.index), list(inputs.fields.index), loc["incentive_zone"].to_numpy(int),
        sec["encouraged"].to_numpy(int), loc["retention_rate"].to_numpy(float))
