"""Team folders: two journals kept in agreement through a real git repository."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlite_utils import Database

from journal import demo, migrations
from journal.markdown import files as md_files
from journal.markdown import reader as md_reader
from journal.markdown import writer as md_writer
from journal.migrations import SCHEMA_VERSION
from journal.model import PostMortem, content_hash
from journal.store import Store
from journal.transfer import sync, sync_state
from journal.transfer.folder import markdown_files
from journal.transfer.importer import import_paths
from tests.journal.pm_strategies import simple

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git command")


class Laptop:
    """One person's machine: a clone of the team repository and a journal."""

    def __init__(self, root: Path, remote: Path, name: str, env: dict[str, str]) -> None:
        self.env = env
        self.clone = root / name
        git(root, env, "clone", "--quiet", str(remote), str(self.clone))
        self.folder = self.clone / "postmortems"
        self.store = Store.open(root / f"{name}.hindsight")

    def sync(self) -> sync.TransferResult:
        result = sync.sync_folder(self.store, self.folder)
        assert not result.failed, result.failed
        return result

    def push(self, message: str) -> None:
        git(self.clone, self.env, "add", "-A")
        git(self.clone, self.env, "commit", "--quiet", "--allow-empty", "-m", message)
        git(self.clone, self.env, "push", "--quiet", "origin", "HEAD:main")

    def pull(self) -> None:
        git(self.clone, self.env, "pull", "--quiet", "--no-rebase", "origin", "main")

    def hand_over(self, other: Laptop, message: str) -> sync.TransferResult:
        """The README's round: sync, commit and push here, then pull and sync there; the latter's result."""
        self.sync()
        self.push(message)
        other.pull()
        return other.sync()

    def state(self) -> dict[str, str]:
        return {pm.id: content_hash(pm) for pm in self.store.iter_entries(include_deleted=True)}


def git(cwd: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"git {' '.join(args)} failed: {done.stderr}"
    return done.stdout


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[Laptop, Laptop]]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "GIT_TERMINAL_PROMPT": "0",
    }
    remote = tmp_path / "team.git"
    git(tmp_path, env, "init", "--quiet", "--bare", "--initial-branch=main", str(remote))
    seed = tmp_path / "seed"
    git(tmp_path, env, "init", "--quiet", "--initial-branch=main", str(seed))
    (seed / "README.md").write_text("Team post-mortems\n")
    git(seed, env, "add", "-A")
    git(seed, env, "commit", "--quiet", "-m", "start")
    git(seed, env, "push", "--quiet", str(remote), "main")
    a, b = Laptop(tmp_path, remote, "alice", env), Laptop(tmp_path, remote, "bob", env)
    yield a, b
    a.store.close()
    b.store.close()


@pytest.fixture(autouse=True)
def ticking_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every save a second after the last, as with people: a test saves many times a second,
    and two versions of an entry with the same revision and time look like one."""
    ticks = iter(range(3600))

    def now() -> str:
        tick = next(ticks)
        return f"2026-01-01T00:{tick // 60:02d}:{tick % 60:02d}Z"

    monkeypatch.setattr("journal.store.utc_now", now)


def test_two_laptops_converge_through_git(team: tuple[Laptop, Laptop]) -> None:
    alice, bob = team
    one, two, _ = (alice.store.save(simple(t))[0] for t in ("One", "Two", "Three"))
    assert len(alice.sync().written) == 3
    alice.push("three post-mortems")
    bob.pull()
    assert len(bob.sync().created) == 3
    assert bob.state() == alice.state()

    # Alice edits, Bob receives it as a new revision.
    alice.store.save(replace(alice.store.get(one.id), title="One, retitled"))
    assert alice.hand_over(bob, "retitle").updated == [one.id]
    assert bob.store.get(one.id).title == "One, retitled"

    # Bob edits, Alice receives it.
    bob.store.save(replace(bob.store.get(two.id), impact="Bob's impact"))
    assert bob.hand_over(alice, "impact").updated == [two.id]
    assert alice.state() == bob.state()

    # Syncing again with nothing new changes nothing.
    again = alice.sync()
    assert (again.created, again.updated, again.written) == ([], [], [])


def test_a_teammates_edit_arrives_as_the_same_version(team: tuple[Laptop, Laptop]) -> None:
    alice, bob = team
    pm = alice.store.save(simple("Shared"))[0]
    alice.hand_over(bob, "add")

    bob.store.save(replace(bob.store.get(pm.id), impact="Bob's impact"))
    bob.hand_over(alice, "impact")
    # Not a new revision stamped at Alice's time: Bob's, revision and time included.
    assert alice.store.get(pm.id) == bob.store.get(pm.id)


def test_a_file_edited_by_hand_ends_as_one_version_everywhere(team: tuple[Laptop, Laptop]) -> None:
    alice, bob = team
    pm = alice.store.save(simple("Shared"))[0]
    alice.hand_over(bob, "add")

    (path,) = markdown_files(bob.folder)
    path.write_text(path.read_text().replace("## Impact\n", "## Impact\n\nTyped in an editor.\n", 1))
    result = bob.sync()
    assert result.updated == [pm.id]
    assert md_files.parse_file(path).pm.revision == 2  # the file now says which revision it became
    bob.push("hand edit")
    alice.pull()
    alice.sync()
    assert alice.store.get(pm.id) == bob.store.get(pm.id)
    assert "Typed in an editor." in alice.store.get(pm.id).impact

    # Bob removes the file; each journal writes it back, and git merges the two copies.
    git(bob.clone, bob.env, "rm", "--quiet", str(path.relative_to(bob.clone)))
    bob.push("remove the file")
    alice.pull()
    assert alice.sync().written
    git(alice.clone, alice.env, "add", "-A")
    git(alice.clone, alice.env, "commit", "--quiet", "-m", "alice writes it back")
    assert bob.sync().written
    bob.push("bob writes it back")
    alice.pull()  # no conflict: the same version gives the same bytes
    again = alice.sync()
    assert (again.updated, again.written, again.conflicts) == ([], [], [])
    (alices,) = markdown_files(alice.folder)
    assert alices.read_text() == md_writer.render(alice.store.get(pm.id))


def test_an_edit_on_both_sides_keeps_both_versions(team: tuple[Laptop, Laptop]) -> None:
    alice, bob = team
    pm = alice.store.save(simple("Shared"))[0]
    alice.hand_over(bob, "shared")

    alice.store.save(replace(alice.store.get(pm.id), impact="Alice's version"))
    alice.sync()
    alice.push("alice edits")
    bob.store.save(replace(bob.store.get(pm.id), impact="Bob's version"))
    bob.pull()
    result = bob.sync()

    assert [c[0] for c in result.conflicts] == [pm.id]
    assert bob.store.get(pm.id).impact == "Bob's version"  # the journal's version is kept
    (conflict,) = sync.list_conflicts(bob.store)
    copy = Path(conflict.path)
    assert copy.parent == bob.folder and ".conflict-" in copy.name
    assert md_files.parse_file(copy).pm.impact == "Alice's version"  # and the folder's is next to it
    assert md_files.parse_file(Path(conflict.main_path)).pm.impact == "Bob's version"
    assert len(markdown_files(bob.folder)) == 1  # the copy is not read as a second entry

    bob.push("bob's side of the conflict")
    alice.pull()
    alice.sync()
    assert alice.store.get(pm.id).impact == "Bob's version"

    # Bob looks at both and takes Alice's after all; the copy goes away.
    sync.settle(bob.store, pm.id, keep="folder")
    assert bob.store.get(pm.id).impact == "Alice's version"
    assert not copy.exists() and sync.list_conflicts(bob.store) == []
    bob.push("resolved")
    alice.pull()
    alice.sync()
    assert alice.state() == bob.state()
    assert alice.store.get(pm.id).impact == "Alice's version"


def test_a_removed_file_deletes_nothing_and_comes_back(team: tuple[Laptop, Laptop]) -> None:
    alice, bob = team
    pm = alice.store.save(simple("Keep me"))[0]
    alice.hand_over(bob, "add")
    (path,) = markdown_files(bob.folder)
    git(bob.clone, bob.env, "rm", "--quiet", str(path.relative_to(bob.clone)))
    bob.push("remove the file")
    alice.pull()
    result = alice.sync()
    assert alice.store.get(pm.id).deleted is False
    assert result.written  # the missing file is written back
    assert bob.store.get(pm.id).deleted is False


def test_a_deletion_travels_as_deleted_true(team: tuple[Laptop, Laptop]) -> None:
    alice, bob = team
    gone, kept = (alice.store.save(simple(t))[0] for t in ("Gone", "Kept"))
    alice.hand_over(bob, "add")
    alice.store.trash([gone.id])
    alice.sync()
    assert "deleted: true" in next(p for p in markdown_files(alice.folder) if gone.id[:8] in p.name).read_text()
    alice.push("trash")
    bob.pull()
    assert bob.sync().updated == [gone.id]
    assert bob.store.get(gone.id).deleted is True
    assert bob.store.get(kept.id).deleted is False

    # Emptying the trash here marks the file deleted for everyone, and never resurrects it.
    bob.store.restore([gone.id])
    bob.store.trash([gone.id])
    bob.store.empty_trash()
    bob.sync()
    assert not bob.store.exists(gone.id)
    assert bob.sync().created == []


def test_a_trashed_entry_never_shared_stays_private(tmp_path: Path) -> None:
    with Store.open(tmp_path / "j.hindsight") as store:
        pm = store.save(simple("Private"))[0]
        store.trash([pm.id])
        sync.sync_folder(store, tmp_path / "team")
        assert markdown_files(tmp_path / "team") == []


def test_plain_notes_in_the_team_folder_become_the_same_entry_everywhere(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "call-notes.md").write_text("# Rough call\n\nThey were upset.\n")
    with Store.open(tmp_path / "a.hindsight") as a, Store.open(tmp_path / "b.hindsight") as b:
        assert sync.sync_folder(a, folder).created == sync.sync_folder(b, folder).created
        assert sync.sync_folder(a, folder).created == []


def test_a_plain_note_imported_then_synced_stays_one_entry_when_edited(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    note = folder / "call-notes.md"
    note.write_text("# Rough call\n\nThey were upset.\n")
    with Store.open(tmp_path / "a.hindsight") as store:
        (entry_id,) = import_paths(store, [folder]).created
        assert sync.sync_folder(store, folder).unchanged == [entry_id]
        note.write_text("# Rough call\n\nThey were upset, then calmer.\n")
        result = sync.sync_folder(store, folder)
        assert (result.created, result.updated) == ([], [entry_id])
        assert [pm.id for pm in store.iter_entries()] == [entry_id]
        assert markdown_files(folder) == [note]

        note.write_text("# Rough call\n\nThey were upset, then calm.\n")  # and the other way round
        assert import_paths(store, [folder]).updated == [entry_id]
        assert store.get(entry_id).what_happened == "They were upset, then calm.\n"


def test_an_unreadable_file_is_reported_and_not_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    with Store.open(tmp_path / "a.hindsight") as store:
        pm = store.save(simple())[0]
        sync.sync_folder(store, folder)
        (path,) = markdown_files(folder)
        path.write_text(path.read_text().replace("severity: 2", "severity: [", 1))
        broken = path.read_text()
        result = sync.sync_folder(store, folder)
        assert [p for p, _ in result.failed] == [str(path)]
        assert path.read_text() == broken
        assert store.get(pm.id).title == pm.title


def test_a_sync_with_nothing_new_reads_no_file_as_markdown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "team"
    with Store.open(tmp_path / "a.hindsight") as store:
        entries = [store.save(simple(t))[0] for t in ("One", "Two", "Three")]
        sync.sync_folder(store, folder)
        before = {p: p.read_bytes() for p in markdown_files(folder)}

        def no_parsing(*args: object, **kwargs: object) -> None:
            raise AssertionError("a file was parsed")

        with monkeypatch.context() as patched:
            patched.setattr(md_reader, "parse_full", no_parsing)
            result = sync.sync_folder(store, folder)
        assert sorted(result.unchanged) == sorted(pm.id for pm in entries)
        assert (result.updated, result.written, result.failed) == ([], [], [])
        assert {p: p.read_bytes() for p in markdown_files(folder)} == before


def test_a_file_changed_to_the_same_size_is_still_read(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    with Store.open(tmp_path / "a.hindsight") as store:
        pm = store.save(simple("Same size"))[0]
        sync.sync_folder(store, folder)
        (path,) = markdown_files(folder)
        stamp = path.stat().st_mtime_ns
        text = path.read_text()
        path.write_text(text.replace("severity: 2", "severity: 4", 1))
        os.utime(path, ns=(stamp, stamp))  # as a tool that keeps times would leave it
        assert sync.sync_folder(store, folder).updated == [pm.id]
        assert store.get(pm.id).severity == 4


def test_a_change_in_the_journal_is_written_over_a_file_left_as_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    with Store.open(tmp_path / "a.hindsight") as store:
        pm = store.save(simple("Retitle me"))[0]
        sync.sync_folder(store, folder)
        store.save(replace(store.get(pm.id), title="Retitled"))
        store.trash([pm.id])
        store.restore([pm.id])  # the stored fingerprint is now unknown
        result = sync.sync_folder(store, folder)
        (path,) = markdown_files(folder)
        assert result.written == [str(path)]
        assert md_files.parse_file(path).pm.title == "Retitled"
        assert sync.sync_folder(store, folder).written == []


def test_a_team_folder_that_is_a_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    blocker = tmp_path / "team"
    blocker.write_text("I am a file")
    with Store.open(tmp_path / "j.hindsight") as store:
        store.save(PostMortem.from_dict({"title": "Late courier", "role": "receiver"}))
        result = sync.sync_folder(store, blocker)
    assert result.failed and "cannot create the folder" in result.failed[0][1]
    assert blocker.read_text() == "I am a file"


def test_a_journal_from_before_m003_keeps_its_sync_state(tmp_path: Path) -> None:
    """The sync state table is rebuilt keyed by folder; every remembered base survives."""
    path = tmp_path / "old.hindsight"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
    db = Database(conn)
    migrations.migrations.apply(db, stop_before="m003_sync_state_by_folder")
    conn.execute(
        "INSERT INTO sync_state (entry_id, folder, hash, path, synced_at) VALUES (?, ?, ?, ?, ?)",
        ("e1", "/team", "h1", "a.md", "2026-01-01T00:00:00Z"),
    )
    conn.close()
    with Store.open(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 10
        assert sync_state.bases(store, "/team") == {"e1": sync_state.Base("h1", "a.md")}
        sync_state.set_bases(store, "/team", [("e1", "h2", "b.md", "f2"), ("e0", "h0", "z.md", "")])
        assert sync_state.bases(store, "/team", ["e0", "e1"]) == {
            "e0": sync_state.Base("h0", "z.md"), "e1": sync_state.Base("h2", "b.md", "f2"),
        }


def test_syncing_hindsights_own_files_reports_nothing_kept_and_an_added_section_arrives(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    with Store.open(tmp_path / "a.hindsight") as a, Store.open(tmp_path / "b.hindsight") as b:
        demo.populate(a, entries=40, seed=3)
        assert sync.sync_folder(a, folder).written
        first = sync.sync_folder(b, folder)
        assert len(first.created) == 40 and first.warnings == []
        path = markdown_files(folder)[0]
        path.write_text(path.read_text(encoding="utf-8") + "\n## Notes\n\nAdded in the folder.\n", encoding="utf-8")
        result = sync.sync_folder(b, folder)
        (entry_id,) = result.updated
        assert result.warnings == [(str(path), "kept 1 unknown section in What happened")]
        assert b.get(entry_id).what_happened.endswith("\n\n## Notes\n\nAdded in the folder.\n")
        assert sync.sync_folder(b, folder).warnings == []  # written back in Hindsight's shape: nothing more to keep


def test_a_sync_loads_no_export_code_and_the_windows_sync_state_no_markdown() -> None:
    # The window imports sync_state at start; a sync needs the importer, never the export or redaction code.
    code = (
        "import sys; import journal.transfer.sync_state; "
        "early = sorted(m for m in sys.modules if m.startswith(('journal.markdown', 'yaml', 'multiprocessing'))); "
        "import journal.transfer.sync; "
        "late = sorted(m for m in sys.modules if m in ('journal.transfer.export', 'journal.redact')); "
        "print(early, late)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[] []"
