"""A Markdown field: typed as plain text, with a Preview toggle.

Typing costs nothing beyond QPlainTextEdit's own work: the text is read only
when someone asks for it (and cached until the next change), and the preview is
rendered only while it is shown.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QStackedWidget, QToolButton, QVBoxLayout, QWidget

from ui.editor.preview import InertBrowser, UrlOpener


class MarkdownField(QWidget):
    """Plain-text editing of Markdown; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(
        self,
        label: str,
        placeholder: str = "",
        *,
        lines: int = 6,
        parent: QWidget | None = None,
        open_url: UrlOpener | None = None,
    ) -> None:
        super().__init__(parent)
        self._cache: str | None = ""
        self.label = QLabel(label)
        self.label.setObjectName("fieldLabel")
        self.preview_button = QToolButton()
        self.preview_button.setText("Preview")
        self.preview_button.setCheckable(True)
        self.preview_button.setAutoRaise(True)
        self.preview_button.setAccessibleName(f"Preview {label}")
        self.preview_button.setToolTip("Show how the Markdown reads; click again to keep writing")

        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText(placeholder)
        self.edit.setAccessibleName(label)
        self.edit.setAccessibleDescription(placeholder)
        self.edit.setTabChangesFocus(True)
        self.browser = InertBrowser(open_url=open_url)
        self.browser.setAccessibleName(f"{label} (preview)")
        self.label.setBuddy(self.edit)

        height = self.edit.fontMetrics().lineSpacing() * lines + 16
        self.stack = QStackedWidget()
        self.stack.addWidget(self.edit)
        self.stack.addWidget(self.browser)
        self.stack.setFixedHeight(height)  # the form scrolls as a whole; each field keeps a steady size

        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.label)
        header.addStretch(1)
        header.addWidget(self.preview_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.stack)

        # Forwarded signal to signal (emitted by Qt, not from Python): the cache is dropped first.
        self.edit.textChanged.connect(self._drop_cache)
        self.edit.textChanged.connect(self.changed)
        self.preview_button.toggled.connect(self.set_previewing)

    def set_label(self, label: str, placeholder: str | None = None) -> None:
        self.label.setText(label)
        self.edit.setAccessibleName(label)
        self.preview_button.setAccessibleName(f"Preview {label}")
        self.browser.setAccessibleName(f"{label} (preview)")
        if placeholder is not None:
            self.edit.setPlaceholderText(placeholder)
            self.edit.setAccessibleDescription(placeholder)

    def set_open_url(self, open_url: UrlOpener) -> None:
        self.browser.open_url = open_url

    def text(self) -> str:
        if self._cache is None:
            self._cache = self.edit.toPlainText()
        return self._cache

    def set_text(self, text: str) -> None:
        """Show ``text`` without reporting a change (loading is not editing)."""
        self.blockSignals(True)
        try:
            self.edit.setPlainText(text)
        finally:
            self.blockSignals(False)
        self._cache = text
        if self.is_previewing():
            self.browser.show_markdown(text)

    def is_previewing(self) -> bool:
        return self.stack.currentWidget() is self.browser

    def set_previewing(self, on: bool) -> None:
        if on:
            self.browser.show_markdown(self.text())
            self.stack.setCurrentWidget(self.browser)
        else:
            self.browser.clear()
            self.stack.setCurrentWidget(self.edit)
        if self.preview_button.isChecked() != on:
            self.preview_button.setChecked(on)
        self.preview_button.setText("Edit" if on else "Preview")

    def _drop_cache(self) -> None:
        self._cache = None
