"""Settings of the ``plot`` command, parsed from ``<folder> key=value ...`` with checks.

Values use Hydra/OmegaConf override syntax (``formats=[png,pdf]``, ``animation=false``);
unknown keys, wrong types and values out of range fail with one line naming the key, the
value and what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from omegaconf import OmegaConf
from omegaconf.errors import (
    ConfigAttributeError,
    ConfigKeyError,
    GrammarParseError,
    ValidationError,
)

from simulation.config import P
from simulation.config import _walk as check_ranges
from simulation.errors import ConfigError
from simulation.kpis import BOUNDARIES, KPI_BY_NAME
from simulation.plotting.labels import LANGS
from simulation.plotting.style import FORMATS

USAGE = ("usage: python -m simulation.plot <results folder> [lang=en|vi] [formats=[png,svg]] "
         "[out=<folder>] [kpis=[...]] [boundaries=[pre2025,post2025]] [animation=true|false] "
         "[dpi=200]")


@dataclass
class PlotConfig:
    """What to draw from a saved run, comparison or sweep folder, and how."""

    dir: str = ""  # the results folder (also the first argument without '=')
    lang: str = "en"  # en or vi: every title, label and legend
    formats: list[str] = field(default_factory=lambda: ["png", "svg"])  # png, svg, pdf
    out: str | None = None  # where figures go; None: <dir>/plots/<lang>
    kpis: list[str] = field(default_factory=lambda: [
        "registered_bn", "disbursed_bn", "total_jobs", "retained_bn"])  # headline indicators
    boundaries: list[str] = field(default_factory=lambda: list(BOUNDARIES))
    animation: bool = True  # GIF of flows and ties over the quarters
    dpi: int = P(200, 200, 600, "dots per inch", "PNG resolution; 200 fills a 16:9 slide at "
                 "2688 × 1512 pixels")
    gif_dpi: int = P(72, 40, 200, "dots per inch", "frame resolution; 72 gives 960 × 540")
    fps: float = P(2.0, 0.5, 12.0, "frames per second", "one frame per quarter")


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
        given = OmegaConf.from_dotlist(pairs)
        cfg = OmegaConf.merge(OmegaConf.structured(PlotConfig), given)
        if folders:
            cfg.dir = folders[0]
        obj = OmegaConf.to_object(cfg)
    except (ConfigAttributeError, ConfigKeyError, ValidationError) as exc:
        from simulation.runner import explain_omegaconf_error

        raise ConfigError(explain_omegaconf_error(exc, PlotConfig)) from None
    except GrammarParseError as exc:
        raise ConfigError(f"cannot parse {' '.join(pairs)}: {str(exc).splitlines()[0]}") \
            from None
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
    check_ranges(cfg, "")
