"""CooperationModel: Mesa model of HCMC firms investing in partner provinces.

`step()` is the list of named phases of MODEL_SPEC §4, in order. The world (locations, sectors,
firms, schedule of levers) is built by `simulation.world`; the rules are pure functions in
`simulation.rules`; per-quarter indicators accumulate in `simulation.recorder`.
"""

from __future__ import annotations

import mesa
import numpy as np

from simulation import world
from simulation.agents import Firm, Province
from simulation.config.schema import RunConfig
from simulation.data import Inputs
from simulation.network import build_graph, sync_graph
from simulation.projects import (
    CONSTRUCTION,
    EXITED,
    LICENSED,
    OPERATING,
    PAUSED,
    PROPOSAL,
    TERMINATED,
    ProjectLedger,
)
from simulation.recorder import TAX_CIT, TAX_LAND, TAX_PIT, TAX_VAT, Recorder, grid
from simulation.rules import choice, crn, fiscal, lifecycle, ties

# Counter-based stream identifiers (see simulation.rules.crn)
(STREAM_OPPORTUNITY, STREAM_CONSIDER, STREAM_TOP, STREAM_NEST, STREAM_PROJECT,
 STREAM_LIFECYCLE) = range(6)


class CooperationModel(mesa.Model):
    """The cooperation ABM. Build with a validated config and loaded inputs, then step."""

    def __init__(self, cfg: RunConfig, inputs: Inputs):
        ss = np.random.SeedSequence(cfg.seed)
        world_ss, stream_ss = ss.spawn(2)
        super().__init__(rng=np.random.default_rng(world_ss))
        self.cfg, self.p, self.inputs = cfg, cfg.params, inputs
        self.stream_key = int(stream_ss.generate_state(1, np.uint64)[0])
        world.build(self)  # arrays: locations, sectors, firms, schedule, potentials
        Firm.create_population(self, self.n_firms)
        self.firm_agents = self.agents_by_type[Firm]
        for i, (code, role) in enumerate(zip(self.location_codes, self.roles, strict=True)):
            Province(self, i, code, role)
        self.province_agents = self.agents_by_type[Province]
        self.graph = build_graph(inputs.locations, self.field_codes)
        self.ledger = ProjectLedger()
        self.recorder = Recorder(self)
        self.k = 0  # simulated quarter index (spin-up included)
        self.successes = np.zeros((self.L, self.C))
        self.failures = np.zeros((self.L, self.C))
        self.running = True

    # ------------------------------------------------------------------ properties
    @property
    def quarter(self) -> int:
        """Absolute index of the quarter being simulated (the last one once the run is over)."""
        return int(self.schedule.quarters[min(self.k, len(self.schedule.quarters) - 1)])

    @property
    def quarter_label(self) -> str:
        """Calendar label of :attr:`quarter`, e.g. 2024Q3."""
        return self.quarter_labels[min(self.k, len(self.quarter_labels) - 1)]

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
        if self.k >= len(self.schedule.quarters):
            self.running = False

    def run(self) -> None:
        """Step through every quarter of the schedule."""
        self.run_for(len(self.schedule.quarters) - self.k)

    # ------------------------------------------------------------------ 1. scenario
    def scenario_update(self) -> None:
        """Levers scheduled for this quarter take effect."""
        s, k = self.schedule, self.k
        self.distance = self.road_km * s.distance_factor[k]
        self.log_rel_d = np.maximum(np.log(self.distance / self.p.utility.distance_ref_km), 0.0)
        self.ln_potential = self.ln_potential_base + np.log(s.potential_mult[k])
        self.land_available += s.land_add_ha[k]
        lp = self.p.land
        self.land_available += lp.supply_growth_per_year / 4.0 * self.land_initial
        self.land_available *= 1.0 - lp.other_absorption_per_year / 4.0
        self.firm_readiness += s.readiness_gain[k] * (1.0 - self.firm_readiness)

    # ------------------------------------------------------------------ 2. governments
    def governments_act(self) -> None:
        """Province agents spend budgets, promote, and update their DX index."""
        self.province_agents.do("act")

    # ------------------------------------------------------------------ 3. ties
    def update_ties(self) -> None:
        """Tie strengths move with activity, last quarter's successes/failures and decay."""
        s, k, tp, pr = self.schedule, self.k, self.p.ties, self.partners
        self.W[pr] = np.maximum(self.W[pr], s.signature[k, pr])
        self.W[pr] = ties.update_strength(
            self.W[pr], self.activity[pr], self.successes[pr], self.failures[pr],
            tp.eta_activity, tp.eta_success, tp.eta_failure, self.tie_decay,
            tp.activity_threshold)
        self.levels = ties.levels(self.W, s.agreement[k], self.operating_by_field,
                                  tp.level1_strength, tp.level2_strength, tp.level3_strength)
        self.W_sector = (self.W @ self.sector_field.T) / self.sector_field.sum(axis=1)
        sync_graph(self.graph, self.location_codes, self.field_codes, self.W, self.levels)

    # ------------------------------------------------------------------ 4. decisions
    def investment_decisions(self) -> None:
        """Opportunities, consideration sets, information access and nested-logit choice."""
        firms, loc, info = self.decide()
        self._create_projects(firms, loc, info)

    def opportunity_draws(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Opportunity probabilities and the quarter's uniforms (same in every scenario).

        Returns:
            λ_i without promotion, λ_i with the promotion effect, and one uniform per firm. A
            firm with ``u < λ_base`` has an ordinary opportunity; ``λ_base ≤ u < λ`` is an
            opportunity raised by the partners' promotion, which only the partners can take.
        """
        op, t = self.p.opportunity, self.quarter
        macro = op.macro_by_year.get(str(t // 4), 1.0)
        promo = op.promotion_effect * self.promotion[self.partners].mean()
        lam_base = self.lambda_firm * macro
        u = np.random.default_rng([self.stream_key, STREAM_OPPORTUNITY, t]).random(self.n_firms)
        return lam_base, lam_base * (1.0 + promo), u

    def decide(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vectorised decision step over all firms.

        Returns:
            The firms that invest, the location each chooses, and their information access
            there (for the modern-technology flag).
        """
        p, s, k, t = self.p, self.schedule, self.k, self.quarter
        lam_base, lam, u = self.opportunity_draws()
        firms = np.flatnonzero(u < lam)
        if firms.size == 0:
            return firms, firms, np.zeros(0)
        promoted = u[firms] >= lam_base[firms]  # opportunity raised by partner promotion
        sec = self.firm_sector[firms]
        n, L = firms.size, self.L
        w = self.W_sector[:, sec].T  # (n, L)
        dx_d = self.dx[None, :] * self.firm_readiness[firms, None]
        exp_ = self.experience[firms]
        info = choice.information_access(w, dx_d, exp_, p.information.iota_ties,
                                         p.information.iota_dx, p.information.iota_experience)
        util = self._utility(sec, info, s.cit_regime[k], s.subsidy_pct[k])
        pc = choice.consideration_prob(w, self.promotion[None, :], dx_d, p.consideration.a0,
                                       p.consideration.a_ties, p.consideration.a_promotion,
                                       p.consideration.a_dx)
        u_c = crn.uniforms2d(crn.subkey(self.stream_key, STREAM_CONSIDER, t), firms, L)
        considered = (u_c < pc) | (exp_ >= p.consideration.experience_min) | ~self.is_partner
        considered[promoted] &= self.is_partner
        v_nest = np.where(considered[:, self.away], util[:, self.away], -np.inf)
        v_home = np.where(promoted, -np.inf, util[:, self.home])
        g_top = crn.gumbel(crn.uniforms2d(crn.subkey(self.stream_key, STREAM_TOP, t), firms, 3))
        g_nest = crn.gumbel(crn.uniforms2d(crn.subkey(self.stream_key, STREAM_NEST, t), firms,
                                           self.away.size))
        pick = choice.nested_choice(np.full(n, p.utility.asc_no_invest), v_home,
                                    v_nest, p.utility.nest_rho, g_top, g_nest)
        invest = pick != choice.DECLINE
        loc = np.where(pick == choice.HOME, self.home, self.away[np.maximum(pick - 2, 0)])
        return firms[invest], loc[invest], info[invest, loc[invest]]

    def _utility(self, sec: np.ndarray, info: np.ndarray, regime: np.ndarray,
                 subsidy: np.ndarray) -> np.ndarray:
        """V_il for firms of sectors ``sec`` (n, L), MODEL_SPEC §5."""
        u = self.p.utility
        d_eatr = self.delta_eatr[regime, np.arange(self.S)[None, :]]  # (L, S) pp
        v = (self.xi[None, :]
             + u.beta_potential * self.ln_potential[:, sec].T
             - u.beta_wage * self.ln_rel_wage[None, :]
             + u.beta_agglomeration * np.log1p(self.operating_count[:, sec].T)
             + u.beta_tax * d_eatr[:, sec].T
             + u.beta_subsidy * subsidy[:, sec].T
             - u.beta_congestion * self.congestion[None, :] * self.needs_ip[sec][:, None])
        return v - choice.distance_penalty(self.log_rel_d[None, :], info,
                                           self.soft_info[sec][:, None], u.theta_phys,
                                           u.theta_info)

    def _create_projects(self, firms: np.ndarray, loc: np.ndarray, info: np.ndarray) -> None:
        """Add proposals (state 0) with size, modern flag, legal form and build time."""
        if firms.size == 0:
            return
        p, t = self.p, self.quarter
        sec = self.firm_sector[firms]
        key = (np.uint64(t) << np.uint64(32)) | firms.astype(np.uint64)
        u = crn.uniforms2d(crn.subkey(self.stream_key, STREAM_PROJECT), key, 6)
        sig = p.project.size_sigma
        size = (self.firm_capital[firms] * self.size_factor[sec] * p.project.size_scale
                * np.exp(sig * crn.normal(u[:, 0], u[:, 1]) - 0.5 * sig**2))
        size = np.minimum(size, self.size_max[sec])
        z = (p.project.modern_base + p.project.modern_info * info
             + p.project.modern_human * self.human_capital[loc]
             + p.project.modern_st_ties * self.W[loc, self.st_field])
        modern = self.modern_eligible[sec] & (u[:, 2] < 1.0 / (1.0 + np.exp(-z)))
        build = np.maximum(1, np.rint(self.build_mean[sec] * np.exp(
            p.lifecycle.construction_sigma * crn.normal(u[:, 3], u[:, 4])))).astype(np.int64)
        rows = self.ledger.add(
            key=key, firm=firms, loc=loc, sector=sec, state=np.full(firms.size, PROPOSAL),
            capital=size, land_ha=size * self.land_per_bn[sec], modern=modern,
            subsidiary=u[:, 5] < p.fiscal.subsidiary_share, build_quarters=build,
            t_created=np.full(firms.size, t), t_state=np.full(firms.size, t),
            paused_from=np.full(firms.size, CONSTRUCTION))
        self.ledger.log_created(rows, t)
        self.recorder.on_created(rows)

    # ------------------------------------------------------------------ 5. lifecycle
    def project_lifecycle(self) -> None:
        """Competing risks per state with one uniform per project; land allocation."""
        lg, lc, t, k = self.ledger, self.p.lifecycle, self.quarter, self.k
        state = lg.view("state")
        live = np.flatnonzero(state <= PAUSED)
        if live.size == 0:
            return
        u = crn.uniforms(crn.subkey(self.stream_key, STREAM_LIFECYCLE, t), lg.key[live])
        loc, sec, firm = lg.loc[live], lg.sector[live], lg.firm[live]
        w = self.W_sector[loc, sec]
        info = choice.information_access(
            w, self.dx[loc] * self.firm_readiness[firm], self.experience[firm, loc],
            self.p.information.iota_ties, self.p.information.iota_dx,
            self.p.information.iota_experience)
        uninformed = (1.0 - info) * self.log_rel_d[loc]
        st = state[live].copy()
        move = {}  # new state -> rows

        def add(rows: np.ndarray, new: int) -> None:
            move.setdefault(new, []).append(rows)

        # 0: proposal -> licensed | dropped
        m = st == PROPOSAL
        h_lic = (lc.license_rate * self.admin[loc[m]]
                 * (1.0 + lc.license_ties * w[m] + lc.license_dx * self.dx[loc[m]]))
        ev = lifecycle.competing_risks(u[m], np.stack([h_lic, np.full(m.sum(),
                                                       lc.dropout_proposal)], axis=1))
        add(live[m][ev == 0], LICENSED)
        add(live[m][ev == 1], TERMINATED)
        # 1: licensed, waiting for land -> construction | dropped
        m = st == LICENSED
        waited = t - lg.t_state[live[m]]
        ip = self.needs_ip[sec[m]]
        h_drop = lc.dropout_waiting + lc.dropout_waiting_slope * waited
        h_site = np.where(ip, 0.0, lc.site_rate)
        ev = lifecycle.competing_risks(u[m], np.stack([h_site, h_drop], axis=1))
        add(live[m][ev == 0], CONSTRUCTION)
        add(live[m][ev == 1], TERMINATED)
        queue = live[m][(ev == lifecycle.NONE) & ip]
        add(self._allocate_land(queue), CONSTRUCTION)
        # 2, 3: pause risk; 3: exit risk
        m = (st == CONSTRUCTION) | (st == OPERATING)
        h_pause = lc.pause_base * np.exp(lc.pause_distance * uninformed[m]
                                         - lc.pause_ties * w[m])
        h_exit = np.where(st[m] == OPERATING,
                          lc.exit_base * np.exp(lc.exit_distance * uninformed[m]), 0.0)
        ev = lifecycle.competing_risks(u[m], np.stack([h_pause, h_exit], axis=1))
        paused = live[m][ev == 0]
        lg.paused_from[paused] = lg.state[paused]
        add(paused, PAUSED)
        add(live[m][ev == 1], EXITED)
        building = live[m][(ev == lifecycle.NONE) & (st[m] == CONSTRUCTION)]
        self._build(building)
        # 4: paused -> resume | terminated (forced after the maximum paused time)
        m = st == PAUSED
        h_res = lc.resume_rate * (1.0 + lc.resume_ties * w[m] + lc.resume_dx * self.dx[loc[m]])
        ev = lifecycle.competing_risks(u[m], np.stack([h_res, np.full(m.sum(),
                                                       lc.terminate_paused)], axis=1))
        forced = (t - lg.t_state[live[m]]) >= lc.max_paused_quarters
        ev = np.where(forced, 1, ev)
        resumed = live[m][ev == 0]
        for prev in (CONSTRUCTION, OPERATING):
            add(resumed[lg.paused_from[resumed] == prev], prev)
        add(live[m][ev == 1], TERMINATED)
        for new, parts in move.items():
            rows = np.concatenate(parts)
            if new == LICENSED:
                self._license(rows, k)
            if new in (TERMINATED, EXITED):
                self._release_land(rows)
            lg.transition(rows, new, t)
            self.recorder.on_transition(rows, new)

    def _license(self, rows: np.ndarray, k: int) -> None:
        lg = self.ledger
        lg.t_licensed[rows] = self.quarter
        lg.regime[rows] = self.schedule.cit_regime[k, lg.loc[rows], lg.sector[rows]]
        lg.subsidy_pct[rows] = self.schedule.subsidy_pct[k, lg.loc[rows], lg.sector[rows]]
        self.recorder.on_licensed(rows)

    def _allocate_land(self, queue: np.ndarray) -> np.ndarray:
        """First come, first served: projects get land in licensing order while it lasts."""
        if queue.size == 0:
            return queue
        lg = self.ledger
        order = np.lexsort((lg.key[queue], lg.t_licensed[queue], lg.loc[queue]))
        q = queue[order]
        loc, need = lg.loc[q], lg.land_ha[q] * self.scale  # an agent project stands for `scale`
        csum = np.cumsum(need)
        start = np.searchsorted(loc, loc, side="left")
        within = csum - (csum[start] - need[start])
        granted = q[within <= self.land_available[loc]]
        self.land_available -= np.bincount(lg.loc[granted], weights=lg.land_ha[granted],
                                           minlength=self.L) * self.scale
        lg.has_land[granted] = True
        return granted

    def _release_land(self, rows: np.ndarray) -> None:
        lg = self.ledger
        held = rows[lg.has_land[rows]]
        self.land_available += np.bincount(lg.loc[held], weights=lg.land_ha[held],
                                           minlength=self.L) * self.scale
        lg.has_land[held] = False

    def _build(self, rows: np.ndarray) -> None:
        """Disburse evenly over the construction time; open when it is complete."""
        lg = self.ledger
        spend = lg.capital[rows] * self.p.lifecycle.realisation_share / lg.build_quarters[rows]
        lg.disbursed[rows] += spend
        lg.built[rows] += 1
        self.recorder.on_disbursed(rows, spend)
        done = rows[lg.built[rows] >= lg.build_quarters[rows]]
        lg.t_operating[done] = self.quarter
        lg.transition(done, OPERATING, self.quarter)
        self.recorder.on_transition(done, OPERATING)

    # ------------------------------------------------------------------ 6. jobs
    def jobs_and_output(self) -> None:
        """Direct, local indirect and HCMC-linked jobs of operating projects."""
        lg = self.ledger
        op = np.flatnonzero(lg.view("state") == OPERATING)
        self.op_rows = op
        sec = lg.sector[op]
        age = self.quarter - lg.t_operating[op]
        ramp = np.minimum(1.0, (age + 1) / self.p.jobs.ramp_quarters)
        direct = lg.capital[op] * self.jobs_per_bn[sec] * ramp
        loc = lg.loc[op]
        rec = self.recorder
        rec.add_jobs(loc, sec, 0, direct)
        mult = self.local_multiplier[sec] * self.p.jobs.multiplier_scale
        rec.add_jobs(loc, sec, 1, direct * mult)
        away = loc != self.home
        rec.add_jobs(np.full(away.sum(), self.home), sec[away], 2,
                     direct[away] * self.hcmc_job_share[sec[away]])
        self.op_direct = direct

    # ------------------------------------------------------------------ 7. fiscal
    def fiscal_accounting(self) -> None:
        """CIT, VAT, PIT and land rent of operating projects; collected vs retained."""
        lg, fp, rec = self.ledger, self.p.fiscal, self.recorder
        op, direct = self.op_rows, self.op_direct
        loc, sec, reg = lg.loc[op], lg.sector[op], lg.regime[op]
        wage = self.wage[loc]
        productivity = np.where(lg.modern[op], self.p.project.modern_productivity, 1.0)
        _, va, profit = fiscal.project_flows(lg.disbursed[op], direct, wage,
                                             self.turnover_per_bn[sec] * productivity,
                                             self.va_share[sec], self.depreciation[sec])
        age = (self.quarter - lg.t_operating[op]) // 4
        std = self.cit_standard[sec]
        rate = fiscal.cit_rate(age, std, np.minimum(self.regime_rate[reg], std),
                               self.regime_years[reg], self.regime_exempt[reg],
                               self.regime_half[reg])
        cit, cit_std = rate * profit / 4.0, std * profit / 4.0
        retain = self.schedule.retention[self.k]
        # CIT: subsidiaries pay in the host; dependent units split by cost share with HCMC
        host = np.where(lg.subsidiary[op] | (loc == self.home), 1.0, fp.dependent_host_share)
        home = np.full(op.size, self.home)
        for where, share in ((loc, host), (home, 1.0 - host)):
            rec.add_revenue(where, sec, TAX_CIT, cit * share, cit * share * retain[where],
                            (cit_std - cit) * share)
        vat = self.vat_rate[sec] * va * (1.0 - self.export_share[sec]) / 4.0
        rec.add_revenue(loc, sec, TAX_VAT, vat, vat * retain[loc], np.zeros(op.size))
        pit = fp.pit_effective * direct * wage / 4.0
        rec.add_revenue(loc, sec, TAX_PIT, pit, pit * retain[loc], np.zeros(op.size))
        away = loc != self.home
        linked = direct[away] * self.hcmc_job_share[sec[away]]
        pit_l = fp.pit_effective * linked * self.p.jobs.hcmc_wage_bn_per_year / 4.0
        rec.add_revenue(home[away], sec[away], TAX_PIT, pit_l, pit_l * retain[self.home],
                        np.zeros(away.sum()))
        # Land rent: 100 % local revenue; exempt years are tax expenditure
        rent_due = lg.land_ha[op] * self.land_rent[loc] / 4.0
        exempt = age < self.regime_land_exempt[reg]
        rent = np.where(exempt, 0.0, rent_due)
        rec.add_revenue(loc, sec, TAX_LAND, rent, rent, rent_due - rent)

    # ------------------------------------------------------------------ 8. feedback
    def feedback(self) -> None:
        """Successes and failures feed ties, experience and agglomeration counts."""
        lg, sf = self.ledger, self.sector_field.astype(float)
        opened = self.recorder.opened_rows()
        failed = self.recorder.failed_rows()
        scale = self.scale
        s_ls = grid(lg.loc[opened], lg.sector[opened], scale, (self.L, self.S))
        f_ls = grid(lg.loc[failed], lg.sector[failed], scale, (self.L, self.S))
        self.successes, self.failures = s_ls @ sf, f_ls @ sf
        firm, loc = lg.firm[opened], lg.loc[opened]
        gain = self.p.information.experience_gain
        self.experience *= self.experience_decay
        self.experience[firm, loc] = 1.0 - (1.0 - self.experience[firm, loc]) * (1.0 - gain)
        self.operating_count = self.recorder.operating_count()
        self.operating_by_field = self.operating_count @ sf
        self.congestion = self._congestion()

    def _congestion(self) -> np.ndarray:
        """Share of the industrial-park land pool held or queued for by HCMC projects, in [0, 1].

        ``(held + queued) / (held + queued + available)`` per location: 0 with free land and no
        queue, rising to 1 as the pool fills and projects wait for land.
        """
        lg = self.ledger
        state, ip = lg.view("state"), self.needs_ip[lg.view("sector")]
        loc, need = lg.view("loc"), lg.view("land_ha")
        taken = (lg.view("has_land") | (state == LICENSED)) & ip
        claimed = np.bincount(loc[taken], weights=need[taken], minlength=self.L) * self.scale
        total = claimed + np.maximum(self.land_available, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, claimed / total, 0.0)

    # ------------------------------------------------------------------ 9. record
    def record(self) -> None:
        """Province × sector indicators of the quarter (recorded quarters only)."""
        self.recorder.end_quarter()
