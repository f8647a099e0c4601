"""CooperationModel: Mesa model of HCMC firms investing in partner provinces.

`step()` is the list of named phases of MODEL_SPEC §4, in order. Each phase reads the model's
state (:mod:`simulation.model.state`), passes arrays to the pure rules of
:mod:`simulation.model.rules` and stores what they return; indicators go to the recorder.
"""

from __future__ import annotations

import mesa
import numpy as np

from simulation.config.schema import RunConfig
from simulation.data import Inputs
from simulation.model.agents import Firm, Province, register_firms
from simulation.model.network import build_graph, sync_graph
from simulation.model.policy import build_schedule
from simulation.model.projects import (
    CONSTRUCTION,
    EXITED,
    LICENSED,
    OPERATING,
    PAUSED,
    PROPOSAL,
    TERMINATED,
    ProjectLedger,
)
from simulation.model.recorder import Recorder, grid
from simulation.model.records import DIRECT, INDIRECT, LINKED, TAX_CIT, TAX_LAND, TAX_PIT, TAX_VAT
from simulation.model.rules import (
    choice,
    crn,
    dynamics,
    fiscal,
    jobs,
    land,
    lifecycle,
    projects,
    ties,
)
from simulation.model.state import Firms, State, World

# Counter-based stream identifiers (see simulation.model.rules.crn)
(STREAM_OPPORTUNITY, STREAM_CONSIDER, STREAM_TOP, STREAM_NEST, STREAM_PROJECT,
 STREAM_LIFECYCLE) = range(6)


class CooperationModel(mesa.Model):
    """The cooperation ABM. Build with a validated config and loaded inputs, then step.

    It owns ``world``, ``schedule``, ``firms`` and ``state`` (:mod:`simulation.model.state`), the
    project ``ledger``, the ``recorder``, the cooperation ``graph`` and ``k``, the index of the
    quarter being simulated (spin-up included).
    """

    def __init__(self, cfg: RunConfig, inputs: Inputs):
        ss = np.random.SeedSequence(cfg.seed)
        world_ss, stream_ss = ss.spawn(2)
        super().__init__(rng=np.random.default_rng(world_ss))
        self.cfg, self.p, self.inputs = cfg, cfg.params, inputs
        self.stream_key = int(stream_ss.generate_state(1, np.uint64)[0])
        self.world = World.build(cfg, inputs)
        self.schedule = build_schedule(cfg, self.world.quarters, inputs)
        self.firms = Firms.draw(self.p, self.world.sectors.opportunity_share, self.rng)
        self.state = State.initial(self.world, self.p, inputs, self.firms.n)
        register_firms(self, self.firms.n)
        self.firm_agents = self.agents_by_type[Firm]
        loc = self.world.locations
        for i, (code, role) in enumerate(zip(loc.codes, loc.roles, strict=True)):
            Province(self, i, code, role)
        self.province_agents = self.agents_by_type[Province]
        self.graph = build_graph(inputs.locations, self.world.sectors.field_codes)
        self.ledger = ProjectLedger()
        self.recorder = Recorder(self.world, self.ledger, self.p.project.large_threshold_bn)
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
        """Levers scheduled for this quarter take effect."""
        s, k, st, w, lp = self.schedule, self.k, self.state, self.world, self.p.land
        st.distance = w.locations.road_km * s.distance_factor[k]
        st.log_rel_d = choice.log_distance(st.distance, self.p.utility.distance_ref_km)
        st.ln_potential = w.ln_potential_base + np.log(s.potential_mult[k])
        st.land_available = land.supply(st.land_available, s.land_add_ha[k],
                                        w.locations.land_initial, lp.supply_growth_per_year,
                                        lp.other_absorption_per_year)
        self.firms.readiness = dynamics.close_gap(self.firms.readiness, s.readiness_gain[k])

    # ------------------------------------------------------------------ 2. governments
    def governments_act(self) -> None:
        """Province agents spend budgets, promote, and update their DX index."""
        self.province_agents.do("act")

    # ------------------------------------------------------------------ 3. ties
    def update_ties(self) -> None:
        """Tie strengths move with activity, last quarter's successes/failures and decay."""
        s, k, tp, st = self.schedule, self.k, self.p.ties, self.state
        pr, sec = self.world.locations.partners, self.world.sectors
        st.W[pr] = np.maximum(st.W[pr], s.signature[k, pr])
        st.W[pr] = ties.update_strength(
            st.W[pr], st.activity[pr], st.successes[pr], st.failures[pr], tp.eta_activity,
            tp.eta_success, tp.eta_failure, self.world.tie_decay, tp.activity_threshold)
        st.levels = ties.levels(st.W, s.agreement[k], st.operating_by_field,
                                tp.level1_strength, tp.level2_strength, tp.level3_strength)
        st.W_sector = ties.sector_strength(st.W, sec.sector_field)
        sync_graph(self.graph, self.world.locations.codes, sec.field_codes, st.W, st.levels)

    # ------------------------------------------------------------------ 4. decisions
    def investment_decisions(self) -> None:
        """Opportunities, consideration sets, information access and nested-logit choice."""
        firms, loc, info = self.decide()
        self._create_projects(firms, loc, info)

    def opportunity_draws(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """λ_i without and with the partners' promotion, and one uniform per firm (CRN).

        ``u < λ_base``: an ordinary opportunity; ``λ_base ≤ u < λ``: one raised by the partners'
        promotion, which only the partners can take.
        """
        op, t = self.p.opportunity, self.quarter
        lam_base, lam = choice.opportunity_rates(
            self.firms.lam, op.macro_by_year.get(str(t // 4), 1.0), op.promotion_effect,
            self.state.promotion[self.world.locations.partners])
        u = np.random.default_rng([self.stream_key, STREAM_OPPORTUNITY, t]).random(self.firms.n)
        return lam_base, lam, u

    def decide(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vectorised decision step over all firms.

        Returns:
            The firms that invest, the location each chooses, their information access there.
        """
        p, t, st, loc = self.p, self.quarter, self.state, self.world.locations
        lam_base, lam, u = self.opportunity_draws()
        firms = np.flatnonzero(u < lam)
        if firms.size == 0:
            return firms, firms, np.zeros(0)
        promoted = u[firms] >= lam_base[firms]  # opportunity raised by partner promotion
        sec = self.firms.sector[firms]
        w = st.W_sector[:, sec].T  # (n, L)
        dx_d = st.dx[None, :] * self.firms.readiness[firms, None]
        exp_ = st.experience[firms]
        info = choice.information_access(w, dx_d, exp_, p.information.iota_ties,
                                         p.information.iota_dx, p.information.iota_experience)
        s, k, sectors, regimes = self.schedule, self.k, self.world.sectors, self.world.regimes
        d_eatr = regimes.delta_eatr[s.cit_regime[k], np.arange(sectors.n)[None, :]]  # (L, S)
        util = choice.utility(  # V_il of MODEL_SPEC §5, (n, L)
            loc.xi[None, :], st.ln_potential[:, sec].T, loc.ln_rel_wage[None, :],
            st.operating_count[:, sec].T, d_eatr[:, sec].T, s.subsidy_pct[k][:, sec].T,
            st.congestion[None, :], sectors.needs_ip[sec][:, None], st.log_rel_d[None, :], info,
            sectors.soft_info[sec][:, None], p.utility)
        pc = choice.consideration_prob(w, st.promotion[None, :], dx_d, p.consideration.a0,
                                       p.consideration.a_ties, p.consideration.a_promotion,
                                       p.consideration.a_dx)
        u_c = crn.uniforms2d(crn.subkey(self.stream_key, STREAM_CONSIDER, t), firms, loc.n)
        considered = choice.considered(u_c, pc, exp_, p.consideration.experience_min,
                                       loc.is_partner, promoted)
        v_home, v_nest = choice.alternatives(util, considered, promoted, loc.home, loc.away)
        g_top = crn.gumbel(crn.uniforms2d(crn.subkey(self.stream_key, STREAM_TOP, t), firms, 3))
        g_nest = crn.gumbel(crn.uniforms2d(crn.subkey(self.stream_key, STREAM_NEST, t), firms,
                                           loc.away.size))
        pick = choice.nested_choice(np.full(firms.size, p.utility.asc_no_invest), v_home,
                                    v_nest, p.utility.nest_rho, g_top, g_nest)
        invest = pick != choice.DECLINE
        where = choice.chosen_location(pick, loc.home, loc.away)
        return firms[invest], where[invest], info[invest, where[invest]]

    def _create_projects(self, firms: np.ndarray, loc: np.ndarray, info: np.ndarray) -> None:
        """Add proposals (state 0) with size, modern flag, legal form and build time."""
        if firms.size == 0:
            return
        p, t, sectors = self.p, self.quarter, self.world.sectors
        sec = self.firms.sector[firms]
        key = (np.uint64(t) << np.uint64(32)) | firms.astype(np.uint64)
        u = crn.uniforms2d(crn.subkey(self.stream_key, STREAM_PROJECT), key, 6)
        pp = p.project
        size = projects.size(self.firms.capital[firms], sectors.size_factor[sec], pp.size_scale,
                             pp.size_sigma, crn.normal(u[:, 0], u[:, 1]), sectors.size_max[sec])
        p_modern = projects.modern_probability(
            info, self.state.human_capital[loc], self.state.W[loc, sectors.st_field],
            pp.modern_base, pp.modern_info, pp.modern_human, pp.modern_st_ties)
        modern = sectors.modern_eligible[sec] & (u[:, 2] < p_modern)
        build = projects.build_quarters(sectors.build_mean[sec], p.lifecycle.construction_sigma,
                                        crn.normal(u[:, 3], u[:, 4]))
        rows = self.ledger.add(
            key=key, firm=firms, loc=loc, sector=sec, state=np.full(firms.size, PROPOSAL),
            capital=size, land_ha=size * sectors.land_per_bn[sec], modern=modern,
            subsidiary=u[:, 5] < p.fiscal.subsidiary_share, build_quarters=build,
            t_created=np.full(firms.size, t), t_state=np.full(firms.size, t),
            paused_from=np.full(firms.size, CONSTRUCTION))
        self.ledger.log_created(rows, t)
        self.recorder.on_created(rows)

    # ------------------------------------------------------------------ 5. lifecycle
    def project_lifecycle(self) -> None:
        """Competing risks per state with one uniform per project; land allocation."""
        lg, lc, t, k, st = self.ledger, self.p.lifecycle, self.quarter, self.k, self.state
        state = lg.view("state")
        live = np.flatnonzero(state <= PAUSED)
        if live.size == 0:
            return
        u = crn.uniforms(crn.subkey(self.stream_key, STREAM_LIFECYCLE, t), lg.key[live])
        loc, sec, firm = lg.loc[live], lg.sector[live], lg.firm[live]
        w = st.W_sector[loc, sec]
        info = choice.information_access(
            w, st.dx[loc] * self.firms.readiness[firm], st.experience[firm, loc],
            self.p.information.iota_ties, self.p.information.iota_dx,
            self.p.information.iota_experience)
        uninformed = lifecycle.uninformed_distance(info, st.log_rel_d[loc])
        admin, needs_ip = self.world.locations.admin, self.world.sectors.needs_ip
        scale, L = self.world.scale, self.world.locations.n
        st_ = state[live].copy()
        move: dict[int, list[np.ndarray]] = {}  # new state -> rows

        def add(rows: np.ndarray, new: int) -> None:
            move.setdefault(new, []).append(rows)

        def risks(m: np.ndarray, *hazards: np.ndarray) -> np.ndarray:
            return lifecycle.competing_risks(u[m], np.stack(hazards, axis=1))

        # 0: proposal -> licensed | dropped
        m = st_ == PROPOSAL
        ev = risks(m, lifecycle.licensing(admin[loc[m]], w[m], st.dx[loc[m]], lc.license_rate,
                                          lc.license_ties, lc.license_dx),
                   np.full(m.sum(), lc.dropout_proposal))
        add(live[m][ev == 0], LICENSED)
        add(live[m][ev == 1], TERMINATED)
        # 1: licensed, waiting for land -> construction | dropped
        m = st_ == LICENSED
        ip = needs_ip[sec[m]]
        ev = risks(m, lifecycle.site_clearance(ip, lc.site_rate),
                   lifecycle.waiting_dropout(t - lg.t_state[live[m]], lc.dropout_waiting,
                                             lc.dropout_waiting_slope))
        add(live[m][ev == 0], CONSTRUCTION)
        add(live[m][ev == 1], TERMINATED)
        add(self._allocate_land(live[m][(ev == lifecycle.NONE) & ip]), CONSTRUCTION)
        # 2, 3: pause risk; 3: exit risk
        m = (st_ == CONSTRUCTION) | (st_ == OPERATING)
        ev = risks(m, lifecycle.pause(uninformed[m], w[m], lc.pause_base, lc.pause_distance,
                                      lc.pause_ties),
                   lifecycle.exit_(st_[m] == OPERATING, uninformed[m], lc.exit_base,
                                   lc.exit_distance))
        paused = live[m][ev == 0]
        lg.paused_from[paused] = lg.state[paused]
        add(paused, PAUSED)
        add(live[m][ev == 1], EXITED)
        self._build(live[m][(ev == lifecycle.NONE) & (st_[m] == CONSTRUCTION)])
        # 4: paused -> resume | terminated (forced after the maximum paused time)
        m = st_ == PAUSED
        ev = risks(m, lifecycle.resumption(w[m], st.dx[loc[m]], lc.resume_rate, lc.resume_ties,
                                           lc.resume_dx),
                   np.full(m.sum(), lc.terminate_paused))
        ev = np.where((t - lg.t_state[live[m]]) >= lc.max_paused_quarters, 1, ev)
        resumed = live[m][ev == 0]
        for prev in (CONSTRUCTION, OPERATING):
            add(resumed[lg.paused_from[resumed] == prev], prev)
        add(live[m][ev == 1], TERMINATED)
        for new, parts in move.items():
            rows = np.concatenate(parts)
            if new == LICENSED:
                at = (k, lg.loc[rows], lg.sector[rows])
                lg.license(rows, t, self.schedule.cit_regime[at], self.schedule.subsidy_pct[at])
                self.recorder.on_licensed(rows)
            if new in (TERMINATED, EXITED):  # land is released
                held = rows[lg.has_land[rows]]
                st.land_available += land.held(lg.loc[held], lg.land_ha[held], scale, L)
                lg.has_land[held] = False
            lg.transition(rows, new, t)
            self.recorder.on_transition(rows, new)

    def _allocate_land(self, queue: np.ndarray) -> np.ndarray:
        """Projects waiting for park land get it first come, first served; returns them."""
        lg, w, st = self.ledger, self.world, self.state
        granted = queue[land.first_come(lg.loc[queue], lg.key[queue], lg.t_licensed[queue],
                                        lg.land_ha[queue], st.land_available, w.scale)]
        st.land_available -= land.held(lg.loc[granted], lg.land_ha[granted], w.scale,
                                       w.locations.n)
        lg.has_land[granted] = True
        return granted

    def _build(self, rows: np.ndarray) -> None:
        """Disburse evenly over the construction time; open when it is complete."""
        lg, t = self.ledger, self.quarter
        spend, done = lg.disburse(rows, self.p.lifecycle.realisation_share)
        self.recorder.on_disbursed(rows, spend)
        lg.t_operating[done] = t
        lg.transition(done, OPERATING, t)
        self.recorder.on_transition(done, OPERATING)

    # ------------------------------------------------------------------ 6. jobs
    def jobs_and_output(self) -> None:
        """Direct, local indirect and HCMC-linked jobs of operating projects."""
        lg, rec, sectors, home = (self.ledger, self.recorder, self.world.sectors,
                                  self.world.locations.home)
        op = np.flatnonzero(lg.view("state") == OPERATING)
        sec, loc = lg.sector[op], lg.loc[op]
        direct = jobs.direct(lg.capital[op], sectors.jobs_per_bn[sec],
                             self.quarter - lg.t_operating[op], self.p.jobs.ramp_quarters)
        rec.add_jobs(loc, sec, DIRECT, direct)
        rec.add_jobs(loc, sec, INDIRECT, jobs.local_indirect(
            direct, sectors.local_multiplier[sec], self.p.jobs.multiplier_scale))
        away = loc != home
        rec.add_jobs(np.full(away.sum(), home), sec[away], LINKED,
                     jobs.linked(direct[away], sectors.hcmc_job_share[sec[away]]))
        self.op_rows, self.op_direct = op, direct  # the operating projects, for the taxes

    # ------------------------------------------------------------------ 7. fiscal
    def fiscal_accounting(self) -> None:
        """CIT, VAT, PIT and land rent of operating projects; collected vs retained."""
        lg, fp, rec, w, op, direct = (self.ledger, self.p.fiscal, self.recorder, self.world,
                                      self.op_rows, self.op_direct)
        sectors, reg_, h = w.sectors, w.regimes, w.locations.home
        loc, sec, reg = lg.loc[op], lg.sector[op], lg.regime[op]
        wage = w.locations.wage[loc]
        turnover = sectors.turnover_per_bn[sec] * fiscal.productivity(
            lg.modern[op], self.p.project.modern_productivity)
        _, va, profit = fiscal.project_flows(lg.disbursed[op], direct, wage, turnover,
                                             sectors.va_share[sec], sectors.depreciation[sec])
        age = (self.quarter - lg.t_operating[op]) // 4
        cit, cit_std = fiscal.corporate_tax(profit, age, sectors.cit_standard[sec], reg_.rate[reg],
                                            reg_.years[reg], reg_.exempt[reg], reg_.half[reg])
        retain = self.schedule.retention[self.k]
        # CIT: subsidiaries pay in the host; dependent units split by cost share with HCMC
        host = fiscal.host_share(lg.subsidiary[op], loc == h, fp.dependent_host_share)
        home = np.full(op.size, h)
        for where, share in ((loc, host), (home, 1.0 - host)):
            rec.add_revenue(where, sec, TAX_CIT, cit * share, cit * share * retain[where],
                            (cit_std - cit) * share)
        vat = fiscal.vat(sectors.vat_rate[sec], va, sectors.export_share[sec])
        rec.add_revenue(loc, sec, TAX_VAT, vat, vat * retain[loc], np.zeros(op.size))
        pit = fiscal.pit(fp.pit_effective, direct, wage)
        rec.add_revenue(loc, sec, TAX_PIT, pit, pit * retain[loc], np.zeros(op.size))
        away = loc != h
        pit_l = fiscal.pit(fp.pit_effective,
                           jobs.linked(direct[away], sectors.hcmc_job_share[sec[away]]),
                           self.p.jobs.hcmc_wage_bn_per_year)
        rec.add_revenue(home[away], sec[away], TAX_PIT, pit_l, pit_l * retain[h],
                        np.zeros(away.sum()))
        # Land rent: 100 % local revenue; exempt years are tax expenditure
        due, rent = fiscal.land_rent(lg.land_ha[op], w.locations.land_rent[loc], age,
                                     reg_.land_exempt[reg])
        rec.add_revenue(loc, sec, TAX_LAND, rent, rent, due - rent)

    # ------------------------------------------------------------------ 8. feedback
    def feedback(self) -> None:
        """Successes and failures feed ties, experience and agglomeration counts."""
        lg, st, w = self.ledger, self.state, self.world
        sf = w.sectors.sector_field.astype(float)
        shape = (w.locations.n, w.sectors.n)
        opened = self.recorder.opened_rows(self.quarter)
        failed = self.recorder.failed_rows()
        st.successes = grid(lg.loc[opened], lg.sector[opened], w.scale, shape) @ sf
        st.failures = grid(lg.loc[failed], lg.sector[failed], w.scale, shape) @ sf
        dynamics.learn(st.experience, w.experience_decay, lg.firm[opened], lg.loc[opened],
                       self.p.information.experience_gain, out=st.experience)
        st.operating_count = self.recorder.operating_count()
        st.operating_by_field = st.operating_count @ sf
        # park-land congestion: land held or queued for (licensed, waiting) over the pool
        taken = ((lg.view("has_land") | (lg.view("state") == LICENSED))
                 & w.sectors.needs_ip[lg.view("sector")])
        claimed = land.held(lg.view("loc")[taken], lg.view("land_ha")[taken], w.scale,
                            w.locations.n)
        st.congestion = land.congestion(claimed, st.land_available)

    # ------------------------------------------------------------------ 9. record
    def record(self) -> None:
        """Province × sector indicators of the quarter (recorded quarters only)."""
        self.recorder.end_quarter(self.k, self.state)
