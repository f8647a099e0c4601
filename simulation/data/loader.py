"""Loader and validator for the shipped input data of the simulation.

The data folder holds five CSV files (see ``README.md`` next to this module):

* ``locations.csv``: one row per model location (origin, partners, composites);
* ``provinces.csv``: long table ``location, field, value, ...`` of province indicators;
* ``sectors.csv``: long table ``sector, field, value, ...`` of sector parameters;
* ``fields.csv``: the eight cooperation fields;
* ``sector_fields.csv``: the many-to-many map between sectors and cooperation fields.

:func:`load_inputs` reads and validates all of them and returns an :class:`Inputs`
bundle. Every validation failure raises :class:`DataError` with a one-line message that
names the file, the row (header = row 1, first data row = row 2) and the field or column.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = [
    "BINARY_FIELDS",
    "FIELDS_FILE",
    "LOCATIONS_FILE",
    "LOCATION_COLUMNS",
    "LOCATION_ROLES",
    "PROVINCES_FILE",
    "PROVINCE_FIELDS",
    "PROVINCE_FACT_COLUMNS",
    "REQUIRED_FILES",
    "SECTORS_FILE",
    "SECTOR_FACT_COLUMNS",
    "SECTOR_FIELDS",
    "SECTOR_FIELDS_FILE",
    "UNIT_INTERVAL_FIELDS",
    "DataError",
    "Inputs",
    "default_data_dir",
    "load_inputs",
]

LOCATIONS_FILE = "locations.csv"
PROVINCES_FILE = "provinces.csv"
SECTORS_FILE = "sectors.csv"
FIELDS_FILE = "fields.csv"
SECTOR_FIELDS_FILE = "sector_fields.csv"
REQUIRED_FILES: tuple[str, ...] = (
    LOCATIONS_FILE,
    PROVINCES_FILE,
    SECTORS_FILE,
    FIELDS_FILE,
    SECTOR_FIELDS_FILE,
)

LOCATION_COLUMNS: tuple[str, ...] = (
    "code",
    "name_en",
    "name_vi",
    "role",
    "lat",
    "lon",
    "new_code",
    "new_name_en",
    "new_name_vi",
)
LOCATION_ROLES: tuple[str, ...] = ("origin", "partner", "near", "far")
PROVINCE_FACT_COLUMNS: tuple[str, ...] = (
    "location",
    "field",
    "value",
    "unit",
    "year",
    "source",
    "estimated",
    "note",
)
SECTOR_FACT_COLUMNS: tuple[str, ...] = (
    "sector",
    "field",
    "value",
    "unit",
    "source",
    "estimated",
    "note",
)
FIELD_COLUMNS: tuple[str, ...] = ("code", "name_en", "name_vi")
SECTOR_FIELD_COLUMNS: tuple[str, ...] = ("sector", "field")

#: Numeric province indicators every location must have (one row each).
PROVINCE_FIELDS: tuple[str, ...] = (
    "population",
    "area_km2",
    "grdp_bn",
    "grdp_growth_pct",
    "budget_revenue_bn",
    "road_km",
    "ip_land_vacant_ha",
    "tourist_arrivals_m",
    "wage_bn_per_year",
    "dx_index",
    "admin_capacity",
    "human_capital",
    "land_rent_bn_per_ha_year",
    "retention_rate",
    "incentive_zone",
)

#: Numeric sector parameters every sector must have (one row each).
SECTOR_FIELDS: tuple[str, ...] = (
    "opportunity_share",
    "size_factor",
    "size_max_bn",
    "jobs_per_bn",
    "land_ha_per_bn",
    "needs_ip_land",
    "construction_quarters",
    "turnover_per_bn",
    "va_share",
    "depreciation_rate",
    "export_share",
    "vat_rate",
    "soft_info",
    "local_multiplier",
    "hcmc_job_share",
    "modern_tech_eligible",
    "encouraged",
    "cit_rate_standard",
    "pot_grdp",
    "pot_population",
    "pot_tourism",
    "pot_ip_land",
    "pot_area",
)

#: Fields (and the ``estimated`` flag column) whose values must lie in [0, 1].
UNIT_INTERVAL_FIELDS: frozenset[str] = frozenset(
    {
        "dx_index",
        "admin_capacity",
        "human_capital",
        "retention_rate",
        "export_share",
        "va_share",
        "opportunity_share",
        "hcmc_job_share",
        "depreciation_rate",
        "vat_rate",
        "cit_rate_standard",
        "estimated",
    }
)

#: Fields (and the ``estimated`` flag column) whose values must be exactly 0 or 1.
BINARY_FIELDS: frozenset[str] = frozenset(
    {"needs_ip_land", "modern_tech_eligible", "encouraged", "estimated"}
)

#: Allowed values of the ``incentive_zone`` province field.
INCENTIVE_ZONES: frozenset[int] = frozenset({0, 1, 2})

#: Tolerance for the sum of ``opportunity_share`` over sectors.
SHARE_SUM_TOLERANCE = 1e-6

#: Prefix that the ``source`` of every estimated row must carry.
ESTIMATE_PREFIX = "ESTIMATE:"

_HEADER_ROW = 1
_FIRST_DATA_ROW = 2


class DataError(Exception):
    """Invalid or unreadable input data.

    The message is one line naming the file, the row (header = row 1, first data
    row = row 2) and the field or column concerned, and says what is allowed.
    """


@dataclass(frozen=True)
class Inputs:
    """Validated input data of the model.

    Attributes:
        locations: One row per location, indexed by ``code`` in file (model) order.
            Columns ``name_en, name_vi, role, lat, lon, new_code, new_name_en,
            new_name_vi`` followed by every field of :data:`PROVINCE_FIELDS` as
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

    """

    locations: pd.DataFrame
    province_facts: pd.DataFrame
    sectors: pd.DataFrame
    sector_facts: pd.DataFrame
    fields: pd.DataFrame
    sector_field: np.ndarray

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
        data_dir: Folder holding the five CSV files; defaults to
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
                f"{name}, row {_HEADER_ROW}, column '*': required file is missing "
                f"from the data folder (expected: {', '.join(REQUIRED_FILES)})"
            )

    locations = _load_locations(folder)
    province_facts, province_wide = _load_long(
        folder,
        PROVINCES_FILE,
        PROVINCE_FACT_COLUMNS,
        key="location",
        required_fields=PROVINCE_FIELDS,
        known_keys=list(locations.index),
        known_keys_file=LOCATIONS_FILE,
    )
    for name in PROVINCE_FIELDS:
        locations[name] = province_wide[name].astype("float64")

    sector_facts, sectors = _load_long(
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

    return Inputs(
        locations=locations,
        province_facts=province_facts,
        sectors=sectors,
        sector_facts=sector_facts,
        fields=fields,
        sector_field=sector_field,
    )


# --------------------------------------------------------------------- helpers


def _where(name: str, row: int, what: str) -> str:
    """Format the location part of an error message."""
    return f"{name}, row {row}, {what}"


def _col(column: str) -> str:
    """Describe a column for an error message."""
    return f"column '{column}'"


def _fld(field_name: str) -> str:
    """Describe a field of a long table for an error message."""
    return f"field '{field_name}'"


COL_ANY = _col("*")


def _read_table(folder: Path, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """Read one CSV file as text and check its header.

    Args:
        folder: Data folder.
        name: File name inside ``folder``.
        columns: Required column names.

    Returns:
        The table with every cell as a stripped string; extra columns are kept.

    Raises:
        DataError: If the file cannot be read, is not UTF-8 CSV, or lacks a column.

    """
    path = folder / name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(
            f"{_where(name, _HEADER_ROW, COL_ANY)}: file cannot be read ({exc.strerror})"
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw.count(b"\n", 0, exc.start) + 1
        raise DataError(
            f"{_where(name, row, COL_ANY)}: file is not UTF-8 text "
            f"(byte offset {exc.start}); expected a comma-separated UTF-8 CSV file"
        ) from exc
    if "\x00" in text:
        row = text.count("\n", 0, text.index("\x00")) + 1
        raise DataError(
            f"{_where(name, row, COL_ANY)}: file contains NUL bytes; "
            "expected a comma-separated UTF-8 CSV file"
        )
    if not text.strip():
        raise DataError(
            f"{_where(name, _HEADER_ROW, COL_ANY)}: file is empty; expected a "
            f"header with columns {', '.join(columns)}"
        )
    header = [c.strip() for c in next(csv.reader(io.StringIO(text)), [])]
    for col in columns:
        if col not in header:
            found = ", ".join(header)
            found = found if len(found) <= 80 else found[:77] + "..."
            raise DataError(
                f"{_where(name, _HEADER_ROW, _col(col))}: required column is "
                f"missing (required: {', '.join(columns)}; found: {found}); the file "
                "must be comma-separated with a header row"
            )
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        match = re.search(r"line (\d+)", str(exc))
        row = int(match.group(1)) if match else _HEADER_ROW
        raise DataError(
            f"{_where(name, row, COL_ANY)}: malformed CSV row "
            f"({str(exc).strip().splitlines()[-1]}); expected {len(header)} "
            "comma-separated columns"
        ) from exc
    except (ValueError, csv.Error, pd.errors.EmptyDataError) as exc:
        raise DataError(
            f"{_where(name, _HEADER_ROW, COL_ANY)}: file cannot be parsed as CSV ({exc})"
        ) from exc
    table.columns = [str(c).strip() for c in table.columns]
    return table.fillna("").apply(lambda s: s.astype(str).str.strip())


def _require_text(name: str, table: pd.DataFrame, columns: tuple[str, ...]) -> None:
    """Check that the given text columns are non-empty in every row.

    Raises:
        DataError: On the first empty cell.

    """
    for i, values in enumerate(table.to_dict("records")):
        for col in columns:
            if values.get(col, "") == "":
                raise DataError(
                    f"{_where(name, i + _FIRST_DATA_ROW, _col(col))}: empty "
                    "value; a non-empty text is required"
                )


def _to_number(name: str, row: int, what: str, text: str, field: str) -> float:
    """Convert one cell to a finite float and check field-specific bounds.

    Args:
        name: File name for messages.
        row: 1-based row number (header = 1).
        what: Field/column description for messages.
        text: Cell text.
        field: Field name used to select the bounds.

    Returns:
        The value as float.

    Raises:
        DataError: If the value is empty, not a number, not finite or out of bounds.

    """
    where = _where(name, row, what)
    if text == "":
        raise DataError(f"{where}: empty value; a number is required")
    try:
        value = float(text)
    except ValueError:
        raise DataError(f"{where}: '{text}' is not a number") from None
    if math.isnan(value):
        raise DataError(f"{where}: value is NaN; a number is required")
    if math.isinf(value):
        raise DataError(f"{where}: value is infinite; a finite number is required")
    if field == "lat":
        if not -90.0 <= value <= 90.0:
            raise DataError(f"{where}: latitude {value} outside [-90, 90]")
        return value
    if field == "lon":
        if not -180.0 <= value <= 180.0:
            raise DataError(f"{where}: longitude {value} outside [-180, 180]")
        return value
    if value < 0:
        raise DataError(f"{where}: negative value {text}; must be >= 0")
    if field in UNIT_INTERVAL_FIELDS and value > 1:
        raise DataError(f"{where}: value {text} outside [0, 1]")
    if field in BINARY_FIELDS and value not in (0.0, 1.0):
        raise DataError(f"{where}: value {text} not allowed; must be 0 or 1")
    if field == "incentive_zone" and value not in INCENTIVE_ZONES:
        raise DataError(f"{where}: value {text} not allowed; must be 0, 1 or 2")
    if field == "soft_info" and value < 1:
        raise DataError(f"{where}: value {text} below 1; soft_info must be >= 1")
    return value


def _check_unique(name: str, table: pd.DataFrame, column: str) -> None:
    """Check that a code column has no duplicates.

    Raises:
        DataError: Naming the row of the second occurrence.

    """
    seen: dict[str, int] = {}
    for i, code in enumerate(table[column]):
        row = i + _FIRST_DATA_ROW
        if code in seen:
            raise DataError(
                f"{_where(name, row, _col(column))}: duplicate code '{code}' "
                f"(first at row {seen[code]}); codes must be unique"
            )
        seen[code] = row


def _load_locations(folder: Path) -> pd.DataFrame:
    """Read and validate ``locations.csv``.

    Returns:
        Locations indexed by code with text columns and float ``lat``/``lon``.

    """
    name = LOCATIONS_FILE
    table = _read_table(folder, name, LOCATION_COLUMNS)[list(LOCATION_COLUMNS)]
    if table.empty:
        raise DataError(
            f"{_where(name, _FIRST_DATA_ROW, _col('code'))}: no locations; at least "
            "one origin row is required"
        )
    text_cols = tuple(c for c in LOCATION_COLUMNS if c not in ("lat", "lon"))
    _require_text(name, table, text_cols)
    _check_unique(name, table, "code")

    origins: list[int] = []
    for i, role in enumerate(table["role"]):
        row = i + _FIRST_DATA_ROW
        if role not in LOCATION_ROLES:
            raise DataError(
                f"{_where(name, row, _col('role'))}: role '{role}' not allowed; "
                f"must be one of {', '.join(LOCATION_ROLES)}"
            )
        if role == "origin":
            origins.append(row)
    if len(origins) != 1:
        rows = ", ".join(str(r) for r in origins) or "none"
        row = origins[1] if len(origins) > 1 else _FIRST_DATA_ROW
        raise DataError(
            f"{_where(name, row, _col('role'))}: exactly one location must have role "
            f"'origin' (found {len(origins)}; rows: {rows})"
        )

    out = table.copy()
    for col in ("lat", "lon"):
        out[col] = [
            _to_number(name, i + _FIRST_DATA_ROW, _col(col), text, col)
            for i, text in enumerate(table[col])
        ]
        out[col] = out[col].astype("float64")
    out = out.set_index("code")
    out.index.name = "code"
    return out


def _load_long(
    folder: Path,
    name: str,
    columns: tuple[str, ...],
    *,
    key: str,
    required_fields: tuple[str, ...],
    known_keys: list[str] | None,
    known_keys_file: str | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read and validate a long ``key, field, value, ...`` table.

    Args:
        folder: Data folder.
        name: File name.
        columns: Required columns.
        key: Name of the entity column (``location`` or ``sector``).
        required_fields: Fields every entity must have exactly once.
        known_keys: Allowed entity codes in model order, or None to take the order of
            first appearance in the file.
        known_keys_file: File that defines ``known_keys`` (for messages).

    Returns:
        The typed long table and the wide table (entities x required fields, float64).

    """
    table = _read_table(folder, name, columns)[list(columns)]
    if table.empty:
        raise DataError(
            f"{_where(name, _FIRST_DATA_ROW, _col(key))}: no data rows; "
            f"every {key} needs the fields {', '.join(required_fields)}"
        )
    _require_text(name, table, (key, "field", "source"))

    allowed = set(required_fields)
    known = set(known_keys) if known_keys is not None else None
    values: list[float] = []
    flags: list[int] = []
    first_row: dict[tuple[str, str], int] = {}
    order: list[str] = []
    for i, rec in enumerate(table.to_dict("records")):
        row = i + _FIRST_DATA_ROW
        code, fld = rec[key], rec["field"]
        if known is not None and code not in known:
            raise DataError(
                f"{_where(name, row, _col(key))}: unknown {key} '{code}' "
                f"(field '{fld}'); must be a code in {known_keys_file}"
            )
        if fld not in allowed:
            raise DataError(
                f"{_where(name, row, _col('field'))}: unknown field '{fld}' for "
                f"{key} '{code}'; allowed: {', '.join(required_fields)}"
            )
        if (code, fld) in first_row:
            raise DataError(
                f"{_where(name, row, _fld(fld))}: duplicate row for ({key} "
                f"'{code}', field '{fld}'), first at row {first_row[(code, fld)]}; "
                "exactly one row per pair is allowed"
            )
        first_row[(code, fld)] = row
        if code not in order:
            order.append(code)
        what = f"field '{fld}' ({key} '{code}', column"
        values.append(_to_number(name, row, f"{what} 'value')", rec["value"], fld))
        flag = _to_number(name, row, f"{what} 'estimated')", rec["estimated"], "estimated")
        if flag == 1.0 and not rec["source"].startswith(ESTIMATE_PREFIX):
            raise DataError(
                f"{_where(name, row, _fld(fld) + ' (column source)')}: estimated row "
                f"must have a source starting with '{ESTIMATE_PREFIX}'"
            )
        flags.append(int(flag))

    entities = list(known_keys) if known_keys is not None else order
    for code in entities:
        for fld in required_fields:
            if (code, fld) not in first_row:
                if known_keys is not None and known_keys_file is not None:
                    ref = f"{known_keys_file} row {known_keys.index(code) + _FIRST_DATA_ROW}"
                else:
                    ref = f"first at row {min(r for (c, _), r in first_row.items() if c == code)}"
                raise DataError(
                    f"{name}, row (none), field '{fld}': required field missing for "
                    f"{key} '{code}' ({ref}); add one row with this field"
                )

    facts = table.copy()
    facts["value"] = np.asarray(values, dtype="float64")
    facts["estimated"] = np.asarray(flags, dtype="int64")
    wide = facts.pivot(index=key, columns="field", values="value")
    wide = wide.reindex(index=entities, columns=list(required_fields)).astype("float64")
    wide.index.name = "code" if key == "location" else key
    wide.columns.name = None
    return facts.reset_index(drop=True), wide


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
    table = _read_table(folder, name, FIELD_COLUMNS)[list(FIELD_COLUMNS)]
    if table.empty:
        raise DataError(
            f"{_where(name, _FIRST_DATA_ROW, _col('code'))}: no cooperation fields; "
            "at least one row is required"
        )
    _require_text(name, table, FIELD_COLUMNS)
    _check_unique(name, table, "code")
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
    table = _read_table(folder, name, SECTOR_FIELD_COLUMNS)[list(SECTOR_FIELD_COLUMNS)]
    _require_text(name, table, SECTOR_FIELD_COLUMNS)
    s_index = {s: i for i, s in enumerate(sectors)}
    f_index = {f: j for j, f in enumerate(fields)}
    matrix = np.zeros((len(sectors), len(fields)), dtype=bool)
    seen: dict[tuple[str, str], int] = {}
    for i, rec in enumerate(table.to_dict("records")):
        row = i + _FIRST_DATA_ROW
        sec, fld = rec["sector"], rec["field"]
        if sec not in s_index:
            raise DataError(
                f"{_where(name, row, _col('sector'))}: unknown sector '{sec}'; must "
                f"be a sector in {SECTORS_FILE}"
            )
        if fld not in f_index:
            raise DataError(
                f"{_where(name, row, _col('field'))}: unknown field '{fld}'; must be "
                f"a code in {FIELDS_FILE}"
            )
        if (sec, fld) in seen:
            raise DataError(
                f"{_where(name, row, _col('field'))}: duplicate pair ('{sec}', "
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
