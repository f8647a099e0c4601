"""Figure-ready tables from a results folder: paths, flows, ties and sectors per boundary set.

Everything here is arithmetic on the saved tables (sums over locations into reporting units,
means over replications, paired differences); nothing is re-run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulation.analysis import kpis, measures
from simulation.analysis.paired import interval
from simulation.figures.source import Folder
from simulation.timeline import parse_quarter, parse_quarters

RUN_KEYS = kpis.RUN_KEYS


def units(folder: Folder, boundaries: str) -> pd.DataFrame:
    """Reporting units of a boundary set (see :func:`simulation.measures.locations`)."""
    return measures.locations(folder.inputs, boundaries)


def partner_units(folder: Folder, boundaries: str) -> list[str]:
    """Partner reporting units in display order (north to south)."""
    u = units(folder, boundaries)
    lat = folder.inputs.locations["lat"]
    first = u[u["partner"]].drop_duplicates("unit")
    return sorted(first["unit"], key=lambda unit: -lat[u.loc[u["unit"] == unit,
                                                              "code"]].mean())


def aggregated(folder: Folder, boundaries: str) -> pd.DataFrame:
    """Quarterly series summed into the units of ``boundaries``, with the two totals.

    The partners' total and the national total are added as pseudo-locations.
    """
    key = f"aggregated_{boundaries}"
    if key not in folder.cache:
        folder.cache[key] = measures.aggregate(folder.series, units(folder, boundaries))
    return folder.cache[key]


def paths(folder: Folder, agg: pd.DataFrame, kpi: str, locations: list[str]) -> pd.DataFrame:
    """Path of one indicator at some units over the window (flows cumulated from its start).

    Returns:
        Columns ``scenario, replication, seed, quarter, location, value``.
    """
    parts = [measures.over_time(agg, kpi, loc, folder.meta["window_start"],
                            folder.meta["horizon"]).assign(location=loc) for loc in locations]
    return pd.concat(parts, ignore_index=True)


def _window(df: pd.DataFrame, folder: Folder) -> pd.DataFrame:
    q = parse_quarters(df["quarter"])
    lo, hi = parse_quarter(folder.meta["window_start"]), parse_quarter(folder.meta["horizon"])
    return df[(q >= lo) & (q <= hi)]


def flows(folder: Folder, boundaries: str, scenario: str) -> pd.Series:
    """Capital registered over the window by unit (mean over replications), VND bn."""
    agg = _window(aggregated(folder, boundaries), folder)
    agg = agg[(agg["scenario"] == scenario) & ~agg["location"].isin(measures.TOTALS)]
    per_run = agg.groupby(RUN_KEYS + ["location"])["registered_bn"].sum()
    return per_run.groupby("location").mean()


def _to_units(df: pd.DataFrame, folder: Folder, boundaries: str) -> pd.DataFrame:
    to_unit = dict(zip(units(folder, boundaries)["code"], units(folder, boundaries)["unit"],
                       strict=True))
    return df.assign(location=df["location"].astype(str).map(to_unit))


def ties_by_place(folder: Folder) -> pd.DataFrame:
    """The ties table with a row for every place a unit covers.

    From the 1 July 2025 reform the ties of a merged unit (e.g. Ninh Bình) are those of each of
    its former provinces (Hà Nam): on pre-2025 boundaries each place shows its unit's ties.
    """
    key = "ties_by_place"
    if key not in folder.cache:
        t = folder.ties.astype({"location": str})
        bmap = folder.inputs.boundary_map()
        codes = set(bmap["code"])
        members = [(c, n) for c, n in zip(bmap["code"], bmap["new_code"], strict=True)
                   if n in codes and n != c]
        copies = [t[t["location"] == unit].assign(location=place) for place, unit in members]
        keys = [c for c in t.columns if c not in ("strength", "level", "activity",
                                                  "felt_strength")]
        folder.cache[key] = (pd.concat([t, *copies], ignore_index=True)
                             .drop_duplicates(keys, keep="first"))
    return folder.cache[key]


def ties_at(folder: Folder, boundaries: str, scenario: str) -> pd.DataFrame:
    """Unit × field tie strength at the horizon (mean over replications and merged partners)."""
    t = ties_by_place(folder)
    t = t[(t["scenario"].astype(str) == scenario)
          & (t["quarter"].astype(str) == folder.meta["horizon"])]
    t = _to_units(t, folder, boundaries)
    return t.pivot_table(index="location", columns="field", values="strength",
                         aggfunc="mean", observed=True)


def quarterly_flows(folder: Folder, boundaries: str, scenario: str
                    ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Quarter × partner unit: capital registered in the quarter and mean tie strength.

    Both are means over replications (ties also over fields and merged partners).
    """
    agg = aggregated(folder, boundaries)
    partners = partner_units(folder, boundaries)
    sub = agg[(agg["scenario"] == scenario) & agg["location"].isin(partners)]
    capital = sub.pivot_table(index="quarter", columns="location", values="registered_bn",
                              aggfunc="mean").reindex(columns=partners)
    t = ties_by_place(folder)
    t = _to_units(t[t["scenario"].astype(str) == scenario], folder, boundaries)
    strength = t.pivot_table(index="quarter", columns="location", values="strength",
                             aggfunc="mean", observed=True).reindex(columns=partners)
    strength.index = strength.index.astype(str)
    return capital.sort_index(), strength.reindex(capital.index)


def sector_levels(folder: Folder, boundaries: str, scenario: str, kpi: str) -> pd.DataFrame:
    """Partner unit × sector: a flow summed over the window or a stock at the horizon.

    Means over replications; units in display order, sectors in model order.
    """
    s = folder.sectors
    s = _to_units(s[s["scenario"].astype(str) == scenario], folder, boundaries)
    flow = kpis.KPI_BY_NAME[kpi].flow
    s = _window(s, folder) if flow else s[s["quarter"].astype(str) == folder.meta["horizon"]]
    per_run = s.groupby(RUN_KEYS + ["location", "sector"], observed=True)[kpi].sum()
    table = per_run.groupby(["location", "sector"], observed=True).mean().unstack("sector")
    partners = partner_units(folder, boundaries)
    return table.reindex(index=partners, columns=folder.inputs.sector_codes).fillna(0.0)


def sector_differences(folder: Folder, kpi: str) -> pd.DataFrame:
    """Scenario − baseline by sector for the partners' total, paired by replication.

    Returns:
        Columns ``scenario, sector, difference, diff_low, diff_high`` (interval as in the
        comparison: level and method from the folder's manifest).
    """
    s = folder.sectors
    partners = folder.inputs.locations.index[folder.inputs.locations["role"] == "partner"]
    s = s[s["location"].astype(str).isin(partners)]
    flow = kpis.KPI_BY_NAME[kpi].flow
    s = _window(s, folder) if flow else s[s["quarter"].astype(str) == folder.meta["horizon"]]
    wide = (s.groupby(["scenario", "replication", "sector"], observed=True)[kpi].sum()
            .unstack("replication"))
    base = wide.xs(folder.meta["baseline"], level="scenario")
    rows = []
    for sc in folder.meta["scenarios"][1:]:
        d = (wide.xs(sc, level="scenario") - base).reindex(folder.inputs.sector_codes)
        lo, hi = interval(d.to_numpy(float), folder.meta.get("level", 0.9),
                          folder.meta.get("interval", "t"))
        rows.append(pd.DataFrame({"scenario": sc, "sector": d.index,
                                  "difference": d.mean(axis=1).to_numpy(), "diff_low": lo,
                                  "diff_high": hi}))
    return pd.concat(rows, ignore_index=True)


def sweep_cells(folder: Folder, kpi: str, measure: str, params: list[str],
                level: float = 0.9) -> pd.DataFrame:
    """Mean over seeds (and over unlisted swept parameters) of the partners' total.

    Returns:
        One row per setting of ``params``: the values, ``mean``, ``low``, ``high``, ``n``.
    """
    m = folder.sweep
    m = m[(m["location"] == measures.PARTNERS) & (m["kpi"] == kpi) & (m["measure"] == measure)]
    rows = []
    for values, grp in m.groupby(params, dropna=False):
        v = grp["value"].to_numpy(float)[None, :]
        lo, hi = interval(v, level, "t") if v.shape[1] > 1 else ([np.nan], [np.nan])
        key = values if isinstance(values, tuple) else (values,)
        rows.append({**dict(zip(params, key, strict=True)), "mean": float(v.mean()),
                     "low": float(lo[0]), "high": float(hi[0]), "n": v.shape[1]})
    return pd.DataFrame(rows)


def network_layers(folder: Folder) -> dict | None:
    """The network figure's inputs at the run's last quarter, from its graph and tables.

    Returns:
        None when the folder has no network (see ``folder.network_missing``), else ``nodes``,
        ``road``, ``province``, ``agreement`` (the graph's tables; every location node with its
        ``unit`` and ``partner_now`` in that quarter, taken from the locations table and the
        agreement edges when the graph predates those attributes), ``km`` (place → effective
        road km from HCMC), ``reach`` (place → share of HCMC firms with a peer operating
        there) and ``summary`` (``mean_degree``, ``max_degree``, ``clustering`` of the peers).
    """
    net = folder.network
    if net is None:
        return None
    horizon = folder.meta["horizon"]
    loc = net["locations"]
    loc = loc[loc["quarter"].astype(str) == horizon]
    nodes = net["nodes"].copy()
    places = nodes.index[nodes["kind"] == "location"]
    if "unit" not in nodes:
        unit = dict(zip(loc["site"].astype(str), loc["location"].astype(str), strict=True))
        nodes.loc[places, "unit"] = [unit.get(str(c), str(c)) for c in places]
    if "partner_now" not in nodes:
        nodes.loc[places, "partner_now"] = places.isin(net["agreement"]["v"])
    m = net["metrics"].astype({"quarter": str, "layer": str, "node": str, "metric": str})
    peers = m[(m["quarter"] == horizon) & (m["layer"] == "peers")]
    reach = peers[peers["metric"] == "share_with_peer_present"].set_index("node")["value"]
    summary = peers[peers["node"] == "all"].set_index("metric")["value"].to_dict()
    return {"nodes": nodes, "road": net["road"], "province": net["province"],
            "agreement": net["agreement"],
            "km": dict(zip(loc["site"].astype(str), loc["road_km"].astype(float), strict=True)),
            "reach": reach, "summary": summary}
