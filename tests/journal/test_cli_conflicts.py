"""`hindsight conflicts`, `conflicts settle` and the exit status of `sync`, as at a terminal."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from journal.cli import main
from journal.store import NoJournal, Store
from tests.journal.team_conflict import make_conflict


def test_conflicts_lists_the_differences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    team = make_conflict(tmp_path)
    assert main(["--journal", str(team.mine), "conflicts"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{team.entry_id[:8]}  Quote sent with old rates\n")
    assert "differs in: Severity, What happened, Tags" in out
    assert "Severity — journal: 2 / folder: 3" in out
    assert "        +I sent the quote on Friday." in out and "        -It had the 2023 rates." in out
    assert "hindsight conflicts settle ID --keep journal|folder" in out


def test_conflicts_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    team = make_conflict(tmp_path)
    assert main(["--journal", str(team.mine), "conflicts", "--json"]) == 0
    (record,) = json.loads(capsys.readouterr().out)
    assert record["entry_id"] == team.entry_id and record["title"] == "Quote sent with old rates"
    assert record["folder"] == str(team.folder.resolve())
    assert Path(record["conflict_copy"]).exists() and ".conflict-" in record["conflict_copy"]
    assert record["changed"] == ["severity", "what_happened", "tags"]
    assert record["differences"][0] == {
        "field": "severity", "label": "Severity", "kind": "value", "journal": "2", "folder": "3", "diff": []
    }


def test_no_conflicts_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    team = make_conflict(tmp_path)
    assert main(["--journal", str(team.theirs), "conflicts", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["--journal", str(team.theirs), "conflicts"]) == 0
    assert "No conflicts" in capsys.readouterr().err


def test_conflicts_never_creates_a_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.hindsight"
    assert main(["--journal", str(missing), "conflicts"]) == 1
    assert main(["--journal", str(missing), "conflicts", "settle", "abcd", "--keep", "journal"]) == 1
    assert not missing.exists()
    err = capsys.readouterr().err
    assert err.count("\n") == 2 and "Traceback" not in err
    empty = tmp_path / "empty.hindsight"
    empty.touch()
    assert main(["--journal", str(empty), "conflicts"]) == 1
    assert empty.stat().st_size == 0
    assert capsys.readouterr().err == f"hindsight: {NoJournal(empty)}\n"


def test_settle_by_prefix_then_sync_is_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    team = make_conflict(tmp_path)
    (copy,) = [p for p in team.folder.iterdir() if ".conflict-" in p.name]
    assert main(["--journal", str(team.mine), "sync", str(team.folder)]) == 2  # still waiting
    assert "1 conflict(s) with this folder wait to be settled" in capsys.readouterr().err
    assert main(["--journal", str(team.mine), "conflicts", "settle", team.entry_id[:8], "--keep", "folder"]) == 0
    out = capsys.readouterr().out
    assert f"settled {team.entry_id[:8]}: kept the folder's version" in out
    assert f"removed the conflict copy {copy}" in out and not copy.exists()
    # The journal's own words, replaced by the folder's, are kept in a backup made just before.
    (kept,) = [line.rsplit(" ", 1)[1] for line in out.splitlines() if line.startswith("the journal's version is kept")]
    with Store.open(kept, create=False) as backed_up:
        assert "It had the 2023 rates." in backed_up.get(team.entry_id).what_happened
    assert main(["--journal", str(team.mine), "sync", str(team.folder)]) == 0
    assert main(["--journal", str(team.mine), "show", team.entry_id[:8]]) == 0
    assert "I sent the quote on Friday." in capsys.readouterr().out


def test_settle_mistakes_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    team = make_conflict(tmp_path)
    journal = ["--journal", str(team.mine)]
    assert main([*journal, "conflicts", "settle", team.entry_id[:8], "--keep", "both"]) == 1
    assert "invalid choice: 'both'" in capsys.readouterr().err
    assert main([*journal, "conflicts", "settle", "ffffffff", "--keep", "journal"]) == 1
    assert "no conflict for an entry whose id starts with 'ffffffff'" in capsys.readouterr().err
    assert main(["--journal", str(team.theirs), "conflicts", "settle", team.entry_id, "--keep", "journal"]) == 1


def test_sync_exits_2_when_it_finds_a_conflict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    team = make_conflict(tmp_path)
    assert main(["--journal", str(team.mine), "conflicts", "settle", team.entry_id[:8], "--keep", "journal"]) == 0
    assert main(["--journal", str(team.mine), "sync", str(team.folder)]) == 0  # settled: all agree
    assert main(["--journal", str(team.theirs), "sync", str(team.folder)]) == 0
    with Store.open(team.theirs) as alice, Store.open(team.mine) as bob:
        alice.save(replace(alice.get(team.entry_id), impact="Alice's impact"))
        bob.save(replace(bob.get(team.entry_id), impact="Bob's impact"))
    assert main(["--journal", str(team.theirs), "sync", str(team.folder)]) == 0
    capsys.readouterr()
    assert main(["--journal", str(team.mine), "sync", str(team.folder)]) == 2
    err = capsys.readouterr().err
    assert f"'hindsight conflicts settle {team.entry_id[:8]} --keep journal|folder'" in err


def test_the_help_documents_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["sync", "--help"])
    assert "exit 2 when conflicts with DIR remain" in " ".join(capsys.readouterr().out.split())
