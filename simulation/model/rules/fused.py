"""Phases 6 and 7 over every operating project in compiled passes (numba), same numbers.

:func:`simulation.model.accounts.taxes` chains some forty numpy calls over the operating
projects; a batch of replications has eight times as many, and the arithmetic over them (each
call a pass through memory) was a sixth of its time. :func:`tax_grids` computes each project's
taxes with the formulas of :mod:`simulation.model.rules.fiscal` in the same order of
operations, element by element (IEEE arithmetic, no fast-math, so no fused multiply-add), and
adds them into each (place × sector) bin in row order as ``np.bincount`` does, one bin array per
call of ``Recorder.add_revenue``: the grids are those of the numpy path to the bit
(``tests/test_batch.py`` runs both). Phase 6's jobs are computed the same way in two passes
(:func:`wanted_jobs`, then the places' fill rates in numpy, then :func:`job_grids`). Without
numba the numpy path runs.
"""

from __future__ import annotations

import importlib.util

#: numba is installed (a dependency; without it the numpy path runs, with the same numbers)
AVAILABLE = importlib.util.find_spec("numba") is not None
#: the phases take the compiled passes (tests switch it off to run the numpy paths)
ON = AVAILABLE

# rows of the grids :func:`tax_grids` fills, in the order ``accounts.taxes`` books them
CIT_HOST, CIT_HOME, VAT, PIT, PIT_LINKED, LAND = 0, 3, 6, 8, 10, 12
N_GRIDS = 15


def _tax_grids(op, loc, sec, reg, modern, subsidiary, disbursed, land_ha, t_operating,  # noqa: ANN001, PLR0913
               utilisation, direct, place_rep, home_of_rep, wage, retain, land_rent,
               turnover_per_bn, va_share, depreciation, cit_standard, vat_rate, export_share,
               hcmc_job_share, r_rate, r_years, r_exempt, r_half, r_land_exempt, quarter,
               modern_productivity, dependent_host_share, pit_effective, hcmc_wage, n_sectors,
               grids, te):
    """Add every operating project's taxes into ``grids`` (N_GRIDS, L·S) and ``te`` (3, L).

    ``te`` rows: CIT tax expenditure where the host share is booked, at HCMC, land rent
    forgone. Arguments are the ledger's columns (rows ``op``), the places' and sectors' tables
    and the regimes' (see ``accounts.taxes``).
    """
    S = n_sectors
    for i in range(op.size):
        row = op[i]
        lo, s, g = loc[row], sec[row], reg[row]
        h = home_of_rep[place_rep[lo]]
        w = wage[lo]
        cap = disbursed[row]
        tpb = turnover_per_bn[s] * (modern_productivity if modern[row] else 1.0)
        va = cap * tpb * utilisation[i] * va_share[s]
        p = va - direct[i] * w - cap * depreciation[s]
        profit = p if (p > 0.0 or p != p) else 0.0  # np.maximum(p, 0.0)
        age = (quarter - t_operating[row]) // 4
        std = cit_standard[s]
        rate = r_rate[g]
        low = rate if (rate < std or rate != rate) else std  # np.minimum(rate, std)
        if std != std:
            low = std
        base = low if age < r_years[g] else std
        factor = 0.0 if age < r_exempt[g] else (0.5 if age < r_exempt[g] + r_half[g] else 1.0)
        cit = base * factor * profit / 4.0
        cit_std = std * profit / 4.0
        host = 1.0 if (subsidiary[row] or lo == h) else dependent_host_share
        for k in range(2):
            where = lo if k == 0 else h
            share = host if k == 0 else 1.0 - host
            at = where * S + s
            g0 = CIT_HOST if k == 0 else CIT_HOME
            paid = cit * share
            grids[g0, at] += paid
            grids[g0 + 1, at] += paid * retain[where]
            forgone = (cit_std - cit) * share
            grids[g0 + 2, at] += forgone
            te[k, where] += forgone
        at = lo * S + s
        vat = vat_rate[s] * va * (1.0 - export_share[s]) / 4.0
        grids[VAT, at] += vat
        grids[VAT + 1, at] += vat * retain[lo]
        pit = pit_effective * direct[i] * w / 4.0
        grids[PIT, at] += pit
        grids[PIT + 1, at] += pit * retain[lo]
        if lo != h:
            linked = pit_effective * (direct[i] * hcmc_job_share[s]) * hcmc_wage / 4.0
            grids[PIT_LINKED, h * S + s] += linked
            grids[PIT_LINKED + 1, h * S + s] += linked * retain[h]
        due = land_ha[row] * land_rent[lo] / 4.0
        rent = 0.0 if age < r_land_exempt[g] else due
        grids[LAND, at] += rent
        grids[LAND + 1, at] += rent
        grids[LAND + 2, at] += due - rent
        te[2, lo] += due - rent


def _wanted_jobs(op, loc, sec, disbursed, t_operating, quarter, ramp_quarters,  # noqa: ANN001
                 jobs_per_bn, wanted, ramp, demand):
    """Phase 6's first pass: each project's ramp and wanted jobs, summed per place.

    ``ramp = min(1, (age + 1) / ramp_quarters)``, ``wanted = disbursed · jobs per bn · ramp``
    (:mod:`simulation.model.rules.jobs`); ``demand`` gets them in row order (``np.bincount``).
    """
    for i in range(op.size):
        row = op[i]
        x = (quarter - t_operating[row] + 1) / ramp_quarters
        r = 1.0 if 1.0 < x else x  # np.minimum(1.0, x)
        ramp[i] = r
        wanted[i] = disbursed[row] * jobs_per_bn[sec[row]] * r
        demand[loc[row]] += wanted[i]


def _job_grids(op, loc, sec, wanted, ramp, fill, local_multiplier, multiplier_scale,  # noqa: ANN001
               hcmc_job_share, place_rep, home_of_rep, n_sectors, grids, direct, utilisation):
    """Phase 6's second pass: direct jobs as filled, local indirect and HCMC-linked jobs.

    ``grids`` (3, L·S) gets them per (place, sector) bin in row order, one bin array per kind
    (as ``Recorder.add_jobs``); ``direct`` and ``utilisation = ramp · fill`` per project.
    """
    S = n_sectors
    for i in range(op.size):
        row = op[i]
        lo, s = loc[row], sec[row]
        d = wanted[i] * fill[lo]
        direct[i] = d
        grids[0, lo * S + s] += d
        grids[1, lo * S + s] += d * (local_multiplier[s] * multiplier_scale)
        h = home_of_rep[place_rep[lo]]
        if lo != h:
            grids[2, h * S + s] += d * hcmc_job_share[s]
        utilisation[i] = ramp[i] * fill[lo]


_compiled: dict = {}


def _kernel(fn):  # noqa: ANN001, ANN202
    """``fn`` compiled by numba, when first called.

    numba is imported and the machine code loaded (or compiled) at the first call of a
    process, so that processes that never step a model never pay for it.
    """
    def call(*args) -> None:  # noqa: ANN002
        if fn not in _compiled:
            from numba import njit

            _compiled[fn] = njit(cache=True, fastmath=False)(fn)
        _compiled[fn](*args)
    call.__doc__ = f":func:`{fn.__name__}`, compiled."
    return call


tax_grids = _kernel(_tax_grids)
wanted_jobs = _kernel(_wanted_jobs)
job_grids = _kernel(_job_grids)
