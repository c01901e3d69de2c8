"""Searches and sidebar counts on a worker thread, so typing never waits for SQLite.

The worker opens its own ``Store`` on the same file (a Store belongs to one
thread). Every request carries a serial number; a result that is no longer the
latest of its kind is dropped, so a slow old search never overwrites a new one.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from journal import query as q
from journal.store import JournalError, Store


@dataclass(frozen=True)
class ListQuery:
    """What the list shows: typed text, the sidebar's filters, the trash flag and the sort."""

    text: str = ""
    filters: tuple[q.Filter, ...] = ()
    trash: bool = False
    order: str | None = None
    descending: bool = True

    def parsed(self) -> q.Query:
        typed = q.parse(self.text)
        return q.Query(typed.raw, typed.terms, typed.filters + self.filters)


@dataclass(frozen=True)
class Counts:
    """What the sidebar shows next to each line."""

    statuses: dict[str, int] = field(default_factory=dict)
    clients: list[tuple[str, int]] = field(default_factory=list)
    accounts: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class SearchResult:
    query: ListQuery
    ids: list[str]
    seconds: float


class _Latest:
    """The newest serial of each kind; read by the worker to skip stale work (ints are atomic under the GIL)."""

    def __init__(self) -> None:
        self.search = 0
        self.counts = 0


def read_counts(store: Store) -> Counts:
    return Counts(store.status_counts(), store.names("client"), store.names("account_key"))


class _Worker(QObject):
    searched = Signal(int, object)  # serial, SearchResult
    counted = Signal(int, object)  # serial, Counts
    failed = Signal(str)

    def __init__(self, path: Path, latest: _Latest) -> None:
        super().__init__()
        self._path = path
        self._latest = latest
        self._store: Store | None = None

    def _open(self) -> Store:
        if self._store is None:
            self._store = Store.open(self._path, create=False)
        return self._store

    @Slot(int, object)
    def search(self, serial: int, request: ListQuery) -> None:
        if serial != self._latest.search:
            return
        try:
            start = time.perf_counter()
            ids = self._open().search_ids(
                request.parsed(), trash=request.trash, order=request.order, descending=request.descending
            )
            result = SearchResult(request, ids, time.perf_counter() - start)
        except JournalError as error:
            self.failed.emit(str(error))
            return
        self.searched.emit(serial, result)

    @Slot(int)
    def count(self, serial: int) -> None:
        if serial != self._latest.counts:
            return
        try:
            counts = read_counts(self._open())
        except JournalError as error:
            self.failed.emit(str(error))
            return
        self.counted.emit(serial, counts)

    @Slot()
    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


class QueryRunner(QObject):
    """Runs list searches and sidebar counts for one journal file off the GUI thread."""

    results = Signal(object)  # SearchResult, only the latest
    counts = Signal(object)  # Counts, only the latest
    failed = Signal(str)

    _search_requested = Signal(int, object)
    _count_requested = Signal(int)
    _close_requested = Signal()

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._latest = _Latest()
        self._pending_search: ListQuery | None = None
        self._thread = QThread(self)
        self._thread.setObjectName("hindsight-queries")
        self._worker = _Worker(path, self._latest)
        self._worker.moveToThread(self._thread)
        self._search_requested.connect(self._worker.search)
        self._count_requested.connect(self._worker.count)
        self._close_requested.connect(self._worker.close, Qt.ConnectionType.BlockingQueuedConnection)
        self._worker.searched.connect(self._on_searched)
        self._worker.counted.connect(self._on_counted)
        self._worker.failed.connect(self.failed)
        self._thread.start()

    @property
    def busy(self) -> bool:
        """A search was asked for and its result has not arrived yet."""
        return self._pending_search is not None

    def search(self, request: ListQuery) -> None:
        self._latest.search += 1
        self._pending_search = request
        self._search_requested.emit(self._latest.search, request)

    def refresh_counts(self) -> None:
        self._latest.counts += 1
        self._count_requested.emit(self._latest.counts)

    def stop(self) -> None:
        """Finish the current job, close the worker's Store and end the thread."""
        if not self._thread.isRunning():
            return
        self._latest.search += 1
        self._latest.counts += 1
        self._close_requested.emit()
        self._thread.quit()
        self._thread.wait()

    def _on_searched(self, serial: int, result: SearchResult) -> None:
        if serial == self._latest.search:
            self._pending_search = None
            self.results.emit(result)

    def _on_counted(self, serial: int, counts: Counts) -> None:
        if serial == self._latest.counts:
            self.counts.emit(counts)
