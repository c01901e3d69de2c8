"""A team folder or an import cannot reach outside: links are not followed, pipes not read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from journal.cli import main
from journal.store import Store

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs symbolic links and FIFOs (POSIX)")

SECRET = "-----BEGIN OPENSSH PRIVATE KEY----- do-not-leak-4711"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, Path]:
    """A team folder holding one good note, a link to a secret file, a link to a folder and a FIFO."""
    secret = tmp_path / "id_ed25519"
    secret.write_text(f"# key\n\n{SECRET}\n", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "private.md").write_text(f"# private\n\n{SECRET}\n", encoding="utf-8")
    team = tmp_path / "team"
    team.mkdir()
    (team / "2024-03-01-good-note.md").write_text("# Good note\n\nThe rest proceed.\n", encoding="utf-8")
    (team / "2024-03-02-key-0badc0de.md").symlink_to(secret)
    (team / "elsewhere").symlink_to(outside, target_is_directory=True)
    os.mkfifo(team / "pipe.md")  # would block a plain open() forever
    return team, secret


def entries_text(journal: Path) -> str:
    with Store.open(journal, create=False) as store:
        return "\n".join(str(store.get(s.id).to_dict()) for s in store.search("", limit=1000))


def test_sync_reports_each_link_and_pipe_and_reads_none_of_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, planted: tuple[Path, Path]
) -> None:
    team, secret = planted
    journal = tmp_path / "j.hindsight"
    code, _, err = run(capsys, "--journal", str(journal), "sync", str(team))
    assert code == 1
    assert "2024-03-02-key-0badc0de.md: is a symbolic link; not followed" in err
    assert "elsewhere: is a symbolic link to a folder; not followed" in err
    assert "pipe.md: is not a regular file" in err
    text = entries_text(journal)
    assert "The rest proceed." in text  # the good note was still synced
    assert SECRET not in text
    # The next sync writes nothing of the secret into the folder, and the link still points where it did.
    run(capsys, "--journal", str(journal), "sync", str(team))
    for path in team.iterdir():
        if path.is_file() and not path.is_symlink():
            assert SECRET not in path.read_text(encoding="utf-8"), path
    assert (team / "2024-03-02-key-0badc0de.md").is_symlink()
    assert secret.read_text(encoding="utf-8") == f"# key\n\n{SECRET}\n"


def test_import_of_a_folder_skips_links_and_pipes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, planted: tuple[Path, Path]
) -> None:
    team, _ = planted
    journal = tmp_path / "j.hindsight"
    code, out, err = run(capsys, "--journal", str(journal), "import", str(team))
    assert code == 1
    assert "1 created" in out
    assert err.count("not followed") == 2 and "pipe.md" in err
    assert SECRET not in entries_text(journal)


def test_an_import_path_that_is_itself_a_link_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, planted: tuple[Path, Path]
) -> None:
    team, _ = planted
    journal = tmp_path / "j.hindsight"
    code, _, err = run(capsys, "--journal", str(journal), "import", str(team / "2024-03-02-key-0badc0de.md"))
    assert code == 1
    assert "is a symbolic link; not followed" in err
    assert not journal.exists() or SECRET not in entries_text(journal)


def test_sync_writes_over_a_planted_link_without_touching_its_target(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    team = tmp_path / "team"
    journal = tmp_path / "j.hindsight"
    run(capsys, "--journal", str(journal), "add", "--title", "Shared lesson", "--role", "maker")
    assert run(capsys, "--journal", str(journal), "sync", str(team))[0] == 0
    (written,) = team.iterdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched", encoding="utf-8")
    written.unlink()
    written.symlink_to(victim)  # a teammate swaps the file for a link
    code, _, err = run(capsys, "--journal", str(journal), "sync", str(team))
    assert code == 1 and "is a symbolic link; not followed" in err
    assert victim.read_text(encoding="utf-8") == "untouched"
