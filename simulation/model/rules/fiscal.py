"""Taxes on operating projects (MODEL_SPEC §7). Flows are per year; taxes are booked per quarter."""

import numpy as np


def cit_rate(age_years: np.ndarray, standard: np.ndarray, rate: np.ndarray, years: np.ndarray,
             exempt: np.ndarray, half: np.ndarray) -> np.ndarray:
    """CIT rate of a project by years since it started operating.

    A regime gives ``rate`` for ``years`` years (``standard`` afterwards), fully exempt for the
    first ``exempt`` years and halved for the next ``half`` years.
    """
    base = np.where(age_years < years, rate, standard)
    factor = np.where(age_years < exempt, 0.0, np.where(age_years < exempt + half, 0.5, 1.0))
    return base * factor


def eatr(standard: float, rate: float, years: int, exempt: int, half: int,
         discount: float, horizon: int) -> float:
    """Present-value weighted effective CIT rate over a horizon, in the units of the rates."""
    ages = np.arange(horizon)
    d = (1.0 + discount) ** -ages
    r = cit_rate(ages, np.float64(standard), np.float64(rate), np.float64(years),
                 np.float64(exempt), np.float64(half))
    return float((d * r).sum() / d.sum())


def project_flows(capital: np.ndarray, jobs: np.ndarray, wage: np.ndarray,
                  turnover_per_bn: np.ndarray, va_share: np.ndarray,
                  depreciation: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Annual turnover, value added and taxable profit (bn VND) of operating projects."""
    turnover = capital * turnover_per_bn
    va = turnover * va_share
    profit = np.maximum(va - jobs * wage - capital * depreciation, 0.0)
    return turnover, va, profit


def eatr_reductions(standard: np.ndarray, rate: np.ndarray, years: np.ndarray,
                    exempt: np.ndarray, half: np.ndarray, discount: float, horizon: int
                    ) -> np.ndarray:
    """ΔEATR in percentage points per (regime, sector): standard rate minus the regime's EATR.

    Args:
        standard: (S,) standard CIT rate of each sector.
        rate, years, exempt, half: (R,) the regimes by code; regime 0 is no incentive.
        discount: discount rate per year.
        horizon: years of the present value.
    """
    out = np.zeros((len(rate), len(standard)))
    for r in range(1, len(rate)):
        for s in range(len(standard)):
            std = standard[s]
            eff = eatr(std, min(rate[r], std), int(years[r]), int(exempt[r]), int(half[r]),
                       discount, horizon)
            out[r, s] = 100.0 * (std - eff)
    return out


def productivity(modern: np.ndarray, modern_productivity: float) -> np.ndarray:
    """Turnover multiplier: ``modern_productivity`` for modern-technology projects, else 1."""
    return np.where(modern, modern_productivity, 1.0)


def corporate_tax(profit: np.ndarray, age_years: np.ndarray, standard: np.ndarray,
                  rate: np.ndarray, years: np.ndarray, exempt: np.ndarray, half: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Quarterly CIT on an annual profit under each project's regime, and at the standard rate.

    The regime's preferential rate never exceeds the sector's standard rate; the difference of
    the two taxes is the tax expenditure of the incentive.
    """
    r = cit_rate(age_years, standard, np.minimum(rate, standard), years, exempt, half)
    return r * profit / 4.0, standard * profit / 4.0


def host_share(subsidiary: np.ndarray, at_home: np.ndarray, dependent_host_share: float
               ) -> np.ndarray:
    """Share of a project's CIT paid in its host province.

    A subsidiary (or a project at home) pays all of it there; a dependent unit of an HCMC
    company splits it with HCMC by cost share (Circular 80/2021).
    """
    return np.where(subsidiary | at_home, 1.0, dependent_host_share)


def vat(vat_rate: np.ndarray, value_added: np.ndarray, export_share: np.ndarray) -> np.ndarray:
    """Quarterly VAT on annual value added; exports are zero-rated."""
    return vat_rate * value_added * (1.0 - export_share) / 4.0


def pit(rate: float, jobs: np.ndarray, wage: np.ndarray | float) -> np.ndarray:
    """Quarterly PIT at an effective rate on the annual wage bill ``jobs · wage``."""
    return rate * jobs * wage / 4.0


def land_rent(land_ha: np.ndarray, rent: np.ndarray, age_years: np.ndarray,
              exempt_years: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Quarterly land rent due and paid: nothing is paid in the regime's exempt years.

    Returns:
        Rent due (area · annual rate / 4) and rent paid; their difference is tax expenditure.
    """
    due = land_ha * rent / 4.0
    return due, np.where(age_years < exempt_years, 0.0, due)
