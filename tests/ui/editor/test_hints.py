"""The blameless underline: plain to see in the light and the dark palette, and it follows a switch."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtWidgets import QApplication, QPlainTextEdit
from pytestqt.qtbot import QtBot

from ui.editor.hints import HintHighlighter, hint_format
from ui.theme import colors, palette

WAVY = QTextCharFormat.UnderlineStyle.WaveUnderline


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(c: QColor) -> float:
        channels = (c.redF(), c.greenF(), c.blueF())
        parts = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in channels]
        return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("dark", [False, True])
def test_the_underline_stands_out_from_the_page_in_both_palettes(dark: bool) -> None:
    fmt = hint_format(dark)
    base = QColor(colors(dark)["base"])
    assert fmt.underlineStyle() == WAVY
    assert contrast(fmt.underlineColor(), base) >= 3.0  # WCAG's bar for graphics a person must see
    wash = fmt.background().color()
    assert contrast(wash, base) > 1.05  # the words are marked by a wash too, not by a thin line alone
    assert contrast(QColor(colors(dark)["text"]), wash) >= 7.0  # and stay as readable as the rest


def test_the_underline_follows_a_switch_to_dark(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette()
    app.setPalette(palette(False))
    try:
        edit = QPlainTextEdit()
        qtbot.addWidget(edit)
        highlighter = HintHighlighter(edit.document(), "what_happened", editor=edit)
        edit.show()
        edit.setPlainText("Honestly it was their fault.")
        assert highlighter.hint_format.underlineColor() == hint_format(False).underlineColor()
        app.setPalette(palette(True))
        qtbot.waitUntil(lambda: highlighter.hint_format.underlineColor() == hint_format(True).underlineColor())
        block = edit.document().firstBlock()
        (wavy,) = [f for f in block.layout().formats() if f.format.underlineStyle() == WAVY]
        assert wavy.format.underlineColor() == hint_format(True).underlineColor()
    finally:
        app.setPalette(before)
