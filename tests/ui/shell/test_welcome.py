"""The first-run page a new user sees."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ui.shell.welcome import DEMO_NOTE, INTRO, WelcomePage

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")


def test_the_welcome_paragraphs_are_shown_whole(qtbot: QtBot) -> None:
    page = WelcomePage(QIcon())
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    for text in (INTRO, DEMO_NOTE):
        (label,) = [w for w in page.findChildren(QLabel) if w.text() == text]
        assert label.height() >= label.heightForWidth(label.width()), "the paragraph is clipped"


def test_the_two_ways_in(qtbot: QtBot) -> None:
    page = WelcomePage(QIcon())
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.write_clicked):
        page.write_button.click()
    with qtbot.waitSignal(page.demo_clicked):
        page.demo_button.click()
