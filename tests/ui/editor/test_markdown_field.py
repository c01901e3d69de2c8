"""A Markdown field types as plain text and previews on demand."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot

from ui.editor.markdown_field import MarkdownField

# The offscreen platform cannot resize windows to their size hints and says so; it is not a fault of ours.
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")



@pytest.fixture
def field(qtbot: QtBot) -> MarkdownField:
    widget = MarkdownField("What happened", "The facts, in order")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_typing_reports_changes_and_text(field: MarkdownField, qtbot: QtBot) -> None:
    with qtbot.waitSignal(field.changed):
        qtbot.keyClicks(field.edit, "Sent the **wrong** file")
    assert field.text() == "Sent the **wrong** file"
    assert field.edit.accessibleName() == "What happened"
    assert field.edit.placeholderText() == "The facts, in order"


def test_loading_text_is_not_an_edit(field: MarkdownField, qtbot: QtBot) -> None:
    with qtbot.assertNotEmitted(field.changed):
        field.set_text("loaded from the journal")
    assert field.text() == "loaded from the journal"


def test_preview_renders_only_when_shown(field: MarkdownField, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    renders: list[str] = []
    original = field.browser.show_markdown
    monkeypatch.setattr(field.browser, "show_markdown", lambda text: (renders.append(text), original(text)))
    qtbot.keyClicks(field.edit, "# Heading")
    assert renders == []  # typing never renders
    qtbot.mouseClick(field.preview_button, Qt.MouseButton.LeftButton)
    assert field.is_previewing()
    assert renders == ["# Heading"]
    assert "Heading" in field.browser.toPlainText()
    assert "<h1" in field.browser.toHtml() or "font-size" in field.browser.toHtml()
    field.preview_button.click()
    assert not field.is_previewing()
    assert field.edit.isVisible()
    assert field.preview_button.text() == "Preview"


def test_injected_opener_reaches_the_preview(field: MarkdownField) -> None:
    opened: list[QUrl] = []
    field.set_open_url(opened.append)
    field.set_text("[docs](https://example.com)")
    field.set_previewing(True)
    field.browser.anchorClicked.emit(QUrl("https://example.com"))
    field.browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
    assert opened == [QUrl("https://example.com")]


def test_tab_leaves_the_field(field: MarkdownField) -> None:
    assert field.edit.tabChangesFocus()
