"""The command line as a person uses it: exit codes, one-line errors, JSON shapes."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from journal.cli import build_parser, main
from journal.store import Store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def jpath(tmp_path: Path) -> str:
    return str(tmp_path / "cli.hindsight")


def add(capsys: pytest.CaptureFixture[str], jpath: str, *extra: str) -> str:
    code, out, err = run(capsys, "--journal", jpath, "add", *extra)
    assert code == 0, err
    return out.strip()


def test_add_then_show_json(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    entry_id = add(
        capsys, jpath, "--title", "Pizza arrived cold", "--role", "receiver", "--client", "Luigi's",
        "--what", "Forty minutes late.", "--occurred-on", "2024-05-01", "--severity", "3",
        "--tag", "food", "--cause", "external", "--emotion", "me:angry:4",
    )
    code, out, _ = run(capsys, "--journal", jpath, "show", entry_id[:8], "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["id"] == entry_id
    assert shown["title"] == "Pizza arrived cold"
    assert shown["role"] == "receiver" and shown["client"] == "Luigi's"
    assert shown["occurred_on"] == "2024-05-01" and shown["severity"] == 3
    assert shown["emotions"] == [{"who": "me", "name": "angry", "intensity": 4, "intensity_now": None}]
    assert shown["revision"] == 1 and set(shown["recovery"]) >= {"apology", "acceptance"}


def test_search_for_only_punctuation_lists_nothing_and_says_why(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    add(capsys, jpath, "--title", "Wrong invoice", "--role", "maker")
    code, out, err = run(capsys, "--journal", jpath, "search", '"((*')
    assert (code, out) == (0, "")
    assert err.strip() == 'nothing to search for in “"((*”: it has no letters or numbers'
    code, out, err = run(capsys, "--journal", jpath, "search", '"((*', "--json")
    assert (code, out.strip()) == (0, "[]") and "nothing to search for" in err


def test_list_and_search_print_summaries(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    add(capsys, jpath, "--title", "Wrong invoice", "--role", "maker", "--client", "Acme")
    add(capsys, jpath, "--title", "Late courier", "--role", "receiver")
    code, out, _ = run(capsys, "--journal", jpath, "list", "--json")
    listed = json.loads(out)
    assert code == 0 and len(listed) == 2
    assert set(listed[0]) == {"id", "title", "occurred_on", "role", "client", "severity", "status"}
    code, out, _ = run(capsys, "--journal", jpath, "search", "client:acme", "--json")
    assert [r["title"] for r in json.loads(out)] == ["Wrong invoice"]
    code, out, _ = run(capsys, "--journal", jpath, "search", "courier")
    assert code == 0 and "Late courier" in out
    code, out, _ = run(capsys, "--journal", jpath, "list", "--limit", "1")
    assert len(out.strip().splitlines()) == 1


def test_search_with_no_match_is_not_an_error(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    Store.open(jpath).close()
    code, out, err = run(capsys, "--journal", jpath, "search", "nothing-here")
    assert code == 0 and out == "" and "no entries match" in err


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--title", "", "--role", "maker"], "title"),
        (["--title", "x", "--role", "bystander"], "role"),
        (["--title", "x", "--role", "maker", "--severity", "9"], "severity"),
        (["--title", "x", "--role", "maker", "--occurred-on", "2025-13-45"], "occurred_on"),
        (["--title", "x", "--role", "maker", "--emotion", "angry"], "--emotion"),
        (["--title", "x", "--role", "maker", "--emotion", "me:angry:9"], "intensity"),
        (["--role", "maker"], "--title"),
    ],
)
def test_bad_input_exits_1_naming_the_field(
    capsys: pytest.CaptureFixture[str], jpath: str, args: list[str], named: str
) -> None:
    code, out, err = run(capsys, "--journal", jpath, "add", *args)
    assert code == 1 and out == ""
    assert named in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_show_unknown_or_ambiguous_id(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    add(capsys, jpath, "--title", "A", "--role", "maker")
    code, _, err = run(capsys, "--journal", jpath, "show", "zzzz")
    assert code == 1 and "no entry" in err


def test_limit_must_be_positive(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    code, _, err = run(capsys, "--journal", jpath, "list", "--limit", "0")
    assert code == 1 and "limit" in err


@pytest.mark.parametrize(
    "content", [b"just some notes\n", b"\x00\xff" * 5000, b"SQLite format 3\x00" + b"\x00" * 200],
    ids=["text", "random", "truncated"],
)
def test_a_bad_journal_file_exits_1_and_is_left_untouched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "bad.hindsight"
    path.write_bytes(content)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    for command in (["list"], ["add", "--title", "x", "--role", "maker"], ["check"]):
        code, out, err = run(capsys, "--journal", str(path), *command)
        assert code == 1 and out == ""
        assert str(path) in err and "Traceback" not in err
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_folder_as_journal(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "--journal", str(tmp_path), "list")
    assert code == 1 and "folder" in err


def test_check_reports_a_healthy_journal(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    add(capsys, jpath, "--title", "A", "--role", "maker")
    code, out, _ = run(capsys, "--journal", jpath, "check")
    assert code == 0 and "ok: 1 entries" in out


def test_check_on_a_missing_journal_does_not_create_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "missing.hindsight"
    code, _, err = run(capsys, "--journal", str(path), "check")
    assert code == 1 and "no journal at" in err and not path.exists()


def test_demo_writes_a_new_journal_and_refuses_to_overwrite(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "demo.hindsight"
    code, out, _ = run(capsys, "demo", str(path), "--entries", "60", "--seed", "3")
    assert code == 0 and "60" in out
    code, out, _ = run(capsys, "--journal", str(path), "list", "--json", "--limit", "100")
    assert len(json.loads(out)) == 60
    code, _, err = run(capsys, "demo", str(path))
    assert code == 1 and "already exists" in err


def test_environment_variable_picks_the_journal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HINDSIGHT_JOURNAL", str(tmp_path / "env.hindsight"))
    add(capsys, str(tmp_path / "env.hindsight"), "--title", "via flag", "--role", "maker")
    _, out, _ = run(capsys, "list")
    assert "via flag" in out


def test_the_cli_never_imports_qt(tmp_path: Path) -> None:
    script = (
        "import sys; from journal.cli import main; "
        f"main(['--journal', {str(tmp_path / 'q.hindsight')!r}, 'add', '--title', 'x', '--role', 'maker']); "
        f"main(['--journal', {str(tmp_path / 'q.hindsight')!r}, 'search', 'x']); "
        "sys.exit(1 if any(m.startswith(('PySide6', 'ui')) for m in sys.modules) else 0)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=Path.cwd())
    assert result.returncode == 0, result.stderr


def test_the_core_cli_alone_says_where_the_app_is(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    code, _, err = run(capsys, "--journal", jpath)  # no command: the app, which journal/ does not import
    assert code == 1 and err == "hindsight: the desktop app is not part of this command; run 'hindsight' to open it\n"


def test_an_error_from_the_real_command_is_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "journal.cli", "--journal", str(tmp_path / "x.hindsight"), "add", "--title", "t",
         "--role", "maker", "--severity", "9"],
        capture_output=True, text=True, cwd=Path.cwd(),
    )
    assert result.returncode == 1
    assert result.stderr.startswith("hindsight: severity") and result.stderr.count("\n") == 1


def test_an_empty_journal_says_how_to_start(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    Store.open(jpath).close()  # a journal with no entries yet (a missing one is "no journal")
    code, out, err = run(capsys, "--journal", jpath, "list")
    assert code == 0 and out == "" and "hindsight add" in err


def test_an_unknown_command_points_to_help(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    code, _, err = run(capsys, "--journal", jpath, "frobnicate")
    assert code == 1 and "'hindsight --help'" in err


# --- read commands create nothing; export never writes over what Hindsight did not make ---------------

NO_JOURNAL = "hindsight: no journal at {}; 'hindsight add' or the app creates one\n"
_OPTIONAL_READERS = {  # read commands other branches add (DESIGN §5); checked here once they exist
    "followups": ("followups",),
    "conflicts": ("conflicts",),
    "review": ("review", "Acme", "--out", "OUT/review.md"),
}
READERS = [
    ("list",), ("search", "invoice"), ("show", "abcd"), ("patterns",), ("similar", "abcd"), ("hints", "abcd"),
    ("check",), ("export", "--out", "OUT/all.md"), ("export", "--out-dir", "OUT"),
    *(args for name, args in _OPTIONAL_READERS.items() if name in build_parser().get_default("_commands")),
]


def tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.mark.parametrize("command", READERS, ids=lambda c: "-".join(c[:2]))
@pytest.mark.parametrize("kind", ["missing", "empty"])
def test_a_read_command_on_no_journal_exits_1_and_creates_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: tuple[str, ...], kind: str
) -> None:
    if kind == "missing":
        journal = tmp_path / "typo" / "jounral.hindsight"
    else:
        journal = tmp_path / "empty.hindsight"
        journal.touch()
    before = tree(tmp_path)
    args = [a.replace("OUT", str(tmp_path / "out")) for a in command]
    code, out, err = run(capsys, "--journal", str(journal), *args)
    assert (code, out, err) == (1, "", NO_JOURNAL.format(journal))
    assert tree(tmp_path) == before
    if kind == "empty":
        assert journal.stat().st_size == 0


def test_a_write_command_makes_a_journal_of_an_empty_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    journal = tmp_path / "new" / "empty.hindsight"
    journal.parent.mkdir()
    journal.touch()
    add(capsys, str(journal), "--title", "First", "--role", "maker")
    code, out, _ = run(capsys, "--journal", str(journal), "list")
    assert code == 0 and "First" in out


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
    from journal import transfer

    out = tmp_path / "all.md"
    out.write_text("last week's export\n")

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(transfer.os, "write", full)
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
    sample = Path(__file__).parent / "samples" / "incidents" / "webhooks-2021.md"
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


def test_show_json_holds_hours_to_first_reply(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    known = add(capsys, jpath, "--title", "Slow reply", "--role", "maker")
    unknown = add(capsys, jpath, "--title", "Reply not noted", "--role", "maker")
    with Store.open(jpath) as store:
        store.save(replace(store.get(known), first_response_hours=26.5))
    code, out, _ = run(capsys, "--journal", jpath, "show", known, "--json")
    assert code == 0 and json.loads(out)["first_response_hours"] == 26.5
    code, out, _ = run(capsys, "--journal", jpath, "show", unknown, "--json")
    assert code == 0 and json.loads(out)["first_response_hours"] is None
