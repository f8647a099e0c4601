"""Calendar quarters: labels such as ``2024Q3`` and integer quarter indices."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

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



def parse_quarters(labels) -> np.ndarray:  # noqa: ANN001 - any sequence or Series of labels
    """:func:`parse_quarter` of every label, as an integer array (each distinct label parsed once).

    Tables of many runs repeat a few dozen quarters over millions of rows; parsing each row
    dominated the comparison's summary.
    """
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(labels if isinstance(labels, pd.Series) else pd.Series(labels))
    parsed = np.array([parse_quarter(str(u)) for u in uniques], dtype=np.int64)
    if (codes < 0).any():
        raise ValueError("a missing quarter label; expected YYYYQn, e.g. 2024Q3")
    return parsed[codes]
