"""Causes and tags as chips: the usual ones to tick, and your own."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from journal.model import CAUSES
from ui.editor.chips import ChipSet

# The offscreen platform cannot resize windows to their size hints and says so; it is not a fault of ours.
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")



@pytest.fixture
def chips(qtbot: QtBot) -> ChipSet:
    widget = ChipSet("Cause", CAUSES)
    qtbot.addWidget(widget)
    widget.resize(500, 200)
    widget.show()
    return widget


def test_every_standard_cause_is_a_chip_with_a_name(chips: ChipSet) -> None:
    for cause in CAUSES:
        assert chips.chip(cause).accessibleName() == f"Cause: {cause}"
        assert not chips.chip(cause).isChecked()
    assert chips.labels() == []


def test_clicking_and_typing_pick_labels(chips: ChipSet, qtbot: QtBot) -> None:
    with qtbot.waitSignal(chips.changed):
        qtbot.mouseClick(chips.chip("handoff"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(chips.add_edit, "weekend cover")
    with qtbot.waitSignal(chips.changed):
        qtbot.keyClick(chips.add_edit, Qt.Key.Key_Return)
    assert chips.labels() == ["handoff", "weekend cover"]
    assert chips.add_edit.text() == ""
    # Typing an existing label in another case ticks it instead of adding a twin.
    chips.add_label("COMMUNICATION")
    chips.add_label("Weekend Cover")
    assert chips.labels() == ["communication", "handoff", "weekend cover"]


def test_loading_labels_is_quiet_and_forgets_unused_custom_chips(chips: ChipSet, qtbot: QtBot) -> None:
    with qtbot.assertNotEmitted(chips.changed):
        chips.set_labels(["tooling", "vendor outage"])
    assert chips.labels() == ["tooling", "vendor outage"]
    chips.set_labels(["process"])
    assert chips.labels() == ["process"]
    with pytest.raises(KeyError):
        chips.chip("vendor outage")
    assert chips.chip("tooling") is not None  # standard chips stay


def test_chips_wrap_when_narrow(chips: ChipSet) -> None:
    layout = chips._flow
    assert layout.heightForWidth(200) > layout.heightForWidth(2000)
