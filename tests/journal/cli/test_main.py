"""The command line as a person uses it: exit codes, one-line errors, no Qt, reading never creates a journal."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from journal.cli import build_parser
from tests.journal.cli.running import add, run


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


def test_an_unknown_command_points_to_help(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    code, _, err = run(capsys, "--journal", jpath, "frobnicate")
    assert code == 1 and "'hindsight --help'" in err


# --- read commands create nothing ---------------------------------------------------------------------

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


def test_an_id_with_lone_surrogates_is_not_found_rather_than_a_crash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    journal = str(tmp_path / "j.hindsight")
    run(capsys, "--journal", journal, "add", "--title", "One", "--role", "maker")
    code, _, err = run(capsys, "--journal", journal, "show", "abcd\udcfe")
    assert code == 1 and len(err.splitlines()) == 1 and "codec" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="raw bytes in argv are a POSIX thing")
def test_raw_bytes_in_argv_from_a_real_shell(tmp_path: Path) -> None:
    journal = os.fsencode(tmp_path / "j.hindsight")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}  # strict by default: a surrogate would crash printing
    command = [os.fsencode(sys.executable), b"-m", b"journal.cli", b"--journal", journal]
    added = subprocess.run([*command, b"add", b"--title", b"Client \xfe slip", b"--role", b"maker"],
                           capture_output=True, env=env, timeout=60)
    assert added.returncode == 0, added.stderr
    found = subprocess.run([*command, b"search", b"client:\xfe"], capture_output=True, env=env, timeout=60)
    assert found.returncode == 0, found.stderr
    assert b"codec" not in found.stderr
    listed = subprocess.run([*command, b"search", b"\xfe"], capture_output=True, env=env, timeout=60)
    assert "Client \ufffd slip" in listed.stdout.decode("utf-8")
