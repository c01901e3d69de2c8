"""What every command shares: exit codes, the one-line error, opening the journal, the lines and JSON it prints."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from journal.cli import main
from journal.cli.common import (
    EXIT_CONFLICTS,
    EXIT_OK,
    EXIT_USER_ERROR,
    UserError,
    daily_backup,
    entries_text,
    open_journal,
    print_json,
    summary_line,
)
from journal.model import Summary
from journal.store import JournalError, Store
from tests.journal.pm_strategies import simple


def test_exit_codes_are_0_ok_1_a_mistake_2_conflicts_left() -> None:
    assert (EXIT_OK, EXIT_USER_ERROR, EXIT_CONFLICTS) == (0, 1, 2)


def test_a_user_error_is_one_line_on_stderr_and_exit_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def refuse(args: argparse.Namespace) -> int:
        raise UserError("there is no entry 'abc'")

    monkeypatch.setattr("journal.cli.entries.cmd_list", refuse)
    code = main(["--journal", str(tmp_path / "j.hindsight"), "list"])
    out, err = capsys.readouterr()
    assert code == EXIT_USER_ERROR
    assert (out, err) == ("", "hindsight: there is no entry 'abc'\n")


def test_print_json_writes_readable_utf8_indented_with_a_final_newline(capsys: pytest.CaptureFixture[str]) -> None:
    print_json({"title": "Café — 🍕", "tags": ["a"]})
    out = capsys.readouterr().out
    assert out == '{\n  "title": "Café — 🍕",\n  "tags": [\n    "a"\n  ]\n}\n'
    assert json.loads(out) == {"title": "Café — 🍕", "tags": ["a"]}


def test_opening_to_read_creates_nothing_and_opening_to_write_creates_the_journal(tmp_path: Path) -> None:
    path = tmp_path / "new.hindsight"
    with pytest.raises(JournalError):
        open_journal(argparse.Namespace(journal=str(path)))
    assert not path.exists()
    with open_journal(argparse.Namespace(journal=str(path)), create=True) as store:
        assert store.path == path
    assert path.exists()


def test_a_summary_line_shows_id_date_role_severity_status_title_and_client() -> None:
    row = Summary(id="0123456789ab", title="Sent the wrong file", occurred_on="2024-05-01", role="maker",
                  client="Acme", severity=2, status="open")
    assert summary_line(row) == "01234567  2024-05-01  made  s2  open      Sent the wrong file  [Acme]"
    received = Summary(id="fedcba9876", title="Late reply", occurred_on="2024-05-02", role="receiver",
                       client="", severity=4, status="resolved")
    assert summary_line(received) == "fedcba98  2024-05-02  recv  s4  resolved  Late reply"


def test_entries_are_counted_as_a_person_says_them() -> None:
    assert [entries_text(n) for n in (0, 1, 2, 1000)] == ["0 entries", "1 entry", "2 entries", "1000 entries"]


def test_a_daily_backup_that_cannot_be_made_is_a_warning_and_the_command_goes_on(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("HINDSIGHT_BACKUP_DIR", str(blocker))
    with Store.open(tmp_path / "j.hindsight") as store:
        store.save(simple())
        daily_backup(store)
        assert store.entry_count() == 1
    err = capsys.readouterr().err
    assert err.startswith("hindsight: warning: the daily backup was not made: ") and err.count("\n") == 1
