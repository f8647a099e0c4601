"""Settings of the ``plot`` command, parsed from ``<folder> key=value ...`` with checks.

Values use Hydra/OmegaConf override syntax (``formats=[png,pdf]``, ``animation=false``);
unknown keys, wrong types and values out of range fail with one line naming the key, the
value and what is allowed.
"""

from __future__ import annotations

from omegaconf import OmegaConf
from omegaconf.errors import GrammarParseError

from simulation.analysis.kpis import KPI_BY_NAME
from simulation.analysis.measures import BOUNDARIES
from simulation.config.compose import to_config
from simulation.config.schema import PlotConfig
from simulation.config.validate import check_ranges
from simulation.errors import ConfigError
from simulation.figures.labels import LANGS
from simulation.figures.style import FORMATS

USAGE = ("usage: python -m simulation.plot <results folder> [lang=en|vi] [formats=[png,svg]] "
         "[out=<folder>] [kpis=[...]] [boundaries=[pre2025,post2025]] [animation=true|false] "
         "[dpi=200]")


def parse(argv: list[str]) -> PlotConfig:
    """The settings from command-line arguments.

    Raises:
        ConfigError: no folder, an unknown key, a wrong type or a value out of range.
    """
    folders = [a for a in argv if "=" not in a]
    pairs = [a for a in argv if "=" in a]
    if len(folders) > 1:
        raise ConfigError(f"give one results folder, not {len(folders)} "
                          f"({', '.join(folders)}); {USAGE}")
    try:
        given = OmegaConf.to_container(OmegaConf.from_dotlist(pairs))
    except GrammarParseError as exc:
        raise ConfigError(f"cannot parse {' '.join(pairs)}: {str(exc).splitlines()[0]}") \
            from None
    if folders:
        given["dir"] = folders[0]
    obj = to_config(given, PlotConfig)
    assert isinstance(obj, PlotConfig)
    validate(obj)
    return obj


def _subset(key: str, values: list[str], allowed: tuple[str, ...] | list[str]) -> None:
    for v in values:
        if v not in allowed:
            raise ConfigError(f"{key} contains unknown {v!r}; allowed: {', '.join(allowed)}")
    if not values:
        raise ConfigError(f"{key} is empty; allowed: {', '.join(allowed)}")


def validate(cfg: PlotConfig) -> None:
    """Check every setting (one line naming key, value and what is allowed)."""
    if not cfg.dir:
        raise ConfigError(f"no results folder given; {USAGE}")
    if cfg.lang not in LANGS:
        raise ConfigError(f"lang={cfg.lang!r} is unknown; allowed: {', '.join(LANGS)}")
    _subset("formats", cfg.formats, FORMATS)
    _subset("kpis", cfg.kpis, list(KPI_BY_NAME))
    _subset("boundaries", cfg.boundaries, BOUNDARIES)
    check_ranges(cfg)
