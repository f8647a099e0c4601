"""Policy levers (MODEL_SPEC §9): what planners choose, scheduled in a scenario.

A scenario file under ``configs/scenario/`` sets a name, a description and lists of levers;
:func:`simulation.model.policy.compile_schedule` turns them into per-quarter parameter paths.
Lever strengths carry their unit, range and source like the behavioural parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulation.config.params import P

ALL = "all"  # in a list of provinces, sectors, fields or sections: every one of them
LEVER_GROUPS = ("agreements", "incentives", "promotions", "digital", "land", "transport",
                "human_capital", "potential", "fiscal", "matchmaking", "associations",
                "regional")
CIT_REGIMES = ("none", "park", "difficult", "special")  # codes 0..3 of a CIT incentive regime



@dataclass
class Agreement:
    """Cooperation agreement in some fields with some partners (sets level 1, strength, budget)."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    fields: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q2"
    end: str = "2025Q4"
    initial_strength: float = P(0.2, 0.0, 1.0, "-", "w := max(w, this) at signature")
    budget_bn_per_year: float = P(2.0, 0.0, 1e4, "bn VND per province per field per year",
                                  "HCMC + province activity budget (estimate)")


@dataclass
class Incentive:
    """Investment incentives for projects licensed in the window."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    sectors: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q2"
    end: str = "2025Q4"
    cit_regime: str = "special"  # one of: none, park, difficult, special
    capex_subsidy_pct: float = P(0.0, 0.0, 50.0, "% of capital", "provincial support")


@dataclass
class Promotion:
    """Trade / investment / tourism promotion events."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q2"
    end: str = "2025Q4"
    events_per_year: float = P(2.0, 0.0, 100.0, "events per province per year", "programme plan")


@dataclass
class DigitalTransformation:
    """Shared investment-information platform, e-government."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q2"
    end: str = "2025Q4"
    dx_gain_per_year: float = P(0.08, 0.0, 1.0, "share of gap to 1 per year", "programme plan")
    firm_readiness_gain_per_year: float = P(0.05, 0.0, 1.0, "share of gap to 1 per year",
                                            "platform use by HCMC firms (assumption)")


@dataclass
class LandSupply:
    """Additional industrial-park land opened to investors."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q2"
    end: str = "2025Q4"
    hectares_per_year: float = P(20.0, 0.0, 1e5, "ha per province per year", "IP plans")


@dataclass
class Transport:
    """Expressway sections on the road graph (``simulation/data/expressway.csv``).

    Each listed section shortens its road edge by its travel-time-equivalent km from its
    opening quarter (the data's, or ``opening`` for all listed sections); every destination
    whose shortest path uses the edge gains. Sections opened before the first recorded quarter
    are part of every scenario.
    """

    sections: list[str] = field(default_factory=lambda: [ALL])  # section names, or all
    opening: str | None = None  # None: each section's own opening quarter (data)


@dataclass
class HumanCapital:
    """S&T, education and health cooperation."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q2"
    end: str = "2025Q4"
    gain_per_year: float = P(0.02, 0.0, 1.0, "share of gap to 1 per year", "assumption")


@dataclass
class SectorPotential:
    """Tourism and agriculture cooperation: sector potential multiplied."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    sectors: list[str] = field(default_factory=lambda: ["tourism", "agri_food"])
    start: str = "2023Q2"
    end: str = "2025Q4"
    multiplier: float = P(1.2, 0.1, 10.0, "multiplier on M_sp", "assumption")


@dataclass
class FiscalRule:
    """Budget retention and legal-form rules from `start` on."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q1"
    retention_rate: float = P(1.0, 0.0, 1.0, "-", "share of shared revenue retained locally")


@dataclass
class Matchmaking:
    """Matchmaking events: each links HCMC firms with a partner (firm–province edges)."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    sectors: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q2"
    end: str = "2025Q4"
    events_per_year: float = P(2.0, 0.0, 100.0, "events per province per year", "programme "
                               "plan (estimate)")
    firms_per_event: float = P(40.0, 0.0, 1e5, "real firms met per event", "business-matching "
                               "sessions of 20–60 firms (estimate)")


@dataclass
class Associations:
    """Business-association events: HCMC firms meet peers operating in a partner.

    They add firm–firm edges to the peer layer.
    """

    provinces: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q2"
    end: str = "2025Q4"
    events_per_year: float = P(2.0, 0.0, 100.0, "events per province per year", "estimate")
    links_per_event: float = P(40.0, 0.0, 1e5, "new firm–firm ties per event (real firms)",
                               "estimate")


@dataclass
class RegionalAgreement:
    """A partner–partner agreement: province–province edges among the listed provinces."""

    provinces: list[str] = field(default_factory=lambda: [ALL])
    start: str = "2023Q2"
    weight: float = P(1.0, 0.0, 10.0, "-", "edge weight (a shared border weighs 1)")


@dataclass
class ScenarioConfig:
    """A policy scenario: a name and lists of scheduled levers (MODEL_SPEC §9)."""

    name: str = "baseline"
    description: str = "Cooperation as it was before 2023 (no new agreements)."
    agreements: list[Agreement] = field(default_factory=list)
    incentives: list[Incentive] = field(default_factory=list)
    promotions: list[Promotion] = field(default_factory=list)
    digital: list[DigitalTransformation] = field(default_factory=list)
    land: list[LandSupply] = field(default_factory=list)
    transport: list[Transport] = field(default_factory=list)
    human_capital: list[HumanCapital] = field(default_factory=list)
    potential: list[SectorPotential] = field(default_factory=list)
    fiscal: list[FiscalRule] = field(default_factory=list)
    matchmaking: list[Matchmaking] = field(default_factory=list)
    associations: list[Associations] = field(default_factory=list)
    regional: list[RegionalAgreement] = field(default_factory=list)
