"""Compose a config with Hydra and explain every bad input in one line.

The one path from YAML files and command-line overrides to a typed, checked config:
:func:`compose` runs Hydra's compose API over ``configs/`` (any root config: ``config`` for a
run, ``compare``, ``calibrate``), :func:`to_config` merges the result onto a schema of
:mod:`simulation.config.schema`, and :func:`explain` turns any OmegaConf or Hydra error into
one line naming the key, the value and what is allowed. :func:`register_configs` registers the
schemas and the ``sweep_subdir`` resolver that names sweep job folders.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, ListConfig, OmegaConf
from omegaconf.errors import ConfigAttributeError, ConfigKeyError, ValidationError

from simulation.config.decide import DiscoverConfig, OptimiseConfig
from simulation.config.render import YamlParts, config_yaml
from simulation.config.scenario import ScenarioConfig
from simulation.config.schema import CalibrateConfig, CompareConfig, RunConfig
from simulation.errors import ConfigError
from simulation.io import git_commit

CONFIG_DIR = Path(__file__).resolve().parents[2] / "configs"
SCHEMA_ERRORS = (ConfigAttributeError, ConfigKeyError, ValidationError)
RESOLVER = "sweep_subdir"
MAX_NAME = 120  # characters of a job folder name kept from its overrides; longer ones hashed
_UNSAFE = re.compile(r"[^\w.,=+~\-\[\]]")
SCHEMAS = {"config": RunConfig, "compare": CompareConfig, "calibrate": CalibrateConfig,
           "optimise": OptimiseConfig, "discover": DiscoverConfig}
OUTPUT_KEYS = {"config": "output.dir", "compare": "output_dir"}  # where results folders go


def register_configs() -> None:
    """Register the schemas in Hydra's ConfigStore and the ``sweep_subdir`` resolver."""
    from hydra.core.config_store import ConfigStore

    if not OmegaConf.has_resolver(RESOLVER):
        OmegaConf.register_new_resolver(RESOLVER, subdir_name)
    cs = ConfigStore.instance()
    if "scenario_schema.yaml" in cs.repo.get("scenario", {}):
        return  # stored once per process: each store converts a whole schema (~0.2 s)
    for name, schema in SCHEMAS.items():
        cs.store(name=f"{'run' if name == 'config' else name}_schema", node=schema)
    cs.store(group="scenario", name="scenario_schema", node=ScenarioConfig)


def subdir_name(override_dirname: str) -> str:
    """A safe, unique folder name for a sweep job from its ``hydra.job.override_dirname``.

    The project sets ``hydra.sweep.subdir`` to ``${sweep_subdir:${hydra.job.override_dirname}}``:
    the job's overrides, sorted and joined, so the same overrides always give the same folder
    (what lets a re-run skip the jobs already done). Characters outside letters, digits and
    ``. , = + ~ - [ ]`` become ``_``; names that had to be changed or are longer than
    :data:`MAX_NAME` get a short hash of the original appended, so two different override sets
    never share a folder.
    """
    text = str(override_dirname)
    if not text:
        return "no_overrides"
    safe = _UNSAFE.sub("_", text)
    if safe == text and len(safe) <= MAX_NAME:
        return safe
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return f"{safe[:MAX_NAME]}-{digest}"


def available_scenarios(scenario_dir: str | None = None) -> list[str]:
    """Names of the scenario files in configs/scenario/ (and ``<scenario_dir>/scenario/``)."""
    names = {p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml")}
    if scenario_dir:
        names |= {p.stem for p in (Path(scenario_dir) / "scenario").glob("*.yaml")}
    return sorted(names)


def check_scenario_dir(key: str, path: str | None) -> list[str]:
    """The Hydra override that adds an extra scenario folder (none for ``None``).

    Raises:
        ConfigError: the folder has no ``scenario`` subfolder.
    """
    if not path:
        return []
    folder = Path(path).expanduser().resolve()
    if '"' in str(folder) or "\\" in str(folder):
        raise ConfigError(f"{key}={path!r}: a folder name with quotes or backslashes cannot be "
                          "a Hydra search path; move or rename the folder")
    if not (folder / "scenario").is_dir():
        raise ConfigError(f"{key}={path!r} has no 'scenario' subfolder; allowed: a folder "
                          "holding scenario/<name>.yaml files (e.g. a policy search's folder), "
                          "or null")
    shipped = set(available_scenarios()) & {p.stem for p in (folder / "scenario").glob("*.yaml")}
    if shipped:
        raise ConfigError(f"{key}={path!r} holds {', '.join(sorted(shipped))}, a name of "
                          "configs/scenario/; rename the file (and its `name`)")
    return [f'hydra.searchpath=["file://{folder}"]']


# --------------------------------------------------------------------------- compose


def compose(overrides: list[str] | None = None, config_name: str = "config",
            explain_error: Callable[[Exception], str] | None = None,
            hydra_node: bool = False) -> DictConfig:
    """Compose ``configs/<config_name>.yaml`` with Hydra-style overrides (e.g. ``["seed=3"]``).

    Works inside a running Hydra app too (the app's own Hydra state is restored afterwards).

    Args:
        overrides: Hydra-style overrides.
        config_name: the root config (``config``, ``compare`` or ``calibrate``).
        explain_error: turns a schema error into the message (default: :func:`explain` with
            the root config's schema).
        hydra_node: keep Hydra's own ``hydra`` node (e.g. to read ``hydra.run.dir``).

    Raises:
        ConfigError: unknown scenario or key, wrong type, unparsable override (one line).
    """
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.errors import (
        ConfigCompositionException,
        MissingConfigException,
        OverrideParseException,
    )

    register_configs()
    overrides = list(overrides or [])
    try:
        with _isolated_hydra(), initialize_config_dir(config_dir=str(CONFIG_DIR),
                                                      version_base="1.3"):
            return hydra_compose(config_name=config_name, overrides=overrides,
                                 return_hydra_config=hydra_node)
    except MissingConfigException as exc:
        raise ConfigError(_missing_message(exc, overrides)) from None
    except OverrideParseException as exc:
        raise ConfigError(f"cannot parse override: {str(exc).splitlines()[0]}") from None
    except ConfigCompositionException as exc:
        cause = exc.__cause__ or exc.__context__  # a bad key in a config file: the context
        if isinstance(cause, SCHEMA_ERRORS):
            where = re.match(r"In '([^']+)'", str(exc))
            msg = (explain_error or (lambda e: explain(e, SCHEMAS[config_name])))(cause)
            raise ConfigError(f"{where.group(1)}.yaml: {msg}" if where else msg) from None
        raise ConfigError(str(exc).splitlines()[0]) from None


def run_folder(overrides: list[str] | None = None, config_name: str = "config"
               ) -> tuple[Path, str]:
    """The folder a single (non-sweep) command will write, and the setting that names it.

    Returns:
        ``hydra.run.dir`` resolved (its ``${now:...}`` part as of now), and
        ``hydra.run.dir`` if the command line sets it, else the root config's output key.
    """
    cfg = compose(overrides, config_name, hydra_node=True)
    folder = Path(str(OmegaConf.select(cfg, "hydra.run.dir")))
    given = any(o.split("=", 1)[0].lstrip("+~") == "hydra.run.dir" for o in overrides or [])
    return folder, "hydra.run.dir" if given else OUTPUT_KEYS.get(config_name, "hydra.run.dir")


@contextlib.contextmanager
def _isolated_hydra() -> Iterator[None]:
    """Let :func:`compose` run inside a running Hydra app (e.g. ``simulation.compare``)."""
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.hydra_config import HydraConfig

    gh = GlobalHydra.instance()
    saved, saved_cfg = gh.hydra, HydraConfig.instance().cfg
    gh.clear()
    try:
        yield
    finally:
        gh.hydra = saved
        HydraConfig.instance().cfg = saved_cfg


def _missing_message(exc: Exception, overrides: list[str]) -> str:
    text = str(exc)
    for ov in overrides:
        if ov.split("=", 1)[0].lstrip("+~") == "scenario":
            name = ov.split("=", 1)[1]
            return (f"unknown scenario '{name}'; available scenarios: "
                    + ", ".join(available_scenarios()))
    return text.splitlines()[0]


def to_config(cfg: Any, schema: type = RunConfig,
              explain_error: Callable[[Exception], str] | None = None) -> Any:
    """A typed schema instance from a dataclass, DictConfig or plain dict.

    The values are merged onto the schema's defaults (Hydra's own ``hydra`` node is ignored),
    so keys added with Hydra's ``+`` must still match the schema.

    Raises:
        ConfigError: an unknown key or a wrong type, explained in one line.
    """
    if isinstance(cfg, schema):
        return cfg
    try:
        plain = OmegaConf.to_container(cfg, resolve=True) if isinstance(cfg, DictConfig) else cfg
        plain = {k: v for k, v in plain.items() if k != "hydra"}
        obj = OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(schema), plain))
    except SCHEMA_ERRORS as exc:
        raise ConfigError((explain_error or (lambda e: explain(e, schema)))(exc)) from None
    assert isinstance(obj, schema)
    return obj


def to_run_config(cfg: RunConfig | DictConfig | dict) -> RunConfig:
    """A typed RunConfig from a dataclass, DictConfig or plain dict (merged on the schema)."""
    return to_config(cfg, RunConfig)


# --------------------------------------------------------------------------- explain


def unknown_key(key: str, allowed: list[str], where: str = "") -> str:
    """The one-line message of an unknown key."""
    return f"unknown config key '{key}'; allowed keys{where}: " + ", ".join(allowed)


def explain(exc: Exception, schema: type = RunConfig) -> str:
    """One line naming the key, the value and what is allowed, from an OmegaConf error.

    Args:
        exc: the OmegaConf error.
        schema: the dataclass at the root of the config (lists the allowed keys).
    """
    full_key = getattr(exc, "full_key", None) or ""
    msg = str(exc).splitlines()[0]
    m = re.search(r"Key '([^']+)' (?:not in|is not in struct)", msg)
    if m:
        key = full_key or m.group(1)
        parent = key.rsplit(".", 1)[0] if "." in key else ""
        allowed = keys_under(parent, schema)
        where = f" under '{parent}'" if parent else ""
        owner = getattr(exc, "object_type", None)
        if not parent and dataclasses.is_dataclass(owner) and owner is not schema:
            allowed = [f.name for f in dataclasses.fields(owner)]  # e.g. inside a lever list
            where = f" in {owner.__name__}"
        return unknown_key(key, allowed, where)
    m = re.search(r"Value '(.*?)' (?:of type '(\w+)' )?could not be converted to (\w+)", msg)
    if m:
        return (f"{full_key}={m.group(1)!r} has the wrong type; expected {m.group(3).lower()}")
    m = re.search(r"Value '(.*?)' is not a valid bool", msg)
    if m:
        return f"{full_key}={m.group(1)!r} has the wrong type; allowed: true or false"
    m = re.fullmatch(r"(.+)\[(\d+)\]", full_key)
    if m and "Invalid type assigned" in msg:
        return (f"{m.group(1)} has no element {m.group(2)} to override; give the whole list "
                f"instead, e.g. '{m.group(1)}=[{{...}}]' (see configs/scenario/README.md)")
    return f"{full_key}: {msg}" if full_key else msg


def keys_under(path: str, schema: type = RunConfig) -> list[str]:
    """The keys a schema allows under a dotted path (``[]`` if the path leaves the schema)."""
    node: Any = OmegaConf.structured(schema)
    for part in [p for p in re.split(r"[.\[\]]", path) if p]:
        try:
            if part.isdigit() and isinstance(node, ListConfig):
                item = node._metadata.element_type  # noqa: SLF001 - the list's dataclass
                node = OmegaConf.structured(item)
            else:
                node = node[part]
        except Exception:  # noqa: BLE001 - best effort for the message
            return []
    return list(node.keys()) if isinstance(node, DictConfig) else []


# --------------------------------------------------------------------------- identity


def fingerprint(cfg: RunConfig, commit: str | None = None) -> str:
    """Hash of the composed config (seed included) and code version: equal ⇒ same results.

    A network file's content counts too (editing the file changes the results).
    """
    text = config_yaml(cfg) + _suffix(cfg, commit if commit is not None else git_commit())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def fingerprints(cfgs: Sequence[RunConfig], commit: str | None = None) -> list[str]:
    """:func:`fingerprint` of each config, each distinct part of the configs rendered once.

    Rendering a config as YAML through OmegaConf costs tens of milliseconds, and a comparison
    over posterior parameter draws has a distinct configuration per replication (hundreds:
    that rendering was most of the comparison's writing time). The runs of a comparison differ
    in ``seed``, ``replication`` and a few parameter values, so each configuration but for
    those is converted by OmegaConf once, the values that differ are set into a copy of its
    plain container, and the YAML is assembled from the YAML of each top-level section (and of
    each entry of a section), every distinct one rendered once. The text is the same as
    :func:`config_yaml`'s (block YAML renders a mapping's entries one after another), so are
    the hashes.
    """
    commit = commit if commit is not None else git_commit()
    render = YamlParts()
    suffixes: dict[str | None, str] = {}
    out = []
    for cfg in cfgs:
        if cfg.network_file not in suffixes:
            suffixes[cfg.network_file] = _suffix(cfg, commit)
        text = render(cfg) + suffixes[cfg.network_file]
        out.append(hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])
    return out


def _suffix(cfg: RunConfig, commit: str) -> str:
    """What a fingerprint adds to the config: the code version and the network file's hash."""
    text = "\n" + commit
    if cfg.network_file is not None:
        try:
            text += "\n" + hashlib.sha256(Path(cfg.network_file).read_bytes()).hexdigest()
        except OSError:
            text += "\nmissing network file"
    return text


# --------------------------------------------------------------------------- Hydra's CLI


def hydra_arguments(argv: list[str]) -> Any:
    """Hydra's own reading of a command line (its flags and the overrides).

    Hydra has no public API for this; it is the one place the project uses ``hydra._internal``
    (hydra-core is pinned to 1.3.8, where ``get_args_parser`` is stable).

    Raises:
        SystemExit: argparse refused the command line (Hydra reports its own usage errors).
    """
    from hydra._internal.utils import get_args_parser

    return get_args_parser().parse_args(argv)


def config_loader() -> Any:
    """Hydra's config loader over ``configs/`` (it lists the options of a ``glob()`` sweep)."""
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra

    register_configs()
    with _isolated_hydra(), initialize_config_dir(config_dir=str(CONFIG_DIR),
                                                  version_base="1.3"):
        return GlobalHydra.instance().config_loader()
