"""Investment decision: consideration, information access, utility and nested-logit choice.

The alternatives of a firm with an opportunity are: decline (0), expand at home in HCMC (1), or
invest away (2 + j), where the away nest holds every other place: HCMC's industrial belt, the
partner and other provinces and the composite regions. Choice is sampled exactly with the
Gumbel-max trick at both levels of a nested logit: within the nest ``argmax(V/ρ + G)``; at the top
``argmax`` over decline, home and the nest's inclusive value ``ρ·logsumexp(V/ρ)``, each plus a
Gumbel draw. With ρ = 1 this is the plain conditional logit of MODEL_SPEC §5.
"""

import numpy as np

DECLINE, HOME, AWAY0 = 0, 1, 2


def consideration_prob(
    w: np.ndarray, promotion: np.ndarray, dx_d: np.ndarray, peers: np.ndarray,
    level2: np.ndarray, a0: float, a_ties: float, a_promotion: float, a_dx: float,
    a_peers: float, a_level2: float,
) -> np.ndarray:
    """P(consider) = 1 − exp(−(a0 + a_W·W + a_TP·promotion + a_D·DX·D + a_P·peers + a_L2·L2)).

    ``promotion`` is the province's own promotion stock (never a pool over provinces), ``peers``
    the share of the firm's peers operating there, ``level2`` the share of the firm's sector's
    fields at joint-programme level or above.
    """
    return 1.0 - np.exp(-(a0 + a_ties * w + a_promotion * promotion + a_dx * dx_d
                          + a_peers * peers + a_level2 * level2))


def visibility(promotion: np.ndarray) -> np.ndarray:
    """A province's visibility from its own promotion stock: ``1 − exp(−stock)`` in [0, 1)."""
    return -np.expm1(-promotion)


def information_access(
    w: np.ndarray, dx_d: np.ndarray, experience: np.ndarray, visible: np.ndarray,
    peers: np.ndarray, iota_ties: float, iota_dx: float, iota_experience: float,
    iota_promotion: float, iota_peers: float,
) -> np.ndarray:
    """Noisy-OR information access in [0, 1], monotone in each channel.

    ``1 − (1 − ι_W·W)(1 − ι_D·DX·D)(1 − ι_E·E)(1 − ι_TP·visibility)(1 − ι_P·peers)``.
    """
    return 1.0 - ((1.0 - iota_ties * w) * (1.0 - iota_dx * dx_d)
                  * (1.0 - iota_experience * experience)
                  * (1.0 - iota_promotion * visible) * (1.0 - iota_peers * peers))


def distance_penalty(
    log_rel_distance: np.ndarray, info: np.ndarray, soft_info: np.ndarray,
    theta_phys: float, theta_info: float,
) -> np.ndarray:
    """[θ_phys + θ_info·χ_s·(1 − I)]·ln(d/d0): the part of utility lost to distance."""
    return (theta_phys + theta_info * soft_info * (1.0 - info)) * log_rel_distance


def inclusive_value(v_nest: np.ndarray, rho: float | np.ndarray) -> np.ndarray:
    """ρ·log Σ exp(V/ρ) over the nest, −inf where nothing is considered.

    ``rho``: one number, or (n, 1), each row's own.
    """
    with np.errstate(divide="ignore"):
        scaled = v_nest / rho
        m = np.max(scaled, axis=1)
        finite = np.isfinite(m)
        out = np.full(v_nest.shape[0], -np.inf)
        s = np.exp(scaled[finite] - m[finite, None]).sum(axis=1)
        out[finite] = (rho if np.ndim(rho) == 0 else rho[finite, 0]) * (m[finite] + np.log(s))
    return out


def nested_choice(
    v_decline: np.ndarray, v_home: np.ndarray, v_nest: np.ndarray, rho: float,
    g_top: np.ndarray, g_nest: np.ndarray,
) -> np.ndarray:
    """Sample the nested logit with Gumbel-max; return 0 decline, 1 home, 2+j nest member j.

    Args:
        v_decline: (n,) utility of declining.
        v_home: (n,) utility of expanding at home.
        v_nest: (n, k) utilities of the away alternatives, −inf where not considered.
        rho: nest dissimilarity in (0, 1] (or (n, 1), each row's own).
        g_top: (n, 3) Gumbel draws for decline, home, nest.
        g_nest: (n, k) Gumbel draws for the nest members.
    """
    iv = inclusive_value(v_nest, rho)
    top = np.stack([v_decline, v_home, iv], axis=1) + g_top
    pick = np.argmax(top, axis=1)
    inner = np.argmax(v_nest / rho + g_nest, axis=1)
    return np.where(pick == 2, AWAY0 + inner, pick)


def nested_probs(v_decline: np.ndarray, v_home: np.ndarray, v_nest: np.ndarray,
                 rho: float) -> np.ndarray:
    """Closed-form choice probabilities matching :func:`nested_choice` (columns as its codes)."""
    iv = inclusive_value(v_nest, rho)
    top = np.stack([v_decline, v_home, iv], axis=1)
    top = np.exp(top - top.max(axis=1, keepdims=True))
    top /= top.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore"):
        inner = np.exp(v_nest / rho - np.max(v_nest / rho, axis=1, keepdims=True))
        inner /= inner.sum(axis=1, keepdims=True)
    inner = np.nan_to_num(inner)
    return np.concatenate([top[:, :2], top[:, 2:3] * inner], axis=1)


# --------------------------------------------------------------------------- opportunities


def opportunity_base(capital: np.ndarray, base_rate: float, size_elasticity: float
                     ) -> np.ndarray:
    """λ_i without the business cycle: ``λ0 · (K_i / K̄)^ζ`` per firm and quarter."""
    return base_rate * (capital / capital.mean()) ** size_elasticity


def opportunity_rates(lam_firm: np.ndarray, macro: float) -> np.ndarray:
    """λ_i of the quarter: the firm's rate times the business cycle; no lever moves it.

    Args:
        lam_firm: λ_i without the business cycle (:func:`opportunity_base`).
        macro: the year's business-cycle multiplier.
    """
    return lam_firm * macro


# --------------------------------------------------------------------------- utility


def location_constants(roles: np.ndarray, members: np.ndarray, xi_home: float,
                       xi_province: float, xi_composite: float, rho: float) -> np.ndarray:
    """ξ of every place by its role, plus the size term ``ρ·ln(members)``.

    A composite of m provinces gets ``ξ_composite + ρ·ln m`` with its potential and
    agglomeration measured per member: inside the away nest (dissimilarity ρ), m identical
    members add up to ``m·exp(V/ρ) = exp((V + ρ·ln m)/ρ)``, so splitting or merging a
    composite leaves the odds of going there unchanged (MODEL_SPEC §2). Single provinces
    (partner or not) share ``ξ_province``: the partner premium is not assumed but comes from
    the cooperation ties.
    """
    base = np.select([roles == "origin", roles == "composite"], [xi_home, xi_composite],
                     xi_province).astype(float)
    return base + rho * np.log(members)


def log_potential(drivers: np.ndarray, elasticities: np.ndarray) -> np.ndarray:
    """Sector potential ``ln M_ls = Σ_k e_sk · ln x_lk``, centred on its mean over locations.

    Args:
        drivers: (L, K) potential drivers of each location (GRDP, population, ...), > 0.
        elasticities: (S, K) weight of each driver in each sector's potential.
    """
    x = np.log(np.maximum(drivers, 1e-9))
    raw = x @ elasticities.T
    return raw - raw.mean(axis=0, keepdims=True)


def log_distance(distance: np.ndarray, reference_km: float) -> np.ndarray:
    """``ln(d / d0)``, floored at 0 (closer than the intra-city reference counts as no distance)."""
    return np.log(np.maximum(distance, reference_km) / reference_km)


def size_distance(size: np.ndarray, size_ref: float, log_rel_distance: np.ndarray,
                  beta: float) -> np.ndarray:
    """``β_KD · ln(K_j / K_ref) · ln(d/d0)``: larger projects are deterred less by distance.

    A distant site has fixed costs (managers, logistics, dealing with a new administration)
    that a larger project spreads over more capital, so the big projects go far and the
    small ones stay near (HEPZA's projects ~190 bn VND, Nghệ An's ~650 bn).

    Args:
        size: (n,) registered capital of each firm's planned project (bn VND).
        size_ref: size at which the term vanishes (bn VND).
        log_rel_distance: (1, L) ``ln(d/d0)``.
        beta: β_KD ≥ 0.
    """
    return beta * np.log(size / size_ref)[:, None] * log_rel_distance


def utility(xi: np.ndarray, ln_potential: np.ndarray, ln_rel_wage: np.ndarray,
            labour_share: np.ndarray, operating: np.ndarray, d_eatr: np.ndarray,
            subsidy: np.ndarray, congestion: np.ndarray, needs_ip: np.ndarray,
            log_rel_distance: np.ndarray, info: np.ndarray, soft_info: np.ndarray,
            size_term: np.ndarray, u) -> np.ndarray:
    """V_il of MODEL_SPEC §5 for n firms (rows) and L places (columns).

    ``V = ξ + β_M·ln M − β_w·λ_s·ln(w/w̄) + β_A·ln(1 + N) + β_τ·ΔEATR + β_S·subsidy
    − β_L·congestion·[needs park land] − [θ_phys + θ_info·χ·(1 − I)]·ln(d/d0)
    + β_KD·ln(K/K_ref)·ln(d/d0)``.

    Args:
        xi: (1, L) place constants with the size term.
        ln_potential: (n, L) log sector potential (per member) of each firm's sector.
        ln_rel_wage: (1, L) log local wage relative to the mean of the base wages.
        labour_share: (n, 1) the firm's sector's labour share of value added (wages matter
            in proportion to it).
        operating: (n, L) operating projects of the firm's sector (agglomeration).
        d_eatr: (n, L) reduction of the effective tax rate, percentage points.
        subsidy: (n, L) capex subsidy, % of capital.
        congestion: (1, L) industrial-park land congestion in [0, 1].
        needs_ip: (n, 1) True where the firm's sector needs park land.
        log_rel_distance: (1, L) ``ln(d/d0)``.
        info: (n, L) information access.
        soft_info: (n, 1) χ of the firm's sector.
        size_term: (n, L) :func:`size_distance`.
        u: the utility coefficients (``beta_*``, ``theta_phys``, ``theta_info``).
    """
    v = (xi
         + u.beta_potential * ln_potential
         - u.beta_wage * labour_share * ln_rel_wage
         + u.beta_agglomeration * np.log1p(operating)
         + u.beta_tax * d_eatr
         + u.beta_subsidy * subsidy
         - u.beta_congestion * congestion * needs_ip
         + size_term)
    return v - distance_penalty(log_rel_distance, info, soft_info, u.theta_phys, u.theta_info)


# --------------------------------------------------------------------------- choice sets


def considered(u: np.ndarray, p_consider: np.ndarray, experience: np.ndarray,
               experience_min: float, always: np.ndarray) -> np.ndarray:
    """Which places each firm considers (n, L).

    ``always`` places (composites, places near HCMC) and places where the firm has experience
    are always considered; any other is considered with probability ``p_consider`` (one
    uniform ``u`` per firm and place).
    """
    return (u < p_consider) | (experience >= experience_min) | always


def alternatives(util: np.ndarray, considered_: np.ndarray, home: int, away: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """Utilities of expanding at home (n,) and of the away nest (n, len(away)).

    Places not considered (and places that no longer exist as choices) get ``−inf``.
    """
    v_nest = np.where(considered_[:, away], util[:, away], -np.inf)
    return util[:, home], v_nest


def chosen_location(pick: np.ndarray, home: int, away: np.ndarray) -> np.ndarray:
    """Location index of each choice code of :func:`nested_choice`.

    A decline has no location (it gets the first away location); callers drop declines.
    """
    return np.where(pick == HOME, home, away[np.maximum(pick - AWAY0, 0)])
