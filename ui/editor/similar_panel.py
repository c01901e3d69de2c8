""""You have seen this before": a quiet panel of up to three similar past entries.

The editor hands it the draft as it changes; the panel waits for a pause in the
typing (debounce) and looks the draft up in a worker thread with its own
``Store``, so typing never stutters. Clicking an entry asks to open it.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from journal.insight.similar import Draft, similar
from journal.model import Summary
from journal.store import JournalError, Store

DEBOUNCE_MS = 400


class _Signals(QObject):
    done = Signal(int, list)


class _Lookup(QRunnable):
    def __init__(self, path: Path, draft: Draft, generation: int, limit: int) -> None:
        super().__init__()
        self.path, self.draft, self.generation, self.limit = path, draft, generation, limit
        self.signals = _Signals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            with Store.open(self.path, create=False) as store:
                found = similar(store, self.draft, self.limit)
        except (JournalError, ValueError):
            found = []
        self.signals.done.emit(self.generation, found)


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
        self._generation = itertools.count(1)
        self._current = 0
        self._tasks: dict[int, _Lookup] = {}
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._look_up)
        self.heading = QLabel("You have seen this before")
        self.heading.setEnabled(False)  # muted: a hint, not an alarm
        self._rows = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(self._rows)
        self.setVisible(False)

    def set_draft(self, draft: Draft) -> None:
        """The draft changed; look it up once the typing pauses."""
        self._draft = draft
        self._timer.start()

    def clear(self) -> None:
        """Forget the results (another entry is shown); a lookup still running is ignored."""
        self._timer.stop()
        self._current = next(self._generation)
        self.results = []
        self._clear_rows()
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
        self._pool.waitForDone()

    def _look_up(self) -> None:
        self._current = next(self._generation)
        task = _Lookup(self.journal_path, self._draft, self._current, self.limit)
        task.signals.done.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._tasks[self._current] = task
        self._pool.start(task)

    def _show(self, generation: int, found: list[tuple[Summary, float, str]]) -> None:
        self._tasks.pop(generation, None)
        if generation != self._current:
            return
        self.results = found
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
        return [w for w in self.findChildren(QLabel) if w is not self.heading and w.parent() is self]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
