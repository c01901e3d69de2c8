"""Searches and sidebar counts on a worker thread, so typing never waits for SQLite.

The worker opens its own ``Store`` on the same file (a Store belongs to one
thread). Every request carries a serial number; a result that is no longer the
latest of its kind is dropped, so a slow old search never overwrites a new one.

A search answers twice: first the rows a screen shows (``FIRST_PAGE`` ids, a few
ms even on 100,000 entries), then every matching id. The second query is
abandoned inside SQLite (a progress handler) as soon as a newer search is asked
for, so the next keystroke never waits for a broad filter's full id list.
"""

from __future__ import annotations

import sqlite3
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
    ids: tuple[str, ...] | None = None  # show exactly these entries (a pattern's evidence, the conflicts)

    def parsed(self) -> q.Query:
        typed = q.parse(self.text)
        return q.Query(typed.raw, typed.terms, typed.filters + self.filters, typed.nothing_to_search)


@dataclass(frozen=True)
class Counts:
    """What the sidebar shows next to each line."""

    statuses: dict[str, int] = field(default_factory=dict)
    clients: list[tuple[str, int]] = field(default_factory=list)
    accounts: list[tuple[str, int]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # ids of entries that changed here and in a team folder


FIRST_PAGE = 100  # ids in the first answer: more than a tall window shows (about 30 rows at 900 px)
_CHECK_EVERY = 1000  # SQLite steps between checks for a newer search (a few µs of work)


@dataclass(frozen=True)
class SearchResult:
    query: ListQuery
    ids: list[str]
    seconds: float
    complete: bool = True  # False: the first FIRST_PAGE ids; every id follows in another result


class _Latest:
    """The newest serial of each kind; read by the worker to skip stale work (ints are atomic under the GIL)."""

    def __init__(self) -> None:
        self.search = 0
        self.counts = 0


def read_counts(store: Store) -> Counts:
    # Imported here, on the worker's thread: the package brings the transfer code, which the window does not need.
    from journal.transfer import sync_state

    conflicts = list(dict.fromkeys(c.entry_id for c in sync_state.list_conflicts(store)))  # one line per entry
    return Counts(store.status_counts(), store.names("client"), store.names("account_key"), conflicts)


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
            store = self._open()
            if request.ids is not None:
                ids = store.order_ids(request.ids, trash=request.trash, order=request.order,
                                      descending=request.descending)
                self.searched.emit(serial, SearchResult(request, ids, time.perf_counter() - start))
                return
            query = request.parsed()
            first = store.search_ids(query, trash=request.trash, order=request.order,
                                     descending=request.descending, limit=FIRST_PAGE)
            if len(first) < FIRST_PAGE:
                self.searched.emit(serial, SearchResult(request, first, time.perf_counter() - start))
                return
            self.searched.emit(serial, SearchResult(request, first, time.perf_counter() - start, complete=False))
            every = self._all_ids(store, serial, request, query)
            if every is None:
                return  # a newer search was asked for: it runs next
            result = SearchResult(request, every, time.perf_counter() - start)
        except JournalError as error:
            self.failed.emit(str(error))
            return
        self.searched.emit(serial, result)

    def _all_ids(self, store: Store, serial: int, request: ListQuery, query: q.Query) -> list[str] | None:
        """Every matching id; None when a newer search made SQLite stop half way."""
        store.conn.set_progress_handler(lambda: serial != self._latest.search, _CHECK_EVERY)
        try:
            return store.search_ids(query, trash=request.trash, order=request.order, descending=request.descending)
        except sqlite3.OperationalError:
            if serial != self._latest.search:
                return None
            raise
        finally:
            store.conn.set_progress_handler(None, 0)

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

    results = Signal(object)  # SearchResult, only the latest (its first page, then all of it)
    counts = Signal(object)  # Counts, only the latest
    failed = Signal(str)

    _search_requested = Signal(int, object)
    _count_requested = Signal(int)
    _close_requested = Signal()

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._latest = _Latest()
        self._pending_search: ListQuery | None = None
        # Two threads, so a slow count on a big journal never delays the search being typed.
        self._threads: list[QThread] = []
        self._workers: list[_Worker] = []
        for name in ("hindsight-search", "hindsight-counts"):
            thread = QThread(self)
            thread.setObjectName(name)
            worker = _Worker(path, self._latest)
            worker.moveToThread(thread)
            self._close_requested.connect(worker.close, Qt.ConnectionType.BlockingQueuedConnection)
            worker.failed.connect(self.failed)
            self._threads.append(thread)
            self._workers.append(worker)
        searcher, counter = self._workers
        self._search_requested.connect(searcher.search)
        self._count_requested.connect(counter.count)
        searcher.searched.connect(self._on_searched)
        counter.counted.connect(self._on_counted)
        for thread in self._threads:
            thread.start()

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
        """Finish the current jobs, close the workers' Stores and end the threads."""
        if not any(thread.isRunning() for thread in self._threads):
            return
        self._latest.search += 1
        self._latest.counts += 1
        self._close_requested.emit()
        for thread in self._threads:
            thread.quit()
            thread.wait()

    def _on_searched(self, serial: int, result: SearchResult) -> None:
        if serial == self._latest.search:
            if result.complete:
                self._pending_search = None
            self.results.emit(result)

    def _on_counted(self, serial: int, counts: Counts) -> None:
        if serial == self._latest.counts:
            self.counts.emit(counts)
