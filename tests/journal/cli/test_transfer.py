"""Export, import, sync and conflicts at the command line: one-line errors, never over a journal, exit 2."""

from __future__ import annotations

import errno
import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from journal import cli
from journal.cli import main
from journal.store import NoJournal, Store
from tests.journal.cli.running import add, run
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


def test_files_and_folders_whose_names_are_not_utf8_are_named_and_the_rest_proceed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "fine.md").write_text("# Fine\n\nKept.\n", encoding="utf-8")
    odd = os.fsdecode(os.fsencode(notes) + b"/caf\xe9.md")
    try:
        Path(odd).write_text("# Odd\n\nNamed.\n", encoding="utf-8")
    except OSError:
        pytest.skip("this file system takes UTF-8 names only")
    journal = str(tmp_path / "j.hindsight")
    code, out, err = run(capsys, "--journal", journal, "import", str(notes))
    assert code == 1 and "1 created" in out
    assert "has a name that is not UTF-8 text; rename it" in err and "codec" not in err
    for command in ("sync", "export"):
        folder = os.fsdecode(os.fsencode(tmp_path) + b"/t\xeam")
        args = [command, folder] if command == "sync" else [command, "--out-dir", folder]
        code, _, err = run(capsys, "--journal", journal, *args)
        assert code == 1 and "not UTF-8" in err and "codec" not in err


@pytest.fixture
def filled(capsys: pytest.CaptureFixture[str], jpath: str) -> str:
    add(capsys, jpath, "--title", "Wrong invoice", "--role", "maker", "--client", "Acme")
    return jpath


def test_export_over_an_existing_file_is_refused_unless_forced(
    capsys: pytest.CaptureFixture[str], filled: str, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("my own notes, not an export\n")
    code, out, err = run(capsys, "--journal", filled, "export", "--out", str(notes))
    assert (code, out, err) == (1, "", f"hindsight: {notes} already exists; add --force to replace it\n")
    assert notes.read_text() == "my own notes, not an export\n"
    code, out, _ = run(capsys, "--journal", filled, "export", "--out", str(notes), "--force")
    assert code == 0 and out.startswith("exported 1: 1 written")
    assert "Wrong invoice" in notes.read_text()


@pytest.mark.parametrize("target", ["journal", "wal", "shm", "other journal"])
def test_export_never_writes_over_a_journal_even_forced(
    capsys: pytest.CaptureFixture[str], filled: str, tmp_path: Path, target: str
) -> None:
    other = tmp_path / "other.hindsight"
    add(capsys, str(other), "--title", "Someone else's", "--role", "receiver")
    path = {"journal": filled, "wal": f"{filled}-wal", "shm": f"{filled}-shm", "other journal": str(other)}[target]
    before = Path(path).read_bytes() if Path(path).exists() else None
    code, out, err = run(capsys, "--journal", filled, "export", "--out", path, "--force")
    assert code == 1 and out == ""
    assert err.startswith(f"hindsight: {path} ") and err.endswith("Hindsight never writes an export over it\n")
    assert err.count("\n") == 1
    if path != filled:  # the open journal's own bytes move as it is opened and closed; its entries are checked below
        assert (Path(path).read_bytes() if Path(path).exists() else None) == before
    for journal, title in ((filled, "Wrong invoice"), (str(other), "Someone else's")):
        code, out, _ = run(capsys, "--journal", journal, "list")
        assert code == 0 and title in out


def test_export_on_a_full_disk_is_one_line_and_keeps_the_old_file(
    capsys: pytest.CaptureFixture[str], filled: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal import atomic

    out = tmp_path / "all.md"
    out.write_text("last week's export\n")

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "write", full)
    code, stdout, err = run(capsys, "--journal", filled, "export", "--out", str(out), "--force")
    monkeypatch.undo()
    assert (code, stdout) == (1, "")
    assert err == f"hindsight: {out} cannot be written (No space left on device); nothing was changed there\n"
    assert out.read_text() == "last week's export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".tmp") == []


def test_force_belongs_to_one_file_exports(capsys: pytest.CaptureFixture[str], filled: str, tmp_path: Path) -> None:
    code, _, err = run(capsys, "--journal", filled, "export", "--out-dir", str(tmp_path / "d"), "--force")
    assert code == 1 and "--force is for --out" in err and not (tmp_path / "d").exists()


def test_import_groups_warnings_by_kind_and_verbose_names_each_file(
    capsys: pytest.CaptureFixture[str], jpath: str, tmp_path: Path
) -> None:
    sample = Path(__file__).parent.parent / "samples" / "incidents" / "webhooks-2021.md"
    folder = tmp_path / "archive"
    folder.mkdir()
    for i in range(3):
        (folder / f"incident-{i}.md").write_text(sample.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run(capsys, "--journal", jpath, "import", str(folder))
    assert code == 0 and out.startswith("imported 3: 3 created")
    lines = err.splitlines()
    assert "hindsight: warning: 3 files: `url` kept in the text" in lines
    assert "hindsight: warning: 3 files: kept 12 unknown sections in What happened" in lines
    assert lines[-1] == "hindsight: warnings are grouped by kind; --verbose lists each file"
    assert len(lines) == 8
    (folder / "incident-0.md").write_text(sample.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    code, out, err = run(capsys, "--journal", jpath, "import", "--verbose", str(folder / "incident-0.md"))
    assert code == 0
    assert f"hindsight: warning: {folder / 'incident-0.md'}: `url` kept in the text" in err.splitlines()
    assert "grouped" not in err


def test_cli_export_import_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = str(tmp_path / "a.hindsight"), str(tmp_path / "b.hindsight")
    for title in ("One", "Two"):
        assert cli.main(["--journal", a, "add", "--title", title, "--role", "maker", "--client", "Acme"]) == 0
    capsys.readouterr()
    assert cli.main(["--journal", a, "export", "title:nothing-matches-this", "--out-dir", str(tmp_path / "x")]) == 1
    assert "no entries match" in capsys.readouterr().err
    assert cli.main(["--journal", a, "export", "--out-dir", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().out.startswith("exported 2: 2 written")
    assert cli.main(["--journal", b, "import", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().out == "imported 2: 2 created, 0 updated, 0 unchanged, 0 conflicts, 0 failed\n"
    (tmp_path / "out" / "bad.md").write_text("---\nseverity: [\n---\n")
    assert cli.main(["--journal", b, "import", str(tmp_path / "out")]) == 1
    captured = capsys.readouterr()
    assert captured.out == "imported 2: 0 created, 0 updated, 2 unchanged, 0 conflicts, 1 failed\n"
    assert f"{tmp_path / 'out' / 'bad.md'}: line " in captured.err
    assert "Traceback" not in captured.err


def test_cli_export_to_a_file_where_a_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal = str(tmp_path / "a.hindsight")
    cli.main(["--journal", journal, "add", "--title", "x", "--role", "maker"])
    capsys.readouterr()
    assert cli.main(["--journal", journal, "export", "--out", str(tmp_path)]) == 1
    assert "is a folder" in capsys.readouterr().err
    assert not any(p.suffix == ".md" for p in tmp_path.iterdir())


def test_a_writing_command_forgets_a_deleted_export_folder_and_a_reading_one_writes_nothing(
    capsys: pytest.CaptureFixture[str], filled: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run(capsys, "--journal", filled, "export", "--out-dir", str(out))[0] == 0
    shutil.rmtree(out)

    def remembered() -> int:
        with Store.open(filled, create=False) as store:
            return int(store.conn.execute("SELECT count(*) FROM sync_state").fetchone()[0])

    assert run(capsys, "--journal", filled, "list")[0] == 0
    assert remembered() == 1
    add(capsys, filled, "--title", "Missed the call", "--role", "maker")
    assert remembered() == 0
