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


def project_flows(capital: np.ndarray, utilisation: np.ndarray, jobs: np.ndarray,
                  wage: np.ndarray, turnover_per_bn: np.ndarray, va_share: np.ndarray,
                  depreciation: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Annual turnover, value added and taxable profit (bn VND) of operating projects.

    Output ramps up with the same utilisation as jobs (ramp after opening × the share of
    wanted jobs filled); depreciation runs on the whole disbursed capital. Profit is floored
    at zero (no loss carry-forward).

    Args:
        capital: disbursed capital (bn VND).
        utilisation: ramp × fill in [0, 1].
        jobs: direct jobs (already ramped and filled).
        wage: local wage (bn VND per worker-year).
        turnover_per_bn, va_share, depreciation: sector parameters.
    """
    turnover = capital * turnover_per_bn * utilisation
    va = turnover * va_share
    profit = np.maximum(va - jobs * wage - capital * depreciation, 0.0)
    return turnover, va, profit


def profit_path(va_per_bn: np.ndarray, jobs_per_bn: np.ndarray, depreciation: np.ndarray,
                wage: np.ndarray, ramp_quarters: int, horizon: int) -> np.ndarray:
    """Annual taxable profit per bn VND of disbursed capital, by year of operation.

    The same flows as :func:`project_flows` for a project that hires all it wants: output and
    jobs ramp up linearly over ``ramp_quarters`` (the year's mean ramp), depreciation does not.

    Returns:
        (horizon, L, S) profit per bn VND and year for places with ``wage`` (L,) and sectors
        (S,).
    """
    q = np.arange(4 * horizon).reshape(horizon, 4)
    ramp = np.minimum(1.0, (q + 1) / ramp_quarters).mean(axis=1)  # (A,)
    margin = va_per_bn[None, :] - jobs_per_bn[None, :] * wage[:, None]  # (L, S)
    return np.maximum(ramp[:, None, None] * margin[None] - depreciation[None, None, :], 0.0)


def eatr_reductions(standard: np.ndarray, rate: np.ndarray, years: np.ndarray,
                    exempt: np.ndarray, half: np.ndarray, profit: np.ndarray, discount: float
                    ) -> np.ndarray:
    """ΔEATR in percentage points per (regime, place, sector) on the fiscal block's own profit.

    ``100 · PV(standard tax − regime tax) / PV(profit)`` over the profit path, so a holiday in
    years of low profit (the ramp-up) is worth less, and nothing where there is no profit.

    Args:
        standard: (S,) standard CIT rate of each sector.
        rate, years, exempt, half: (R,) the regimes by code; regime 0 is no incentive.
        profit: (A, L, S) annual profit per bn VND by year of operation (:func:`profit_path`).
        discount: discount rate per year.
    """
    ages = np.arange(profit.shape[0])
    d = (1.0 + discount) ** -ages
    pv_profit = np.einsum("a,als->ls", d, profit)
    out = np.zeros((len(rate),) + profit.shape[1:])
    for r in range(1, len(rate)):
        reg = cit_rate(ages[:, None], standard[None, :], np.minimum(rate[r], standard)[None, :],
                       years[r], exempt[r], half[r])  # (A, S)
        saved = np.einsum("a,as,als->ls", d, standard[None, :] - reg, profit)
        out[r] = 100.0 * np.divide(saved, pv_profit, out=np.zeros_like(saved),
                                   where=pv_profit > 0)
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
