"""Range checks: every value of a composed config within its documented range and calendar.

The schema (:mod:`simulation.config.schema`) refuses unknown keys and wrong types; these checks
refuse out-of-range values, unknown names in lever lists, malformed quarters and a calendar
outside EARLIEST_START–LATEST_END, each with one line naming the key, the value and what is
allowed; :func:`inert_levers` names the levers a run cannot feel (they start after its last
quarter), for a one-line warning. :func:`parameter_table` lists every
documented parameter (docs/ODD.md is generated from it).
"""

from __future__ import annotations

import dataclasses
import math
from typing import TYPE_CHECKING, Any

from simulation.config.params import ModelParams
from simulation.config.scenario import ALL, CIT_REGIMES, LEVER_GROUPS
from simulation.config.schema import EARLIEST_START, LATEST_END, RunConfig
from simulation.errors import ConfigError
from simulation.timeline import parse_quarter, quarter_label

if TYPE_CHECKING:
    import pandas as pd


def _check_range(path: str, value: Any, meta: dict) -> None:
    lo, hi = meta.get("range", (None, None))
    unit = meta.get("unit", "")
    unit = "" if unit == "-" else f" ({unit})"
    items = value.items() if isinstance(value, dict) else [(None, value)]
    for sub, v in items:
        key = path if sub is None else f"{path}.{sub}"
        if isinstance(v, bool) or not isinstance(v, int | float):
            continue
        if isinstance(v, float) and not math.isfinite(v):
            raise ConfigError(f"{key}={v} is not a finite number; allowed [{lo}, {hi}]{unit}")
        if (lo is not None and v < lo) or (hi is not None and v > hi):
            raise ConfigError(f"{key}={v} is out of range; allowed [{lo}, {hi}]{unit}")


def check_ranges(obj: Any, path: str = "") -> None:
    """Check every documented number of a dataclass tree against its range (one-line errors)."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        key = f"{path}.{f.name}" if path else f.name
        if dataclasses.is_dataclass(value):
            check_ranges(value, key)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if dataclasses.is_dataclass(item):
                    check_ranges(item, f"{key}.{i}")
        elif f.metadata:
            _check_range(key, value, f.metadata)


def _check_names(key: str, names: list[str], allowed: list[str]) -> None:
    for n in names:
        if n != ALL and n not in allowed:
            raise ConfigError(f"{key} contains unknown {n!r}; allowed: {ALL}, "
                              + ", ".join(allowed))


def check_window(key: str, start: str, end: str | None) -> None:
    """A lever's (or the calendar's) start and end are quarters, the end not before the start."""
    bounds = {"start": start} if end is None else {"start": start, "end": end}
    parsed = {}
    for name, label in bounds.items():
        try:
            parsed[name] = parse_quarter(label)
        except ValueError:
            raise ConfigError(f"{key}.{name}={label!r} is not a calendar quarter; allowed: "
                              "YYYYQn with n in 1..4, e.g. 2024Q3") from None
    if end is not None and parsed["end"] < parsed["start"]:
        raise ConfigError(f"{key}.end={end} is before {key}.start={start}; allowed: end ≥ start")


def check_calendar(start: str, end: str, key: str = "time") -> None:
    """The recorded quarters lie within EARLIEST_START–LATEST_END (the data's reach)."""
    if parse_quarter(end) > parse_quarter(LATEST_END):
        raise ConfigError(f"{key}.end={end} is beyond the model's horizon limit; allowed: up to "
                          f"{LATEST_END} (the inputs describe 2023)")
    if parse_quarter(start) < parse_quarter(EARLIEST_START):
        raise ConfigError(f"{key}.start={start} is before the model's earliest start; allowed: "
                          f"from {EARLIEST_START} (the inputs describe 2023)")


def lever_starts(cfg: RunConfig, expressway: pd.DataFrame | None = None
                 ) -> list[tuple[str, str]]:
    """``(key, start quarter)`` of every lever of the run's scenario, e.g. ``scenario.land.0``.

    A transport lever starts at its ``opening`` (``scenario.transport.0.opening``); without one
    each listed section opens on the data's date, so the lever starts when the first listed
    section opens on or after ``time.start`` (given the ``expressway`` table; left out without
    it, or when every listed section opened before).
    """
    out = []
    for group in LEVER_GROUPS:
        for i, lever in enumerate(getattr(cfg.scenario, group)):
            key = f"scenario.{group}.{i}"
            if hasattr(lever, "start"):
                out.append((key, lever.start))
            elif getattr(lever, "opening", None) is not None:
                out.append((f"{key}.opening", lever.opening))
            elif group == "transport" and expressway is not None:
                listed = (expressway if ALL in lever.sections
                          else expressway[expressway["segment"].isin(lever.sections)])
                later = listed["opening_q"][listed["opening_q"] >= parse_quarter(cfg.time.start)]
                if len(later):
                    out.append((f"{key}.sections", quarter_label(int(later.min()))))
    return out


def inert_levers(cfg: RunConfig, expressway: pd.DataFrame | None = None) -> list[str]:
    """One line per lever that has no effect in the recorded quarters.

    A lever starting after the last recorded quarter gets a line, and so does a reform moved
    (``params.reform.quarter``) after it: the run ends on the pre-2025 provinces. A run ending
    before the actual reform (1 July 2025) gets no line.
    """
    end = parse_quarter(cfg.time.end)
    lines = [f"{key} starts {start}, after the horizon time.end={cfg.time.end}: it has no "
             f"effect in this run; set time.end={start} or later (up to {LATEST_END})"
             for key, start in lever_starts(cfg, expressway) if parse_quarter(start) > end]
    reform = cfg.params.reform
    moved = reform.quarter != type(reform)().quarter  # a what-if date, set on purpose
    if reform.enabled and moved and parse_quarter(reform.quarter) > end:
        lines.append(f"params.reform.quarter={reform.quarter} is after the horizon time.end="
                     f"{cfg.time.end}: the run ends on the provinces before the reform (as "
                     "params.reform.enabled=false)")
    return lines


def validate(cfg: RunConfig, partners: list[str], sectors: list[str], fields: list[str],
             locations: list[str], sections: list[str] | None = None) -> None:
    """Check ranges, calendar labels and names; raise ConfigError naming key, value, allowed.

    Args:
        cfg: the run configuration as a dataclass instance.
        partners: location codes of the partner provinces (before the 2025 reform; a lever
            naming a province that the reform dissolves applies to its successor afterwards).
        sectors: sector codes.
        fields: cooperation-field codes.
        locations: every location code (fiscal rules may name HCMC and the composites).
        sections: names of the expressway sections (transport levers); None: not checked.
    """
    check_ranges(cfg)
    check_window("time", cfg.time.start, cfg.time.end)
    check_calendar(cfg.time.start, cfg.time.end)
    check_window("params.reform", cfg.params.reform.quarter, None)
    for year in cfg.params.opportunity.macro_by_year:
        if not str(year).isdigit():
            raise ConfigError(f"params.opportunity.macro_by_year has key {year!r}; "
                              "allowed: calendar years such as '2021'")
    sc = cfg.scenario
    for group in LEVER_GROUPS:
        for i, lever in enumerate(getattr(sc, group)):
            key = f"scenario.{group}.{i}"
            if hasattr(lever, "provinces"):
                _check_names(f"{key}.provinces", lever.provinces,
                             locations if group == "fiscal" else partners)
            if hasattr(lever, "sectors"):
                _check_names(f"{key}.sectors", lever.sectors, sectors)
            if hasattr(lever, "fields"):
                _check_names(f"{key}.fields", lever.fields, fields)
            if group == "transport":
                if sections is not None:
                    _check_names(f"{key}.sections", lever.sections, sections)
                if lever.opening is not None:
                    check_window(f"{key}.opening", lever.opening, None)
                continue
            check_window(key, lever.start, getattr(lever, "end", None))
            if parse_quarter(lever.start) < parse_quarter(cfg.time.start):
                raise ConfigError(f"{key}.start={lever.start} is before time.start="
                                  f"{cfg.time.start}; allowed: levers start in the recorded "
                                  "horizon (the spin-up runs under baseline conditions)")
            if group == "incentives" and lever.cit_regime not in CIT_REGIMES:
                raise ConfigError(f"{key}.cit_regime={lever.cit_regime!r} is unknown; allowed: "
                                  + ", ".join(CIT_REGIMES))


def parameter_table() -> list[dict[str, Any]]:
    """Every documented parameter with default, range, unit and source (for docs)."""
    rows: list[dict[str, Any]] = []

    def walk(cls: type, prefix: str, instance: Any) -> None:
        for f in dataclasses.fields(cls):
            value = getattr(instance, f.name)
            key = f"{prefix}.{f.name}"
            if dataclasses.is_dataclass(value):
                walk(type(value), key, value)
            elif f.metadata:
                lo, hi = f.metadata["range"]
                rows.append({"key": key, "default": value, "min": lo, "max": hi,
                             "unit": f.metadata["unit"], "source": f.metadata["source"]})

    walk(ModelParams, "params", ModelParams())
    return rows



def _reform_hits(cfg: RunConfig, successor: dict[str, str]):
    """(group, index, end, code, successor) of every lever naming a province the reform ends."""
    if not cfg.params.reform.enabled:
        return
    reform = parse_quarter(cfg.params.reform.quarter)
    horizon = parse_quarter(cfg.time.end)
    if reform > horizon:
        return
    for group in LEVER_GROUPS:
        for i, lever in enumerate(getattr(cfg.scenario, group)):
            if group == "transport" or not hasattr(lever, "provinces"):
                continue
            end = getattr(lever, "end", None)
            last = min(parse_quarter(end), horizon) if end is not None else horizon
            if last < reform:
                continue
            for code in lever.provinces:
                new = successor.get(code, code)
                if code != ALL and new != code:
                    yield group, i, end, code, new


def reform_notes(cfg: RunConfig, successor: dict[str, str], names: dict[str, str],
                 most: int | None = None) -> list[str]:
    """One line for each lever that names a province dissolved by the reform while it runs.

    Such a lever is valid: from the reform quarter on it applies to the province's successor
    (its budget adds to the successor's, its other settings take the stronger of the two). The
    note tells the user so, once per lever and province.

    Args:
        cfg: the run configuration.
        successor: each location code's unit after the reform (itself if it continues).
        names: display name of each location code.
        most: with more notes than this, one line that sums them up instead (a generated
            scenario, such as a policy search's package, names every partner in every lever).
    """
    hits = list(_reform_hits(cfg, successor))
    q = cfg.params.reform.quarter
    if most is not None and len(hits) > most:
        pairs = dict.fromkeys(f"{c} → {n} ({names.get(n, n)})" for *_, c, n in hits)
        return [f"{len(hits)} levers name provinces the reform merges ({', '.join(pairs)}); "
                f"from {q} each applies to the merged province"]
    return [f"scenario.{group}.{i} names {code} ({names.get(code, code)}) to "
            f"{end or cfg.time.end}; from {q} it is part of {new} ({names.get(new, new)}), so "
            "the lever applies there from then on" for group, i, end, code, new in hits]
