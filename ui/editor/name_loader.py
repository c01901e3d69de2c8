"""Reads the names the editor offers for completion (clients, accounts, causes, tags) off the GUI thread.

On a 100,000-entry journal the four GROUP BY queries take about a second: too long to freeze the
window for when an entry opens. Completion is a convenience, so it simply arrives a moment later.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from journal.store import Store


@dataclass(frozen=True)
class Names:
    clients: list[str]
    accounts: list[str]
    causes: list[str]
    tags: list[str]


class NameLoader:
    """One worker thread with its own store (a Store belongs to one thread)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._executor: ThreadPoolExecutor | None = None
        self._store: Store | None = None  # touched only on the worker thread

    def request(self) -> Future[Names]:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hindsight-names")
        return self._executor.submit(self._load)

    def close(self) -> None:
        if self._executor is None:
            return
        self._executor.submit(self._close_store)
        self._executor.shutdown(wait=True)
        self._executor = None

    def _load(self) -> Names:
        if self._store is None:
            self._store = Store.open(self.path, create=False)

        def names(column: str) -> list[str]:
            assert self._store is not None
            return [name for name, _count in self._store.names(column)]

        return Names(names("client"), names("account_key"), names("causes"), names("tags"))

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
