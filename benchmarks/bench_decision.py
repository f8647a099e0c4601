"""Vectorised decision step vs a plain per-agent Mesa reference, on the same model state.

The reference is what a textbook Mesa model does: ``shuffle_do`` over the Firm agents, each
computing its own opportunity, consideration set, information access, utilities and nested-logit
choice in pure Python. It reads the same counter-based random numbers, so both versions must make
identical choices; the script checks that before it reports the ratio.

Usage: python benchmarks/bench_decision.py [n_firms] [repeats]   (default 100000 5)
"""

import math
import sys
import time

import numpy as np

from simulation.config.compose import compose
from simulation.model import CooperationModel
from simulation.model.investment import (
    STREAM_CONSIDER,
    STREAM_NEST,
    STREAM_OPPORTUNITY,
    STREAM_PROJECT,
    STREAM_TOP,
    decide,
)
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
        unit = st.unit.tolist()
        self.p, self.m, self.t = p, m, t
        macro = p.opportunity.macro_by_year.get(str(t // 4), 1.0)
        self.lam = (m.firms.lam * macro).tolist()
        self.u = np.random.default_rng([m.stream_key, STREAM_OPPORTUNITY, t]).random(
            m.firms.n).tolist()
        d_eatr = m.world.regimes.delta_eatr[s.cit_regime[k], np.arange(loc.n)[:, None],
                                            np.arange(sec.n)[None, :]]
        w_mean = float(loc.wage.mean())
        self.L, self.away, self.home = loc.n, loc.away.tolist(), int(loc.home)
        u = p.utility
        self.const = [[(loc.xi[j] + u.beta_potential * st.ln_potential[j, i]
                        - u.beta_wage * sec.labour_share[i] * math.log(st.wage[j] / w_mean)
                        + u.beta_agglomeration * math.log1p(st.operating_count[j, i]
                                                            / loc.members[j])
                        + u.beta_tax * d_eatr[j, i]
                        + u.beta_subsidy * s.subsidy_pct[k][j, i]
                        - u.beta_congestion * st.congestion[unit[j]] * sec.needs_ip[i])
                       for j in range(loc.n)]
                      for i in range(sec.n)]
        ties_on = p.network.agreement_ties
        self.w = [[st.W_sector[unit[j], i] if ties_on else 0.0 for j in range(loc.n)]
                  for i in range(sec.n)]
        self.l2 = [[st.level2[unit[j], i] for j in range(loc.n)] for i in range(sec.n)]
        self.dx = [st.dx[unit[j]] for j in range(loc.n)]
        self.promo = [st.promotion[unit[j]] for j in range(loc.n)]
        self.lnd = st.log_rel_d.tolist()
        self.always = [bool(loc.composite[j] or st.distance[j] <= p.consideration.always_km)
                       for j in range(loc.n)]
        self.soft = sec.soft_info.tolist()
        self.size_factor, self.size_max = sec.size_factor.tolist(), sec.size_max.tolist()
        self.capital = m.firms.capital.tolist()
        lay = m.layers
        self.neighbours = (np.asarray(lay.neighbours.todense()).tolist()
                           if p.network.province_links else None)
        self.peer_rows = ([lay.peers.indices[lay.peers.indptr[i]:lay.peers.indptr[i + 1]]
                           .tolist() for i in range(m.firms.n)] if p.network.peer_effects
                          else None)
        pres = lay.presence.tocsr()
        self.present = [set(pres.indices[pres.indptr[i]:pres.indptr[i + 1]].tolist())
                        for i in range(m.firms.n)]
        self.k_consider = int(crn.subkey(m.stream_key, STREAM_CONSIDER, t))
        self.k_top = int(crn.subkey(m.stream_key, STREAM_TOP, t))
        self.k_nest = int(crn.subkey(m.stream_key, STREAM_NEST, t))
        self.k_project = int(crn.subkey(m.stream_key, STREAM_PROJECT))
        self.sector, self.readiness = m.firms.sector.tolist(), m.firms.readiness.tolist()
        self.choices: list[tuple[int, int]] = []


def _project_size(q: QuarterView, i: int, s: int) -> float:
    """The firm's planned project size from its counter-based draws (Box–Muller)."""
    key = (q.t << 32) | i
    u1, u2 = py_uniform(q.k_project, key * 6), py_uniform(q.k_project, key * 6 + 1)
    z = math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)
    sig = q.p.project.size_sigma
    k = q.capital[i] * q.size_factor[s] * q.p.project.size_scale * math.exp(
        sig * z - 0.5 * sig**2)
    return min(k, q.size_max[s])


def reference_decide(agent, q: QuarterView) -> None:
    """One firm's decision, computed by the agent itself in pure Python."""
    i = agent.idx
    if q.u[i] >= q.lam[i]:
        return
    p = q.p
    s, d = q.sector[i], q.readiness[i]
    own = agent.experience.tolist()
    net = p.network
    if q.neighbours is not None:  # experience of neighbouring places counts (province layer)
        exp_ = [own[j] + net.experience_spillover * sum(
            q.neighbours[j][h] * own[h] for h in range(q.L)) * (1.0 - own[j])
            for j in range(q.L)]
    else:
        exp_ = own
    peers = [0.0] * q.L
    if q.peer_rows is not None and q.peer_rows[i]:
        for nb in q.peer_rows[i]:
            for j in q.present[nb]:
                peers[j] += 1.0 / len(q.peer_rows[i])
    size = _project_size(q, i, s)
    ui, ci, pu = p.information, p.consideration, p.utility
    util, considered = [], []
    for loc in range(q.L):
        w, dxd, e = q.w[s][loc], q.dx[loc] * d, exp_[loc]
        visible = 1.0 - math.exp(-q.promo[loc])
        info = 1.0 - ((1.0 - ui.iota_ties * w) * (1.0 - ui.iota_dx * dxd)
                      * (1.0 - ui.iota_experience * e) * (1.0 - ui.iota_promotion * visible)
                      * (1.0 - ui.iota_peers * peers[loc]))
        pen = (pu.theta_phys + pu.theta_info * q.soft[s] * (1.0 - info)) * q.lnd[loc]
        util.append(q.const[s][loc] - pen + pu.beta_size_distance * math.log(
            size / pu.size_ref_bn) * q.lnd[loc])
        pc = 1.0 - math.exp(-(ci.a0 + ci.a_ties * w + ci.a_promotion * q.promo[loc]
                              + ci.a_dx * dxd + ci.a_peers * peers[loc]
                              + ci.a_level2 * q.l2[s][loc]))
        considered.append(py_uniform(q.k_consider, i * q.L + loc) < pc
                          or e >= ci.experience_min or q.always[loc])
    rho, kk = pu.nest_rho, len(q.away)
    scaled = [util[loc] / rho if considered[loc] else -math.inf for loc in q.away]
    mx = max(scaled)
    iv = -math.inf if mx == -math.inf else rho * (
        mx + math.log(sum(math.exp(v - mx) for v in scaled if v > -math.inf)))
    gum = [-math.log(-math.log(py_uniform(q.k_top, i * 3 + j))) for j in range(3)]
    top = [pu.asc_no_invest + gum[0], util[q.home] + gum[1], iv + gum[2]]
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
    from harness import Measure, record, single, summary  # beside this script (run as one)

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
        firms, loc = decide(m)[:2]
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
    record(Measure("decision", "the vectorised decision step against a per-agent Mesa "
                   "reference on the same model state (identical choices checked)",
                   {"overrides": [f"params.firms.n_agents={n}", "time.spinup_quarters=0"],
                    "state": "after 8 quarters"}, [int(rc.seed)], repeats,
                   target="vectorised ≥ 30× faster than the per-agent reference"),
           {"vectorised_s": summary(vec_t, "s"), "reference_s": summary(ref_t, "s"),
            "ratio": single(r / v, "×", "higher")})
    if not same:
        raise SystemExit("the reference and the vectorised step disagree")


if __name__ == "__main__":
    main()
