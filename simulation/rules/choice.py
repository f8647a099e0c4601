"""Investment decision: consideration, information access, utility and nested-logit choice.

The alternatives of a firm with an opportunity are: decline (0), expand at home in HCMC (1), or
invest away (2 + j), where the away nest holds the near and far composite regions and the
partner provinces. Choice is sampled exactly with the Gumbel-max trick at both levels of a
nested logit: within the nest ``argmax(V/ρ + G)``; at the top ``argmax`` over decline, home and
the nest's inclusive value ``ρ·logsumexp(V/ρ)``, each plus a Gumbel draw. With ρ = 1 this is the
plain conditional logit of MODEL_SPEC §5.
"""

import numpy as np

DECLINE, HOME, AWAY0 = 0, 1, 2


def consideration_prob(
    w: np.ndarray, promotion: np.ndarray, dx_d: np.ndarray,
    a0: float, a_ties: float, a_promotion: float, a_dx: float,
) -> np.ndarray:
    """P(consider) = 1 − exp(−(a0 + a_W·W + a_TP·promotion + a_D·DX·D))."""
    return 1.0 - np.exp(-(a0 + a_ties * w + a_promotion * promotion + a_dx * dx_d))


def information_access(
    w: np.ndarray, dx_d: np.ndarray, experience: np.ndarray,
    iota_ties: float, iota_dx: float, iota_experience: float,
) -> np.ndarray:
    """Noisy-OR information access in [0, 1], monotone in ties, DX·readiness and experience."""
    return 1.0 - ((1.0 - iota_ties * w) * (1.0 - iota_dx * dx_d)
                  * (1.0 - iota_experience * experience))


def distance_penalty(
    log_rel_distance: np.ndarray, info: np.ndarray, soft_info: np.ndarray,
    theta_phys: float, theta_info: float,
) -> np.ndarray:
    """[θ_phys + θ_info·χ_s·(1 − I)]·ln(d/d0): the part of utility lost to distance."""
    return (theta_phys + theta_info * soft_info * (1.0 - info)) * log_rel_distance


def inclusive_value(v_nest: np.ndarray, rho: float) -> np.ndarray:
    """ρ·log Σ exp(V/ρ) over the nest, −inf where nothing is considered."""
    with np.errstate(divide="ignore"):
        scaled = v_nest / rho
        m = np.max(scaled, axis=1)
        finite = np.isfinite(m)
        out = np.full(v_nest.shape[0], -np.inf)
        s = np.exp(scaled[finite] - m[finite, None]).sum(axis=1)
        out[finite] = rho * (m[finite] + np.log(s))
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
        rho: nest dissimilarity in (0, 1].
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
