"""CooperationModel: Mesa model of HCMC firms investing in partner provinces.

`step()` is the list of named phases of MODEL_SPEC §4, in order. Each phase reads the model's
state (:mod:`simulation.model.state`), passes arrays to the pure rules of
:mod:`simulation.model.rules` and stores what they return; indicators go to the recorder. The
longer phases live beside this module: the decisions in :mod:`~simulation.model.investment`,
the lifecycle in :mod:`~simulation.model.lifecycle`, jobs, taxes and costs in
:mod:`~simulation.model.accounts`, and the two structural events (the initial stock at the
first recorded quarter, the 1 July 2025 reform) in :mod:`~simulation.model.structure`.
"""

from __future__ import annotations

import mesa
import numpy as np

from simulation.config.schema import RunConfig
from simulation.data import Inputs
from simulation.model import accounts, investment, lifecycle, structure
from simulation.model.agents import Firm, Province, register_firms
from simulation.model.network.graph import PeerGraph
from simulation.model.network.layers import Layers
from simulation.model.policy import build_schedule
from simulation.model.projects import LICENSED, ProjectLedger
from simulation.model.recorder import Recorder, grid
from simulation.model.rules import choice, dynamics, land, ties
from simulation.model.state import Firms, State, World


class CooperationModel(mesa.Model):
    """The cooperation ABM. Build with a validated config and loaded inputs, then step.

    It owns ``world``, ``schedule``, ``firms`` and ``state`` (:mod:`simulation.model.state`), the
    network ``layers``, the project ``ledger``, the ``recorder`` and ``k``, the index of the
    quarter being simulated (spin-up included).
    """

    def __init__(self, cfg: RunConfig, inputs: Inputs):
        ss = np.random.SeedSequence(cfg.seed)
        world_ss, stream_ss = ss.spawn(2)
        super().__init__(rng=np.random.default_rng(world_ss))
        self.cfg, self.p, self.inputs = cfg, cfg.params, inputs
        self.stream_key = int(stream_ss.generate_state(1, np.uint64)[0])
        self.world = World.build(cfg, inputs)
        w = self.world
        self.schedule = build_schedule(cfg, w.quarters, inputs, w.locations.successor,
                                       w.reform_k)
        self.firms = Firms.draw(self.p, w.sectors.opportunity_share, self.rng)
        self.state = State.initial(w, self.p, inputs, self.firms.n)
        self.layers = Layers.build(inputs, self.p.network, self.firms.sector, self.rng)
        register_firms(self, self.firms.n)
        self.firm_agents = self.agents_by_type[Firm]
        for i, (code, role) in enumerate(zip(w.locations.codes, w.locations.roles,
                                             strict=True)):
            Province(self, i, code, str(role))
        self.province_agents = self.agents_by_type[Province]
        self.ledger = ProjectLedger()
        self.recorder = Recorder(w, self.ledger, self.p.project.large_threshold_bn,
                                 self.schedule.sections)
        self.k = 0
        self.running = True

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

    def run(self) -> None:
        """Step through every quarter of the schedule."""
        self.run_for(len(self.world.quarters) - self.k)

    # ------------------------------------------------------------------ 1. scenario
    def scenario_update(self) -> None:
        """Levers scheduled for this quarter take effect; structural events happen."""
        s, k, st, w, lp = self.schedule, self.k, self.state, self.world, self.p.land
        if k == w.start_k:
            structure.install_initial_stock(self)
        if k == w.reform_k:
            structure.apply_reform(self)
        st.unit, st.partner = s.unit[k], s.partner[k]
        st.distance = s.distance_km[k]
        st.log_rel_d = choice.log_distance(st.distance, self.p.utility.distance_ref_km)
        st.ln_potential = w.ln_potential_base + np.log(s.potential_mult[k])
        initial = np.bincount(st.unit, weights=w.locations.land_initial, minlength=w.locations.n)
        st.land_available = land.supply(st.land_available, s.land_add_ha[k], initial,
                                        lp.supply_growth_per_year, lp.other_absorption_per_year)
        self.firms.readiness = dynamics.close_gap(self.firms.readiness, s.readiness_gain[k])
        self.layers.update(self, k)

    # ------------------------------------------------------------------ 2. governments
    def governments_act(self) -> None:
        """Province agents split and spend their budgets, promote, and update their DX."""
        if self.k % 4 == 0:
            self.province_agents.do("plan")
        self.province_agents.do("act")

    # ------------------------------------------------------------------ 3. ties
    def update_ties(self) -> None:
        """Tie strengths move with activity, last quarter's successes and failures, decay."""
        s, k, tp, st, sec = self.schedule, self.k, self.p.ties, self.state, self.world.sectors
        pr = np.flatnonzero(st.partner & st.active)
        st.W[pr] = np.maximum(st.W[pr], s.signature[k, pr])
        st.W[pr] = ties.update_strength(st.W[pr], st.activity[pr], st.successes[pr],
                                        st.failures[pr], tp.eta_activity, tp.eta_success,
                                        tp.eta_failure, self.world.tie_decay)
        st.levels = ties.levels(st.W, s.agreement[k], st.operating_by_field,
                                tp.level1_strength, tp.level2_strength, tp.level3_strength)
        st.W_felt = self.layers.spill_ties(st.W)  # neighbours' ties spill over (province layer)
        st.W_sector = ties.sector_strength(st.W_felt, sec.sector_field)
        st.level2 = ties.level_share(st.levels, 2, sec.sector_field)
        st.level3 = ties.level_share(st.levels, 3, sec.sector_field)

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
        lg, st, w = self.ledger, self.state, self.world
        L, S = w.locations.n, w.sectors.n
        sf = w.sectors.sector_field.astype(float)
        opened = self.recorder.opened_rows(self.quarter)
        failed = self.recorder.failed_rows()
        unit = st.unit
        st.successes = grid(unit[lg.loc[opened]], lg.sector[opened], w.scale, (L, S)) @ sf
        st.failures = grid(unit[lg.loc[failed]], lg.sector[failed], w.scale, (L, S)) @ sf
        dynamics.learn(st.experience, w.experience_decay, lg.firm[opened], lg.loc[opened],
                       self.p.information.experience_gain, out=st.experience)
        lic = self.recorder.moved(LICENSED)
        by_unit = grid(unit[lg.loc[lic]], lg.sector[lic], w.scale, (L, S))
        st.licensed_year[:, :-1] += by_unit @ sf
        st.licensed_year[:, -1] += by_unit.sum(axis=1)
        st.operating_count = self.recorder.operating_count()
        by_unit = np.zeros((L, S))
        np.add.at(by_unit, unit, st.operating_count)
        st.operating_by_field = by_unit @ sf
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
