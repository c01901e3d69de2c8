"""Import through files: equal entries, idempotent re-imports, no silent loss, bad files."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from journal.markdown import reader as md_reader
from journal.markdown import writer as md_writer
from journal.model import PostMortem, content_hash
from journal.store import Store
from journal.transfer import sync_state
from journal.transfer.export import export_folder
from journal.transfer.importer import import_paths
from tests.journal.pm_strategies import post_mortems, simple


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "a.hindsight") as s:
        yield s


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path / "other.hindsight") as s:
        yield s


def add(store: Store, *entries: PostMortem) -> list[PostMortem]:
    return [store.save(pm)[0] for pm in entries]


def content(store: Store) -> dict[str, str]:
    return {pm.id: content_hash(pm) for pm in store.iter_entries(include_deleted=True)}


# --- export then import -------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pm=post_mortems())
def test_export_then_import_into_a_new_journal_gives_equal_entries(
    store: Store, other: Store, tmp_path: Path, pm: PostMortem
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    saved = store.save(replace(pm, id=str(uuid.uuid4()), revision=0))[0]
    assert export_folder(store, [saved.id], folder).written
    result = import_paths(other, [folder])
    assert result.created == [saved.id] and not result.failed
    assert other.get(saved.id) == saved


def test_importing_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    entries = add(store, simple("One"), simple("Two"), simple("Three"))
    export_folder(store, [e.id for e in entries], tmp_path / "out")
    with Store.open(tmp_path / "b.hindsight") as other:
        first = import_paths(other, [tmp_path / "out"])
        before = {pm.id: pm.revision for pm in other.iter_entries()}
        second = import_paths(other, [tmp_path / "out"])
        after = {pm.id: pm.revision for pm in other.iter_entries()}
    assert len(first.created) == 3
    assert (second.created, second.updated, len(second.unchanged)) == ([], [], 3)
    assert before == after
    assert second.summary_line() == "imported 3: 0 created, 0 updated, 3 unchanged, 0 conflicts, 0 failed"


def test_importing_again_reads_no_file_left_as_it_was(
    other: Store, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b, c = add(store, simple("A"), simple("B"), simple("C"))
    export_folder(store, [a.id, b.id, c.id], tmp_path / "out")
    assert len(import_paths(other, [tmp_path / "out"]).created) == 3
    (edited,) = (p for p in (tmp_path / "out").iterdir() if b.id[:8] in p.name)
    edited.write_text(edited.read_text().replace("severity: 2", "severity: 3", 1))  # the same size
    other.trash([c.id])
    other.empty_trash()

    parsed: list[str] = []
    parse_full = md_reader.parse_full

    def counting(text: str, filename: str = "<text>", **kwargs: Any) -> md_reader.Parsed:
        parsed.append(filename)
        return parse_full(text, filename, **kwargs)

    monkeypatch.setattr(md_reader, "parse_full", counting)
    result = import_paths(other, [tmp_path / "out"])
    assert (result.unchanged, result.updated, result.created) == ([a.id], [b.id], [c.id])
    assert a.id[:8] not in " ".join(parsed)  # only the edited file and the purged entry's were read
    assert other.get(b.id).severity == 3


def test_an_edited_file_updates_its_entry_as_a_new_revision(store: Store, tmp_path: Path) -> None:
    (pm,) = add(store, simple())
    export_folder(store, [pm.id], tmp_path / "out")
    (path,) = (tmp_path / "out").iterdir()
    path.write_text(path.read_text().replace("We sent last month's file.", "We sent the March file."))
    result = import_paths(store, [path])
    assert result.updated == [pm.id]
    now = store.get(pm.id)
    assert now.what_happened == "We sent the March file.\n"
    assert now.revision == pm.revision + 1
    assert import_paths(store, [path]).unchanged == [pm.id]


def test_a_colleagues_later_revision_comes_in_as_that_revision(
    store: Store, other: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (pm,) = add(store, simple())
    export_folder(store, [pm.id], tmp_path / "out")
    import_paths(other, [tmp_path / "out"])
    clock = iter(f"2030-01-01T00:00:{s:02d}Z" for s in range(60))
    monkeypatch.setattr("journal.store.utc_now", lambda: next(clock))
    theirs = other.save(replace(other.get(pm.id), impact="Second look"))[0]
    theirs = other.save(replace(theirs, impact="Third look"))[0]
    export_folder(other, [pm.id], tmp_path / "out")

    assert import_paths(store, [tmp_path / "out"]).updated == [pm.id]
    assert store.get(pm.id) == theirs  # revision 3 of 2030-01-01T00:00:01Z, not a new stamp here


def test_a_local_edit_is_never_lost_to_an_older_file(store: Store, tmp_path: Path) -> None:
    (pm,) = add(store, simple())
    export_folder(store, [pm.id], tmp_path / "out")
    store.save(replace(pm, impact="Edited in the app"))
    result = import_paths(store, [tmp_path / "out"])
    assert result.unchanged == [pm.id] and not result.updated
    assert store.get(pm.id).impact == "Edited in the app"


def test_both_changed_keeps_the_journal_and_marks_a_conflict(store: Store, tmp_path: Path) -> None:
    (pm,) = add(store, simple())
    export_folder(store, [pm.id], tmp_path / "out")
    (path,) = (tmp_path / "out").iterdir()
    path.write_text(path.read_text().replace("## Impact\n", "## Impact\n\nEdited in the file\n"))
    store.save(replace(pm, impact="Edited in the app"))
    result = import_paths(store, [path])
    assert result.conflicts == [(pm.id, str(path))]
    assert store.get(pm.id).impact == "Edited in the app"
    (conflict,) = sync_state.list_conflicts(store)
    assert (conflict.entry_id, conflict.title, conflict.is_copy) == (pm.id, pm.title, False)
    assert path.exists()  # the file's version is still there to choose


def test_a_redacted_copy_never_overwrites_the_original(store: Store, tmp_path: Path) -> None:
    (pm,) = add(store, simple(reflection="private"))
    export_folder(store, [pm.id], tmp_path / "shared", redact=True)
    result = import_paths(store, [tmp_path / "shared"])
    assert result.unchanged == [pm.id]
    assert any("redacted" in w for _, w in result.warnings)
    assert store.get(pm.id) == pm


def test_one_bad_file_is_reported_and_the_rest_import(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.md").write_text(md_writer.render(simple("Good one")))
    (folder / "broken.md").write_text("---\ntitle: [oops\n---\n")
    (folder / "types.md").write_text("---\ntitle: ok\nrole: maker\nseverity: loud\n---\n")  # our form: a typo
    (folder / "binary.md").write_bytes(b"\x00\x01\x02")
    (folder / "note.md").write_text("# A plain note\n\nsome text\n")
    (folder / ".obsidian").mkdir()
    (folder / ".obsidian" / "hidden.md").write_text("# not imported\n")
    result = import_paths(store, [folder, tmp_path / "missing.md"])
    assert len(result.created) == 2
    reasons = dict(result.failed)
    assert set(reasons) == {str(folder / n) for n in ("broken.md", "types.md", "binary.md")} | {
        str(tmp_path / "missing.md")
    }
    assert reasons[str(folder / "types.md")].startswith("line 4: severity")
    assert "not valid YAML" in reasons[str(folder / "broken.md")]
    assert {s.title for s in store.search("")} == {"Good one", "A plain note"}


def test_progress_is_reported_and_cancel_stops_between_files(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"n{i}.md").write_text(f"# Note {i}\n")
    seen: list[tuple[int, int]] = []
    result = import_paths(store, [folder], progress=lambda d, t: seen.append((d, t)), cancelled=lambda: len(seen) >= 2)
    assert result.cancelled
    assert seen == [(1, 5), (2, 5)]
    assert store.entry_count() == 2


# --- the command line --------------------------------------------------------------------------------
