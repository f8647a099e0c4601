"""Province agents decide (MODEL_SPEC §8): an adaptive split of the cooperation budget.

Each year a partner reallocates a share of its cooperation envelope (the ``discretion``) across
the cooperation fields, promotion and digital transformation; the rest follows the scenario's
earmarks. The rule responds to outcomes: fields whose mapped sectors brought licensed projects
last year get more, promotion gets more when nothing was licensed at all, DX in proportion to
the province's remaining DX gap. The allocation moves a share ``speed`` of the way toward this
target each year, and never changes the envelope (what the scenario pays).
"""

import numpy as np

FIELDS, PROMOTION, DX = "fields", "promotion", "dx"


def target_shares(licensed_by_field: np.ndarray, licensed_total: float, dx: float,
                  field_shares: np.ndarray, prior: float = 1.0) -> np.ndarray:
    """The rule's target split of the discretionary budget: fields…, promotion, DX.

    Args:
        licensed_by_field: (C,) projects licensed last year in sectors mapped to each field.
        licensed_total: projects licensed last year in the province (all sectors).
        dx: the province's DX index in [0, 1].
        field_shares: (C,) the scenario's own split of the field budgets (a prior, so fields
            without projects are not abandoned).
        prior: weight of the scenario's split against last year's projects.

    Each argument may carry a leading axis of provinces (rows): ``(N, C)``, ``(N,)``.

    Returns:
        (C + 2,) shares summing to 1 (``(N, C + 2)`` for rows): one per field, then
        promotion, then DX.
    """
    fields = prior * np.asarray(field_shares) + licensed_by_field
    promotion = prior * np.where(np.asarray(licensed_total) == 0, 2.0, 0.5)
    dx_weight = prior * (1.0 - np.asarray(dx))
    raw = np.concatenate([fields, promotion[..., None], dx_weight[..., None]], axis=-1)
    return raw / raw.sum(axis=-1, keepdims=True)


def adapt(current: np.ndarray, target: np.ndarray, speed: float) -> np.ndarray:
    """Move the split a share ``speed`` of the way toward the target (stays on the simplex)."""
    return (1.0 - speed) * current + speed * target


def spend(envelope: float, earmarked: np.ndarray, shares: np.ndarray, discretion: float
          ) -> np.ndarray:
    """Spending per use (fields…, promotion, DX) of one quarter.

    ``(1 − discretion)·earmarked + discretion·envelope·shares``: the scenario's earmarks scaled
    down by the discretion, plus the discretionary part split by the adaptive shares. Sums to
    the envelope.

    Args:
        envelope: the quarter's cooperation spending (bn VND), ``earmarked.sum()``.
        earmarked: (C + 2,) the scenario's spending per use.
        shares: (C + 2,) the adaptive split.
        discretion: share of the envelope the province reallocates.
    """
    return (1.0 - discretion) * earmarked + discretion * envelope * shares
