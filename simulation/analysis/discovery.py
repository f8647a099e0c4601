"""Scenario discovery: in which futures does a policy miss its target, and how robust is it?

:func:`setup` checks a :class:`~simulation.config.decide.DiscoverConfig`; :func:`sample` draws
a Latin hypercube of futures over the deep uncertainties (each a value in a documented range,
set on one or more ``params`` keys); :func:`evaluate` runs the baseline and every policy in
every future at the same replication seeds (common random numbers: the seeds are shared by all
futures and policies, so the outcome varies across futures because of the uncertainties, not
of chance) and returns each policy's paired gain per future.

:func:`prim_boxes` finds, with PRIM (ema-workbench), boxes of the uncertainty space in which
the chosen policy misses its target: each box's *coverage* (share of all misses that fall in
the box), *density* (share of the futures in the box that are misses), *mass* (share of all
futures in the box) and its restricted dimensions with their ranges and quasi-p-values.
:func:`robustness` gives, per policy, the share of futures that meet the target and its regret:
in each future, how far it falls short of the best policy of the set.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.analysis import comparison, measures
from simulation.analysis.outcomes import MAXIMISE, Outcome, PairedEvaluator, check_outcome
from simulation.config.compose import available_scenarios, check_scenario_dir
from simulation.config.decide import DiscoverConfig, Uncertainty
from simulation.config.keys import KeyNotFound, resolve, with_values
from simulation.config.schema import CompareConfig, RunConfig
from simulation.config.validate import check_ranges
from simulation.data import Inputs, load_inputs
from simulation.errors import ConfigError
from simulation.runs.replicate import replication_seeds
from simulation.runs.runner import prepare


@dataclass
class Setup:
    """A checked discovery problem."""

    cfg: DiscoverConfig
    policies: list[str]  # the policy first
    configs: dict[str, RunConfig]  # baseline and policies, on one calendar
    seeds: list[int]
    start: str
    horizon: str
    outcome: Outcome
    units: pd.DataFrame
    inputs: Inputs


def check_uncertainty(i: int, u: Uncertainty) -> None:
    """One-line errors for an uncertainty: its keys exist, its range is allowed."""
    key = f"uncertainties.{i}"
    if not u.keys:
        raise ConfigError(f"{key}.keys is empty; allowed: one or more params.* keys")
    if not u.low < u.high:
        raise ConfigError(f"{key} ({u.name}): range [{u.low}, {u.high}] must have low < high")
    for k in u.keys:
        if not k.startswith("params."):
            raise ConfigError(f"{key}.keys contains {k!r}; deep uncertainties are behavioural "
                              "parameters params.* (policy levers are what the policies set)")
        try:
            value, meta = resolve(RunConfig(), k)
        except KeyNotFound as exc:
            parent = ".".join(exc.found)
            raise ConfigError(f"{key}.keys contains unknown {k!r}; allowed under '{parent}': "
                              + ", ".join(exc.allowed)) from None
        if isinstance(value, bool) or not (value is None or isinstance(value, int | float)) \
                or "range" not in meta:
            raise ConfigError(f"{key}.keys contains {k!r}, which is not a numeric parameter")
        lo, hi = meta["range"]
        if (lo is not None and u.low < lo) or (hi is not None and u.high > hi):
            raise ConfigError(f"{key} ({u.name}): range [{u.low}, {u.high}] leaves the allowed "
                              f"[{lo}, {hi}] of {k}")


def setup(cfg: DiscoverConfig) -> Setup:
    """Check the study and compose the baseline and the policies (nothing run).

    Raises:
        ConfigError: one line naming the key, the value and what is allowed.
    """
    check_ranges(cfg)
    outcome = check_outcome("outcome", cfg.outcome)
    check_scenario_dir("scenario_dir", cfg.scenario_dir)
    available = available_scenarios(cfg.scenario_dir)
    policies = list(dict.fromkeys([cfg.policy, *cfg.policies]))
    for key, names in (("baseline", [cfg.baseline]), ("policy", [cfg.policy]),
                       ("policies", cfg.policies)):
        for n in names:
            if n not in available:
                raise ConfigError(f"{key}: unknown scenario {n!r}; available scenarios: "
                                  + ", ".join(available))
    if cfg.baseline in policies:
        raise ConfigError(f"policies include the baseline {cfg.baseline!r}; allowed: other "
                          "scenarios (every policy's outcome is a difference from it)")
    if not cfg.uncertainties:
        raise ConfigError("uncertainties is empty; allowed: one or more {name, keys, low, high}")
    names = [u.name for u in cfg.uncertainties]
    if len(set(names)) < len(names):
        raise ConfigError(f"uncertainties: names {names} repeat; allowed: distinct names")
    for i, u in enumerate(cfg.uncertainties):
        check_uncertainty(i, u)
    inputs = load_inputs(cfg.data_dir)
    cc = CompareConfig(scenarios=[cfg.baseline, *policies], baseline=cfg.baseline,
                       seed=cfg.seed, window_start=cfg.window_start, params=cfg.params,
                       time=cfg.time, data_dir=cfg.data_dir, scenario_dir=cfg.scenario_dir)
    configs, start, horizon = comparison.scenario_configs(cc, [cfg.baseline, *policies], inputs)
    comparison.check_window(cfg.window_start, start, horizon)
    s = Setup(cfg, policies, configs, replication_seeds(cfg.seed, cfg.replications), start,
              horizon, outcome, measures.locations(inputs, "pre2025"), inputs)
    lows = future_values(cfg, pd.Series({u.name: u.low for u in cfg.uncertainties}))
    for rc in configs.values():  # the corners of the box validate like any run
        prepare(with_values(rc, lows), inputs)
        prepare(with_values(rc, future_values(cfg, pd.Series(
            {u.name: u.high for u in cfg.uncertainties}))), inputs)
    return s


def sample(cfg: DiscoverConfig) -> pd.DataFrame:
    """Latin hypercube of ``cfg.futures`` futures (one column per uncertainty name)."""
    from scipy.stats import qmc

    u = cfg.uncertainties
    unit = qmc.LatinHypercube(d=len(u), seed=np.random.default_rng(cfg.sampling_seed)
                              ).random(cfg.futures)
    lo, hi = np.array([x.low for x in u]), np.array([x.high for x in u])
    out = pd.DataFrame(lo + unit * (hi - lo), columns=[x.name for x in u])
    out.index.name = "future"
    return out


def future_values(cfg: DiscoverConfig, row: pd.Series) -> dict[str, float]:
    """Config key → value of one future."""
    return {k: float(row[u.name]) for u in cfg.uncertainties for k in u.keys}


def evaluate(s: Setup, futures: pd.DataFrame, evaluator: PairedEvaluator) -> pd.DataFrame:
    """Every policy's paired gain in every future.

    Returns:
        One row per future: the uncertainties, then per policy its mean paired difference
        (policy − baseline over the seeds) and, for the baseline, its level.
    """
    names = [s.cfg.baseline, *s.policies]
    configs = []
    for f, row in futures.iterrows():
        values = future_values(s.cfg, row)
        configs += [(f"{n}, future {f}", with_values(s.configs[n], values)) for n in names]
    v = evaluator.values(configs, desc=f"{len(futures)} futures × {len(names)} scenarios × "
                         f"{len(s.seeds)} seeds")[..., 0]  # (F·(P+1), R)
    v = v.reshape(len(futures), len(names), len(s.seeds))
    out = futures.copy()
    out[f"{s.cfg.baseline}_level"] = v[:, 0].mean(axis=1)
    for j, p in enumerate(s.policies, start=1):
        out[p] = (v[:, j] - v[:, 0]).mean(axis=1)
    return out


def meets(s: Setup, values: pd.Series | np.ndarray) -> np.ndarray:
    """True where a gain meets the target (reaches it; for a cost, stays at or below it)."""
    v = np.asarray(values, float)
    return v >= s.cfg.target if s.outcome.sense == MAXIMISE else v <= s.cfg.target


def robustness(s: Setup, results: pd.DataFrame) -> pd.DataFrame:
    """Per policy: share of futures meeting the target, outcome spread and regret.

    Regret in a future is the gap to the best policy of the set in that future (0 for the
    best); the table gives its mean, 90th percentile and maximum over the futures.
    """
    v = results[s.policies].to_numpy(float)
    sign = 1.0 if s.outcome.sense == MAXIMISE else -1.0
    regret = (sign * v).max(axis=1, keepdims=True) - sign * v
    rows = []
    for j, p in enumerate(s.policies):
        rows.append({"policy": p, "share_meeting_target": float(meets(s, v[:, j]).mean()),
                     "mean": float(v[:, j].mean()), "p10": float(np.quantile(v[:, j], 0.1)),
                     "p90": float(np.quantile(v[:, j], 0.9)),
                     "mean_regret": float(regret[:, j].mean()),
                     "p90_regret": float(np.quantile(regret[:, j], 0.9)),
                     "max_regret": float(regret[:, j].max()),
                     "best_in_share": float((regret[:, j] == 0).mean())})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- PRIM


@dataclass
class Box:
    """One PRIM box: statistics and the restricted dimensions."""

    number: int
    coverage: float
    density: float
    mass: float
    n: int  # futures in the box
    limits: pd.DataFrame  # uncertainty, low, high, qp_low, qp_high, full_low, full_high
    trajectory: pd.DataFrame  # the peeling and pasting trajectory it was read from
    chosen: int  # index on the trajectory


def _prim():
    logging.getLogger("EMA").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim
    return prim


def pick(trajectory: pd.DataFrame, min_density: float) -> int:
    """The box read off a trajectory (its row index).

    The highest coverage with density ≥ ``min_density``; if no box reaches it, the densest
    (ties: the larger coverage).
    """
    ok = trajectory[trajectory["density"] >= min_density - 1e-12]
    if not ok.empty:
        return int(ok.sort_values(["coverage", "density"], ascending=False,
                                  kind="stable").index[0])
    return int(trajectory.sort_values(["density", "coverage"], ascending=False,
                                      kind="stable").index[0])


def prim_boxes(s: Setup, results: pd.DataFrame) -> list[Box]:
    """PRIM boxes of the futures in which ``cfg.policy`` misses the target."""
    prim = _prim()
    names = [u.name for u in s.cfg.uncertainties]
    x = results[names].reset_index(drop=True)
    y = ~meets(s, results[s.cfg.policy])
    if not y.any():
        return []
    pc = s.cfg.prim
    with warnings.catch_warnings():  # ema-workbench 3.0 uses pandas' deprecated inplace
        warnings.simplefilter("ignore")
        alg = prim.Prim(x, y.astype(int), peel_alpha=pc.peel_alpha,
                        paste_alpha=pc.paste_alpha, mass_min=pc.mass_min)
    full = x.agg(["min", "max"])
    boxes = []
    for number in range(1, pc.boxes + 1):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            box = alg.find_box()
        if box is None:
            break
        traj = box.peeling_trajectory.reset_index(drop=True)
        i = pick(traj, pc.min_density)
        box.select(i)
        lim = box.box_lims[i]
        qp = box.p_values[i]
        rows = []
        for name in names:
            lo, hi = float(lim.loc[0, name]), float(lim.loc[1, name])
            if lo > full.loc["min", name] or hi < full.loc["max", name]:
                q = qp.get(name, [np.nan, np.nan])
                rows.append({"uncertainty": name, "low": lo, "high": hi,
                             "qp_low": _qp(q[0]), "qp_high": _qp(q[1]),
                             "full_low": float(full.loc["min", name]),
                             "full_high": float(full.loc["max", name])})
        r = traj.loc[i]
        boxes.append(Box(number, float(r["coverage"]), float(r["density"]), float(r["mass"]),
                         int(r["n"]), pd.DataFrame(rows), traj, i))
        if float(r["density"]) < pc.min_density or not (y & ~_in_boxes(x, boxes)).any():
            break
    return boxes


SIGNIFICANT_QP = 0.1  # a limit with a quasi-p-value below this is read as a condition


def caveats(box: Box, min_density: float) -> list[str]:
    """What a reader must know before reading ``box`` as a condition of failure.

    Two warnings: the box is below the density asked for (PRIM found nothing denser on these
    futures), and no limit of the box is significant (every quasi-p-value ≥ 0.1 or undefined),
    so the restriction could be chance at this number of futures and seeds.
    """
    out = []
    if box.density < min_density - 1e-12:
        out.append(f"No box on the remaining futures reaches a density of {min_density:.0%}; "
                   "this is the densest PRIM found: read it as 'no clear condition'.")
    if not box.limits.empty:
        qp = box.limits[["qp_low", "qp_high"]].to_numpy(float)
        if not (np.nan_to_num(qp, nan=1.0) < SIGNIFICANT_QP).any():
            out.append(f"No limit has a quasi-p-value below {SIGNIFICANT_QP:g}: the "
                       "restriction may be chance at this number of futures and seeds; run "
                       "more futures, and more seeds a future (replications=), before reading "
                       "it as a condition of failure.")
    return out


def _qp(value: float) -> float:
    return float("nan") if value is None or value < 0 else float(value)


def _in_boxes(x: pd.DataFrame, boxes: list[Box]) -> np.ndarray:
    inside = np.zeros(len(x), bool)
    for b in boxes:
        m = np.ones(len(x), bool)
        for r in b.limits.itertuples():
            m &= (x[r.uncertainty] >= r.low).to_numpy() & (x[r.uncertainty] <= r.high).to_numpy()
        inside |= m
    return inside


def boxes_table(boxes: list[Box]) -> pd.DataFrame:
    """One row per box and restricted dimension (the box statistics repeated)."""
    rows = []
    for b in boxes:
        stats = {"box": b.number, "coverage": b.coverage, "density": b.density,
                 "mass": b.mass, "futures_in_box": b.n}
        if b.limits.empty:
            rows.append(stats)
        for r in b.limits.to_dict("records"):
            rows.append({**stats, **r})
    return pd.DataFrame(rows, columns=BOX_COLUMNS)


BOX_COLUMNS = ["box", "coverage", "density", "mass", "futures_in_box", "uncertainty", "low",
               "high", "qp_low", "qp_high", "full_low", "full_high"]
