"""Policy packages: decision variables ↔ scenario levers under a programme budget.

A policy search proposes numbers; this module turns them into a scenario that the model (and
``compare``) runs. The encoding, for a budget ``cap`` (bn VND a year, planned):

* ``total`` ∈ [0, 1] (only when ``budget.search_total``): the package spends
  ``B = total · cap``; otherwise ``B = cap``;
* ``use.<line>`` ∈ [0, 1] for each budget line of ``levers.uses`` (agreements, promotions,
  digital, land): weights, normalised to shares ``s_u`` (all zero: equal shares);
* ``province.<code>`` ∈ [0, 1] for each partner (``levers.split_provinces``): weights →
  shares ``π_p`` (otherwise equal);
* ``field.<code>`` ∈ [0, 1] for each cooperation field (``levers.split_fields``): weights →
  shares ``φ_c`` of the agreement budget (otherwise equal);
* ``cit_regime`` ∈ ``levers.cit_regimes`` and ``capex_subsidy_pct`` ∈ [0, max] when searched.

Budget line ``u`` in province ``p`` gets ``B · s_u · π_p`` a year, turned into lever amounts
with the model's unit costs (``params.costs``): agreements ``budget_bn_per_year = B·s·π_p·φ_c``
per field; promotion ``events_per_year = B·s·π_p / promotion_event_bn``; DX
``dx_gain_per_year = B·s·π_p / (100 · dx_programme_bn_per_point · (1 − DX_p))``, the share of
the province's DX gap closed a year, priced as the model prices it, on the gap of the dated DX
index of the inputs (at most 1, the schema's limit: money beyond it is not planned; as the
index rises the model spends less than planned); land
``hectares_per_year = B·s·π_p / land_development_bn_per_ha``. HCMC firms' digital readiness
gains in the same proportion to the DX gain as in the schema's defaults. The planned budget
therefore never exceeds the cap (a repair by construction, so every package is feasible).
Capital subsidies and tax expenditure are paid per project, not planned: they are in the
model's programme cost (the ``costs`` table), not in the planned budget.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

from simulation.config.decide import USES, LeverSpace, PackageBudget
from simulation.config.params import CostConfig
from simulation.config.scenario import (
    ALL,
    CIT_REGIMES,
    Agreement,
    DigitalTransformation,
    ScenarioConfig,
)
from simulation.errors import ConfigError

DX_POINT = 0.01  # the unit of dx_programme_bn_per_point: 0.01 of the DX gap closed
_DIGITAL = DigitalTransformation()
READINESS_PER_DX = _DIGITAL.firm_readiness_gain_per_year / _DIGITAL.dx_gain_per_year


@dataclass(frozen=True)
class Variable:
    """One decision variable: a float in [low, high] or a choice among ``choices``."""

    name: str
    low: float = 0.0
    high: float = 1.0
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Space:
    """The decision variables of a search over the partners and fields of the inputs."""

    levers: LeverSpace
    budget: PackageBudget
    costs: CostConfig  # the model's unit costs (params.costs)
    provinces: tuple[str, ...]
    fields: tuple[str, ...]
    end: str  # the levers' last quarter
    dx_gap: tuple[float, ...] = ()  # 1 − dated DX index per province (empty: 1 everywhere)

    def gap(self, province: str) -> float:
        """The DX gap a province's DX spending is priced on."""
        if not self.dx_gap:
            return 1.0
        return max(self.dx_gap[self.provinces.index(province)], 1e-6)

    def variables(self) -> list[Variable]:
        """Every decision variable, in a fixed order."""
        out = []
        if self.budget.search_total:
            out.append(Variable("total"))
        out += [Variable(f"use.{u}") for u in self.levers.uses]
        if self.levers.split_provinces:
            out += [Variable(f"province.{p}") for p in self.provinces]
        if self.levers.split_fields and "agreements" in self.levers.uses:
            out += [Variable(f"field.{c}") for c in self.fields]
        if self.levers.cit_regimes:
            out.append(Variable("cit_regime", choices=tuple(self.levers.cit_regimes)))
        if self.levers.capex_subsidy_max_pct > 0:
            out.append(Variable("capex_subsidy_pct", 0.0, self.levers.capex_subsidy_max_pct))
        return out


def check_space(levers: LeverSpace, provinces: list[str], fields: list[str],
                sectors: list[str]) -> None:
    """One-line errors for a lever space naming key, value and what is allowed."""
    for u in levers.uses:
        if u not in USES:
            raise ConfigError(f"levers.uses contains unknown {u!r}; allowed: {', '.join(USES)}")
    if len(set(levers.uses)) < len(levers.uses):
        raise ConfigError(f"levers.uses={levers.uses} names a budget line twice")
    for r in levers.cit_regimes:
        if r not in CIT_REGIMES:
            raise ConfigError(f"levers.cit_regimes contains unknown {r!r}; allowed: "
                              + ", ".join(CIT_REGIMES))
    for s in levers.incentive_sectors:
        if s != ALL and s not in sectors:
            raise ConfigError(f"levers.incentive_sectors contains unknown {s!r}; allowed: "
                              f"{ALL}, " + ", ".join(sectors))
    if not levers.uses and not levers.cit_regimes and levers.capex_subsidy_max_pct <= 0:
        raise ConfigError("levers: nothing to search; allowed: levers.uses from "
                          f"{', '.join(USES)}, levers.cit_regimes or levers.capex_subsidy_max_pct")
    if not provinces or not fields:
        raise ConfigError("the inputs hold no partner provinces or no cooperation fields")


def _shares(x: dict[str, Any], prefix: str, names: tuple[str, ...] | list[str],
            searched: bool) -> dict[str, float]:
    if not names:
        return {}
    w = {n: float(x[f"{prefix}.{n}"]) if searched else 1.0 for n in names}
    total = sum(w.values())
    if total <= 0:
        return {n: 1.0 / len(names) for n in names}
    return {n: v / total for n, v in w.items()}


def _down(x: float, digits: int) -> float:
    """``x`` rounded down to ``digits`` decimals (float noise such as 14.9999999999 ignored)."""
    scale = 10.0 ** digits
    return math.floor(round(x * scale, 6)) / scale


@dataclass
class Package:
    """A decoded package: its budget split and the scenario levers it sets."""

    total_bn: float  # B, planned bn VND a year
    use_shares: dict[str, float]
    province_shares: dict[str, float]
    field_shares: dict[str, float]
    cit_regime: str | None
    capex_subsidy_pct: float
    levers: dict[str, list[dict[str, Any]]]  # scenario list name → lever entries
    planned_bn: dict[str, float]  # budget line → planned bn VND a year actually spent

    @property
    def planned_total_bn(self) -> float:
        """Planned programme budget a year (bn VND)."""
        return sum(self.planned_bn.values())


def decode(space: Space, x: dict[str, Any]) -> Package:
    """The package of one point of the decision space (see the module docstring).

    Lever amounts are rounded down (budgets to 1 m VND, events to 0.001, DX gains to 1e-5,
    land to 0.01 ha) and the planned budget is computed from the rounded amounts, so a scenario
    file written from a package is exactly what was evaluated and never exceeds the cap.
    """
    lv, bg, uc = space.levers, space.budget, space.costs
    total = bg.cap_bn_per_year * (float(x["total"]) if bg.search_total else 1.0)
    uses = _shares(x, "use", lv.uses, True)
    prov = _shares(x, "province", space.provinces, lv.split_provinces)
    split = lv.split_fields and "agreements" in lv.uses
    flds = _shares(x, "field", space.fields, split)
    window = {"start": lv.start, "end": space.end}
    levers: dict[str, list[dict[str, Any]]] = {}
    planned = {u: 0.0 for u in lv.uses}
    strength = Agreement().initial_strength
    for p, pi in prov.items():
        money = {u: total * s * pi for u, s in uses.items()}
        entries: dict[str, list[dict[str, Any]]] = {}
        if money.get("agreements", 0.0) > 0:
            per_field = {c: _down(money["agreements"] * phi, 3) for c, phi in flds.items()}
            if split:
                entries["agreements"] = [
                    {"provinces": [p], "fields": [c], **window, "initial_strength": strength,
                     "budget_bn_per_year": b} for c, b in per_field.items() if b > 0]
            else:  # the same budget in every field: one entry
                b = _down(money["agreements"] / len(flds), 3)
                per_field = {c: b for c in flds}
                entries["agreements"] = [{"provinces": [p], "fields": [ALL], **window,
                                          "initial_strength": strength,
                                          "budget_bn_per_year": b}] if b > 0 else []
            planned["agreements"] += sum(per_field.values())
        if money.get("promotions", 0.0) > 0 and uc.promotion_event_bn > 0:
            events = _down(money["promotions"] / uc.promotion_event_bn, 3)
            entries["promotions"] = [{"provinces": [p], **window, "events_per_year": events}]
            planned["promotions"] += events * uc.promotion_event_bn
        if money.get("digital", 0.0) > 0 and uc.dx_programme_bn_per_point > 0:
            per_gain = uc.dx_programme_bn_per_point / DX_POINT * space.gap(p)
            gain = _down(min(1.0, money["digital"] / per_gain), 5)
            entries["digital"] = [{"provinces": [p], **window, "dx_gain_per_year": gain,
                                   "firm_readiness_gain_per_year":
                                       _down(min(1.0, gain * READINESS_PER_DX), 5)}]
            planned["digital"] += gain * per_gain
        if money.get("land", 0.0) > 0 and uc.land_development_bn_per_ha > 0:
            ha = _down(money["land"] / uc.land_development_bn_per_ha, 2)
            entries["land"] = [{"provinces": [p], **window, "hectares_per_year": ha}]
            planned["land"] += ha * uc.land_development_bn_per_ha
        for k, v in entries.items():
            if v:
                levers.setdefault(k, []).extend(v)
    regime = str(x["cit_regime"]) if lv.cit_regimes else None
    capex = round(float(x["capex_subsidy_pct"]), 2) if lv.capex_subsidy_max_pct > 0 else 0.0
    if (regime is not None and regime != "none") or capex > 0:
        levers["incentives"] = [{"provinces": [ALL], "sectors": list(lv.incentive_sectors),
                                 **window, "cit_regime": regime or "none",
                                 "capex_subsidy_pct": capex}]
    return Package(total, uses, prov, flds, regime, capex, levers, planned)


def scenario_of(base: ScenarioConfig, package: Package, name: str, description: str
                ) -> ScenarioConfig:
    """The base scenario with the package's levers appended to its lever lists."""
    sc = dataclasses.replace(base, name=name, description=description)
    plain = scenario_dict(sc, package)
    from omegaconf import OmegaConf

    return OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(ScenarioConfig), plain))


def scenario_dict(base: ScenarioConfig, package: Package | None = None) -> dict[str, Any]:
    """A scenario file's content: name, description and every non-empty lever list."""
    out: dict[str, Any] = {"name": base.name, "description": base.description}
    for f in dataclasses.fields(base):
        if f.name in ("name", "description"):
            continue
        entries = [dataclasses.asdict(e) for e in getattr(base, f.name)]
        if package is not None:
            entries += package.levers.get(f.name, [])
        if entries:
            out[f.name] = entries
    return out


def planned_budget(scenario: ScenarioConfig, space: Space) -> dict[str, float]:
    """The planned budget a year of any scenario's levers, priced as packages are.

    Levers that name ``all`` provinces or fields count every partner or field; DX readiness,
    incentives and the other levers are not budget lines. For hand-written scenarios shown next
    to a search, so that they are compared at their own planned budget.
    """
    def provinces(names: list[str]) -> tuple[str, ...]:
        return space.provinces if ALL in names else tuple(names)

    n_fields = len(space.fields)
    uc = space.costs
    out = {u: 0.0 for u in USES}
    for a in scenario.agreements:
        out["agreements"] += (a.budget_bn_per_year * len(provinces(a.provinces))
                              * (n_fields if ALL in a.fields else len(a.fields)))
    for pr in scenario.promotions:
        out["promotions"] += (pr.events_per_year * uc.promotion_event_bn
                              * len(provinces(pr.provinces)))
    for d in scenario.digital:
        out["digital"] += sum(d.dx_gain_per_year / DX_POINT * uc.dx_programme_bn_per_point
                              * space.gap(p) for p in provinces(d.provinces)
                              if p in space.provinces)
    for ls in scenario.land:
        out["land"] += (ls.hectares_per_year * uc.land_development_bn_per_ha
                        * len(provinces(ls.provinces)))
    return out


def describe(package: Package, province_names: dict[str, str]) -> str:
    """One line for a scenario's description and a table."""
    uses = ", ".join(f"{u} {s * 100:.0f} %" for u, s in package.use_shares.items())
    top = sorted(package.province_shares.items(), key=lambda kv: -kv[1])[:3]
    where = ", ".join(f"{province_names.get(p, p)} {s * 100:.0f} %" for p, s in top)
    extra = []
    if package.cit_regime:
        extra.append(f"CIT regime {package.cit_regime}")
    if package.capex_subsidy_pct > 0:
        extra.append(f"capital subsidy {package.capex_subsidy_pct:.1f} %")
    return (f"{package.planned_total_bn:,.1f} bn VND a year planned ({uses}); largest "
            f"shares: {where}" + ("; " + "; ".join(extra) if extra else ""))
