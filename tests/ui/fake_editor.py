"""A stand-in for ui.editor.editor.EntryEditor with the same interface: a title field that saves."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from journal.model import PostMortem
from journal.store import Store


class FakeEditor(QWidget):
    saved = Signal(object)
    status_changed = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.title = QLineEdit(self)
        self.title.setObjectName("titleField")
        self.title.setAccessibleName("Title")
        QVBoxLayout(self).addWidget(self.title)
        self._pm: PostMortem | None = None
        self._dirty = False
        self.loads: list[str] = []
        self.flushes = 0
        self.fail_flush = False
        self.title.textEdited.connect(self._on_edit)

    def _on_edit(self, _text: str) -> None:
        self._dirty = True

    def load(self, entry_id: str) -> None:
        self.flush()
        self._pm = self.store.get(entry_id)
        self.loads.append(entry_id)
        self.title.setText(self._pm.title)
        self._dirty = False

    def new_entry(self, role: str = "maker") -> None:
        self.flush()
        self._pm = PostMortem(role=role)
        self.title.clear()
        self._dirty = False

    def flush(self) -> bool:
        self.flushes += 1
        if self.fail_flush:
            return False
        if self._pm is None or not self._dirty or not self.title.text().strip():
            return True
        self._pm, changes = self.store.save(replace(self._pm, title=self.title.text()))
        self._dirty = False
        self.saved.emit(changes)
        self.status_changed.emit("Saved")
        return True

    def current_id(self) -> str | None:
        return None if self._pm is None or self._pm.revision == 0 else self._pm.id

    def shutdown(self) -> None:
        self.flush()

    def clear(self) -> None:
        self._pm = None
        self.title.clear()
        self._dirty = False
