"""The inline bars: each says what happened in words and its buttons do what they say."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.shell import banners
from ui.shell.banners import ConflictBar, DemoBanner, EvidenceBanner, TrashBar, UndoBanner

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    """Where a bar sits, as the main window holds it."""
    holder = QWidget()
    qtbot.addWidget(holder)
    holder.resize(700, 200)
    holder.show()
    return holder


def test_undo_offers_once_then_hides_itself(qtbot: QtBot, window: QWidget, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(banners, "UNDO_VISIBLE_MS", 200)
    bar = UndoBanner(window)
    assert not bar.isVisible()  # nothing to undo yet
    bar.offer("3 entries moved to Trash.")
    assert bar.isVisible() and bar.label.text() == "3 entries moved to Trash."
    with qtbot.waitSignal(bar.undo_clicked):
        qtbot.mouseClick(bar.undo_button, LEFT)
    qtbot.waitUntil(lambda: not bar.isVisible())


def test_undo_can_be_dismissed(qtbot: QtBot, window: QWidget) -> None:
    bar = UndoBanner(window)
    bar.offer("1 entry moved to Trash.")
    with qtbot.assertNotEmitted(bar.undo_clicked):
        qtbot.mouseClick(bar.close_button, LEFT)
    assert not bar.isVisible()


def test_the_trash_bar_restores_and_empties(qtbot: QtBot, window: QWidget) -> None:
    bar = TrashBar(window)
    bar.show()
    assert "stay until you empty it" in bar.label.text()
    with qtbot.waitSignal(bar.restore_clicked):
        qtbot.mouseClick(bar.restore_button, LEFT)
    with qtbot.waitSignal(bar.empty_clicked):
        qtbot.mouseClick(bar.empty_button, LEFT)
    assert bar.empty_button.text().endswith("…")  # it asks before deleting for good


def test_the_demo_banner_says_so_and_leads_back(qtbot: QtBot, window: QWidget) -> None:
    bar = DemoBanner(window)
    bar.show()
    assert "Demo journal" in bar.label.text() and "made up" in bar.label.text()
    with qtbot.waitSignal(bar.back_clicked):
        qtbot.mouseClick(bar.back_button, LEFT)


@pytest.mark.parametrize(
    ("count", "said"),
    [
        (None, "Looking up the entries behind: "),
        (1, "Showing 1 entry behind: "),
        (1234, "Showing 1,234 entries behind: "),
    ],
)
def test_the_evidence_banner_counts_what_it_shows(qtbot: QtBot, window: QWidget, count: int | None, said: str) -> None:
    bar = EvidenceBanner(window)
    about = "Quotes go wrong when the rate card changes"
    bar.show_for(count, about)
    assert bar.label.text() == said + about and bar.label.toolTip() == about and bar.about == about
    with qtbot.waitSignal(bar.back_to_patterns):
        qtbot.mouseClick(bar.patterns_button, LEFT)
    with qtbot.waitSignal(bar.back_to_all):
        qtbot.mouseClick(bar.all_button, LEFT)


def test_the_conflict_bar_names_the_other_file_and_keeps_its_text_wide(qtbot: QtBot, window: QWidget) -> None:
    bar = ConflictBar(window)
    QVBoxLayout(window).addWidget(bar)
    window.resize(420, 200)  # a narrow editor
    bar.show_for("acme/quote.conflict.md")
    assert "acme/quote.conflict.md" in bar.label.text()
    qtbot.waitUntil(lambda: bar.label.width() > bar.width() * 0.8)  # buttons sit under the text, not beside it
    for button, signal in (
        (bar.compare_button, bar.compare_clicked),
        (bar.keep_button, bar.keep_mine_clicked),
        (bar.take_button, bar.take_folder_clicked),
    ):
        with qtbot.waitSignal(signal):
            qtbot.mouseClick(button, LEFT)
