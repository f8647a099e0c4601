"""Configs as YAML: the text a run's fingerprint hashes (see ``compose.fingerprint``)."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import yaml
from omegaconf import OmegaConf
from omegaconf._utils import get_omega_conf_dumper

from simulation.config.schema import RunConfig


def config_yaml(cfg: Any) -> str:
    """A composed config (any schema instance) as YAML."""
    return OmegaConf.to_yaml(OmegaConf.structured(cfg))


class YamlParts:
    """``config_yaml`` of many similar run configs, each distinct part rendered once."""

    _LEAVES = (int, float, str, bool, type(None))

    def __init__(self) -> None:
        self._dump = lambda obj: yaml.dump(obj, default_flow_style=False, allow_unicode=True,
                                           sort_keys=False, Dumper=get_omega_conf_dumper())
        self._templates: dict[str, tuple[Any, dict]] = {}  # config but for params → container
        self._chunks: dict[tuple, str] = {}
        self._heads: dict[tuple, str] = {}  # a path's lines before a number at its end
        self._numbers = yaml.representer.SafeRepresenter()

    def __call__(self, cfg: RunConfig) -> str:
        """The text of ``config_yaml(cfg)``."""
        key = repr(dataclasses.replace(cfg, seed=0, replication=0, params=None))
        if key not in self._templates:
            self._templates[key] = cfg, OmegaConf.to_container(OmegaConf.structured(cfg),
                                                               enum_to_str=True)
        template, container = self._templates[key]
        patched = self._patch(template, container, cfg)
        if patched is None:  # a value OmegaConf might convert: the slow path
            return config_yaml(cfg)
        return "".join(self._nested((k,), v) for k, v in patched.items())

    def _patch(self, old: Any, container: Any, new: Any) -> Any:
        """``container`` (OmegaConf's of ``old``) with the plain values ``new`` differs by."""
        if old is new or old == new:
            return container
        if dataclasses.is_dataclass(old) and type(old) is type(new):
            out = dict(container)
            for f in dataclasses.fields(old):
                a, b = getattr(old, f.name), getattr(new, f.name)
                if a is not b and a != b:
                    value = self._patch(a, container[f.name], b)
                    if value is None:
                        return None
                    out[f.name] = value
            return out
        if type(old) is type(new) and type(new) in self._LEAVES and not isinstance(
                container, (dict, list)):
            return new
        return None

    def _nested(self, where: tuple, value: Any) -> str:
        """The YAML of ``{where[0]: {where[1]: ... value}}``, assembled from its leaves.

        Block YAML writes a mapping's entries one after another under its keys' lines (a key
        per line), so the text of a mapping with entries is those lines followed by each
        entry's text without them; anything else is rendered whole.
        """
        if not isinstance(value, dict) or not value:
            return self._chunk(where, value)
        parts = [self._nested((*where, k), v) for k, v in value.items()]
        head = "".join(line + "\n" for line in parts[0].split("\n", len(where))[:len(where)])
        return head + "".join(part[len(head):] for part in parts)

    def _chunk(self, where: tuple, value: Any) -> str:
        k = (*where, repr(value))
        if k not in self._chunks:
            if type(value) is float and math.isfinite(value):
                # a drawn number: the path's lines as YAML writes them before a number, then
                # the number as YAML writes it (its float representer)
                if where not in self._heads:
                    self._heads[where] = self._dump(_nest(where, 0.5))[:-len("0.5\n")]
                text = self._numbers.represent_float(value).value
                self._chunks[k] = self._heads[where] + text + "\n"
            else:
                self._chunks[k] = self._dump(_nest(where, value))
        return self._chunks[k]


def _nest(where: tuple, value: Any) -> dict:
    """``{where[0]: {where[1]: ... value}}``."""
    for key in reversed(where):
        value = {key: value}
    return value
