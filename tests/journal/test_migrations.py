"""Every schema step upgrades an older journal: its entries intact, a backup made first, all or nothing.

An old journal is built by running only the first steps of ``journal.migrations`` (the steps are
history and never change), then filled with rows in the layout of schema 1, as Hindsight 1 wrote them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from journal.backup import list_backups
from journal.migrations import migrations
from journal.model import content_hash
from journal.schema import APPLICATION_ID, SCHEMA_VERSION
from journal.store import JournalError, Store

ENTRY_ID = "5d0c1f55-93a8-4c7e-9d0b-6a1f0c2b7e11"
FOLLOW_UP_ID = "0b6f8a34-2f0e-4a53-8a27-0d9b4d1c6a90"
TITLE = "Quote went out with last year's rates"
STEPS = [step.name for step in migrations.pending(Database(memory=True))]  # every step, in order
OLD_VERSIONS = range(1, SCHEMA_VERSION)  # each version a journal can be upgraded from


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def journal_at(path: Path, version: int, *, with_entry: bool = True) -> None:
    """A journal at schema ``version``: the first ``version`` steps, then one entry written in schema 1's columns."""
    db = Database(path)
    migrations.apply(db, stop_before=STEPS[version:])
    conn = db.conn
    if with_entry:
        with conn:
            conn.execute(
                "INSERT INTO entries (seq, role, occurred_on, severity, status, detection, response_style, "
                "rec_apology, bs_kind, bs_accepted, bs_cost, bs_currency, revision, id, client, account_key, "
                "created_at, updated_at, title, what_happened, impact) "
                "VALUES (1, 'maker', '2024-03-05', 3, 'open', 'client', 'owned', 'done', 'discount', 'yes', "
                "120.0, 'EUR', 2, ?, 'Acme', 'Acme', '2024-03-05T10:00:00Z', '2024-03-06T09:30:00Z', ?, "
                "'The quote used the old rate card.', 'Acme paid 8% more for a week.')",
                (ENTRY_ID, TITLE),
            )
            conn.execute("INSERT INTO causes (entry, pos, name) VALUES (1, 0, 'process')")
            conn.execute("INSERT INTO tags (entry, pos, name) VALUES (1, 0, 'pricing')")
            conn.execute(
                "INSERT INTO emotions (entry, pos, role, who, name, intensity) "
                "VALUES (1, 0, 'maker', 'me', 'embarrassed', 4)"
            )
            conn.execute(
                "INSERT INTO follow_ups (entry, pos, id, text, owner, due_on, status) "
                "VALUES (1, 0, ?, 'Date the rate card', 'Sam', '2024-04-01', 'open')",
                (FOLLOW_UP_ID,),
            )
            conn.execute("INSERT INTO lessons (entry, pos, text) VALUES (1, 0, 'Check the rate card date')")
            conn.execute(
                "INSERT INTO entries_fts (rowid, title, body) VALUES (1, ?, 'Acme process pricing rate card')",
                (TITLE,),
            )
            if version >= 2:  # a team folder synced once
                conn.execute(
                    "INSERT INTO sync_state (entry_id, folder, hash, path, synced_at) "
                    "VALUES (?, '/team', 'abc123', 'acme/quote.md', '2024-03-06T09:31:00Z')",
                    (ENTRY_ID,),
                )
    conn.close()
    assert user_version(path) == version


def test_the_steps_are_numbered_in_order_up_to_the_schema_version() -> None:
    assert [int(name[1:4]) for name in STEPS] == list(range(1, SCHEMA_VERSION + 1))


def test_a_new_journal_runs_every_step_and_is_marked_as_hindsight(tmp_path: Path) -> None:
    path = tmp_path / "new.hindsight"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY rowid")] == STEPS
    conn.close()
    assert list_backups(path) == []  # nothing to keep yet


@pytest.mark.parametrize("version", OLD_VERSIONS, ids=lambda v: f"from-{v}")
def test_an_old_journal_is_upgraded_with_its_entries_intact(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.hindsight"
    journal_at(path, version)
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert migrations.pending(store.db) == []
        pm = store.get(ENTRY_ID)
        assert (pm.title, pm.client, pm.occurred_on, pm.severity, pm.status) == (TITLE, "Acme", "2024-03-05", 3, "open")
        assert pm.what_happened == "The quote used the old rate card."
        assert pm.causes == ["process"] and pm.tags == ["pricing"] and pm.lessons == ["Check the rate card date"]
        assert [(e.who, e.name, e.intensity) for e in pm.emotions] == [("me", "embarrassed", 4)]
        [follow_up] = pm.follow_ups
        assert (follow_up.id, follow_up.text, follow_up.owner, follow_up.due_on) == (
            FOLLOW_UP_ID, "Date the rate card", "Sam", "2024-04-01"
        )
        assert follow_up.note == ""
        assert pm.first_response_hours is None  # not known (m009)
        assert (pm.breadsticks.kind, pm.breadsticks.cost, pm.breadsticks.currency) == ("discount", 120.0, "EUR")
        assert pm.recovery["apology"].state == "done" and pm.revision == 2
        assert store.get_many_hashed([ENTRY_ID]) == [(pm, content_hash(pm))]
        assert [s.id for s in store.search("rate card")] == [ENTRY_ID]  # the full-text index came along
        assert [s.id for s in store.search("rat")] == [ENTRY_ID]  # and answers as-you-type prefixes
        if version >= 2:
            assert store.conn.execute("SELECT folder, entry_id, hash, path FROM sync_state").fetchall() == [
                ("/team", ENTRY_ID, "abc123", "acme/quote.md")
            ]
        saved, _ = store.save(pm)  # and it takes new writes
        assert store.get(ENTRY_ID).revision == saved.revision == 3


@pytest.mark.parametrize("version", OLD_VERSIONS, ids=lambda v: f"from-{v}")
def test_the_journal_is_backed_up_as_it_was_before_the_first_step(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.hindsight"
    journal_at(path, version)
    Store.open(path).close()
    [backup] = list_backups(path)
    assert backup.reason == "before upgrade" and backup.entries == 1 and backup.verified
    assert user_version(backup.path) == version
    conn = sqlite3.connect(backup.path)
    assert conn.execute("SELECT title FROM entries").fetchall() == [(TITLE,)]
    conn.close()


def test_an_empty_old_journal_is_upgraded_without_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "old.hindsight"
    journal_at(path, 1, with_entry=False)
    Store.open(path).close()
    assert user_version(path) == SCHEMA_VERSION
    assert list_backups(path) == []


def test_a_step_that_fails_leaves_the_journal_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "old.hindsight"
    journal_at(path, 1)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE conflicts (x)")  # step 2 makes sync_state, then fails making this one
    conn.commit()
    conn.close()
    with pytest.raises(JournalError):
        Store.open(path)
    assert user_version(path) == 1
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT name FROM _sqlite_migrations").fetchall() == [(STEPS[0],)]
    assert conn.execute("SELECT title FROM entries").fetchall() == [(TITLE,)]
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sync_state'").fetchone() == (0,)
    conn.close()
    assert [b.reason for b in list_backups(path)] == ["before upgrade"]


@pytest.mark.parametrize("analysed", [True, False], ids=["with-statistics", "without"])
def test_the_reply_index_gets_statistics_where_the_others_have_them(tmp_path: Path, analysed: bool) -> None:
    # An index without statistics among indexes with them looks selective, and the report's queries took it.
    path = tmp_path / "old.hindsight"
    journal_at(path, 9)
    if analysed:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("ANALYZE")
        conn.close()
    with Store.open(path) as store:
        stats = store.conn.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchall()
        assert bool(stats) == analysed  # a journal without statistics is left without them
        if analysed:
            assert store.conn.execute("SELECT stat FROM sqlite_stat1 WHERE idx = 'entries_reply'").fetchone()
