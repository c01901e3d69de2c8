"""The conflict dialogs say what happened, show what differs, and map each button to a choice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from journal.store import Store
from journal.transfer import sync
from journal.transfer.conflict_diff import ConflictDiff, conflict_diff
from tests.journal.team_conflict import TeamConflict, make_conflict
from ui.editor.editor import EntryEditor
from ui.shell.conflict_dialog import (
    EDIT_THEN_KEEP,
    KEEP_JOURNAL,
    KEEP_MINE,
    TAKE_FOLDER,
    TAKE_THEIRS,
    CompareDialog,
    Conflict,
    SyncChoice,
    ask,
)

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")

CONFLICT = Conflict(
    title="Quote with old rates", my_revision=3, their_revision=4, their_updated_at="2024-05-01T09:30:00Z",
    their_title="Quote with old rates",
)


def answer_with(button_text: str, seen: list[str]) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text() + "\n" + box.informativeText())
        [button] = [b for b in box.buttons() if b.text() == button_text]
        button.click()

    QTimer.singleShot(0, click)


@pytest.mark.parametrize(
    ("button", "choice"), [(KEEP_MINE, "mine"), (TAKE_THEIRS, "theirs"), ("Decide later", None)]
)
def test_each_button_is_a_choice(qtbot: QtBot, button: str, choice: str | None) -> None:
    seen: list[str] = []
    answer_with(button, seen)
    assert ask(None, CONFLICT) == choice
    [text] = seen
    assert "revision 3" in text and "revision 4" in text
    assert "2024-05-01 09:30:00 UTC" in text
    assert "Quote with old rates (my unsaved version)" in text
    assert "Quote with old rates (version saved elsewhere)" in text


# --- sync conflicts: compare the two versions, then keep one -------------------------------------


@pytest.fixture
def team(tmp_path: Path) -> TeamConflict:
    return make_conflict(tmp_path)


def diff_of(team: TeamConflict) -> ConflictDiff:
    with Store.open(team.mine) as store:
        (conflict,) = sync.list_conflicts(store)
        return conflict_diff(store, conflict)


def test_the_compare_dialog_shows_each_differing_field_side_by_side(qtbot: QtBot, team: TeamConflict) -> None:
    dialog = CompareDialog(diff_of(team))
    qtbot.addWidget(dialog)
    assert dialog.field_labels() == ["Severity", "What happened", "Tags"]
    text = dialog.view.toPlainText()
    assert "This journal" in text and "Team folder" in text
    assert "I sent the quote on Friday." in text and "It had the 2023 rates." in text
    assert "quotes, pricing" in text
    assert "Impact" not in text and "Client" not in text  # what both say alike is not shown
    assert "3 fields differ" in dialog.heading.text()
    assert [b.text() for b in dialog.buttons.buttons()] == [KEEP_JOURNAL, TAKE_FOLDER, EDIT_THEN_KEEP, "Decide later"]


@pytest.mark.parametrize(("button", "choice"), [(KEEP_JOURNAL, "journal"), (TAKE_FOLDER, "folder"),
                                                 (EDIT_THEN_KEEP, "edit"), ("Decide later", None)])
def test_each_button_of_the_compare_dialog_is_a_choice(
    qtbot: QtBot, team: TeamConflict, button: str, choice: str | None
) -> None:
    dialog = CompareDialog(diff_of(team))
    qtbot.addWidget(dialog)
    dialog.show()
    [chosen] = [b for b in dialog.buttons.buttons() if b.text() == button]
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)
    assert dialog.choice == choice


def clicking(button_text: str, seen: list[list[str]]) -> Callable[[QWidget | None, ConflictDiff, bool], SyncChoice]:
    """Stands in for ``compare``: the real dialog, answered by a click on ``button_text``."""

    def answer(parent: QWidget | None, diff: ConflictDiff, can_edit: bool) -> SyncChoice:
        dialog = CompareDialog(diff, parent, can_edit=can_edit)
        seen.append(dialog.field_labels())
        [button] = [b for b in dialog.buttons.buttons() if b.text() == button_text]
        button.click()
        dialog.deleteLater()
        return dialog.choice

    return answer


def test_taking_the_folders_version_in_the_editor_settles_and_removes_the_copy(
    qtbot: QtBot, team: TeamConflict
) -> None:
    (copy,) = [p for p in team.folder.iterdir() if ".conflict-" in p.name]
    with Store.open(team.mine) as store:
        editor = EntryEditor(store)
        qtbot.addWidget(editor)
        seen: list[list[str]] = []
        editor.compare_conflict = clicking(TAKE_FOLDER, seen)
        editor.show()
        editor.load(team.entry_id)
        assert editor.conflict_bar.isVisible()
        with qtbot.waitSignal(editor.conflict_resolved):
            qtbot.mouseClick(editor.conflict_bar.compare_button, Qt.MouseButton.LeftButton)
        assert seen == [["Severity", "What happened", "Tags"]]
        assert editor.form.what_happened.text() == "I sent the quote on Friday.\nIt had old rates.\n"
        assert not editor.conflict_bar.isVisible() and sync.list_conflicts(store) == []
        editor.shutdown()
    assert not copy.exists()


def test_keeping_the_journals_version_after_an_edit_keeps_the_edit(qtbot: QtBot, team: TeamConflict) -> None:
    (copy,) = [p for p in team.folder.iterdir() if ".conflict-" in p.name]
    with Store.open(team.mine) as store:
        editor = EntryEditor(store)
        qtbot.addWidget(editor)
        seen: list[list[str]] = []
        editor.compare_conflict = clicking(EDIT_THEN_KEEP, seen)
        editor.show()
        editor.load(team.entry_id)
        qtbot.mouseClick(editor.conflict_bar.compare_button, Qt.MouseButton.LeftButton)
        assert "then press “Keep mine”" in editor.notice.text()
        assert editor.conflict_bar.isVisible() and copy.exists()  # nothing settled yet
        editor.form.what_happened.edit.setPlainText("I sent the quote on Friday.\nIt had the 2023 rates.\n")  # typed
        editor.compare_conflict = clicking(KEEP_JOURNAL, seen)
        with qtbot.waitSignal(editor.conflict_resolved):
            qtbot.mouseClick(editor.conflict_bar.compare_button, Qt.MouseButton.LeftButton)
        assert seen[1] == ["Severity", "What happened", "Tags"]
        assert store.get(team.entry_id).what_happened == "I sent the quote on Friday.\nIt had the 2023 rates.\n"
        assert sync.list_conflicts(store) == []
        editor.shutdown()
    assert not copy.exists()
