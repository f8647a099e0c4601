"""Taxes on operating projects (MODEL_SPEC §7). Flows are per year; the model books /4."""

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
