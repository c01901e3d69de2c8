"""Settling a sync conflict: the chosen version wins, and only Hindsight's own conflict copy goes away."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from journal.markdown import files as md_files
from journal.model import content_hash
from journal.store import EntryNotFound, Store
from journal.transfer import sync
from journal.transfer.folder import markdown_files
from tests.journal.team_conflict import make_conflict


def copies(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if ".conflict-" in p.name)


def test_keeping_the_journals_version_removes_the_copy(tmp_path: Path) -> None:
    team = make_conflict(tmp_path)
    (copy,) = copies(team.folder)
    with Store.open(team.mine) as store:
        settled = sync.settle(store, team.entry_id, keep="journal")
        assert store.get(team.entry_id).what_happened == "I sent the quote.\nIt had the 2023 rates.\n"
        assert sync.list_conflicts(store) == []
        assert settled.removed == (str(copy),) and settled.left == ()
        assert not copy.exists()
        # The folder holds the journal's version; the next sync has nothing left to argue about.
        again = sync.sync_folder(store, team.folder)
        assert again.conflicts == [] and sync.list_conflicts(store) == []
    (main,) = markdown_files(team.folder)
    assert "2023 rates" in md_files.parse_file(main).pm.what_happened


def test_taking_the_folders_version_saves_it_and_removes_the_copy(tmp_path: Path) -> None:
    team = make_conflict(tmp_path)
    (copy,) = copies(team.folder)
    with Store.open(team.mine) as store:
        before = store.get(team.entry_id).revision
        settled = sync.settle(store, team.entry_id, keep="folder")
        pm = store.get(team.entry_id)
        assert pm.what_happened == "I sent the quote on Friday.\nIt had old rates.\n"
        assert (pm.severity, pm.tags) == (3, ["quotes"])
        assert pm.revision == before + 1
        assert settled.changes.updated == (team.entry_id,)
    assert not copy.exists()
    (main,) = markdown_files(team.folder)
    assert md_files.parse_file(main).pm.severity == 3  # the folder file now says the same


def test_a_copy_edited_after_hindsight_wrote_it_is_left_in_place(tmp_path: Path) -> None:
    team = make_conflict(tmp_path)
    (copy,) = copies(team.folder)
    copy.write_text(copy.read_text().replace("on Friday", "on Friday evening"))
    with Store.open(team.mine) as store:
        settled = sync.settle(store, team.entry_id, keep="journal")
        assert sync.list_conflicts(store) == []
    assert copy.exists()
    assert settled.removed == () and settled.left == ((str(copy), "it was edited after Hindsight wrote it"),)


def test_a_hand_made_file_with_a_conflict_name_is_not_removed(tmp_path: Path) -> None:
    team = make_conflict(tmp_path)
    hand_made = team.folder / "notes.conflict-0123abcd.md"
    hand_made.write_text("# My own notes\n\nNot Hindsight's.\n")
    with Store.open(team.mine) as store:
        sync.settle(store, team.entry_id, keep="folder")
    assert hand_made.read_text() == "# My own notes\n\nNot Hindsight's.\n"
    assert copies(team.folder) == [hand_made]


def test_a_file_already_at_the_copys_name_is_never_written_over(tmp_path: Path) -> None:
    team = make_conflict(tmp_path)
    with Store.open(team.mine) as store:
        sync.settle(store, team.entry_id, keep="journal")
        sync.sync_folder(store, team.folder)
    with Store.open(team.theirs) as alice, Store.open(team.mine) as bob:
        sync.sync_folder(alice, team.folder)
        alice.save(replace(alice.get(team.entry_id), impact="Alice again"))
        bob.save(replace(bob.get(team.entry_id), impact="Bob again"))
        sync.sync_folder(alice, team.folder)
        (main,) = markdown_files(team.folder)
        # Someone keeps a file of their own under the very name the copy of Alice's version would take.
        planted = main.with_name(f"{main.name[:-3]}.conflict-{content_hash(md_files.parse_file(main).pm)[:8]}.md")
        planted.write_text("mine, not Hindsight's\n")
        ((_, written),) = sync.sync_folder(bob, team.folder).conflicts
        assert planted.read_text() == "mine, not Hindsight's\n"
        assert written == str(planted.with_name(planted.name[:-3] + "-2.md"))
        assert md_files.parse_file(Path(written)).pm.impact == "Alice again"
        settled = sync.settle(bob, team.entry_id, keep="journal")
    assert settled.removed == (written,) and not Path(written).exists()
    assert planted.read_text() == "mine, not Hindsight's\n"


def test_settling_needs_a_conflict(tmp_path: Path) -> None:
    team = make_conflict(tmp_path)
    with Store.open(team.theirs) as store, pytest.raises(EntryNotFound, match="no conflict to settle"):
        sync.settle(store, team.entry_id)
    with Store.open(team.mine) as store, pytest.raises(ValueError, match="keep must be"):
        sync.settle(store, team.entry_id, keep="both")


def test_a_conflict_is_found_by_a_unique_prefix(tmp_path: Path) -> None:
    team = make_conflict(tmp_path)
    with Store.open(team.mine) as store:
        assert sync.find_conflict(store, team.entry_id[:6].upper()) == team.entry_id
        with pytest.raises(EntryNotFound, match="at least 4"):
            sync.find_conflict(store, "ab")
        with pytest.raises(EntryNotFound, match="no conflict"):
            sync.find_conflict(store, "ffffffff")
