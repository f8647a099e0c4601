"""The tables beside the province facts: deflator, roads, expressways, adjacency, stock.

They hold the GDP deflator, the road graph and its expressway sections, province adjacency and
the initial stock of HCMC-firm projects.

Each reader checks its file and raises :class:`~simulation.errors.DataError` with one line naming
the file, the row (header = row 1) and the column, like the other input tables.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from simulation.data.schema import (
    ADJACENCY_COLUMNS,
    ADJACENCY_FILE,
    ADJACENCY_KINDS,
    DEFLATOR_COLUMNS,
    DEFLATOR_FILE,
    ESTIMATE_PREFIX,
    EXPRESSWAY_COLUMNS,
    EXPRESSWAY_FILE,
    FIRST_DATA_ROW,
    INITIAL_STOCK_COLUMNS,
    INITIAL_STOCK_FILE,
    LOCATIONS_FILE,
    ROAD_EDGE_COLUMNS,
    ROAD_EDGES_FILE,
    ROAD_NODE_COLUMNS,
    ROAD_NODE_KINDS,
    ROAD_NODES_FILE,
)
from simulation.data.tables import column_ref, read_table, require_text, to_number, where
from simulation.errors import DataError
from simulation.timeline import parse_quarter


def _numbers(name: str, table: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    out = table.copy()
    for col in columns:
        out[col] = [to_number(name, i + FIRST_DATA_ROW, column_ref(col), text, col)
                    for i, text in enumerate(table[col])]
        out[col] = out[col].astype("float64")
    return out


def _estimated(name: str, table: pd.DataFrame) -> None:
    """``estimated`` is 0 or 1, and an estimate's source says how it was made."""
    for i, rec in enumerate(table.to_dict("records")):
        flag = to_number(name, i + FIRST_DATA_ROW, column_ref("estimated"), rec["estimated"],
                         "estimated")
        if flag == 1.0 and not rec["source"].startswith(ESTIMATE_PREFIX):
            raise DataError(f"{where(name, i + FIRST_DATA_ROW, column_ref('source'))}: "
                            f"estimated row must have a source starting with '{ESTIMATE_PREFIX}'")


def _member_of(name: str, table: pd.DataFrame, column: str, allowed: list[str],
               what: str) -> None:
    for i, value in enumerate(table[column]):
        if value not in allowed:
            shown = ", ".join(allowed[:12]) + (", ..." if len(allowed) > 12 else "")
            raise DataError(f"{where(name, i + FIRST_DATA_ROW, column_ref(column))}: unknown "
                            f"{what} '{value}'; allowed: {shown}")


def load_deflator(folder: Path) -> pd.Series:
    """GDP deflator by calendar year, 2023 = 1 (real 2023 VND = nominal / deflator)."""
    name = DEFLATOR_FILE
    table = read_table(folder, name, DEFLATOR_COLUMNS)
    require_text(name, table, ("year", "source"))
    _estimated(name, table)
    years = []
    for i, text in enumerate(table["year"]):
        if not text.isdigit():
            raise DataError(f"{where(name, i + FIRST_DATA_ROW, column_ref('year'))}: '{text}' "
                            "is not a calendar year")
        if int(text) in years:
            raise DataError(f"{where(name, i + FIRST_DATA_ROW, column_ref('year'))}: duplicate "
                            f"year {text}")
        years.append(int(text))
    values = _numbers(name, table, ("deflator_2023_base",))["deflator_2023_base"]
    for i, v in enumerate(values):
        if v <= 0:
            raise DataError(f"{where(name, i + FIRST_DATA_ROW, column_ref('deflator_2023_base'))}"
                            f": deflator {v} must be positive")
    if 2023 not in years or abs(float(values[years.index(2023)]) - 1.0) > 1e-9:
        raise DataError(f"{name}, row (none), column 'deflator_2023_base': the base year 2023 "
                        "must be present with value 1")
    return pd.Series(values.to_numpy(), index=pd.Index(years, name="year"), name="deflator")


def load_roads(folder: Path, locations: list[str], origin: str | None = None
               ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Road nodes (capitals and junctions) and road edges with km.

    Every location needs exactly one capital node; edges join two different known nodes with
    positive km, one edge per pair of nodes; when ``origin`` (the origin location) is given,
    every capital must be reachable from the origin's capital.
    """
    name = ROAD_NODES_FILE
    nodes = read_table(folder, name, ROAD_NODE_COLUMNS)[list(ROAD_NODE_COLUMNS)]
    require_text(name, nodes, ("node", "name_vi", "kind"))
    nodes = _numbers(name, nodes, ("lat", "lon"))
    _member_of(name, nodes, "kind", list(ROAD_NODE_KINDS), "node kind")
    seen: dict[str, int] = {}
    for i, node in enumerate(nodes["node"]):
        if node in seen:
            raise DataError(f"{where(name, i + FIRST_DATA_ROW, column_ref('node'))}: duplicate "
                            f"node '{node}' (first at row {seen[node]})")
        seen[node] = i + FIRST_DATA_ROW
    capitals = nodes[nodes["kind"] == "capital"]
    _member_of(name, capitals.reset_index(drop=True), "location", locations, "location")
    for code in locations:
        n = int((capitals["location"] == code).sum())
        if n != 1:
            raise DataError(f"{name}, row (none), column 'location': location '{code}' of "
                            f"{LOCATIONS_FILE} needs exactly one capital node (found {n})")
    name = ROAD_EDGES_FILE
    edges = read_table(folder, name, ROAD_EDGE_COLUMNS)[list(ROAD_EDGE_COLUMNS)]
    require_text(name, edges, ("a", "b", "source"))
    _estimated(name, edges)
    node_list = list(nodes["node"])
    _member_of(name, edges, "a", node_list, f"node (see {ROAD_NODES_FILE})")
    _member_of(name, edges, "b", node_list, f"node (see {ROAD_NODES_FILE})")
    edges = _numbers(name, edges, ("km",))
    for i, km in enumerate(edges["km"]):
        if km <= 0:
            raise DataError(f"{where(name, i + FIRST_DATA_ROW, column_ref('km'))}: road km {km} "
                            "must be positive")
    first: dict[frozenset[str], int] = {}
    for i, (a, b) in enumerate(zip(edges["a"], edges["b"], strict=True)):
        row = i + FIRST_DATA_ROW
        if a == b:
            raise DataError(f"{where(name, row, column_ref('b'))}: edge joins node '{a}' to "
                            "itself; an edge needs two different nodes")
        pair = frozenset((a, b))
        if pair in first:
            raise DataError(f"{where(name, row, column_ref('b'))}: duplicate edge {a}–{b}, first "
                            f"at row {first[pair]} (edges are undirected); keep one edge per "
                            "pair of nodes")
        first[pair] = row
    if origin is not None:
        _check_reachable(nodes, edges, origin)
    return nodes.set_index("node"), edges


def _check_reachable(nodes: pd.DataFrame, edges: pd.DataFrame, origin: str) -> None:
    """Every place's capital node can be reached on the road graph from the origin's."""
    neighbours: dict[str, set[str]] = {str(n): set() for n in nodes["node"]}
    for a, b in zip(edges["a"], edges["b"], strict=True):
        neighbours[a].add(b)
        neighbours[b].add(a)
    capital = {loc: (str(node), i + FIRST_DATA_ROW) for i, (node, kind, loc) in
               enumerate(zip(nodes["node"], nodes["kind"], nodes["location"], strict=True))
               if kind == "capital"}
    start = capital[origin][0]
    seen, todo = {start}, [start]
    while todo:
        for nxt in neighbours[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    for loc, (node, row) in capital.items():
        if node not in seen:
            raise DataError(f"{where(ROAD_NODES_FILE, row, column_ref('location'))}: place "
                            f"'{loc}' (node '{node}') cannot be reached by road from the origin "
                            f"'{origin}' (node '{start}'); add an edge in {ROAD_EDGES_FILE} that "
                            "connects it")


def load_expressway(folder: Path, edges: pd.DataFrame) -> pd.DataFrame:
    """Expressway sections: the road edge each shortens, km saved and the opening quarter."""
    name = EXPRESSWAY_FILE
    table = read_table(folder, name, EXPRESSWAY_COLUMNS)[list(EXPRESSWAY_COLUMNS)]
    require_text(name, table, ("segment", "a", "b", "opening", "source"))
    _estimated(name, table)
    table = _numbers(name, table, ("km_saved",))
    km = {frozenset((a, b)): k for a, b, k in zip(edges["a"], edges["b"], edges["km"],
                                                  strict=True)}
    opening = []
    for i, rec in enumerate(table.to_dict("records")):
        row = i + FIRST_DATA_ROW
        edge = frozenset((rec["a"], rec["b"]))
        if edge not in km:
            raise DataError(f"{where(name, row, column_ref('b'))}: no road edge "
                            f"{rec['a']}–{rec['b']} in {ROAD_EDGES_FILE}")
        try:
            opening.append(parse_quarter(rec["opening"]))
        except ValueError:
            raise DataError(f"{where(name, row, column_ref('opening'))}: '{rec['opening']}' is "
                            "not a calendar quarter such as 2023Q2") from None
    saved = table.groupby([table[["a", "b"]].min(axis=1), table[["a", "b"]].max(axis=1)])
    for (a, b), part in saved:
        if part["km_saved"].sum() >= km[frozenset((a, b))]:
            raise DataError(f"{name}, row (all), column 'km_saved': sections on {a}–{b} save "
                            f"{part['km_saved'].sum():g} km of its {km[frozenset((a, b))]:g} km; "
                            "they must save less than the edge's length")
    table["opening_q"] = opening
    return table


def load_adjacency(folder: Path, locations: list[str]) -> pd.DataFrame:
    """Province–province links: shared borders and regional cooperation agreements.

    One row per unordered pair and kind (a pair may carry both kinds; the model takes the
    larger weight).
    """
    name = ADJACENCY_FILE
    table = read_table(folder, name, ADJACENCY_COLUMNS)[list(ADJACENCY_COLUMNS)]
    require_text(name, table, ("a", "b", "kind", "source"))
    _member_of(name, table, "a", locations, "location")
    _member_of(name, table, "b", locations, "location")
    _member_of(name, table, "kind", list(ADJACENCY_KINDS), "link kind")
    first: dict[tuple[frozenset[str], str], int] = {}
    for i, rec in enumerate(table.to_dict("records")):
        row = i + FIRST_DATA_ROW
        if rec["a"] == rec["b"]:
            raise DataError(f"{where(name, row, column_ref('b'))}: a location "
                            f"cannot be linked to itself ('{rec['a']}')")
        link = (frozenset((rec["a"], rec["b"])), rec["kind"])
        if link in first:
            raise DataError(f"{where(name, row, column_ref('b'))}: duplicate {rec['kind']} link "
                            f"{rec['a']}–{rec['b']}, first at row {first[link]} (links are "
                            "undirected, so b–a repeats a–b); keep one row per pair and kind")
        first[link] = row
    return table


def load_initial_stock(folder: Path, locations: list[str], sectors: list[str]
                       ) -> pd.DataFrame:
    """Operating HCMC-firm projects and capital at the first recorded quarter.

    Registered capital in real 2023 bn VND, by location and sector. May be empty (no stock).
    """
    name = INITIAL_STOCK_FILE
    table = read_table(folder, name, INITIAL_STOCK_COLUMNS)[list(INITIAL_STOCK_COLUMNS)]
    if table.empty:
        return table.assign(projects=pd.Series(dtype=float), registered_bn=pd.Series(dtype=float))
    require_text(name, table, ("location", "sector", "source"))
    _estimated(name, table)
    _member_of(name, table, "location", locations, "location")
    _member_of(name, table, "sector", sectors, "sector")
    dup = table.duplicated(["location", "sector"])
    if dup.any():
        i = int(dup.to_numpy().nonzero()[0][0])
        raise DataError(f"{where(name, i + FIRST_DATA_ROW, column_ref('sector'))}: duplicate "
                        "row for this location and sector")
    return _numbers(name, table, ("projects", "registered_bn"))
