"""Parameters of ties, governments, network layers, programme costs and the 2025 reform.

MODEL_SPEC §§2, 8, 13.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulation.config.fields import ASSUMPTION, P


@dataclass
class TiesConfig:
    """Cooperation ties (MODEL_SPEC §8)."""

    initial_strength: float = P(0.12, 0.0, 1.0, "-", "pre-2023 programme: mostly information "
                                "sharing (conference 2023)")
    eta_activity: float = P(0.06, 0.0, 1.0, "per quarter", ASSUMPTION)
    eta_success: float = P(0.10, 0.0, 1.0, "per quarter", ASSUMPTION)
    eta_failure: float = P(0.10, 0.0, 1.0, "per quarter", ASSUMPTION)
    decay_half_life_years: float = P(3.0, 2.0, 5.0, "years", "half-life without activity "
                                     "(MODEL_SPEC §10: 2–5 years); decay scales with 1 − activity")
    activity_budget_bn: float = P(1.0, 0.001, 1e3, "bn VND per field per quarter", "b0 of "
                                  "activity = 1 − exp(−budget/b0): diminishing returns, no cap "
                                  "(estimate)")
    dx_activity_boost: float = P(0.5, 0.0, 5.0, "per unit DX", "online meetings and shared "
                                 "platforms stretch budgets (assumption)")
    base_budget_bn_per_year: float = P(1.6, 0.0, 1e4, "bn VND per partner per year",
                                       "HCMC + province programme budget before 2023 (estimate)")
    level1_strength: float = P(0.1, 0.0, 1.0, "-", "information sharing above this strength "
                               "(or while an agreement is in force); below it the tie lapses")
    level2_strength: float = P(0.35, 0.0, 1.0, "-", "joint programmes above this strength")
    level3_strength: float = P(0.6, 0.0, 1.0, "-", "implemented projects above this strength "
                               "and ≥1 operating project in the field")


@dataclass
class GovernmentConfig:
    """Province agents: promotion and digital transformation."""

    promotion_half_life_quarters: float = P(3.0, 2.0, 4.0, "quarters", "MODEL_SPEC §9: 2–4")
    base_promotion_events_per_year: float = P(0.5, 0.0, 50.0, "events per partner per year",
                                              "pre-2023 trade/investment promotion (estimate)")
    dx_growth_per_year: float = P(0.04, 0.0, 1.0, "share of gap to 1 per year",
                                  "national DX programme (Decision 749/QĐ-TTg; estimate); also "
                                  "back-casts the dated DX index before its data year")
    discretion: float = P(0.3, 0.0, 1.0, "share of the cooperation budget", "what a partner "
                          "reallocates each year across fields, promotion and DX by its "
                          "adaptive rule; the rest follows the scenario (assumption)")
    adapt_speed: float = P(0.5, 0.0, 1.0, "share per year", "how far the allocation moves "
                           "toward the rule's target each year (assumption)")


@dataclass
class NetworkConfig:
    """The layers of the cooperation network (MODEL_SPEC §2); one switch per layer."""

    agreement_ties: bool = True  # HCMC–province ties act on firms (consideration, information,
    # licensing, pauses); false: agreements change nothing through ties
    province_links: bool = True  # tie strength and experience spill over to neighbours
    peer_effects: bool = True  # firms learn from peers operating in a province
    road_graph: bool = True  # distances are shortest paths on the road graph (false: the
    # data's road_km, and transport levers change nothing)
    tie_spillover: float = P(0.15, 0.0, 1.0, "-", "σ_W: share of neighbours' mean tie "
                             "strength that spills over (assumption)")
    experience_spillover: float = P(0.2, 0.0, 1.0, "-", "σ_E: share of a firm's experience in "
                                    "neighbouring provinces that counts as information "
                                    "(assumption)")
    border_weight: float = P(1.0, 0.0, 10.0, "-", "weight of a shared border")
    regional_weight: float = P(0.5, 0.0, 10.0, "-", "weight of a regional agreement")
    peer_mean_degree: float = P(8.0, 0.0, 100.0, "peers per firm", "supplier, customer and "
                                "association ties (Mizuno et al.: ~6.5 listed trade links; "
                                "plus association peers)")
    peer_tail_exponent: float = P(1.5, 1.05, 5.0, "-", "CCDF exponent of the degree "
                                  "distribution (production networks 1–1.5)")
    peer_homophily: float = P(0.45, 0.0, 1.0, "share of ties within the sector", "blend of "
                              "association ties (~0.7) and supplier ties (~0.2)")


@dataclass
class CostConfig:
    """Unit costs and who pays them (the programme's cost side, MODEL_SPEC §7)."""

    hcmc_share_of_budget: float = P(0.5, 0.0, 1.0, "-", "HCMC's share of a cooperation "
                                    "budget; the partner pays the rest (assumption)")
    promotion_event_bn: float = P(0.5, 0.01, 100.0, "bn VND per event", "a joint trade and "
                                  "investment promotion event (estimate)")
    dx_programme_bn_per_point: float = P(2.0, 0.01, 1e4, "bn VND per 0.01 of DX gap closed",
                                         "platform and e-government spending (estimate)")
    land_development_bn_per_ha: float = P(1.5, 0.0, 100.0, "bn VND per ha", "site clearance "
                                          "and infrastructure of new park land (estimate)")


@dataclass
class ReformConfig:
    """The 1 July 2025 provincial reform (Resolution 202/2025/QH15) inside the model."""

    enabled: bool = True  # false: the pre-2025 provinces act on to the horizon
    quarter: str = "2025Q3"  # first quarter on the new units
    hcmc_retention_from_2026: float = P(0.21, 0.0, 1.0, "share", "merged HCMC's retention of "
                                        "shared revenue from 2026: not yet published; ESTIMATE "
                                        "kept at the 2022–2025 rate (Resolution 34/2021/QH15)")
