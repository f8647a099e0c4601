"""Loader and validator for the shipped input data of the simulation.

The data folder holds eleven CSV files (see ``README.md`` next to this module):

* ``locations.csv``: one row per place (origin, partners, other provinces, composites);
* ``provinces.csv``: long table ``location, field, value, ...`` of province indicators;
* ``sectors.csv``: long table ``sector, field, value, ...`` of sector parameters;
* ``fields.csv``: the eight cooperation fields;
* ``sector_fields.csv``: the many-to-many map between sectors and cooperation fields;
* ``deflator.csv``, ``road_nodes.csv``, ``road_edges.csv``, ``expressway.csv``,
  ``adjacency.csv``, ``initial_stock.csv``: read by :mod:`simulation.data.geography`.

:func:`load_inputs` reads and validates all of them and returns an :class:`Inputs`
bundle. Every validation failure raises :class:`DataError` with a one-line message that
names the file, the row (header = row 1, first data row = row 2) and the field or column.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.data.geography import (
    load_adjacency,
    load_deflator,
    load_expressway,
    load_initial_stock,
    load_roads,
)
from simulation.data.places import load_locations
from simulation.data.schema import (
    DATED_FIELDS,
    FIELD_COLUMNS,
    FIELDS_FILE,
    FIRST_DATA_ROW,
    HEADER_ROW,
    LOCATIONS_FILE,
    PROVINCE_FACT_COLUMNS,
    PROVINCE_FIELDS,
    PROVINCES_FILE,
    REQUIRED_FIELD_CODES,
    REQUIRED_FILES,
    SECTOR_FACT_COLUMNS,
    SECTOR_FIELD_COLUMNS,
    SECTOR_FIELDS,
    SECTOR_FIELDS_FILE,
    SECTORS_FILE,
    SHARE_SUM_TOLERANCE,
)
from simulation.data.tables import (
    check_unique,
    column_ref,
    read_long,
    read_table,
    require_text,
    where,
)
from simulation.errors import DataError


@dataclass(frozen=True)
class Inputs:
    """Validated input data of the model.

    Attributes:
        locations: One row per location, indexed by ``code`` in file (model) order.
            Columns ``name_en, name_vi, role, lat, lon, new_code, new_name_en,
            new_name_vi, members`` followed by every field of :data:`PROVINCE_FIELDS` as
            float64.
        province_facts: The long ``provinces.csv`` table (``value`` as float64,
            ``estimated`` as int64, other columns as text) for provenance.
        sectors: One row per sector, indexed by sector code in order of first
            appearance in ``sectors.csv``; every field of :data:`SECTOR_FIELDS` as
            float64.
        sector_facts: The long ``sectors.csv`` table, typed like ``province_facts``.
        fields: Cooperation fields indexed by ``code`` with columns ``name_en`` and
            ``name_vi``.
        sector_field: Boolean matrix ``[n_sectors, n_fields]``; True where a sector
            maps to a cooperation field, in the row orders of ``sectors`` and
            ``fields``.
        deflator: GDP deflator by calendar year, 2023 = 1.
        road_nodes: Road nodes indexed by ``node`` (capitals of the locations and
            junctions) with ``name_vi, lat, lon, kind, location``.
        road_edges: Road edges ``a, b, km`` with provenance.
        expressway: Expressway sections: the edge ``a–b`` each shortens, ``km_saved``
            and ``opening_q`` (absolute quarter index of the opening).
        adjacency: Province–province links ``a, b, kind`` (border or regional).
        initial_stock: Operating projects and registered capital (real 2023 bn VND) by
            location and sector at the first recorded quarter (may be empty).
        network_source: The network file (``network_file``) whose province links and roads
            replaced the shipped ones, or None.

    """

    locations: pd.DataFrame
    province_facts: pd.DataFrame
    sectors: pd.DataFrame
    sector_facts: pd.DataFrame
    fields: pd.DataFrame
    sector_field: np.ndarray
    deflator: pd.Series
    road_nodes: pd.DataFrame
    road_edges: pd.DataFrame
    expressway: pd.DataFrame
    adjacency: pd.DataFrame
    initial_stock: pd.DataFrame
    network_source: str | None = None  # a network file that replaced adjacency and roads

    @property
    def location_codes(self) -> list[str]:
        """Location codes in model order."""
        return [str(code) for code in self.locations.index]

    @property
    def sector_codes(self) -> list[str]:
        """Sector codes in model order."""
        return [str(code) for code in self.sectors.index]

    @property
    def field_codes(self) -> list[str]:
        """Cooperation-field codes in model order."""
        return [str(code) for code in self.fields.index]

    @property
    def data_year(self) -> str:
        """Most common reference year of the province facts (the data year of footnotes)."""
        years = self.province_facts["year"].astype(str)
        return str(years[years.str.fullmatch(r"\d{4}")].mode().iloc[0])

    def boundary_map(self) -> pd.DataFrame:
        """Map from model locations to the provincial units after 1 July 2025.

        Returns:
            DataFrame with columns ``code, new_code, new_name_en, new_name_vi``, one
            row per location in model order.

        """
        cols = ["new_code", "new_name_en", "new_name_vi"]
        out = self.locations[cols].copy()
        out.insert(0, "code", self.locations.index.astype(str))
        return out.reset_index(drop=True)


def default_data_dir() -> Path:
    """Return the folder that holds the shipped CSV files.

    Returns:
        The directory of this module, where the package data is installed.

    """
    return Path(__file__).resolve().parent


def load_inputs(data_dir: str | os.PathLike[str] | None = None) -> Inputs:
    """Read and validate all input files.

    Args:
        data_dir: Folder holding the CSV files; defaults to
            :func:`default_data_dir`.

    Returns:
        The validated :class:`Inputs`.

    Raises:
        DataError: If a file is missing, unreadable or violates a rule; the message
            names the file, row and field.

    """
    folder = Path(data_dir) if data_dir is not None else default_data_dir()
    for name in REQUIRED_FILES:
        if not (folder / name).is_file():
            raise DataError(
                f"{name}, row {HEADER_ROW}, column '*': required file is missing "
                f"from the data folder (expected: {', '.join(REQUIRED_FILES)})"
            )

    locations = load_locations(folder)
    province_facts, province_wide = read_long(
        folder,
        PROVINCES_FILE,
        PROVINCE_FACT_COLUMNS,
        key="location",
        required_fields=PROVINCE_FIELDS,
        known_keys=list(locations.index),
        known_keys_file=LOCATIONS_FILE,
        dated_fields=DATED_FIELDS,
    )
    for name in PROVINCE_FIELDS:
        locations[name] = province_wide[name].astype("float64")

    sector_facts, sectors = read_long(
        folder,
        SECTORS_FILE,
        SECTOR_FACT_COLUMNS,
        key="sector",
        required_fields=SECTOR_FIELDS,
        known_keys=None,
        known_keys_file=None,
    )
    _check_share_sum(sectors)

    fields = _load_fields(folder)
    sector_field = _load_sector_fields(folder, list(sectors.index), list(fields.index))
    codes = list(locations.index)
    origin = str(locations.index[locations["role"] == "origin"][0])
    road_nodes, road_edges = load_roads(folder, codes, origin)

    return Inputs(
        locations=locations,
        province_facts=province_facts,
        sectors=sectors,
        sector_facts=sector_facts,
        fields=fields,
        sector_field=sector_field,
        deflator=load_deflator(folder),
        road_nodes=road_nodes,
        road_edges=road_edges,
        expressway=load_expressway(folder, road_edges),
        adjacency=load_adjacency(folder, codes),
        initial_stock=load_initial_stock(folder, codes, list(sectors.index)),
    )


def _check_share_sum(sectors: pd.DataFrame) -> None:
    """Check that sector opportunity shares sum to one.

    Raises:
        DataError: If the sum differs from 1 by more than the tolerance.

    """
    total = float(sectors["opportunity_share"].sum())
    if abs(total - 1.0) > SHARE_SUM_TOLERANCE:
        raise DataError(
            f"{SECTORS_FILE}, row (all), field 'opportunity_share': shares sum to "
            f"{total:.9g}; they must sum to 1 (±{SHARE_SUM_TOLERANCE:g})"
        )


def _load_fields(folder: Path) -> pd.DataFrame:
    """Read and validate ``fields.csv``.

    Returns:
        Fields indexed by code with ``name_en`` and ``name_vi``.

    """
    name = FIELDS_FILE
    table = read_table(folder, name, FIELD_COLUMNS)[list(FIELD_COLUMNS)]
    if table.empty:
        raise DataError(
            f"{where(name, FIRST_DATA_ROW, column_ref('code'))}: no cooperation fields; "
            "at least one row is required"
        )
    require_text(name, table, FIELD_COLUMNS)
    check_unique(name, table, "code")
    for code in REQUIRED_FIELD_CODES:
        if code not in set(table["code"]):
            raise DataError(
                f"{name}, row (none), column 'code': cooperation field '{code}' is missing; "
                "the model needs it (its tie strength raises the probability that a project "
                f"is a modern-technology one); required codes: {', '.join(REQUIRED_FIELD_CODES)}"
            )
    out = table.set_index("code")
    out.index.name = "code"
    return out


def _load_sector_fields(folder: Path, sectors: list[str], fields: list[str]) -> np.ndarray:
    """Read ``sector_fields.csv`` into a boolean sector x field matrix.

    Args:
        folder: Data folder.
        sectors: Sector codes in model order.
        fields: Field codes in model order.

    Returns:
        Boolean matrix ``[len(sectors), len(fields)]``.

    """
    name = SECTOR_FIELDS_FILE
    table = read_table(folder, name, SECTOR_FIELD_COLUMNS)[list(SECTOR_FIELD_COLUMNS)]
    require_text(name, table, SECTOR_FIELD_COLUMNS)
    s_index = {s: i for i, s in enumerate(sectors)}
    f_index = {f: j for j, f in enumerate(fields)}
    matrix = np.zeros((len(sectors), len(fields)), dtype=bool)
    seen: dict[tuple[str, str], int] = {}
    for i, rec in enumerate(table.to_dict("records")):
        row = i + FIRST_DATA_ROW
        sec, fld = rec["sector"], rec["field"]
        if sec not in s_index:
            raise DataError(
                f"{where(name, row, column_ref('sector'))}: unknown sector '{sec}'; must "
                f"be a sector in {SECTORS_FILE}"
            )
        if fld not in f_index:
            raise DataError(
                f"{where(name, row, column_ref('field'))}: unknown field '{fld}'; must be "
                f"a code in {FIELDS_FILE}"
            )
        if (sec, fld) in seen:
            raise DataError(
                f"{where(name, row, column_ref('field'))}: duplicate pair ('{sec}', "
                f"'{fld}'), first at row {seen[(sec, fld)]}"
            )
        seen[(sec, fld)] = row
        matrix[s_index[sec], f_index[fld]] = True
    for sec, i in s_index.items():
        if not matrix[i].any():
            raise DataError(
                f"{name}, row (none), column 'sector': sector '{sec}' maps to no "
                "cooperation field; every sector needs at least one row"
            )
    for fld, j in f_index.items():
        if not matrix[:, j].any():
            raise DataError(
                f"{name}, row (none), column 'field': cooperation field '{fld}' is "
                "reached by no sector; every field needs at least one row"
            )
    return matrix
