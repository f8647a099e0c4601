"""Calendar quarters: labels such as ``2024Q3`` and integer quarter indices."""

import re

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


def parse_quarter(label: str) -> int:
    """Return the absolute quarter index ``4 * year + (q - 1)`` of a label like ``2024Q3``.

    Raises:
        ValueError: the label is not of the form YYYYQn with n in 1..4.
    """
    m = _QUARTER.match(str(label))
    if not m:
        raise ValueError(f"{label!r} is not a calendar quarter; expected YYYYQn, e.g. 2024Q3")
    return 4 * int(m.group(1)) + int(m.group(2)) - 1


def quarter_label(index: int) -> str:
    """Inverse of :func:`parse_quarter`."""
    return f"{index // 4}Q{index % 4 + 1}"

