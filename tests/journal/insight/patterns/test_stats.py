"""The exact tails behind 'more than chance would give'."""

from __future__ import annotations

import pytest

from journal.insight.patterns.stats import binom_sf, excess, poisson_sf


def test_statistics_helpers() -> None:
    assert binom_sf(0, 10, 0.5) == 1.0
    assert binom_sf(10, 10, 0.5) == pytest.approx(1 / 1024)
    assert binom_sf(3, 10, 0.5) == 1.0  # below the mean is never an excess
    assert poisson_sf(10, 2.0) < 0.001
    assert not excess(2, 2, 0.01)  # two entries are never "recurring"
