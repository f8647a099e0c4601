"""Phase 7's taxes of every operating project in one compiled pass (numba), same numbers.

:func:`simulation.model.accounts.taxes` chains some forty numpy calls over the operating
projects; a batch of replications has eight times as many, and the arithmetic over them (each
call a pass through memory) was a sixth of its time. :func:`tax_grids` computes each project's
taxes with the formulas of :mod:`simulation.model.rules.fiscal` in the same order of
operations, element by element (IEEE arithmetic, no fast-math, so no fused multiply-add), and
adds them into each (place × sector) bin in row order as ``np.bincount`` does, one bin array per
call of ``Recorder.add_revenue``: the grids are those of the numpy path to the bit
(``tests/test_batch.py`` runs both). Without numba the numpy path runs.
"""

from __future__ import annotations

import importlib.util

#: numba is installed (a dependency; without it the numpy path runs, with the same numbers)
AVAILABLE = importlib.util.find_spec("numba") is not None

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


_compiled = None


def tax_grids(*args) -> None:  # noqa: ANN002 - the arguments of _tax_grids
    """:func:`_tax_grids`, compiled.

    numba is imported and the machine code loaded (or compiled) at the first call of a
    process, so that processes that never step a model never pay for it.
    """
    global _compiled
    if _compiled is None:
        from numba import njit

        _compiled = njit(cache=True, fastmath=False)(_tax_grids)
    _compiled(*args)
