"""A realistic demo journal. (Placeholder: the generator lands with its own commit.)"""

from __future__ import annotations

from journal.store import Store


def populate(store: Store, *, entries: int, seed: int) -> None:
    raise NotImplementedError
