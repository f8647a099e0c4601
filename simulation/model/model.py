"""The phases of a quarter (``Phases``), for one run or a batch of replications.

`step()` is the list of named phases of MODEL_SPEC §4, in order. Each phase reads the model's
state (:mod:`simulation.model.state`), passes arrays to the pure rules of
:mod:`simulation.model.rules` and stores what they return; indicators go to the recorder. The
longer phases live beside this module: the decisions in :mod:`~simulation.model.investment`,
the lifecycle in :mod:`~simulation.model.lifecycle`, jobs, taxes and costs in
:mod:`~simulation.model.accounts`, and the two structural events (the initial stock at the
first recorded quarter, the 1 July 2025 reform) in :mod:`~simulation.model.structure`. The Mesa
model of one run, :class:`~simulation.model.agents.CooperationModel`, runs these phases with
its agents; a batch (:mod:`~simulation.model.batch`) runs them without Mesa.
"""

from __future__ import annotations

import copy

import numpy as np

from simulation.config.params import ModelParams
from simulation.config.schema import RunConfig, same_but_scenario
from simulation.data import Inputs
from simulation.model import accounts, government, investment, lifecycle, structure
from simulation.model.members import Members
from simulation.model.network.graph import PeerGraph
from simulation.model.network.layers import Layers
from simulation.model.policy import build_schedule, divergence
from simulation.model.projects import LICENSED, ProjectLedger
from simulation.model.recorder import Recorder, grid
from simulation.model.rules import choice, dynamics, land, ties
from simulation.model.state import Firms, Locations, State, World
from simulation.model.tiling import Tiling


def seed_streams(seed: int) -> tuple[np.random.SeedSequence, int]:
    """A run's world generator seed and its counter-based stream key, from its seed."""
    world_ss, stream_ss = np.random.SeedSequence(seed).spawn(2)
    return world_ss, int(stream_ss.generate_state(1, np.uint64)[0])


class Phases:
    """The model's state and its phases, for one run or a batch of replications.

    It owns ``world``, ``schedule``, ``firms`` and ``state`` (:mod:`simulation.model.state`), the
    network ``layers``, the project ``ledger``, the ``recorder``, the ``tiling`` of the
    replications (:class:`~simulation.model.tiling.Tiling`; one for a run) and ``k``, the index
    of the quarter being simulated (spin-up included).
    """

    def build(self, cfg: RunConfig, inputs: Inputs, rngs: list[np.random.Generator],
              stream_keys: list[int], params: list[ModelParams] | None = None) -> None:
        """Everything a run needs, for one replication per generator and stream key.

        ``params``: each replication's parameters when they differ (posterior draws; only in
        :data:`~simulation.model.members.MEMBER_PARAMS`); by default ``cfg.params`` for all.
        """
        self.cfg, self.p, self.inputs = cfg, cfg.params, inputs
        self.members = Members(params or [cfg.params] * len(rngs))
        self.stream_keys = stream_keys
        self.world = World.build(cfg, inputs)
        w = self.world
        self.schedule = build_schedule(cfg, w.quarters, inputs, w.locations.successor,
                                       w.reform_k)
        parts = [Firms.draw(p, w.sectors.opportunity_share, g)
                 for p, g in zip(self.members.params, rngs, strict=True)]
        self.firms = Firms.stack(parts)
        own = ([Locations.build(inputs, p) for p in self.members.params]
               if self.members.varying else None)  # each replication's own place constants
        self.xi = None if own is None else np.stack([loc.xi for loc in own])  # (R, L)
        self.tiling = Tiling.build(w.locations, len(rngs), parts[0].n,
                                   None if own is None else [loc.labour_pool for loc in own])
        self.state = State.initial(w, self.p, inputs, self.firms.n, self.tiling)
        self.layers = Layers.build(inputs, self.p.network, self.firms.sector, list(rngs),
                                   self.tiling)
        self.ledger = ProjectLedger(replications=len(rngs))
        self.recorder = Recorder(w, self.ledger, self.p.project.large_threshold_bn,
                                 self.schedule.sections, self.tiling)
        self.k = 0
        self.running = True

    # ------------------------------------------------------------------ scenarios sharing a past
    def divergence(self, cfg: RunConfig) -> int:
        """The quarter index up to which scenario ``cfg`` would run exactly as this one.

        ``cfg`` must equal this run's configuration but for its scenario, seed and replication
        (a batch's other replications are paired by the caller): 0 otherwise, and 0 if the two
        schedules differ from the first quarter.
        """
        if not same_but_scenario(self.cfg, cfg):
            return 0
        return divergence(self.schedule, self._schedule_of(cfg))

    def run_until(self, k: int) -> None:
        """Step up to (not including) quarter index ``k``."""
        while self.k < min(k, len(self.world.quarters)):
            self.step()

    def fork(self, cfg: RunConfig) -> Phases:
        """A copy of this run (or batch) that continues under scenario ``cfg``.

        Runs of the same configuration and seeds under two scenarios are identical until their
        schedules first differ (:func:`~simulation.model.policy.divergence`): the random draws
        are counter-based, keyed by seed, stream and quarter, not by the path taken. So the
        second scenario can start from a copy of the first's state at that quarter and skip
        the shared past; its tables are those of its own run, bit for bit
        (``tests/test_batch.py``).

        Raises:
            ValueError: ``cfg`` differs from this run in more than the scenario, or this run
                is already past the quarter where the two scenarios part.
        """
        if not same_but_scenario(self.cfg, cfg):
            raise ValueError("a fork may change only the scenario of the run")
        schedule = self._schedule_of(cfg)
        k = divergence(self.schedule, schedule)
        if self.k > k:
            raise ValueError(f"the scenarios part at quarter index {k}; this run is at {self.k}")
        w = self.world
        shared = [self.inputs, w, self.members, self.tiling, self.p, self.cfg, self.schedule,
                  self.layers.road, self.layers.base, self.layers._inputs,  # noqa: SLF001
                  self.layers._location_metrics, self.recorder.sections]  # noqa: SLF001
        memo = {id(x): x for x in shared}
        memo[id(self.cfg)], memo[id(self.schedule)] = cfg, schedule
        memo[id(self.recorder.sections)] = schedule.sections
        twin = copy.deepcopy(self, memo)
        twin.cfg, twin.schedule, twin.recorder.sections = cfg, schedule, schedule.sections
        return twin

    def _schedule_of(self, cfg: RunConfig):  # noqa: ANN202 - a Schedule
        w = self.world
        return build_schedule(cfg, w.quarters, self.inputs, w.locations.successor, w.reform_k)

    # ------------------------------------------------------------------ calendar
    @property
    def quarter(self) -> int:
        """Absolute index of the quarter being simulated (the last one once the run is over)."""
        return int(self.world.quarters[min(self.k, len(self.world.quarters) - 1)])

    @property
    def quarter_label(self) -> str:
        """Calendar label of :attr:`quarter`, e.g. 2024Q3."""
        return self.world.labels[min(self.k, len(self.world.labels) - 1)]

    @property
    def graph(self):  # noqa: ANN201 - networkx.MultiGraph
        """The multilayer networkx view (agreement, province and road layers).

        It is in line with the model's arrays at the last recorded quarter.
        """
        return self.layers.graph

    def peer_graph(self) -> PeerGraph:
        """The peer layer at the end of the run (firm agents, their sectors and links)."""
        return PeerGraph(self.layers.peers, self.world.sectors.codes, self.firms.sector)

    @property
    def stream_key(self) -> int:
        """The counter-based stream key of the (first) replication."""
        return self.stream_keys[0]

    # ------------------------------------------------------------------ step
    def step(self) -> None:
        """One quarter: the phases of MODEL_SPEC §4 in order."""
        self.scenario_update()
        self.governments_act()
        self.update_ties()
        self.investment_decisions()
        self.project_lifecycle()
        self.jobs_and_output()
        self.fiscal_accounting()
        self.feedback()
        self.record()
        self.k += 1
        if self.k >= len(self.world.quarters):
            self.running = False


    # ------------------------------------------------------------------ 1. scenario
    def scenario_update(self) -> None:
        """Levers scheduled for this quarter take effect; structural events happen."""
        s, k, st, w, lp, tl = (self.schedule, self.k, self.state, self.world, self.p.land,
                               self.tiling)
        if k == w.start_k:
            structure.install_initial_stock(self)
        if k == w.reform_k:
            structure.apply_reform(self)
        st.unit, st.partner = tl.globalise(s.unit[k]), tl.tile(s.partner[k])
        st.distance = tl.tile(s.distance_km[k])
        st.log_rel_d = choice.log_distance(st.distance, self.p.utility.distance_ref_km)
        st.ln_potential = tl.tile(w.ln_potential_base + np.log(s.potential_mult[k]))
        initial = np.bincount(st.unit, weights=tl.land_initial, minlength=st.unit.size)
        st.land_available = land.supply(st.land_available, tl.tile(s.land_add_ha[k]), initial,
                                        lp.supply_growth_per_year, lp.other_absorption_per_year)
        self.firms.readiness = dynamics.close_gap(self.firms.readiness, s.readiness_gain[k])
        self.layers.update(self, k)

    # ------------------------------------------------------------------ 2. governments
    def governments_act(self) -> None:
        """Province agents split and spend their budgets, promote, and update their DX.

        Every unit that exists decides at once (:mod:`~simulation.model.government`, the rule
        each :class:`~simulation.model.agents.Province` agent follows for its own row).
        """
        units = np.flatnonzero(self.state.active)
        if self.k % 4 == 0:
            government.plan(self, units)
        government.act(self, units)

    # ------------------------------------------------------------------ 3. ties
    def update_ties(self) -> None:
        """Tie strengths move with activity, last quarter's successes and failures, decay."""
        s, k, tp, st, sec = self.schedule, self.k, self.p.ties, self.state, self.world.sectors
        tl = self.tiling
        pr = np.flatnonzero(st.partner & st.active)
        st.W[pr] = np.maximum(st.W[pr], s.signature[k, tl.local_place[pr]])
        st.W[pr] = ties.update_strength(st.W[pr], st.activity[pr], st.successes[pr],
                                        st.failures[pr], tp.eta_activity, tp.eta_success,
                                        tp.eta_failure, self.world.tie_decay)
        st.levels = ties.levels(st.W, tl.tile(s.agreement[k]), st.operating_by_field,
                                tp.level1_strength, tp.level2_strength, tp.level3_strength)
        # neighbours' ties spill over (province layer); products per replication's block
        st.W_felt = tl.flat(self.layers.spill_ties(tl.blocks(st.W)))
        st.W_sector = tl.flat(ties.sector_strength(tl.blocks(st.W_felt), sec.sector_field))
        st.level2 = tl.flat(ties.level_share(tl.blocks(st.levels), 2, sec.sector_field))
        st.level3 = tl.flat(ties.level_share(tl.blocks(st.levels), 3, sec.sector_field))

    # ------------------------------------------------------------------ 4. decisions
    def investment_decisions(self) -> None:
        """Opportunities, consideration sets, information access and nested-logit choice."""
        firms, where, info, size, draws = investment.decide(self)
        investment.create_projects(self, firms, where, info, size, draws)

    # ------------------------------------------------------------------ 5. lifecycle
    def project_lifecycle(self) -> None:
        """Competing risks per state with one uniform per project; land allocation."""
        lifecycle.step(self)

    # ------------------------------------------------------------------ 6. jobs
    def jobs_and_output(self) -> None:
        """Direct jobs within the local labour pool, local indirect and HCMC-linked jobs."""
        accounts.jobs(self)

    # ------------------------------------------------------------------ 7. fiscal
    def fiscal_accounting(self) -> None:
        """CIT, VAT, PIT and land rent; collected vs retained; the programme's costs."""
        accounts.taxes(self)
        accounts.costs(self)

    # ------------------------------------------------------------------ 8. feedback
    def feedback(self) -> None:
        """Successes and failures feed ties, experience and agglomeration counts."""
        lg, st, w, tl = self.ledger, self.state, self.world, self.tiling
        L, S = st.unit.size, w.sectors.n
        sf = w.sectors.sector_field.astype(float)
        opened = self.recorder.opened_rows(self.quarter)
        failed = self.recorder.failed_rows()
        unit = st.unit

        def by_field(g: np.ndarray) -> np.ndarray:  # (R·L, S) → (R·L, C), block by block
            return tl.flat(tl.blocks(g) @ sf)

        st.successes = by_field(grid(unit[lg.loc[opened]], lg.sector[opened], w.scale, (L, S)))
        st.failures = by_field(grid(unit[lg.loc[failed]], lg.sector[failed], w.scale, (L, S)))
        dynamics.learn(st.experience, w.experience_decay, lg.firm[opened],
                       tl.local_place[lg.loc[opened]], self.p.information.experience_gain,
                       out=st.experience)
        lic = self.recorder.moved(LICENSED)
        by_unit = grid(unit[lg.loc[lic]], lg.sector[lic], w.scale, (L, S))
        st.licensed_year[:, :-1] += by_field(by_unit)
        st.licensed_year[:, -1] += by_unit.sum(axis=1)
        st.operating_count = self.recorder.operating_count()
        by_unit = np.zeros((L, S))
        np.add.at(by_unit, unit, st.operating_count)
        st.operating_by_field = by_field(by_unit)
        # park-land congestion of each unit's pool: land held or queued for over the pool
        taken = ((lg.view("has_land") | (lg.view("state") == LICENSED))
                 & w.sectors.needs_ip[lg.view("sector")])
        claimed = land.held(unit[lg.view("loc")[taken]], lg.view("land_ha")[taken], w.scale, L)
        st.congestion = land.congestion(claimed, st.land_available)
        self.layers.observe(self)

    # ------------------------------------------------------------------ 9. record
    def record(self) -> None:
        """Place × sector indicators of the quarter (recorded quarters only)."""
        self.recorder.end_quarter(self.k, self.state, self.layers)
