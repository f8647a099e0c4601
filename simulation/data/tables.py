"""Reading one input CSV file and checking its cells, with messages that name file, row and field.

Every check raises :class:`~simulation.errors.DataError` with one line: the file, the row
(header = row 1, first data row = row 2), the field or column, and what is allowed.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from simulation.data.schema import (
    BINARY_FIELDS,
    DATED_YEAR_RANGE,
    ESTIMATE_PREFIX,
    FIRST_DATA_ROW,
    HEADER_ROW,
    INCENTIVE_ZONES,
    UNIT_INTERVAL_FIELDS,
)
from simulation.errors import DataError


def where(name: str, row: int, what: str) -> str:
    """Format the location part of an error message."""
    return f"{name}, row {row}, {what}"


def column_ref(column: str) -> str:
    """Describe a column for an error message."""
    return f"column '{column}'"


def field_ref(field_name: str) -> str:
    """Describe a field of a long table for an error message."""
    return f"field '{field_name}'"


ANY_COLUMN = column_ref("*")


def read_table(folder: Path, name: str, columns: tuple[str, ...]) -> pd.DataFrame:
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
            f"{where(name, HEADER_ROW, ANY_COLUMN)}: file cannot be read ({exc.strerror})"
        ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = raw.count(b"\n", 0, exc.start) + 1
        raise DataError(
            f"{where(name, row, ANY_COLUMN)}: file is not UTF-8 text "
            f"(byte offset {exc.start}); expected a comma-separated UTF-8 CSV file"
        ) from exc
    if "\x00" in text:
        row = text.count("\n", 0, text.index("\x00")) + 1
        raise DataError(
            f"{where(name, row, ANY_COLUMN)}: file contains NUL bytes; "
            "expected a comma-separated UTF-8 CSV file"
        )
    if not text.strip():
        raise DataError(
            f"{where(name, HEADER_ROW, ANY_COLUMN)}: file is empty; expected a "
            f"header with columns {', '.join(columns)}"
        )
    header = [c.strip() for c in next(csv.reader(io.StringIO(text)), [])]
    for column in columns:
        if column not in header:
            found = ", ".join(header)
            found = found if len(found) <= 80 else found[:77] + "..."
            raise DataError(
                f"{where(name, HEADER_ROW, column_ref(column))}: required column is "
                f"missing (required: {', '.join(columns)}; found: {found}); the file "
                "must be comma-separated with a header row"
            )
    try:
        table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as exc:
        match = re.search(r"line (\d+)", str(exc))
        row = int(match.group(1)) if match else HEADER_ROW
        raise DataError(
            f"{where(name, row, ANY_COLUMN)}: malformed CSV row "
            f"({str(exc).strip().splitlines()[-1]}); expected {len(header)} "
            "comma-separated columns"
        ) from exc
    except (ValueError, csv.Error, pd.errors.EmptyDataError) as exc:
        raise DataError(
            f"{where(name, HEADER_ROW, ANY_COLUMN)}: file cannot be parsed as CSV ({exc})"
        ) from exc
    table.columns = [str(c).strip() for c in table.columns]
    return table.fillna("").apply(lambda s: s.astype(str).str.strip())


def require_text(name: str, table: pd.DataFrame, columns: tuple[str, ...]) -> None:
    """Check that the given text columns are non-empty in every row.

    Raises:
        DataError: On the first empty cell.

    """
    for i, values in enumerate(table.to_dict("records")):
        for column in columns:
            if values.get(column, "") == "":
                raise DataError(
                    f"{where(name, i + FIRST_DATA_ROW, column_ref(column))}: empty "
                    "value; a non-empty text is required"
                )


def to_number(name: str, row: int, what: str, text: str, field: str) -> float:
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
    at = where(name, row, what)
    if text == "":
        raise DataError(f"{at}: empty value; a number is required")
    try:
        value = float(text)
    except ValueError:
        raise DataError(f"{at}: '{text}' is not a number") from None
    if math.isnan(value):
        raise DataError(f"{at}: value is NaN; a number is required")
    if math.isinf(value):
        raise DataError(f"{at}: value is infinite; a finite number is required")
    if field == "lat":
        if not -90.0 <= value <= 90.0:
            raise DataError(f"{at}: latitude {value} outside [-90, 90]")
        return value
    if field == "lon":
        if not -180.0 <= value <= 180.0:
            raise DataError(f"{at}: longitude {value} outside [-180, 180]")
        return value
    if value < 0:
        raise DataError(f"{at}: negative value {text}; must be >= 0")
    if field in UNIT_INTERVAL_FIELDS and value > 1:
        raise DataError(f"{at}: value {text} outside [0, 1]")
    if field in BINARY_FIELDS and value not in (0.0, 1.0):
        raise DataError(f"{at}: value {text} not allowed; must be 0 or 1")
    if field == "incentive_zone" and value not in INCENTIVE_ZONES:
        raise DataError(f"{at}: value {text} not allowed; must be 0, 1 or 2")
    if field == "soft_info" and value < 1:
        raise DataError(f"{at}: value {text} below 1; soft_info must be >= 1")
    return value


def check_year(at: str, text: str) -> int:
    """Check that a dated value's ``year`` cell is one calendar year the model can place.

    Args:
        at: Location part of the message (file, row, field and column).
        text: Cell text.

    Returns:
        The year.

    Raises:
        DataError: If the cell is not a four-digit year within :data:`DATED_YEAR_RANGE`.

    """
    lo, hi = DATED_YEAR_RANGE
    if re.fullmatch(r"\d{4}", text) is None or not lo <= int(text) <= hi:
        raise DataError(f"{at}: year '{text}' not allowed; this value is placed at its date, so "
                        f"the year must be one four-digit calendar year from {lo} to {hi} "
                        "(e.g. 2022), not a range or a note")
    return int(text)


def check_unique(name: str, table: pd.DataFrame, column: str) -> None:
    """Check that a code column has no duplicates.

    Raises:
        DataError: Naming the row of the second occurrence.

    """
    seen: dict[str, int] = {}
    for i, code in enumerate(table[column]):
        row = i + FIRST_DATA_ROW
        if code in seen:
            raise DataError(
                f"{where(name, row, column_ref(column))}: duplicate code '{code}' "
                f"(first at row {seen[code]}); codes must be unique"
            )
        seen[code] = row


def read_long(
    folder: Path,
    name: str,
    columns: tuple[str, ...],
    *,
    key: str,
    required_fields: tuple[str, ...],
    known_keys: list[str] | None,
    known_keys_file: str | None,
    dated_fields: frozenset[str] = frozenset(),
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
        dated_fields: Fields whose ``year`` cell dates the value (checked by
            :func:`check_year`); the table must then have a ``year`` column.

    Returns:
        The typed long table and the wide table (entities x required fields, float64).

    """
    table = read_table(folder, name, columns)[list(columns)]
    if table.empty:
        raise DataError(
            f"{where(name, FIRST_DATA_ROW, column_ref(key))}: no data rows; "
            f"every {key} needs the fields {', '.join(required_fields)}"
        )
    require_text(name, table, (key, "field", "source"))

    allowed = set(required_fields)
    known = set(known_keys) if known_keys is not None else None
    values: list[float] = []
    flags: list[int] = []
    first_row: dict[tuple[str, str], int] = {}
    order: list[str] = []
    for i, rec in enumerate(table.to_dict("records")):
        row = i + FIRST_DATA_ROW
        code, fld = rec[key], rec["field"]
        if known is not None and code not in known:
            raise DataError(
                f"{where(name, row, column_ref(key))}: unknown {key} '{code}' "
                f"(field '{fld}'); must be a code in {known_keys_file}"
            )
        if fld not in allowed:
            raise DataError(
                f"{where(name, row, column_ref('field'))}: unknown field '{fld}' for "
                f"{key} '{code}'; allowed: {', '.join(required_fields)}"
            )
        if (code, fld) in first_row:
            raise DataError(
                f"{where(name, row, field_ref(fld))}: duplicate row for ({key} "
                f"'{code}', field '{fld}'), first at row {first_row[(code, fld)]}; "
                "exactly one row per pair is allowed"
            )
        first_row[(code, fld)] = row
        if code not in order:
            order.append(code)
        what = f"field '{fld}' ({key} '{code}', column"
        if fld in dated_fields:
            check_year(where(name, row, f"{what} 'year')"), rec["year"])
        values.append(to_number(name, row, f"{what} 'value')", rec["value"], fld))
        flag = to_number(name, row, f"{what} 'estimated')", rec["estimated"], "estimated")
        if flag == 1.0 and not rec["source"].startswith(ESTIMATE_PREFIX):
            raise DataError(
                f"{where(name, row, field_ref(fld) + ' (column source)')}: estimated row "
                f"must have a source starting with '{ESTIMATE_PREFIX}'"
            )
        flags.append(int(flag))

    entities = list(known_keys) if known_keys is not None else order
    for code in entities:
        for fld in required_fields:
            if (code, fld) not in first_row:
                if known_keys is not None and known_keys_file is not None:
                    ref = f"{known_keys_file} row {known_keys.index(code) + FIRST_DATA_ROW}"
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
