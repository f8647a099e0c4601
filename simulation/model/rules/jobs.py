"""Jobs of operating projects (MODEL_SPEC §7): direct jobs ramp up, multipliers add the rest."""

import numpy as np


def ramp(age_quarters: np.ndarray, ramp_quarters: int) -> np.ndarray:
    """Share of full output and employment ``age`` quarters after opening (linear ramp).

    ``age_quarters`` is 0 in the quarter the project opens (ramp ``1/ramp_quarters``).
    """
    return np.minimum(1.0, (np.asarray(age_quarters) + 1) / ramp_quarters)


def direct(disbursed: np.ndarray, jobs_per_bn: np.ndarray, age_quarters: np.ndarray,
           ramp_quarters: int) -> np.ndarray:
    """Direct jobs a project wants: ``disbursed K · jobs per bn VND · ramp`` (real 2023 VND)."""
    return disbursed * jobs_per_bn * ramp(age_quarters, ramp_quarters)


def local_indirect(direct_jobs: np.ndarray, local_multiplier: np.ndarray,
                   multiplier_scale: float) -> np.ndarray:
    """Local indirect jobs through the sector's local multiplier (scaled)."""
    return direct_jobs * (local_multiplier * multiplier_scale)


def linked(direct_jobs: np.ndarray, hcmc_job_share: np.ndarray) -> np.ndarray:
    """Supplier and headquarters jobs an away project creates in HCMC."""
    return direct_jobs * hcmc_job_share
