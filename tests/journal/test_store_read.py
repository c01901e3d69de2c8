"""Store.read: a read that fails for a reason a person can act on is one sentence, a bug stays a bug."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from journal.model import PostMortem
from journal.store import JournalError, NotAJournal, Store
from tests.journal.unreadable import damage, locked


@pytest.fixture
def saved(journal_path: Path) -> Path:
    with Store.open(journal_path) as store:
        store.save(PostMortem(title="Late invoice", client="Northwind"))
    return journal_path


def test_a_read_gives_the_rows(saved: Path) -> None:
    with Store.open(saved) as store:
        assert [tuple(r) for r in store.read("SELECT title, client FROM entries")] == [("Late invoice", "Northwind")]


def test_a_locked_journal_says_it_is_busy(saved: Path) -> None:
    with locked(saved) as store, pytest.raises(JournalError) as raised:
        store.read("SELECT count(*) FROM entries")
    assert str(raised.value) == f"{saved} is busy: another program is writing to it; try again"


def test_a_damaged_journal_says_it_is_damaged_and_what_to_do(saved: Path) -> None:
    damage(saved)
    with Store.open(saved) as store, pytest.raises(NotAJournal) as raised:
        store.read("SELECT title FROM entries")
    message = str(raised.value)
    assert message.startswith(f"{saved} is damaged (SQLite says: database disk image is malformed)")
    assert "\n" not in message and ".recover" in message


class _Failing:
    """A connection whose every statement fails with ``error`` (a failure too rare to cause for real)."""

    def __init__(self, error: sqlite3.Error) -> None:
        self.error = error

    def execute(self, *args: Any) -> Any:
        raise self.error


def test_a_failure_known_by_its_result_code_alone_is_still_one_sentence(saved: Path) -> None:
    error = sqlite3.OperationalError("locking protocol")
    error.sqlite_errorcode = 15  # SQLITE_PROTOCOL: its text names none of the usual words
    with Store.open(saved) as store:
        real, store.conn = store.conn, _Failing(error)  # type: ignore[assignment]
        try:
            with pytest.raises(JournalError, match=r"^cannot read .* \(locking protocol\)$"):
                store.read("SELECT 1")
        finally:
            store.conn = real


def test_a_bug_is_not_disguised_as_a_journal_problem(saved: Path) -> None:
    with Store.open(saved) as store, pytest.raises(sqlite3.OperationalError, match="no such column"):
        store.read("SELECT no_such_column FROM entries")
