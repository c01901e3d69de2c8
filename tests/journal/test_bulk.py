"""Filling a journal fast: many entries at once, and a bulk load that never leaves the journal without its indexes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from journal.model import PostMortem
from journal.store import Store


def entry(title: str = "Sent the wrong invoice", **fields: object) -> PostMortem:
    return PostMortem.from_dict({"title": title, "role": "maker", **fields})

def _indexes(store: Store) -> set[str]:
    return {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}

def _modes(store: Store) -> tuple[str, int]:
    conn = store.conn
    return conn.execute("PRAGMA journal_mode").fetchone()[0], conn.execute("PRAGMA synchronous").fetchone()[0]


def test_insert_many_keeps_entries_and_their_metadata(store: Store) -> None:
    entries = [entry(f"bulk {i}", created_at="2024-01-01T00:00:00Z", updated_at="2024-01-02T00:00:00Z",
                     revision=3) for i in range(50)]
    changes = store.insert_many(entries, batch=7)
    assert len(changes.created) == 50
    assert store.get_many([e.id for e in entries]) == entries
    assert [e.id for e in store.iter_entries(batch=9)] == [e.id for e in entries]
    assert store.check() == []


def test_a_bulk_load_fills_an_empty_journal_without_the_log_and_ends_in_wal_mode(journal_path: Path) -> None:
    entries = [entry(f"bulk {i}", what_happened="words " * 50) for i in range(120)]
    with Store.open(journal_path) as store:
        indexes = _indexes(store)
        with store.bulk_load():
            assert _modes(store) == ("delete", 0)  # the rollback journal, synced once at the end
            store.insert_many(entries, batch=50)
        assert _modes(store) == ("wal", 1)  # WAL, synchronous NORMAL: as every journal is
        assert _indexes(store) == indexes
    assert not Path(f"{journal_path}-journal").exists()
    with Store.open(journal_path) as again:
        assert [pm.title for pm in again.get_many([e.id for e in entries])] == [e.title for e in entries]
        assert again.check() == [] and _modes(again) == ("wal", 1)


def test_a_bulk_load_while_another_connection_has_the_journal_keeps_the_log(journal_path: Path) -> None:
    with Store.open(journal_path) as store, Store.open(journal_path) as other:
        assert other.entry_count() == 0
        with store.bulk_load():
            assert _modes(store)[0] == "wal"
            store.insert_many([entry(f"bulk {i}") for i in range(30)])
        assert other.entry_count() == 30 and _modes(store) == ("wal", 1)


def test_a_bulk_load_cut_short_by_a_crash_is_mended_when_the_journal_is_next_opened(journal_path: Path) -> None:
    # The process dies after two batches went in: they stay, and the dropped indexes and the
    # full-text index's bulk settings must not stay dropped and changed for good.
    with Store.open(journal_path) as store:
        indexes = _indexes(store)
    script = (
        "import os, sys\n"
        "from journal.model import PostMortem\n"
        "from journal.store import Store\n"
        "store = Store.open(sys.argv[1])\n"
        "with store.bulk_load():\n"
        "    entries = [PostMortem.from_dict({'title': f'e {i}', 'role': 'maker'}) for i in range(80)]\n"
        "    store.insert_many(entries, batch=40)\n"
        "    os._exit(9)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(journal_path)], check=False)
    assert done.returncode == 9
    with Store.open(journal_path) as store:
        assert store.entry_count() == 80
        assert _indexes(store) == indexes
        assert store.check() == [] and _modes(store) == ("wal", 1)
        config = dict(store.conn.execute("SELECT k, v FROM entries_fts_config"))
        assert config.get("automerge", 4) == 4 and config.get("hashsize", 1 << 20) == 1 << 20
        assert store.count("e") == 80
