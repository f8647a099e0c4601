"""Counter-based random numbers for common random numbers across scenarios.

Draws that belong to one firm or one project in one quarter are a pure function of
``(stream key, quarter, entity key)``, computed with the SplitMix64 finaliser. A scenario that
changes which firms act or which projects exist therefore never shifts anyone else's draws, so
scenario differences are paired at the level of each decision (common random numbers).

Stream keys come from the run's ``numpy.random.SeedSequence`` (see `simulation.model`).
"""

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30, _S27, _S31, _S11 = (np.uint64(s) for s in (30, 27, 31, 11))
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


_MASK = (1 << 64) - 1


def mix64(z: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser of a uint64 array (wrapping arithmetic; modifies ``z`` in place)."""
    z ^= z >> _S30
    z *= _M1
    z ^= z >> _S27
    z *= _M2
    z ^= z >> _S31
    return z


def _mix64_int(z: int) -> int:
    """SplitMix64 finaliser of one Python integer (same values as :func:`mix64`)."""
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return z ^ (z >> 31)


def subkey(key: int, *parts: int) -> np.uint64:
    """Derive a key for a sub-stream (e.g. a quarter and a purpose) from a stream key."""
    z = int(key) & _MASK
    for p in parts:
        z = _mix64_int(z ^ ((int(p) * 0x9E3779B97F4A7C15 + 0x9E3779B97F4A7C15) & _MASK))
    return np.uint64(z)


def uniforms(key: np.uint64, counters: np.ndarray) -> np.ndarray:
    """Uniform draws in the open interval (0, 1), one per counter.

    Args:
        key: sub-stream key from :func:`subkey`, or one key per counter (the entities of
            several replications of a batch, each with its own stream).
        counters: non-negative integer entity keys (firm index, project key, ...).
    """
    c = np.asarray(counters).astype(np.uint64, copy=False)
    z = mix64(c * _GOLDEN + np.asarray(key, dtype=np.uint64))
    return ((z >> _S11).astype(np.float64) + 0.5) * _TO_UNIT


def uniforms2d(key: np.uint64, counters: np.ndarray, width: int) -> np.ndarray:
    """A (len(counters), width) block of uniforms: column j uses counter ``c * width + j``.

    ``key`` is one key, or one per counter (see :func:`uniforms`).
    """
    c = np.asarray(counters).astype(np.uint64, copy=False)[:, None] * np.uint64(width)
    key = np.asarray(key, dtype=np.uint64)
    return uniforms(key[:, None] if key.ndim else key,
                    c + np.arange(width, dtype=np.uint64)[None, :])


def gumbel(u: np.ndarray) -> np.ndarray:
    """Standard Gumbel variates from uniforms."""
    return -np.log(-np.log(u))


def normal(u1: np.ndarray, u2: np.ndarray) -> np.ndarray:
    """Standard normal variates from two independent uniforms (Box–Muller)."""
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
