"""Writing by rename: a file appears whole or not at all, and nothing is left behind."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from journal import atomic


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_failed_rename_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.md"
    target.write_text("old\n")

    def refused(src: object, dst: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", refused)
    with pytest.raises(PermissionError):
        atomic.write_atomic(target, "new\n")
    assert target.read_text() == "old\n" and leftovers(tmp_path) == []


def test_write_atomic_keeps_a_replaced_files_permissions_and_never_reuses_a_file_there(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("old\n")
    target.chmod(0o600)
    squatter = tmp_path / f".a.md.{os.getpid()}-0.tmp"
    squatter.write_text("not ours\n")
    atomic.write_atomic(target, "new\n")
    assert target.read_text() == "new\n"
    assert target.stat().st_mode & 0o777 == 0o600
    assert squatter.read_text() == "not ours\n"


def test_a_new_file_appears_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "2024-01-01-new-0123abcd.md"
    atomic.write_new(target, b"whole\n")
    assert target.read_bytes() == b"whole\n" and leftovers(tmp_path) == []
    with pytest.raises(FileExistsError):  # never replaces: what is there stays
        atomic.write_new(target, b"other\n")
    assert target.read_bytes() == b"whole\n" and leftovers(tmp_path) == []

    def full(fd: int, data: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "write", full)
    with pytest.raises(OSError, match="No space left"):
        atomic.write_new(tmp_path / "second.md", b"x")
    assert not (tmp_path / "second.md").exists() and leftovers(tmp_path) == []


def test_without_hard_links_a_new_file_is_still_created_exclusively(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: object, dst: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")  # what FAT answers

    monkeypatch.setattr(atomic.os, "link", no_links)
    target = tmp_path / "a.md"
    atomic.write_new(target, b"whole\n")
    assert target.read_bytes() == b"whole\n" and leftovers(tmp_path) == []
    with pytest.raises(FileExistsError):
        atomic.write_new(target, b"other\n")
    assert target.read_bytes() == b"whole\n" and leftovers(tmp_path) == []
