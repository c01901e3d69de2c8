"""How much a count says: exact tails against chance, and the strength a finding carries.

A claim needs support: at least ``MIN_SUPPORT`` entries and, from ``TESTED_FROM`` entries in the
scope, a binomial (or Poisson) tail below ``ALPHA`` after a Bonferroni correction over the
candidates. Below ``TESTED_FROM`` a plain count is said instead, at most ``OBSERVED_STRENGTH``.
"""

from __future__ import annotations

import math

MIN_ENTRIES = 5  # entries in the scope before any pattern is looked for
MIN_SUPPORT = 3  # entries a claim stands on, at the least
TESTED_FROM = 30  # entries in the scope from which recurring clients, causes and tags are tested against chance
OBSERVE_SHARE = 0.25  # below that, a plain count is said when it covers at least this share
OBSERVED_STRENGTH = 0.35  # the most a plain count can weigh
ALPHA = 0.05  # the tail below which a count is more than chance would give


def binom_sf(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p); exact, summed from k while terms matter."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0.0:
        return 0.0
    if p >= 1.0:
        return 1.0
    if k <= n * p:
        return 1.0  # at or below the mean: never evidence of an excess
    log_term = (
        math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1) + k * math.log(p) + (n - k) * math.log1p(-p)
    )
    term = math.exp(log_term)
    total = term
    ratio = p / (1.0 - p)
    i = k
    while i < n and term > total * 1e-12:
        term *= (n - i) / (i + 1) * ratio
        total += term
        i += 1
    return min(1.0, total)


def poisson_sf(k: int, lam: float) -> float:
    """P(X >= k) for X ~ Poisson(lam)."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    if k <= lam:
        return 1.0
    term = math.exp(-lam + k * math.log(lam) - math.lgamma(k + 1))
    total = term
    i = k
    while term > total * 1e-12 and i < k + 100_000:
        i += 1
        term *= lam / i
        total += term
    return min(1.0, total)


def hypergeom_sf(k: int, drawn: int, marked: int, total: int) -> float:
    """P(X >= k) when ``drawn`` of ``total`` are picked at random and ``marked`` of the total count (Fisher's tail)."""
    low, high = max(0, drawn - (total - marked)), min(drawn, marked)
    if k <= low:
        return 1.0
    if k > high:
        return 0.0

    def log_choose(n: int, r: int) -> float:
        return math.lgamma(n + 1) - math.lgamma(r + 1) - math.lgamma(n - r + 1)

    base = log_choose(total, drawn)
    return min(
        1.0,
        sum(math.exp(log_choose(marked, i) + log_choose(total - marked, drawn - i) - base) for i in range(k, high + 1)),
    )


def excess(count: int, trials: int, p0: float, candidates: int = 1) -> bool:
    """True when ``count`` of ``trials`` is clearly above the share ``p0`` (Bonferroni over candidates)."""
    return count >= MIN_SUPPORT and binom_sf(count, trials, p0) * max(1, candidates) < ALPHA


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def strength(weight: float, effect: float, support: int) -> float:
    """Importance of the kind × size of the effect × how much data stands behind it."""
    return round(_clamp(weight * _clamp(effect) * support / (support + 4)), 3)


def count_strength(weight: float, share: float, support: int) -> float:
    """A plain count's strength: below any tested pattern of the same size."""
    return min(OBSERVED_STRENGTH, strength(weight * 0.5, 0.5 + share, support))


def worth_counting(count: int, total: int) -> bool:
    """A count worth saying in a small journal."""
    return count >= MIN_SUPPORT and count >= OBSERVE_SHARE * total
