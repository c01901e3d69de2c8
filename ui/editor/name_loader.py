"""The names the editor offers for completion (clients, accounts, causes, tags), read on a background lane.

On a 100,000-entry journal the four GROUP BY queries take about a second: too long to freeze the
window for when an entry opens. Completion is a convenience, so it simply arrives a moment later.
"""

from __future__ import annotations

from dataclasses import dataclass

from journal.store import Store


@dataclass(frozen=True)
class Names:
    clients: list[str]
    accounts: list[str]
    causes: list[str]
    tags: list[str]


def load_names(store: Store) -> Names:
    """Every name in use, most used first (runs on the editor's ``hindsight-names`` lane)."""

    def names(column: str) -> list[str]:
        return [name for name, _count in store.names(column)]

    return Names(names("client"), names("account_key"), names("causes"), names("tags"))
