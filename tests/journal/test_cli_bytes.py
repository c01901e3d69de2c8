"""Any query, any bytes: text that is not UTF-8 is searched and saved, never a crash."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from journal import query as q
from journal.cli import main
from journal.store import Store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_query_with_lone_surrogates_is_searched_as_text(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    journal = str(tmp_path / "j.hindsight")
    run(capsys, "--journal", journal, "add", "--title", "Cold pizza", "--role", "maker")
    for query in ("client:\udcfe", "\udcfe", "pizza \ud800", '"\udcff"'):
        code, _, err = run(capsys, "--journal", journal, "search", query)
        assert code == 0, err
        assert "codec" not in err
    assert q.parse("client:\udcfe").filters[0].value == "\ufffd"


def test_a_title_with_undecodable_bytes_is_saved_with_a_note(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    journal = str(tmp_path / "j.hindsight")
    code, out, err = run(capsys, "--journal", journal, "add", "--title", "Caf\udce9 order", "--role", "maker",
                         "--tag", "ok", "--tag", "b\udcffd")
    assert code == 0, err
    assert "--title held bytes that are not UTF-8" in err and "--tag held" in err
    with Store.open(Path(journal), create=False) as store:
        pm = store.get(out.strip())
    assert (pm.title, pm.tags) == ("Caf\ufffd order", ["ok", "b\ufffdd"])
    code, out, _ = run(capsys, "--journal", journal, "search", "Caf\udce9")
    assert code == 0 and "Caf\ufffd order" in out


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
