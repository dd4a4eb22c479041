"""The draws of the demo generator: its random generator (fixed seed), and integers summing exactly to a
published total."""

from __future__ import annotations

import numpy as np

from .figures import SEED


def new_rng() -> np.random.Generator:
    """The random generator of a build: the same seed, hence the same draws, on every build."""
    return np.random.Generator(np.random.PCG64(SEED))


def scale_to_total(
    weights: np.ndarray,
    total: int,
    lo: np.ndarray | int = 1,
    hi: np.ndarray | int | None = None,
) -> np.ndarray:
    """Integers proportional to ``weights`` that sum to ``total`` exactly, within [lo, hi] (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    lo = np.broadcast_to(np.asarray(lo, dtype=float), w.shape)
    hi = np.broadcast_to(np.asarray(np.inf if hi is None else hi, dtype=float), w.shape)
    if lo.sum() > total or hi.sum() < total:
        raise ValueError("bounds cannot reach the total")
    # find the scale factor by bisection so that sum(clip(w*k, lo, hi)) == total
    a, b = 0.0, 1.0
    while np.clip(w * b, lo, hi).sum() < total:
        b *= 2
    for _ in range(200):
        k = (a + b) / 2
        if np.clip(w * k, lo, hi).sum() < total:
            a = k
        else:
            b = k
    x = np.clip(w * b, lo, hi)
    base = np.floor(x).astype(int)
    base = np.maximum(base, lo.astype(int))
    rest = total - base.sum()
    frac = x - np.floor(x)
    order = np.argsort(-frac, kind="stable")
    i = 0
    while rest != 0:
        j = order[i % len(order)]
        if rest > 0 and base[j] < hi[j]:
            base[j] += 1
            rest -= 1
        elif rest < 0 and base[j] > lo[j]:
            base[j] -= 1
            rest += 1
        i += 1
    return base


def split_exact(amounts: np.ndarray, total: int) -> np.ndarray:
    """Integer euros proportional to ``amounts`` summing exactly to ``total``."""
    x = amounts / amounts.sum() * total
    base = np.floor(x).astype(np.int64)
    rest = int(total - base.sum())
    order = np.argsort(-(x - base), kind="stable")
    base[order[:rest]] += 1
    return base
