"""``locations.csv``: the places of the model and the unit each belongs to after 1 July 2025.

Checks the codes, roles, members and coordinates, and that every ``new_code`` names a unit the
2025 reform can build; every failure is one :class:`~simulation.errors.DataError` line naming
the file, the row and the column.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from simulation.data.schema import (
    FIRST_DATA_ROW,
    LOCATION_COLUMNS,
    LOCATION_ROLES,
    LOCATIONS_FILE,
    RENAMED_UNITS,
)
from simulation.data.tables import (
    check_unique,
    column_ref,
    read_table,
    require_text,
    to_number,
    where,
)
from simulation.errors import DataError


def load_locations(folder: Path) -> pd.DataFrame:
    """Read and validate ``locations.csv``.

    Returns:
        Locations indexed by code with text columns and float ``lat``/``lon``.

    """
    name = LOCATIONS_FILE
    table = read_table(folder, name, LOCATION_COLUMNS)[list(LOCATION_COLUMNS)]
    if table.empty:
        raise DataError(
            f"{where(name, FIRST_DATA_ROW, column_ref('code'))}: no locations; at least "
            "one origin row is required"
        )
    text_cols = tuple(c for c in LOCATION_COLUMNS if c not in ("lat", "lon", "members"))
    require_text(name, table, text_cols)
    check_unique(name, table, "code")

    origins: list[int] = []
    for i, role in enumerate(table["role"]):
        row = i + FIRST_DATA_ROW
        if role not in LOCATION_ROLES:
            raise DataError(
                f"{where(name, row, column_ref('role'))}: role '{role}' not allowed; "
                f"must be one of {', '.join(LOCATION_ROLES)}"
            )
        if role == "origin":
            origins.append(row)
    if len(origins) != 1:
        rows = ", ".join(str(r) for r in origins) or "none"
        row = origins[1] if len(origins) > 1 else FIRST_DATA_ROW
        raise DataError(
            f"{where(name, row, column_ref('role'))}: exactly one location must have role "
            f"'origin' (found {len(origins)}; rows: {rows})"
        )

    _check_new_codes(table)

    out = table.copy()
    for i, text in enumerate(table["members"]):
        if not text.isdigit() or int(text) < 1:
            raise DataError(
                f"{where(name, i + FIRST_DATA_ROW, column_ref('members'))}: '{text}' is not "
                "a positive whole number (provinces of 2023 the location covers)"
            )
    out["members"] = table["members"].astype(int)
    for coord in ("lat", "lon"):
        out[coord] = [
            to_number(name, i + FIRST_DATA_ROW, column_ref(coord), text, coord)
            for i, text in enumerate(table[coord])
        ]
        out[coord] = out[coord].astype("float64")
    out = out.set_index("code")
    out.index.name = "code"
    return out


def _check_new_codes(table: pd.DataFrame) -> None:
    """Check that every ``new_code`` names a unit the 2025 reform can build.

    A place either stays its own unit (its own code, or the documented renaming of it in
    :data:`RENAMED_UNITS`) or merges into another place that stays its own unit. Anything else
    (a typo, a renaming carried by the wrong place, a chain of merges) would silently leave the
    place unmerged or merged into a unit that no longer exists.

    Raises:
        DataError: Naming the row of the first offending place.

    """
    name = LOCATIONS_FILE
    rows = {code: i + FIRST_DATA_ROW for i, code in enumerate(table["code"])}
    unit = dict(zip(table["code"], table["new_code"], strict=True))
    renamings = ", ".join(f"'{new}' for '{old}'" for new, old in RENAMED_UNITS.items())
    for code, new in unit.items():
        at = where(name, rows[code], column_ref("new_code"))
        if new in RENAMED_UNITS:
            if RENAMED_UNITS[new] != code:
                raise DataError(
                    f"{at}: '{new}' is the documented renaming of '{RENAMED_UNITS[new]}' only, "
                    f"not of '{code}'; give '{code}' its own code or the code of the place it "
                    "merges into"
                )
            continue
        if new not in unit:
            raise DataError(
                f"{at}: unit '{new}' of place '{code}' is not a place code of {name} nor a "
                f"documented renaming ({renamings}); use '{code}' to stay a unit or another "
                "place's code to merge into it (a typo would leave the place unmerged at the "
                "2025 reform)"
            )
        target = unit[new]
        if new != code and target != new and RENAMED_UNITS.get(target) != new:
            raise DataError(
                f"{at}: place '{code}' merges into '{new}', which itself merges into "
                f"'{target}' ({name} row {rows[new]}); merge '{code}' into the unit that stays "
                "itself"
            )
