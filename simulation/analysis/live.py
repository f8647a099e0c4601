"""Indicators of a model while it runs (the live dashboard): a track, a snapshot, headline numbers.

:class:`Track` keeps, for every recorded quarter, a few indicators of the registry per location
(:func:`simulation.analysis.kpis.location_values` on the slices the recorder has just stored);
:func:`snapshot` copies what the page shows out of a model and its paired baselines. The page
runs several paired seeds (scenario and baseline share each seed): it shows means over them and,
for every difference, the interval of the mean paired difference (:data:`LEVEL`), so a presenter
sees whether an effect stands out from chance. Headline numbers are sums over the partner
provinces. Kept apart from the widgets so it can be tested without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulation.analysis.kpis import INDICATORS, location_values
from simulation.analysis.paired import interval

LEVEL = 0.90  # coverage of the interval of a mean paired difference on the page

# what the page shows → the indicator of the registry behind it
SERIES = {"licensed": "licensed_projects", "registered": "registered_bn",
          "disbursed": "disbursed_bn", "jobs": "total_jobs", "revenue": "collected_bn"}


@dataclass
class Track:
    """Per recorded quarter and location: the numbers the dashboard draws (see :data:`SERIES`).

    Money in bn VND, jobs in persons, projects in projects: the tidy tables' real units.
    """

    quarters: list[str] = field(default_factory=list)
    rows: dict[str, list[np.ndarray]] = field(default_factory=lambda: {s: [] for s in SERIES})

    def capture(self, quarter: str, recorder, rep: int = 0) -> None:
        """Keep the values of the quarter the recorder has just stored.

        ``rep``: the replication, when the recorder is a batch's.
        """
        tables = {INDICATORS[name].table for name in SERIES.values()}
        latest = {t: recorder.latest(t, rep) for t in tables}
        self.quarters.append(quarter)
        for key, name in SERIES.items():
            self.rows[key].append(location_values(latest, name))

    def array(self, name: str, n_locations: int) -> np.ndarray:
        """Quarters × locations array of one series (zero rows before the first quarter)."""
        rows = self.rows[name]
        return np.stack(rows) if rows else np.zeros((0, n_locations))


@dataclass
class Snapshot:
    """The state of a dashboard model after the last step.

    Attributes:
        quarters: recorded quarters so far.
        horizon: every recorded quarter of the run.
        codes, roles: location codes and roles in model order.
        partners: indices of the partner provinces.
        home: index of HCMC.
        scenario, baseline: series name → quarters × locations array (see ``SERIES``), the
            mean over the paired seeds.
        differences: series name → seeds × quarters × locations array of scenario − baseline,
            seed by seed.
        lat, lon: coordinates of the locations (degrees).
        tie_strength: mean tie strength over the cooperation fields of the HCMC–unit edge of
            the cooperation graph's agreement layer (scenario, first seed; 0 without an edge).
        tie_level: highest cooperation level over the fields of that edge.
    """

    quarters: list[str]
    horizon: list[str]
    codes: list[str]
    roles: list[str]
    partners: np.ndarray
    home: int
    scenario: dict[str, np.ndarray]
    baseline: dict[str, np.ndarray]
    differences: dict[str, np.ndarray]
    lat: np.ndarray
    lon: np.ndarray
    tie_strength: np.ndarray
    tie_level: np.ndarray

    @property
    def current(self) -> str | None:
        """The last recorded quarter (None before the first one)."""
        return self.quarters[-1] if self.quarters else None

    @property
    def seeds(self) -> int:
        """Number of paired seeds behind the means and intervals."""
        return next(iter(self.differences.values())).shape[0]


def snapshot(model) -> Snapshot:
    """Copy what the page needs out of a (valid) live model and its paired baselines.

    ``model`` is a :class:`~simulation.model.CooperationModel` with a :class:`Track`
    (``model.track``), a paired ``model.baseline`` (itself when it is the baseline) and, for
    more seeds, ``model.pairs``: every (scenario, baseline) pair of models, the first being
    ``(model, model.baseline)``.
    """
    loc = model.world.locations
    L, codes = loc.n, list(loc.codes)
    pairs = getattr(model, "pairs", None) or [(model, model.baseline)]

    def stacked(runs) -> dict[str, np.ndarray]:
        return {s: np.stack([m.track.array(s, L) for m in runs]) for s in SERIES}

    sc, bl = stacked([a for a, _ in pairs]), stacked([b for _, b in pairs])
    g = model.graph
    strength, level = np.zeros(L), np.zeros(L, dtype=int)
    for u, v, key, data in g.edges(codes[loc.home], keys=True, data=True):
        if key != "agreement":
            continue
        i = codes.index(v if u == codes[loc.home] else u)
        strength[i] = float(np.mean(list(data["strength"].values())))
        level[i] = max(data["level"].values())
    return Snapshot(
        quarters=list(model.track.quarters), horizon=model.horizon_quarters,
        codes=codes, roles=list(loc.roles),
        partners=np.asarray(loc.partners), home=int(loc.home),
        scenario={s: a.mean(axis=0) for s, a in sc.items()},
        baseline={s: a.mean(axis=0) for s, a in bl.items()},
        differences={s: sc[s] - bl[s] for s in SERIES},
        lat=np.array([g.nodes[c]["lat"] for c in codes]),
        lon=np.array([g.nodes[c]["lon"] for c in codes]),
        tie_strength=strength, tie_level=level)


@dataclass(frozen=True)
class Metric:
    """One headline number: scenario, paired baseline, their difference and its interval."""

    key: str
    scenario: float
    baseline: float
    low: float = float("nan")  # interval of the mean paired difference (NaN for one seed)
    high: float = float("nan")

    @property
    def difference(self) -> float:
        """Scenario minus baseline (the mean of the paired differences)."""
        return self.scenario - self.baseline

    @property
    def percent(self) -> float:
        """Difference in % of the baseline (NaN when the baseline is zero)."""
        return 100.0 * self.difference / self.baseline if self.baseline else float("nan")

    @property
    def clear(self) -> bool:
        """True when the interval leaves out 0 (the effect stands out from chance)."""
        return bool(self.low > 0 or self.high < 0)


# key → (series, how): "sum" over the quarters so far, "last" = the latest quarter
HEADLINE = {
    "licensed": ("licensed", "sum"),
    "registered": ("registered", "sum"),
    "disbursed": ("disbursed", "sum"),
    "jobs": ("jobs", "last"),
    "revenue": ("revenue", "sum"),
}


def _so_far(arr: np.ndarray, how: str) -> np.ndarray:
    """Sum over the quarters so far, or the latest quarter (quarters on axis -2)."""
    if arr.shape[-2] == 0:
        return np.zeros(arr.shape[:-2] + arr.shape[-1:])
    return arr.sum(axis=-2) if how == "sum" else arr[..., -1, :]


def headline_numbers(snap: Snapshot) -> list[Metric]:
    """Headline numbers: totals over the partner provinces, scenario and baseline.

    Licensed projects, registered and disbursed capital and revenue collected are summed over
    the quarters so far; jobs are those of the latest quarter. Means over the paired seeds,
    with the interval of the mean paired difference.
    """
    out = []
    for key, (s, how) in HEADLINE.items():
        d = _so_far(snap.differences[s], how)[:, snap.partners].sum(axis=1)
        low, high = interval(d[None, :], LEVEL)
        out.append(Metric(key, float(_so_far(snap.scenario[s], how)[snap.partners].sum()),
                          float(_so_far(snap.baseline[s], how)[snap.partners].sum()),
                          float(low[0]), float(high[0])))
    return out


def province_totals(snap: Snapshot, which: str) -> dict[str, np.ndarray]:
    """Per location: registered capital and revenue summed so far, jobs in the latest quarter.

    Args:
        snap: the snapshot.
        which: ``"scenario"`` or ``"baseline"`` (means over the paired seeds).
    """
    runs = getattr(snap, which)
    return {"registered": _so_far(runs["registered"], "sum"),
            "jobs": _so_far(runs["jobs"], "last"), "revenue": _so_far(runs["revenue"], "sum")}


def province_differences(snap: Snapshot) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per location, the mean paired difference of :func:`province_totals` and its interval.

    Returns:
        Name → ``(mean, low, high)``, arrays over locations (low/high NaN for one seed).
    """
    out = {}
    for name, how in (("registered", "sum"), ("jobs", "last"), ("revenue", "sum")):
        d = _so_far(snap.differences[name], how)  # seeds × locations
        low, high = interval(d.T, LEVEL)
        out[name] = (d.mean(axis=0), low, high)
    return out


def largest_gain(snap: Snapshot) -> tuple[str, float] | None:
    """The partner with the largest difference in registered capital clear of chance.

    Clear of chance: its interval leaves out 0 (with one seed: any nonzero difference).
    None when no partner's difference is.
    """
    mean, low, high = province_differences(snap)["registered"]
    p = snap.partners
    clear = (low[p] > 0) | (high[p] < 0) if snap.seeds > 1 else mean[p] != 0
    if not np.any(clear):
        return None
    diff = np.where(clear, mean[p], 0.0)
    i = int(np.argmax(np.abs(diff)))
    return snap.codes[int(p[i])], float(diff[i])
