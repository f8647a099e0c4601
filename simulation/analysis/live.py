"""Indicators of a model while it runs (the live dashboard): a track, a snapshot, headline numbers.

:class:`Track` keeps, for every recorded quarter, a few indicators of the registry per location
(:func:`simulation.analysis.kpis.location_values` on the slices the recorder has just stored);
:func:`snapshot` copies what the page shows out of a model and its paired baseline, and the
headline numbers are sums over the nine partner provinces. Kept apart from the widgets so it can
be tested without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from simulation.analysis.kpis import INDICATORS, location_values

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

    def capture(self, quarter: str, recorder) -> None:
        """Keep the values of the quarter the recorder has just stored."""
        tables = {INDICATORS[name].table for name in SERIES.values()}
        latest = {t: recorder.latest(t) for t in tables}
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
        scenario, baseline: series name → quarters × locations array (see ``SERIES``).
        lat, lon: coordinates of the locations (degrees).
        tie_strength: mean tie strength over the cooperation fields of the HCMC–unit edge of
            the cooperation graph's agreement layer (scenario; 0 without an edge).
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
    lat: np.ndarray
    lon: np.ndarray
    tie_strength: np.ndarray
    tie_level: np.ndarray

    @property
    def current(self) -> str | None:
        """The last recorded quarter (None before the first one)."""
        return self.quarters[-1] if self.quarters else None


def snapshot(model) -> Snapshot:
    """Copy what the page needs out of a (valid) live model and its paired baseline.

    ``model`` is a :class:`~simulation.model.CooperationModel` with a :class:`Track`
    (``model.track``) and a paired ``model.baseline`` (itself when it is the baseline).
    """
    loc = model.world.locations
    L, codes = loc.n, list(loc.codes)

    def arrays(m) -> dict[str, np.ndarray]:
        return {s: m.track.array(s, L).copy() for s in SERIES}

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
        scenario=arrays(model), baseline=arrays(model.baseline),
        lat=np.array([g.nodes[c]["lat"] for c in codes]),
        lon=np.array([g.nodes[c]["lon"] for c in codes]),
        tie_strength=strength, tie_level=level)


@dataclass(frozen=True)
class Metric:
    """One headline number: scenario, paired baseline and their difference."""

    key: str
    scenario: float
    baseline: float

    @property
    def difference(self) -> float:
        """Scenario minus baseline."""
        return self.scenario - self.baseline

    @property
    def percent(self) -> float:
        """Difference in % of the baseline (NaN when the baseline is zero)."""
        return 100.0 * self.difference / self.baseline if self.baseline else float("nan")


# key → (series, how): "sum" over the quarters so far, "last" = the latest quarter
HEADLINE = {
    "licensed": ("licensed", "sum"),
    "registered": ("registered", "sum"),
    "disbursed": ("disbursed", "sum"),
    "jobs": ("jobs", "last"),
    "revenue": ("revenue", "sum"),
}


def _partner_total(arr: np.ndarray, partners: np.ndarray, how: str) -> float:
    if arr.shape[0] == 0:
        return 0.0
    part = arr[:, partners]
    return float(part.sum() if how == "sum" else part[-1].sum())


def headline_numbers(snap: Snapshot) -> list[Metric]:
    """Headline numbers: totals over the nine partner provinces, scenario and baseline.

    Licensed projects, registered and disbursed capital and revenue collected are summed over
    the quarters so far; jobs are those of the latest quarter.
    """
    return [Metric(key, _partner_total(snap.scenario[s], snap.partners, how),
                   _partner_total(snap.baseline[s], snap.partners, how))
            for key, (s, how) in HEADLINE.items()]


def province_totals(snap: Snapshot, which: str) -> dict[str, np.ndarray]:
    """Per location: registered capital and revenue summed so far, jobs in the latest quarter.

    Args:
        snap: the snapshot.
        which: ``"scenario"`` or ``"baseline"``.
    """
    runs = getattr(snap, which)
    L = len(snap.codes)

    def total(s: str, how: str) -> np.ndarray:
        arr = runs[s]
        if arr.shape[0] == 0:
            return np.zeros(L)
        return arr.sum(axis=0) if how == "sum" else arr[-1]

    return {"registered": total("registered", "sum"), "jobs": total("jobs", "last"),
            "revenue": total("revenue", "sum")}


def largest_gain(snap: Snapshot) -> tuple[str, float] | None:
    """The partner with the largest scenario-minus-baseline registered capital so far."""
    diff = (province_totals(snap, "scenario")["registered"]
            - province_totals(snap, "baseline")["registered"])[snap.partners]
    if diff.size == 0 or not np.any(diff != 0):
        return None
    i = int(np.argmax(np.abs(diff)))
    return snap.codes[int(snap.partners[i])], float(diff[i])
