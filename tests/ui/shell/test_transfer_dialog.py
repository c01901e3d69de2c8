"""The transfer dialog: work off the GUI thread, a progress bar, Cancel, and a summary a person can act on."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from journal.markdown import files as md_files
from journal.store import Store
from journal.transfer import sync
from journal.transfer.conflict_diff import ConflictDiff
from tests.journal.pm_strategies import simple
from ui.shell.conflict_dialog import SyncChoice
from ui.shell.transfer_dialog import Operation, TransferDialog

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")

TIMEOUT_MS = 20_000


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        for title in ("One", "Two", "Three"):
            store.save(simple(title))
    return path


def run(qtbot: QtBot, journal: Path, operation: Operation) -> TransferDialog:
    dialog = TransferDialog(journal, operation)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.transfer_done, timeout=TIMEOUT_MS):
        dialog.start()
    return dialog


def test_export_shows_a_full_progress_bar_and_a_summary(qtbot: QtBot, journal: Path, tmp_path: Path) -> None:
    dialog = run(qtbot, journal, Operation("export_folder", (tmp_path / "out",)))
    assert len(list((tmp_path / "out").glob("*.md"))) == 3
    assert dialog.progress.value() == dialog.progress.maximum()
    assert dialog.summary.isVisibleTo(dialog)
    assert "Exported 3: 3 written" in dialog.summary.toPlainText()
    assert dialog.buttons.button(dialog.buttons.StandardButton.Close) is not None


def test_the_work_ends_without_the_gui_thread_turning(qtbot: QtBot, journal: Path, tmp_path: Path) -> None:
    # What closing the dialog does while the work ends: wait for it, with the GUI thread
    # blocked. The worker's thread must stop on its own, or the app freezes.
    dialog = TransferDialog(journal, Operation("export_folder", (tmp_path / "out",)))
    qtbot.addWidget(dialog)
    dialog.start()
    assert dialog.transfers.wait(TIMEOUT_MS)
    assert not dialog.is_running()
    dialog.close()


def test_import_summary_names_each_failed_file_and_why(qtbot: QtBot, journal: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "fine.md").write_text("# A note\n\ntext\n")
    (folder / "broken.md").write_text("---\ntitle: [x\n---\n")
    dialog = run(qtbot, journal, Operation("import", (folder,)))
    text = dialog.summary.toPlainText()
    assert text.startswith("Imported 1: 1 created")
    assert f"{folder / 'broken.md'}: line " in text and "not valid YAML" in text
    assert dialog.outcome is not None and len(dialog.outcome.failed) == 1


def test_import_notes_from_another_tools_files_are_grouped_by_kind(
    qtbot: QtBot, journal: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    for i in range(5):
        (folder / f"pm-{i}.md").write_text(f"---\ntitle: Outage {i}\nurl: https://example.org/{i}\n---\nIt broke.\n")
    dialog = run(qtbot, journal, Operation("import", (folder,)))
    text = dialog.summary.toPlainText()
    assert "  5 files: `url` kept in the text" in text.splitlines()
    assert "example.org" not in text and str(folder) not in text  # one line for the five, not five


def test_cancel_stops_between_files(qtbot: QtBot, journal: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(20):
        (folder / f"n{i}.md").write_text(f"# Note {i}\n")
    dialog = TransferDialog(journal, Operation("import", (folder,)))
    qtbot.addWidget(dialog)
    dialog.cancel()  # pressed before the first file is read
    with qtbot.waitSignal(dialog.transfer_done, timeout=TIMEOUT_MS):
        dialog.start()
    assert dialog.outcome is not None and dialog.outcome.cancelled
    assert dialog.what.text().startswith("Cancelled.")
    with Store.open(journal) as store:
        assert store.entry_count() == 3


def test_a_journal_that_cannot_be_opened_is_said_plainly(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = run(qtbot, tmp_path / "missing.hindsight", Operation("sync", (tmp_path / "team",)))
    assert dialog.what.text().startswith("Nothing was done:")
    assert "no journal at" in dialog.what.text()


def test_sync_conflicts_are_listed_and_resolved_in_the_dialog(qtbot: QtBot, journal: Path, tmp_path: Path) -> None:
    team = tmp_path / "team"
    with Store.open(journal) as store:
        sync.sync_folder(store, team)
        pm = next(p for p in store.iter_entries() if p.title == "One")
        store.save(replace(pm, impact="journal side"))
    path = next(p for p in team.glob("*.md") if pm.id[:8] in p.name)
    path.write_text(path.read_text().replace("## Impact\n", "## Impact\n\nfolder side\n"))

    dialog = run(qtbot, journal, Operation("sync", (team,)))
    assert "1 conflicts" in dialog.summary.toPlainText()
    assert dialog.conflicts.isVisibleTo(dialog) and dialog.conflicts.count() == 1
    assert dialog.conflicts.item(0).text().startswith("One")

    dialog.take_folder.click()
    assert dialog.conflicts.count() == 0 and not dialog.conflicts.isVisibleTo(dialog)
    with Store.open(journal) as store:
        assert store.get(pm.id).impact == "folder side"
    assert md_files.parse_file(path).pm.impact == "folder side"


def test_compare_shows_the_differences_and_settles_with_the_choice(
    qtbot: QtBot, journal: Path, tmp_path: Path
) -> None:
    team = tmp_path / "team"
    with Store.open(journal) as store:
        sync.sync_folder(store, team)
        pm = next(p for p in store.iter_entries() if p.title == "One")
        store.save(replace(pm, impact="journal side"))
    path = next(p for p in team.glob("*.md") if pm.id[:8] in p.name)
    path.write_text(path.read_text().replace("## Impact\n", "## Impact\n\nfolder side\n"))
    dialog = run(qtbot, journal, Operation("sync", (team,)))
    (copy,) = team.glob("*.conflict-*.md")
    shown: list[tuple[list[str], bool]] = []

    def keep_journal(parent: object, diff: ConflictDiff, can_edit: bool) -> SyncChoice:
        shown.append(([f.label for f in diff.fields], can_edit))
        return "journal"

    dialog.compare_conflict = keep_journal
    dialog.compare.click()
    assert shown == [(["Impact"], False)]  # no editor here, so no "edit, then keep"
    assert dialog.conflicts.count() == 0 and not copy.exists()
    with Store.open(journal) as store:
        assert store.get(pm.id).impact == "journal side"


def test_a_conflict_copy_edited_by_hand_is_left_and_named(qtbot: QtBot, journal: Path, tmp_path: Path) -> None:
    team = tmp_path / "team"
    with Store.open(journal) as store:
        sync.sync_folder(store, team)
        pm = next(p for p in store.iter_entries() if p.title == "One")
        store.save(replace(pm, impact="journal side"))
    path = next(p for p in team.glob("*.md") if pm.id[:8] in p.name)
    path.write_text(path.read_text().replace("## Impact\n", "## Impact\n\nfolder side\n"))
    dialog = run(qtbot, journal, Operation("sync", (team,)))
    (copy,) = team.glob("*.conflict-*.md")
    copy.write_text(copy.read_text().replace("folder side", "folder side, merged by hand"))
    dialog.keep_journal.click()
    assert dialog.conflicts.count() == 0 and copy.exists()
    assert f"{copy.name} was left in the team folder: it was edited after Hindsight wrote it" in dialog.what.text()


def test_entry_point_runs_without_asking_when_given_a_folder(qtbot: QtBot, journal: Path, tmp_path: Path) -> None:
    dialog = TransferDialog.export_entries(None, journal, None, redact=True, folder=tmp_path / "shared")
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=TIMEOUT_MS)
    texts = [p.read_text() for p in (tmp_path / "shared").glob("*.md")]
    assert len(texts) == 3 and all("Acme" not in t and "redacted: true" in t for t in texts)


def test_the_worker_refuses_the_journal_even_when_asked_to_replace(qtbot: QtBot, journal: Path) -> None:
    dialog = run(qtbot, journal, Operation("export_file", (journal,), replace=True))
    assert "is the journal itself" in dialog.what.text()
    with Store.open(journal, create=False) as store:
        assert store.entry_count() == 3
