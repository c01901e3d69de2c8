"""The command line as a person uses it: exit codes, one-line errors, JSON shapes."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from journal.cli import main


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
    assert code == 1 and "does not exist" in err and not path.exists()


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
    code, out, err = run(capsys, "--journal", jpath, "list")
    assert code == 0 and out == "" and "hindsight add" in err


def test_an_unknown_command_points_to_help(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    code, _, err = run(capsys, "--journal", jpath, "frobnicate")
    assert code == 1 and "'hindsight --help'" in err


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
