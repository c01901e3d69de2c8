"""A folder of Markdown files as export, import and sync see it: which files count, unique names, safe writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from journal.markdown import files as md_files
from journal.transfer.folder import NOT_UTF8_NAME, NameBook, make_folder, markdown_files, not_utf8, write_markdown
from journal.transfer.result import TransferResult
from tests.journal.pm_strategies import simple


def test_only_visible_markdown_files_count_and_conflict_copies_do_not(tmp_path: Path) -> None:
    for name in ("b.md", "A.MD", "notes.txt", ".hidden.md", "b.conflict-2024-05-01.md", "sub/c.md", ".git/d.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# x\n", encoding="utf-8")
    assert markdown_files(tmp_path) == [tmp_path / "A.MD", tmp_path / "b.md", tmp_path / "sub" / "c.md"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_linked_folder_is_not_walked_and_is_named(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text("# x\n", encoding="utf-8")
    team = tmp_path / "team"
    team.mkdir()
    (team / "link").symlink_to(outside, target_is_directory=True)
    refused: list[tuple[str, str]] = []
    assert markdown_files(team, refused) == []
    assert refused == [(str(team / "link"), "is a symbolic link to a folder; not followed")]


def test_a_file_name_that_is_not_utf8_is_refused_by_name(tmp_path: Path) -> None:
    bad = os.fsdecode(b"caf\xe9.md")
    try:
        (tmp_path / bad).write_text("# x\n", encoding="utf-8")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    (tmp_path / "good.md").write_text("# x\n", encoding="utf-8")
    refused: list[tuple[str, str]] = []
    assert markdown_files(tmp_path, refused) == [tmp_path / "good.md"]
    assert refused == [(str(tmp_path / bad), NOT_UTF8_NAME)]
    assert not_utf8(bad) and not not_utf8("café.md")


def test_names_in_one_folder_are_unique_even_for_twins(tmp_path: Path) -> None:
    twins = [simple("Twin", id="0000aaaa-0000-4000-8000-00000000000" + d) for d in "12"]
    book = NameBook(tmp_path)
    first, second = book.name_for(twins[0]), book.name_for(twins[1])
    assert first == md_files.file_name(twins[0])  # the short name when it is free
    assert second.lower() != first.lower() and second == md_files.file_name(twins[1], id_chars=36)
    third = book.name_for(twins[0])  # the same entry asked again still gets a name of its own
    assert third == md_files.file_name(twins[0], id_chars=36)
    assert book.name_for(twins[0]) == third[: -len(".md")] + "-2.md"


def test_a_folder_that_cannot_be_made_is_reported_not_raised(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = TransferResult("export")
    assert not make_folder(blocker / "out", result)
    assert [path for path, _ in result.failed] == [str(blocker / "out")]
    assert result.failed[0][1].startswith("cannot create the folder")
    assert make_folder(tmp_path / "deep" / "out", result) and (tmp_path / "deep" / "out").is_dir()


def test_a_written_file_holds_the_text_and_its_fingerprint_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "entry.md"
    fingerprint = write_markdown(path, "# Café\n")
    assert path.read_bytes() == "# Café\n".encode()
    assert fingerprint == md_files.file_fingerprint(path.read_bytes())
    assert [p.name for p in tmp_path.iterdir()] == ["entry.md"]
