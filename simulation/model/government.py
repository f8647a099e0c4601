"""Phase 2 (MODEL_SPEC §8): the province agents' decisions, for many units at once.

Partners decide how to spend their cooperation budget: once a year they revise the split of a
discretionary share across the fields, promotion and DX by the adaptive rule of
:mod:`simulation.model.rules.budget`; every quarter they spend, run promotion events and build
their DX. Every unit's DX grows with the national programme. A :class:`~simulation.model.
agents.Province` agent calls these functions for its own row; the model calls them for every
unit that exists (of every replication of a batch) in one go, with the same arithmetic per row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from simulation.model.rules import budget, dynamics, ties

if TYPE_CHECKING:
    from simulation.model.context import ModelContext


def earmarked(m: ModelContext, rows: np.ndarray) -> np.ndarray:
    """The scenario's spending of the quarter per use: fields…, promotion, DX (bn VND).

    Returns:
        (len(rows), C + 2) for unit slots ``rows`` (global slots of a batch).
    """
    s, cp, st, k = m.schedule, m.p.costs, m.state, m.k
    local = m.tiling.local_place[rows]
    dx_cost = s.dx_gain[k, local] * (1.0 - st.dx[rows]) * 100.0 * cp.dx_programme_bn_per_point
    return np.concatenate([s.budget_bn[k, local], (s.promo_events[k, local]
                                                   * cp.promotion_event_bn)[:, None],
                           dx_cost[:, None]], axis=1)


def plan(m: ModelContext, rows: np.ndarray) -> None:
    """Once a year: partners move their discretionary split toward the adaptive target."""
    st = m.state
    C = st.W.shape[1]
    pr = rows[st.partner[rows]]
    if pr.size:
        earmark = earmarked(m, pr)[:, :C]
        fields = earmark / np.maximum(earmark.sum(axis=1), 1e-12)[:, None]
        target = budget.target_shares(st.licensed_year[pr, :C], st.licensed_year[pr, C],
                                      st.dx[pr], fields)
        st.shares[pr] = budget.adapt(st.shares[pr], target, m.p.government.adapt_speed)
    st.licensed_year[rows] = 0.0


def act(m: ModelContext, rows: np.ndarray) -> None:
    """Every quarter: spend the cooperation budget, run promotion, build DX."""
    st, sched, p = m.state, m.schedule, m.p
    C = st.W.shape[1]
    gain = np.full(rows.size, p.government.dx_growth_per_year / 4.0)  # national programme
    partner = st.partner[rows]
    pr, other = rows[partner], rows[~partner]
    if pr.size:
        earmark = earmarked(m, pr)
        spend = budget.spend(earmark.sum(axis=1)[:, None], earmark, st.shares[pr],
                             p.government.discretion)
        st.spend[pr] = spend
        st.activity[pr] = ties.activity(spend[:, :C], p.ties.activity_budget_bn,
                                        p.ties.dx_activity_boost, st.dx[pr][:, None])
        events = (spend[:, C] / p.costs.promotion_event_bn if p.costs.promotion_event_bn
                  else 0.0)
        st.promotion[pr] = dynamics.stock(st.promotion[pr], m.world.promotion_decay, events)
        st.human_capital[pr] = dynamics.close_gap(st.human_capital[pr],
                                                  sched.hc_gain[m.k, m.tiling.local_place[pr]])
        points = spend[:, C + 1] / (100.0 * p.costs.dx_programme_bn_per_point)
        gain[partner] += points / np.maximum(1.0 - st.dx[pr], 1e-9)
    st.spend[other] = 0.0
    st.activity[other] = 0.0
    st.dx[rows] = dynamics.close_gap(st.dx[rows], np.minimum(gain, 1.0))
