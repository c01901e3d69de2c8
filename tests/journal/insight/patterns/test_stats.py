"""The exact tails behind 'more than chance would give'."""

from __future__ import annotations

import pytest

from journal.insight.patterns.stats import binom_sf, excess, hypergeom_sf, poisson_sf


def test_statistics_helpers() -> None:
    assert binom_sf(0, 10, 0.5) == 1.0
    assert binom_sf(10, 10, 0.5) == pytest.approx(1 / 1024)
    assert binom_sf(3, 10, 0.5) == 1.0  # below the mean is never an excess
    assert poisson_sf(10, 2.0) < 0.001
    assert not excess(2, 2, 0.01)  # two entries are never "recurring"


def test_hypergeometric_tail() -> None:
    # 4 drawn from 10, of which 5 are marked: all 4 marked happens in 5 of the 210 draws.
    assert hypergeom_sf(4, 4, 5, 10) == pytest.approx(5 / 210)
    assert hypergeom_sf(0, 4, 5, 10) == 1.0
    assert hypergeom_sf(5, 4, 5, 10) == 0.0
    assert sum(hypergeom_sf(k, 4, 5, 10) - hypergeom_sf(k + 1, 4, 5, 10) for k in range(5)) == pytest.approx(1.0)
