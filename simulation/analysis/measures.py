"""Reporting units and the two reported measures of a comparison.

:func:`aggregate` sums the quarterly series of :func:`simulation.analysis.kpis.run_series` into
reporting units on pre- or post-2025 provincial boundaries and adds the nine partners' total and
the national total (every modelled location: scenario − baseline there is the national net
effect, the partners' gain minus what is diverted from elsewhere);
:func:`measures` derives the two reported measures of every indicator (at the horizon, cumulated
over a window); :func:`over_time` gives one indicator's path. Aggregating into the provinces of
1 July 2025, or into the partners' total, preserves totals exactly.
"""

from __future__ import annotations

import pandas as pd

from simulation.analysis.kpis import KPI_BY_NAME, KPIS, RUN_KEYS, SERIES
from simulation.data import Inputs
from simulation.timeline import parse_quarter, parse_quarters

PARTNERS = "partners"  # pseudo-location: the nine partner provinces together
PARTNERS_NAME = "Nine partner provinces"
NATIONAL = "national"  # pseudo-location: every modelled location (the whole country)
NATIONAL_NAME = "Whole country (all modelled locations)"
TOTALS = (PARTNERS, NATIONAL)  # pseudo-locations that are sums of units, not units
BOUNDARIES = ("pre2025", "post2025")


def locations(inputs: Inputs, boundaries: str) -> pd.DataFrame:
    """Reporting units of a boundary set, in display order.

    Args:
        inputs: the model inputs (locations and their 1 July 2025 units).
        boundaries: ``pre2025`` (the model's locations) or ``post2025`` (provinces after the
            merger of 1 July 2025, from :meth:`Inputs.boundary_map`).

    Returns:
        Columns ``code`` (model location), ``unit`` (reporting unit), ``name``, ``role`` and
        ``partner``, one row per model location.
    """
    loc = inputs.locations
    bmap = inputs.boundary_map().set_index("code")
    if boundaries == "pre2025":
        unit, name = list(loc.index), list(loc["name_vi"])
    elif boundaries == "post2025":
        unit, name = list(bmap.loc[loc.index, "new_code"]), list(bmap.loc[loc.index,
                                                                          "new_name_vi"])
    else:
        raise ValueError(f"boundaries={boundaries!r}; allowed: {', '.join(BOUNDARIES)}")
    return pd.DataFrame({"code": list(loc.index), "unit": unit, "name": name,
                         "role": list(loc["role"]), "partner": list(loc["role"] == "partner")})


def aggregate(series: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Sum quarterly series into reporting units; add the partners' and the national total.

    Args:
        series: rows of :func:`run_series` (any number of runs).
        units: from :func:`locations`.

    Returns:
        The same columns, with ``location`` holding reporting units (plus :data:`PARTNERS` and
        :data:`NATIONAL`).
    """
    keys = RUN_KEYS + ["quarter"]
    to_unit = dict(zip(units["code"], units["unit"], strict=True))
    by_unit = (series.assign(location=series["location"].map(to_unit))
               .groupby(keys + ["location"], sort=False)[SERIES].sum().reset_index())
    partners = set(units.loc[units["partner"], "code"])
    total = (series[series["location"].isin(partners)].groupby(keys, sort=False)[SERIES].sum()
             .reset_index().assign(location=PARTNERS))
    national = (series.groupby(keys, sort=False)[SERIES].sum().reset_index()
                .assign(location=NATIONAL))
    return pd.concat([by_unit, total[by_unit.columns], national[by_unit.columns]],
                     ignore_index=True)


def unit_names(units: pd.DataFrame) -> dict[str, str]:
    """Reporting unit → display name, in display order.

    Origin, partners, the partners' total, the other regions, the national total.
    """
    first = units.drop_duplicates("unit")
    names: dict[str, str] = {}
    for roles in (["origin"], ["partner"], [], ["province", "composite"]):
        if not roles:
            names[PARTNERS] = PARTNERS_NAME
        rows = first[first["role"].isin(roles)]
        names.update(zip(rows["unit"], rows["name"], strict=True))
    names[NATIONAL] = NATIONAL_NAME
    return names


def measures(series: pd.DataFrame, window_start: str, horizon: str) -> pd.DataFrame:
    """The two reported measures of every indicator, per run and location.

    Args:
        series: quarterly series (from :func:`run_series` or :func:`aggregate`).
        window_start: first quarter of the cumulative window (e.g. ``2023Q2``).
        horizon: last quarter reported.

    Returns:
        Long table ``scenario, replication, seed, location, kpi, measure, value``.
    """
    q = parse_quarters(series["quarter"])
    h, w0 = parse_quarter(horizon), parse_quarter(window_start)
    keys = RUN_KEYS + ["location"]
    at_h = series[q == h].set_index(keys)
    last_year = series[(q > h - 4) & (q <= h)].groupby(keys, sort=False)[SERIES].sum()
    window = series[(q >= w0) & (q <= h)].groupby(keys, sort=False)[SERIES].sum()
    parts = []
    for k in KPIS:
        horizon_value = last_year[k.name] if k.flow else at_h[k.name]
        if k.flow:
            cumulative = window[k.name]
        elif k.entered:
            cumulative = window[k.entered]
        else:
            cumulative = window[k.name] / 4.0
        for measure, values in (("horizon", horizon_value), ("cumulative", cumulative)):
            parts.append(values.rename("value").reset_index().assign(kpi=k.name,
                                                                     measure=measure))
    out = pd.concat(parts, ignore_index=True)
    return out[keys + ["kpi", "measure", "value"]]


def over_time(series: pd.DataFrame, kpi: str, location: str, window_start: str,
              horizon: str) -> pd.DataFrame:
    """Quarterly path of one indicator at one reporting unit, per run, over the window.

    Stocks are levels; flows are cumulated from ``window_start``, so every path reads as "so
    far" and ends at the cumulative measure.

    Returns:
        Columns ``scenario, replication, seed, quarter, value``.
    """
    k = KPI_BY_NAME[kpi]
    q = pd.Series(parse_quarters(series["quarter"]), index=series.index)
    w0, h = parse_quarter(window_start), parse_quarter(horizon)
    sub = series[(series["location"] == location) & (q >= w0) & (q <= h)]
    sub = sub[RUN_KEYS + ["quarter", k.name]].assign(_q=q).sort_values(RUN_KEYS + ["_q"])
    value = sub.groupby(RUN_KEYS, sort=False)[k.name].cumsum() if k.flow else sub[k.name]
    return sub.assign(value=value)[RUN_KEYS + ["quarter", "value"]].reset_index(drop=True)
