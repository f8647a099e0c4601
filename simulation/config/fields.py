"""The documented-parameter field: default, allowed range, unit and source in one place."""

from __future__ import annotations

from dataclasses import field
from typing import Any


def P(default: Any, lo: float | None, hi: float | None, unit: str, source: str) -> Any:
    """A documented numeric parameter: default, closed range [lo, hi], unit and source."""
    return field(default=default, metadata={"range": (lo, hi), "unit": unit, "source": source})


ASSUMPTION = "assumption; calibrate (see docs/ODD.md)"
CALIBRATED = "calibrated to the MODEL_SPEC §11 targets (experiments/calibration/README.md)"
