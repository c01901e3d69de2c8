"""The editor's empty state and its stand-in: one calm sentence, the same in both, blank while an entry waits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journal.store import Store
from ui.editor.editor import EntryEditor
from ui.editor.empty_state import EMPTY_STYLE, EMPTY_TEXT, EditorStandIn


@pytest.fixture
def stand_in(qtbot: QtBot) -> EditorStandIn:
    label = EditorStandIn()
    qtbot.addWidget(label)
    return label


def test_the_stand_in_says_what_to_do_centred_and_wrapping(stand_in: EditorStandIn) -> None:
    assert stand_in.text() == EMPTY_TEXT == "Pick an entry on the left, or start a new one."
    assert stand_in.alignment() == Qt.AlignmentFlag.AlignCenter
    assert stand_in.wordWrap()  # a narrow editor wraps the sentence rather than cutting it
    assert stand_in.objectName() == "emptyState" and stand_in.styleSheet() == EMPTY_STYLE


def test_waiting_for_the_last_entry_blanks_the_sentence_and_it_comes_back(stand_in: EditorStandIn) -> None:
    stand_in.set_waiting(True)
    assert stand_in.text() == ""  # the sentence must not flash by before the entry opens
    stand_in.set_waiting(False)
    assert stand_in.text() == EMPTY_TEXT


@pytest.fixture
def editor(qtbot: QtBot, tmp_path: Path) -> Iterator[EntryEditor]:
    with Store.open(tmp_path / "journal.hindsight") as store:
        widget = EntryEditor(store)
        qtbot.addWidget(widget)
        yield widget
        widget.shutdown()  # before the journal closes


def test_the_editor_shows_the_same_empty_state_so_nothing_moves_when_it_replaces_the_stand_in(
    stand_in: EditorStandIn, editor: EntryEditor
) -> None:
    empty = editor.empty
    assert editor.pages.currentWidget() is empty
    assert (empty.text(), empty.objectName(), empty.alignment(), empty.wordWrap(), empty.contentsMargins()) == (
        stand_in.text(), stand_in.objectName(), stand_in.alignment(), stand_in.wordWrap(), stand_in.contentsMargins()
    )
