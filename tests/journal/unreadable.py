"""Journals a read fails on, as a person meets them: locked by another program, or with damaged pages."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from journal.store import Store


@contextlib.contextmanager
def locked(path: Path) -> Iterator[Store]:
    """The journal at ``path`` while another program holds it exclusively; each read waits 20 ms at most.

    The store is made round its own connection because ``Store.open`` itself refuses a busy journal:
    what is tested is a read that meets the lock after the journal was opened.
    """
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("PRAGMA locking_mode = EXCLUSIVE")  # held from the first access until closed
        other.execute("BEGIN EXCLUSIVE")
        conn = sqlite3.connect(path, isolation_level=None, timeout=0.02)
        try:
            yield Store(conn, path)
        finally:
            conn.close()
    finally:
        other.close()


def damage(path: Path) -> None:
    """Overwrite every page of the (closed) journal but its schema, as a failing disk would."""
    conn = sqlite3.connect(path)
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [n for (n,) in conn.execute("SELECT pageno FROM dbstat WHERE name != 'sqlite_schema'")]
    finally:
        conn.close()
    with path.open("r+b") as handle:
        for page in pages:
            handle.seek((page - 1) * size)
            handle.write(b"\xa5" * size)
