"""Saves entries on one background thread, so typing never waits for SQLite.

A 5 MB narrative takes about 0.2 s to save (mostly FTS5 indexing): long enough
to stutter the cursor if it ran on the GUI thread on every pause in typing. A
``Store`` belongs to one thread, so the worker opens its own on the same file.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from journal.changes import Changes
from journal.model import PostMortem
from journal.store import Store

SaveResult = tuple[PostMortem, Changes]


class BackgroundSaver:
    """One worker thread with its own store; saves run in the order they were submitted."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._executor: ThreadPoolExecutor | None = None
        self._store: Store | None = None  # touched only on the worker thread

    def submit(self, pm: PostMortem, *, force: bool = False) -> Future[SaveResult]:
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hindsight-save")
        return self._executor.submit(self._save, pm, force)

    def close(self) -> None:
        """Finish queued saves, close the worker's store and end the thread."""
        if self._executor is None:
            return
        self._executor.submit(self._close_store)
        self._executor.shutdown(wait=True)
        self._executor = None

    def _save(self, pm: PostMortem, force: bool) -> SaveResult:
        if self._store is None:
            self._store = Store.open(self.path, create=False)
        return self._store.save(pm, force=force)

    def _close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
