""""You have seen this before": a quiet panel of up to three similar past entries.

The editor hands it the draft as it changes; the panel waits for a pause in the
typing (debounce) and looks the draft up on a ``ui.background`` lane with its
own ``Store``, so typing never stutters; the newest draft wins. Clicking an
entry asks to open it. A lookup that fails says so in the panel.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from journal.insight.similar import Draft, similar
from journal.model import Summary
from ui.background import Background, Task

DEBOUNCE_MS = 400


Found = list[tuple[Summary, float, str]]


def _find(task: Task, draft: Draft, limit: int) -> Found:
    return similar(task.store, draft, limit)


class SimilarPanel(QWidget):
    """Up to three past entries that resemble the draft; hidden when there are none."""

    open_requested = Signal(str)
    updated = Signal()

    def __init__(self, journal_path: str | Path, parent: QWidget | None = None, *, limit: int = 3) -> None:
        super().__init__(parent)
        self.journal_path = Path(journal_path)
        self.limit = limit
        self.results: list[tuple[Summary, float, str]] = []
        self._draft = Draft()
        self.lookups = 0  # how many lookups were started (typing quickly starts one)
        self._lookup = Background(self, "hindsight-similar", journal=self.journal_path)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._look_up)
        self.heading = QLabel("You have seen this before")
        self.heading.setEnabled(False)  # muted: a hint, not an alarm
        self.problem = QLabel()
        self.problem.setObjectName("quiet")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.hide()
        self._rows = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.problem)
        layout.addLayout(self._rows)
        self.setVisible(False)

    def set_draft(self, draft: Draft) -> None:
        """The draft changed; look it up once the typing pauses."""
        self._draft = draft
        self._timer.start()

    def clear(self) -> None:
        """Forget the results (another entry is shown); a lookup still running is ignored."""
        self._timer.stop()
        self._lookup.forget()
        self.results = []
        self._clear_rows()
        self.problem.hide()
        self.setVisible(False)

    def _clear_rows(self) -> None:
        while self._rows.count():
            item = self._rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()

    def look_up_now(self) -> None:
        self._timer.stop()
        self._look_up()

    def wait(self) -> None:
        """Stop looking up (the editor is closing): a lookup under way is dropped and the thread ends."""
        self._lookup.stop()

    def _look_up(self) -> None:
        self.lookups += 1
        draft, limit = self._draft, self.limit
        self._lookup.submit(lambda task: _find(task, draft, limit), on_result=self._show, on_error=self._show_problem)

    def _show_problem(self, message: str) -> None:
        self.results = []
        self._clear_rows()
        self.problem.setText(f"Similar entries could not be looked up: {message}")
        self.problem.show()
        self.setVisible(True)
        self.updated.emit()

    def _show(self, found: Found) -> None:
        self.results = found
        self.problem.hide()
        self._clear_rows()
        for summary, _, why in found:
            row = QLabel(f'<a href="{summary.id}">{_escape(summary.title)}</a> · {summary.occurred_on}'
                         f'<br><small>{_escape(why)}</small>')
            row.setWordWrap(True)
            row.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
            row.linkActivated.connect(self.open_requested)
            self._rows.addWidget(row)
        self.setVisible(bool(found))
        self.updated.emit()

    def rows(self) -> list[QLabel]:
        return [w for w in self.findChildren(QLabel) if w not in (self.heading, self.problem) and w.parent() is self]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
