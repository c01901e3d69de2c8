"""Small journals planted with one pattern each, and the report read back by kind."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from journal.insight import patterns
from journal.model import PostMortem, RecoveryStep, default_recovery
from journal.store import Store

TODAY = "2025-06-30"
_counter = itertools.count()


def pm(day: str = "2025-03-04", role: str = "maker", **fields: Any) -> PostMortem:
    return PostMortem(title=f"Entry {next(_counter)}", occurred_on=day, role=role, **fields)


def spread_days(n: int, start: str = "2025-01-01", every: int = 1) -> list[str]:
    first = dt.date.fromisoformat(start)
    return [(first + dt.timedelta(days=i * every)).isoformat() for i in range(n)]


def kinds(store: Store, query: str = "", period: str = "all") -> dict[str, list[patterns.Pattern]]:
    found: dict[str, list[patterns.Pattern]] = {}
    for p in patterns.analyse(store, query, period, today=TODAY):
        found.setdefault(p.kind, []).append(p)
    return found


def recovery(**states: str) -> dict[str, RecoveryStep]:
    steps = default_recovery()
    for step, state in states.items():
        steps[step] = RecoveryStep(state)
    return steps
