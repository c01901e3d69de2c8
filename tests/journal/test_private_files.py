"""Private by default: the journal, its side files and conflict copies are the owner's alone;
exports a person asks for keep the usual permissions."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal.cli import main
from journal.store import JournalError, Store
from tests.journal.pm_strategies import simple
from tests.journal.team_conflict import make_conflict

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The umask most desktops start with: new files are readable by everyone unless made private."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_journal_and_its_side_files_are_owner_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal = tmp_path / "j.hindsight"
    assert main(["--journal", str(journal), "add", "--title", "I am such an idiot", "--role", "maker"]) == 0
    assert mode(journal) == 0o600
    with Store.open(journal) as store:
        store.save(simple("A write that stays in the WAL"))
        for side in ("-wal", "-shm"):
            assert mode(journal.with_name(journal.name + side)) == 0o600, side


def test_a_journal_made_before_is_made_private_when_opened(tmp_path: Path) -> None:
    journal = tmp_path / "old.hindsight"
    with Store.open(journal) as store:
        store.save(simple("Old entry"))
    journal.chmod(0o644)
    with Store.open(journal) as store:
        assert mode(journal) == 0o600
        store.save(simple("New entry"))
        assert mode(journal.with_name(journal.name + "-wal")) == 0o600


def test_a_file_that_is_not_a_journal_keeps_its_mode(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("not a journal, not ours\n" * 100, encoding="utf-8")
    other.chmod(0o644)
    with pytest.raises(JournalError):
        Store.open(other)
    assert mode(other) == 0o644


def test_a_conflict_copy_is_owner_only(tmp_path: Path) -> None:
    team = make_conflict(tmp_path)
    (copy,) = [p for p in team.folder.iterdir() if ".conflict-" in p.name]
    assert mode(copy) == 0o600
    shared = [p for p in team.folder.iterdir() if ".conflict-" not in p.name]
    assert shared and all(mode(p) == 0o644 for p in shared)  # the team's files follow the umask


def test_exports_follow_the_umask(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal = tmp_path / "j.hindsight"
    main(["--journal", str(journal), "add", "--title", "Shared lesson", "--role", "maker"])
    out_file, out_dir = tmp_path / "lessons.md", tmp_path / "lessons"
    assert main(["--journal", str(journal), "export", "--out", str(out_file)]) == 0
    assert main(["--journal", str(journal), "export", "--out-dir", str(out_dir)]) == 0
    assert mode(out_file) == 0o644
    assert [mode(p) for p in out_dir.iterdir()] == [0o644]
