"""Vectorised decision step vs a plain per-agent Mesa reference, on the same model state.

The reference is what a textbook Mesa model does: ``shuffle_do`` over the Firm agents, each
computing its own opportunity, consideration set, information access, utilities and nested-logit
choice in pure Python. It reads the same counter-based random numbers, so both versions must make
identical choices; the script checks that before it reports the ratio.

Usage: .venv/bin/python benchmarks/bench_decision.py [n_firms] [repeats]   (default 100000 5)
"""

import math
import sys
import time

import numpy as np

from simulation.config.compose import compose
from simulation.model import CooperationModel
from simulation.model.model import STREAM_CONSIDER, STREAM_NEST, STREAM_TOP
from simulation.model.rules import crn
from simulation.runs.runner import prepare

MASK = (1 << 64) - 1
GOLDEN, M1, M2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB


def py_uniform(key: int, counter: int) -> float:
    """The counter-based uniform of simulation.model.rules.crn, in pure Python."""
    z = (counter * GOLDEN + key) & MASK
    z = ((z ^ (z >> 30)) * M1) & MASK
    z = ((z ^ (z >> 27)) * M2) & MASK
    z ^= z >> 31
    return ((z >> 11) + 0.5) * 2.0**-53


class QuarterView:
    """Model state of one quarter as plain Python lists (what a per-agent model reads)."""

    def __init__(self, m: CooperationModel):
        p, s, k, t = m.p, m.schedule, m.k, m.quarter
        st, loc, sec = m.state, m.world.locations, m.world.sectors
        self.p, self.m = p, m
        self.lam_base, self.lam, self.u = (a.tolist() for a in m.opportunity_draws())
        d_eatr = m.world.regimes.delta_eatr[s.cit_regime[k], np.arange(sec.n)[None, :]]
        self.L, self.away, self.home = loc.n, loc.away.tolist(), int(loc.home)
        self.const = [[(loc.xi[j] + p.utility.beta_potential * st.ln_potential[j, i]
                        - p.utility.beta_wage * loc.ln_rel_wage[j]
                        + p.utility.beta_agglomeration * math.log1p(st.operating_count[j, i])
                        + p.utility.beta_tax * d_eatr[j, i]
                        + p.utility.beta_subsidy * s.subsidy_pct[k][j, i]
                        - p.utility.beta_congestion * st.congestion[j] * sec.needs_ip[i])
                       for j in range(loc.n)]
                      for i in range(sec.n)]
        self.w = st.W_sector.T.tolist()  # [sector][location]
        self.dx, self.promo = st.dx.tolist(), st.promotion.tolist()
        self.lnd, self.partner = st.log_rel_d.tolist(), loc.is_partner.tolist()
        self.soft = sec.soft_info.tolist()
        self.k_consider = int(crn.subkey(m.stream_key, STREAM_CONSIDER, t))
        self.k_top = int(crn.subkey(m.stream_key, STREAM_TOP, t))
        self.k_nest = int(crn.subkey(m.stream_key, STREAM_NEST, t))
        self.sector, self.readiness = m.firms.sector.tolist(), m.firms.readiness.tolist()
        self.choices: list[tuple[int, int]] = []


def reference_decide(agent, q: QuarterView) -> None:
    """One firm's decision, computed by the agent itself in pure Python."""
    i = agent.idx
    if q.u[i] >= q.lam[i]:
        return
    promoted = q.u[i] >= q.lam_base[i]  # an opportunity raised by partner promotion
    p = q.p
    s, d = q.sector[i], q.readiness[i]
    exp_ = agent.experience.tolist()
    ui, ci, pu = p.information, p.consideration, p.utility
    util, considered = [], []
    for loc in range(q.L):
        w, dxd, e = q.w[s][loc], q.dx[loc] * d, exp_[loc]
        info = 1.0 - (1.0 - ui.iota_ties * w) * (1.0 - ui.iota_dx * dxd) * (
            1.0 - ui.iota_experience * e)
        pen = (pu.theta_phys + pu.theta_info * q.soft[s] * (1.0 - info)) * q.lnd[loc]
        util.append(q.const[s][loc] - pen)
        if q.partner[loc]:
            pc = 1.0 - math.exp(-(ci.a0 + ci.a_ties * w + ci.a_promotion * q.promo[loc]
                                  + ci.a_dx * dxd))
            considered.append(py_uniform(q.k_consider, i * q.L + loc) < pc
                              or e >= ci.experience_min)
        else:
            considered.append(not promoted)
    rho, kk = pu.nest_rho, len(q.away)
    scaled = [util[loc] / rho if considered[loc] else -math.inf for loc in q.away]
    mx = max(scaled)
    iv = -math.inf if mx == -math.inf else rho * (
        mx + math.log(sum(math.exp(v - mx) for v in scaled if v > -math.inf)))
    gum = [-math.log(-math.log(py_uniform(q.k_top, i * 3 + j))) for j in range(3)]
    v_home = -math.inf if promoted else util[q.home]
    top = [pu.asc_no_invest + gum[0], v_home + gum[1], iv + gum[2]]
    pick = top.index(max(top))
    if pick == 0:
        return
    if pick == 1:
        q.choices.append((i, q.home))
        return
    inner = [scaled[j] - math.log(-math.log(py_uniform(q.k_nest, i * kk + j)))
             for j in range(kk)]
    q.choices.append((i, q.away[inner.index(max(inner))]))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    rc, inputs = prepare(compose([f"params.firms.n_agents={n}", "time.spinup_quarters=0",
                                  "output.events=false"]))
    m = CooperationModel(rc, inputs)
    m.run_for(8)  # a state with ties, projects, experience and congestion
    m.scenario_update()
    m.governments_act()
    m.update_ties()
    vec_t, ref_t = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        firms, loc, _info = m.decide()
        vec_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        q = QuarterView(m)
        m.firm_agents.shuffle_do(reference_decide, q)
        ref_t.append(time.perf_counter() - t0)
    same = sorted(q.choices) == sorted(zip(firms.tolist(), loc.tolist(), strict=True))
    v, r = min(vec_t), min(ref_t)
    print(f"decision step, {n:,} firms, quarter {m.quarter_label}, {len(q.choices)} investing "
          f"firms; best of {repeats}")
    print(f"  vectorised (numpy):          {1e3 * v:9.2f} ms   {n / v:14,.0f} firm-decisions/s")
    print(f"  per-agent Mesa reference:    {1e3 * r:9.2f} ms   {n / r:14,.0f} firm-decisions/s")
    print(f"  ratio reference / vectorised: {r / v:8.1f}x")
    print(f"  identical choices: {same}")
    if not same:
        raise SystemExit("the reference and the vectorised step disagree")


if __name__ == "__main__":
    main()
