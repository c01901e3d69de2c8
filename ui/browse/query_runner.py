"""Searches and sidebar counts on a worker thread, so typing never waits for SQLite.

Each kind runs on its own ``ui.background`` lane, which keeps its own ``Store``
on the same file (a Store belongs to one thread); the newest request of a kind
wins and an older result is dropped, so a slow old search never overwrites a new one.

A search answers twice: first the rows a screen shows (``FIRST_PAGE`` ids, a few
ms even on 100,000 entries), then how many entries match (the list's length).
Later pages of ids are asked for as the view reaches rows not loaded yet; no
query gathers every matching id. The count and the pages are abandoned inside
SQLite (a progress handler) as soon as a newer search is asked for, so the next
keystroke never waits for them.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QObject, Signal

from journal import query as q
from journal.store import Store
from ui.background import Background, Cancelled, Task

T = TypeVar("T")


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
    complete: bool = True  # False: the first FIRST_PAGE ids; the count follows in another result
    total: int | None = None  # how many entries match; None until counted


@dataclass(frozen=True)
class Page:
    """More ids of a result the list shows, asked for as the view reaches rows not loaded yet."""

    query: ListQuery
    offset: int  # where ``ids`` start in the result's order
    ids: list[str]
    last: bool  # no ids follow these


def read_counts(store: Store) -> Counts:
    # Imported here, on the worker's thread: the package brings the transfer code, which the window does not need.
    from journal.transfer import sync_state

    conflicts = list(dict.fromkeys(c.entry_id for c in sync_state.list_conflicts(store)))  # one line per entry
    return Counts(store.status_counts(), store.names("client"), store.names("account_key"), conflicts)


def _first_page(task: Task, request: ListQuery) -> SearchResult:
    """The rows a screen shows; complete when that is every match."""
    start = time.perf_counter()
    store = task.store
    if request.ids is not None:
        ids = store.order_ids(request.ids, trash=request.trash, order=request.order, descending=request.descending)
        return SearchResult(request, ids, time.perf_counter() - start, total=len(ids))
    first = store.search_ids(request.parsed(), trash=request.trash, order=request.order,
                             descending=request.descending, limit=FIRST_PAGE)
    if len(first) < FIRST_PAGE:
        return SearchResult(request, first, time.perf_counter() - start, total=len(first))
    return SearchResult(request, first, time.perf_counter() - start, complete=False)


def _counted(task: Task, first: SearchResult, start: float) -> SearchResult:
    """The first page again, with how many entries match: the list's length."""
    request = first.query
    total = _stoppable(task, lambda: task.store.count(request.parsed(), trash=request.trash))
    return SearchResult(request, first.ids, time.perf_counter() - start, total=max(total, len(first.ids)))


def _page(task: Task, request: ListQuery, offset: int, limit: int | None, after: str | None) -> Page:
    ids = _stoppable(task, lambda: task.store.search_ids(
        request.parsed(), trash=request.trash, order=request.order, descending=request.descending,
        limit=limit, offset=offset, after=after))
    return Page(request, offset, ids, last=limit is None or len(ids) < limit)


def _stoppable(task: Task, read: Callable[[], T]) -> T:
    """Run ``read`` so that a newer search (the task gone stale) makes SQLite stop half way."""
    answer = _interruptible(task.store, read, task.cancelled)
    if answer is None:
        raise Cancelled  # a newer search was asked for: it runs next
    return answer[0]


def _interruptible(store: Store, read: Callable[[], T], stale: Callable[[], bool]) -> tuple[T] | None:
    """``(value,)`` of ``read()``; None when ``stale`` turned true and SQLite stopped half way."""
    store.conn.set_progress_handler(stale, _CHECK_EVERY)
    try:
        return (read(),)
    except sqlite3.OperationalError:
        if stale():
            return None
        raise
    finally:
        store.conn.set_progress_handler(None, 0)


class QueryRunner(QObject):
    """Runs list searches, their later pages and the sidebar counts for one journal file off the GUI thread."""

    results = Signal(object)  # SearchResult, only the latest (its first page, then counted)
    pages = Signal(object)  # Page of the latest counted result, only the latest asked for
    counts = Signal(object)  # Counts, only the latest
    failed = Signal(str)

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending_search: ListQuery | None = None
        self._counted: ListQuery | None = None  # the newest result whose count arrived: its pages may be asked for
        # Two lanes, so a slow count on a big journal never delays the search being typed.
        self._searches = Background(self, "hindsight-search", journal=path, keep_store=True)
        self._counter = Background(self, "hindsight-counts", journal=path, keep_store=True)

    @property
    def busy(self) -> bool:
        """A search was asked for and its counted result has not arrived yet."""
        return self._pending_search is not None

    def search(self, request: ListQuery) -> None:
        self._pending_search = request
        self._counted = None
        start = time.perf_counter()

        def first_page_shown(result: SearchResult) -> None:
            self._show(result)
            if not result.complete:  # the count follows, unless a newer search comes first
                self._searches.submit(lambda task: _counted(task, result, start), on_result=self._show,
                                      on_error=self._failed)

        self._searches.submit(lambda task: _first_page(task, request), on_result=first_page_shown,
                              on_error=self._failed)

    def fetch(self, request: ListQuery, offset: int, limit: int | None, after: str | None = None) -> bool:
        """Ask for ``limit`` ids (None: all the rest) of ``request`` from ``offset``; False when it is not current.

        ``after``: the last id the list holds; where the order can seek past it in an index, the page
        starts there instead (``Store.search_ids``), so a page deep down costs what the first one does.

        A page asked for on the search lane makes an older page stale, and a newer search makes it stale:
        a page never arrives for a list that shows something else.
        """
        if request != self._counted or self._pending_search is not None:
            return False
        self._searches.submit(lambda task: _page(task, request, offset, limit, after), on_result=self._page,
                              on_error=self._failed)
        return True

    def refresh_counts(self) -> None:
        self._counter.submit(lambda task: read_counts(task.store), on_result=self.counts.emit,
                             on_error=self.failed.emit)

    def stop(self) -> None:
        """Drop the current jobs, close the workers' Stores and end the threads."""
        self._searches.stop()
        self._counter.stop()

    def _show(self, result: SearchResult) -> None:
        if result.complete:
            self._pending_search = None
            self._counted = result.query
        self.results.emit(result)

    def _page(self, page: Page) -> None:
        if page.query == self._counted and self._pending_search is None:
            self.pages.emit(page)

    def _failed(self, message: str) -> None:
        self._pending_search = None
        self.failed.emit(message)
