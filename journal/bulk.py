"""Filling a journal fast: many entries a transaction, indexes rebuilt once after a bulk load."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from journal.changes import Changes
from journal.model import (
    PostMortem,
    utc_now,
)
from journal.rows import EntryRows, _Rows, entry_rows, entry_rows_id

if TYPE_CHECKING:
    pass



# FTS5's defaults (fts5Int.h): merge when a level holds 4 segments; 1 MiB of pending terms.
_FTS_AUTOMERGE = 4
_FTS_HASH = 1 << 20
_FTS_BULK_HASH = 64 << 20  # more than one batch of a bulk load ever holds
BULK_PENDING = "bulk_load_indexes"  # the indexes a bulk load dropped, while it runs


def _fts_config(conn: sqlite3.Connection, **values: int) -> None:
    """Set options of the full-text index (kept in the journal, for every connection)."""
    for key, value in values.items():
        conn.execute("INSERT INTO entries_fts (entries_fts, rank) VALUES (?, ?)", (key, value))


class BulkLoading:
    """The ``Store`` methods that add many entries at once (demo, import)."""

    conn: sqlite3.Connection

    if TYPE_CHECKING:

        def read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]: ...
        def _write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]: ...
        def checkpoint(self) -> None: ...

    def insert_many(self, entries: Iterable[PostMortem], *, batch: int = 2000) -> Changes:
        """Add new entries fast (demo, import): metadata kept, one transaction a batch.

        Entries are assumed valid and new; an id already present raises. Rows go in
        one ``executemany`` per table per batch, which is what makes 100,000 fast.
        """
        now = utc_now()

        def rows() -> Iterator[EntryRows]:
            for pm in entries:
                if not pm.created_at:
                    pm = replace(pm, created_at=now, updated_at=now, revision=max(pm.revision, 1))
                yield entry_rows(pm)

        return self.insert_rows(rows(), batch=batch)

    def insert_rows(self, entries: Iterable[EntryRows], *, batch: int = 2000) -> Changes:
        """``insert_many`` for rows already built by ``entry_rows`` (perhaps in a helper process)."""
        created: list[str] = []
        pending: list[EntryRows] = []

        def flush() -> None:
            with self._write() as conn:
                first = (conn.execute("SELECT coalesce(max(seq), 0) FROM entries").fetchone()[0]) + 1
                rows = _Rows()
                for offset, item in enumerate(pending):
                    rows.add(first + offset, item)
                rows.write(conn)
            created.extend(entry_rows_id(item) for item in pending)
            pending.clear()

        for item in entries:
            pending.append(item)
            if len(pending) >= batch:
                flush()
        if pending:
            flush()
        return Changes(created=tuple(created))

    @contextlib.contextmanager
    def bulk_load(self) -> Iterator[None]:
        """Fill an empty journal fast: indexes are dropped while rows go in, rebuilt after.

        Building an index by sorting once is cheaper than keeping seventeen up to date
        row by row. They are rebuilt even when the load stops early (an error, Cancel),
        or, if the process dies half-way, by the next ``open``: the journal is never
        left without them. On a journal with entries this does nothing special.
        """
        conn = self.conn
        if self.read("SELECT 1 FROM entries LIMIT 1"):
            yield
            return
        conn.execute("PRAGMA cache_size = -131072")  # 128 MiB while sorting the indexes
        # No checkpoint every 4 MB: pages that every batch touches again (the full-text
        # index, the tables' upper levels) would be copied each time. The caller may
        # checkpoint now and then (an import does, every few thousand files, while its
        # helpers parse), and there is one at the end.
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        alone = self._leave_wal()
        try:
            with self._write():
                # Written down in the same transaction: if this process dies before the end,
                # the next ``open`` puts the indexes back (``_finish_bulk_load``).
                indexes = conn.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                ).fetchall()
                conn.execute(f"CREATE TABLE IF NOT EXISTS {BULK_PENDING} (name TEXT PRIMARY KEY, sql TEXT NOT NULL)")
                conn.executemany(f"INSERT OR IGNORE INTO {BULK_PENDING} (name, sql) VALUES (?, ?)", indexes)
                for name, _sql in indexes:
                    conn.execute(f'DROP INDEX "{name}"')
                # The full-text index: one segment per batch, not one per megabyte of terms, and
                # no merging while it grows (each merge rewrites what the earlier ones wrote:
                # a third less written to the log, a fifth less time). FTS5's own crisis merge
                # still folds every sixteen segments into one; the defaults come back after.
                _fts_config(conn, automerge=0, hashsize=_FTS_BULK_HASH)
            yield
        finally:
            if alone:
                conn.execute("PRAGMA synchronous = FULL")  # what went in is on the disk when this commits
            self._finish_bulk_load()
            conn.execute("PRAGMA cache_size = -2000")
            conn.execute("PRAGMA wal_autocheckpoint = 1000")
            if alone:
                self._back_to_wal()
            self.checkpoint()

    def _finish_bulk_load(self) -> None:
        """The end of ``bulk_load``, also after a crash in one: indexes and index settings back."""
        conn = self.conn
        with self._write():
            _fts_config(conn, automerge=_FTS_AUTOMERGE, hashsize=_FTS_HASH)
            present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
            pending = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
            if conn.execute(pending, (BULK_PENDING,)).fetchone():  # else another connection finished it
                for name, sql in conn.execute(f"SELECT name, sql FROM {BULK_PENDING}").fetchall():
                    if name not in present:
                        conn.execute(sql)
                conn.execute(f"DROP TABLE {BULK_PENDING}")
        # Full statistics: with a sample of each index (analysis_limit), the planner
        # chose a plan for the pattern report 80 times slower (24 s for 100,000 entries).
        conn.execute("ANALYZE")

    def _leave_wal(self) -> bool:
        """For a bulk load: the rollback journal, unsynced, if no other connection has the journal open.

        The write-ahead log would hold every page of an empty journal being filled
        twice over (written to the log, then copied by checkpoints): an import of
        10,000 files takes a twentieth less without it (5.2 s against 5.5 s). Only an empty journal is loaded
        like this, from files that stay where they are; a crash of this process is
        still rolled back (the rollback journal), and the last commit syncs it all.
        True if switched; with another connection open it stays as it is, at once.
        """
        conn = self.conn
        waited = conn.execute("PRAGMA busy_timeout").fetchone()[0]
        conn.execute("PRAGMA busy_timeout = 0")
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError:  # locked: somebody else has it open
            return False
        finally:
            conn.execute(f"PRAGMA busy_timeout = {int(waited)}")  # as the store set it
        if mode != "delete":
            return False
        conn.execute("PRAGMA synchronous = OFF")
        return True

    def _back_to_wal(self) -> None:
        """Undo ``_leave_wal``; if another connection holds it now, the next ``open`` switches it."""
        with contextlib.suppress(sqlite3.OperationalError):
            self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
