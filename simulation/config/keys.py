"""Dotted config keys such as ``params.utility.theta_info``: look one up, set values, compare.

One walker (:func:`resolve`) serves every place that names a parameter by its dotted key: the
calibration's parameter list, parameter-draw files, sensitivity studies and the comparison's
parameter overrides.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Mapping
from typing import Any

from simulation.config.params import ModelParams
from simulation.errors import ConfigError


class KeyNotFound(LookupError):
    """A dotted key leaves the schema.

    Attributes:
        found: the parts of the key that exist.
        allowed: the field names where the key stops matching (empty below a leaf).
    """

    def __init__(self, found: list[str], allowed: list[str]):
        super().__init__(".".join(found))
        self.found, self.allowed = found, allowed


def resolve(root: Any, key: str) -> tuple[Any, dict]:
    """Value and field metadata of a dotted key in a tree of dataclass instances.

    A part below a dict field (e.g. ``params.opportunity.macro_by_year.2027``) is an entry of
    the dict: its value (``None`` if the dict has no such entry yet) with the dict field's
    metadata (its range applies to every entry).

    Raises:
        KeyNotFound: a part of the key is not a field of its parent.
    """
    obj, meta = root, {}
    parts = key.split(".")
    for i, part in enumerate(parts):
        if isinstance(obj, dict) and i == len(parts) - 1:
            return obj.get(part), meta
        fields = ({f.name: f for f in dataclasses.fields(obj)}
                  if dataclasses.is_dataclass(obj) else {})
        if part not in fields:
            raise KeyNotFound(parts[:i], list(fields))
        meta = dict(fields[part].metadata)
        obj = getattr(obj, part)
    return obj, meta


def parameter_range(key: str, where: str = "parameters") -> tuple[float | None, float | None]:
    """Allowed range of a numeric key under ``params`` (e.g. ``utility.xi_partner``).

    Args:
        key: a key under ``params``.
        where: what to name in error messages (the setting or file the key came from).

    Raises:
        ConfigError: the key is not a numeric parameter (one line naming what is allowed).
    """
    try:
        value, meta = resolve(ModelParams(), key)
    except KeyNotFound as exc:
        parent = ".".join(["params", *exc.found])
        raise ConfigError(f"{where}: key '{key}' is not a parameter; allowed under '{parent}': "
                          + (", ".join(exc.allowed) or "(none)")) from None
    if not meta or isinstance(value, bool | dict) or dataclasses.is_dataclass(value):
        raise ConfigError(f"{where}: '{key}' is not a numeric parameter")
    return meta["range"]


def is_int(value: Any) -> bool:
    """True for an integer setting (booleans are not counted)."""
    return isinstance(value, int) and not isinstance(value, bool)


def with_values(obj: Any, values: Mapping[str, float]) -> Any:
    """A copy of a dataclass tree with dotted keys set; integer fields get rounded values.

    A key below a dict field sets (or adds) that entry of the dict.
    """
    out = copy.deepcopy(obj)
    for key, v in values.items():
        *path, last = key.split(".")
        node = out
        for part in path:
            node = getattr(node, part)
        if isinstance(node, dict):  # an entry of a dict field, e.g. macro_by_year.2027
            node[last] = float(v)
            continue
        setattr(node, last, int(round(v)) if is_int(getattr(node, last)) else float(v))
    return out


def nested(values: Mapping[str, Any]) -> dict[str, Any]:
    """``{"a.b": 1, "a.c": 2}`` → ``{"a": {"b": 1, "c": 2}}``."""
    out: dict[str, Any] = {}
    for key, v in values.items():
        node = out
        *head, last = key.split(".")
        for h in head:
            node = node.setdefault(h, {})
        node[last] = v
    return out


def changed(value: dict, default: dict) -> dict:
    """The leaves of a nested dict that differ from ``default`` (same nesting)."""
    out: dict[str, Any] = {}
    for key, v in value.items():
        d = default.get(key)
        if isinstance(v, dict) and isinstance(d, dict):
            sub = changed(v, d)
            if sub:
                out[key] = sub
        elif v != d:
            out[key] = v
    return out
