"""Everything shown for one open journal: sidebar, search, entry list, editor.

It owns the journal's ``Store`` and its ``QueryRunner``; a change record
(``Changes``) from the editor or from a trash action updates just the rows and
counts it concerns. Opening another journal makes a new ``JournalView``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Protocol, cast

from PySide6.QtCore import QByteArray, Qt, Signal, SignalInstance
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QSplitter, QStackedLayout, QVBoxLayout, QWidget

from journal.model import Summary
from journal.store import Changes, JournalError, Store
from ui.banners import TrashBar, UndoBanner
from ui.entry_list import SORT_KEYS, EntryListModel, EntryListView, entries_text
from ui.journal_dialogs import Dialogs
from ui.query_runner import Counts, ListQuery, QueryRunner, SearchResult
from ui.search_bar import SearchBar
from ui.sidebar import ALL, Sidebar, ViewFilter
from ui.welcome import WelcomePage


class Editor(Protocol):
    """What the shell needs of ``ui.editor.EntryEditor``."""

    @property
    def saved(self) -> SignalInstance: ...
    @property
    def status_changed(self) -> SignalInstance: ...
    def load(self, entry_id: str) -> None: ...
    def new_entry(self, role: str = "maker") -> None: ...
    def flush(self) -> bool: ...
    def current_id(self) -> str | None: ...
    def clear(self) -> None: ...
    def shutdown(self) -> None: ...


EditorFactory = Callable[[Store, QWidget | None], QWidget]


class JournalView(QWidget):
    """One journal on screen. ``status_message`` carries sentences for the status bar."""

    status_message = Signal(str)
    editor_status = Signal(str)
    results_shown = Signal(int)  # rows in the list after a search arrived
    counts_shown = Signal()
    current_entry_changed = Signal(str)  # "" when nothing is open

    def __init__(
        self,
        store: Store,
        editor_factory: EditorFactory,
        dialogs: Dialogs,
        icon_for: Callable[[str], QIcon],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._dialogs = dialogs
        self._icon_for = icon_for
        self._query = ListQuery()
        self._undo: list[tuple[int, str]] = []
        self._pending_select: str | None = None
        self._first_results = True

        self.runner = QueryRunner(store.path, self)
        self.welcome = WelcomePage(icon_for("hindsight"), self)
        self.sidebar = Sidebar(icon_for, self)
        self.search = SearchBar(self)
        self.trash_bar = TrashBar(self)
        self.model = EntryListModel(store, parent=self)
        self.list_view = EntryListView(self)
        self.list_view.setModel(self.model)
        self.undo_banner = UndoBanner(self)
        self.editor_widget = editor_factory(store, self)
        self.editor_widget.setObjectName(self.editor_widget.objectName() or "editor")
        self.editor = cast(Editor, self.editor_widget)

        center = QWidget(self)
        column = QVBoxLayout(center)
        column.setContentsMargins(6, 6, 6, 6)
        column.setSpacing(6)
        column.addWidget(self.search)
        column.addWidget(self.trash_bar)
        column.addWidget(self.list_view, 1)
        column.addWidget(self.undo_banner)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(center)
        self.splitter.addWidget(self.editor_widget)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([200, 660, 560])

        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.splitter)

        self.setTabOrder(self.sidebar, self.search.field)
        self.setTabOrder(self.search.field, self.list_view)
        self.setTabOrder(self.list_view, self.editor_widget)

        self.runner.results.connect(self._on_results)
        self.runner.counts.connect(self._on_counts)
        self.runner.failed.connect(self.status_message)
        self.search.query_changed.connect(self._on_text)
        self.sidebar.filter_chosen.connect(self._on_filter)
        self.model.sort_requested.connect(self._on_sort)
        self.model.rowsInserted.connect(self._show_count)
        self.model.rowsRemoved.connect(self._show_count)
        self.list_view.activated_id.connect(self._on_row_activated)
        self.undo_banner.undo_clicked.connect(self.undo)
        self.trash_bar.restore_clicked.connect(self.restore_selected)
        self.trash_bar.empty_clicked.connect(self.empty_trash)
        self.welcome.write_clicked.connect(self._write_first)
        self.editor.saved.connect(self.apply_changes)
        self.editor.status_changed.connect(self.editor_status)

        empty = store.count("") == 0 and store.count("", trash=True) == 0
        self.stack.setCurrentWidget(self.welcome if empty else self.splitter)
        self.search.set_count("Loading…")

    def start(self, header_state: QByteArray | None = None, last_entry: str = "") -> None:
        """Restore the list's columns and sort, then run the first search and counts."""
        if header_state is not None and not header_state.isEmpty():
            blocked = self.model.blockSignals(True)  # restoring the sort indicator must not search twice
            try:
                self.list_view.horizontalHeader().restoreState(header_state)
            finally:
                self.model.blockSignals(blocked)
            header = self.list_view.horizontalHeader()
            section = header.sortIndicatorSection()
            key = SORT_KEYS[section] if 0 <= section < len(SORT_KEYS) else None
            self._query = replace(
                self._query, order=key, descending=header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
            )
        self._run_search()
        self.runner.refresh_counts()
        if last_entry:
            self.restore_last_entry(last_entry)

    # --- what the user does ------------------------------------------------------------------

    @property
    def showing_welcome(self) -> bool:
        return self.stack.currentWidget() is self.welcome

    def show_entries(self) -> None:
        self.stack.setCurrentWidget(self.splitter)

    def new_entry(self, role: str = "maker") -> None:
        self.show_entries()
        if self.sidebar.current_filter.trash:
            self.sidebar.select(ALL)
        self.list_view.clearSelection()
        self.editor.new_entry(role)
        self.current_entry_changed.emit("")

    def _write_first(self) -> None:
        self.new_entry("maker")

    def open_entry(self, entry_id: str) -> None:
        """Open ``entry_id`` in the editor and select it when it is in the list."""
        if not self.store.exists(entry_id):
            return
        self.show_entries()
        if not self.list_view.select_id(entry_id):
            self.editor.load(entry_id)
            self.current_entry_changed.emit(entry_id)

    def focus_search(self) -> None:
        self.show_entries()
        self.search.focus()

    def save_now(self) -> bool:
        return self.editor.flush()

    def trash_selected(self) -> None:
        ids = self.list_view.selected_ids()
        if not ids or self.sidebar.current_filter.trash:
            return
        try:
            changes = self.store.trash(ids)
        except JournalError as error:
            self._dialogs.error(self, "Could not move to Trash", str(error))
            return
        first_row = min(self.model.row_of(i) for i in ids)
        self._undo = self.model.remove_ids(changes.trashed)
        self.apply_changes(changes)
        n = len(changes.trashed)
        self.undo_banner.offer(f"{entries_text(n).capitalize()} moved to Trash.")
        self.status_message.emit(f"Moved {entries_text(n)} to Trash")
        self._select_near(first_row)

    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> None:
        """Put the last trashed entries back where they were."""
        if not self._undo:
            return
        placed, self._undo = self._undo, []
        try:
            changes = self.store.restore([entry_id for _, entry_id in placed])
        except JournalError as error:
            self._dialogs.error(self, "Could not undo", str(error))
            return
        restored = set(changes.restored)
        if not self.sidebar.current_filter.trash:
            self.model.insert_at([(row, i) for row, i in placed if i in restored])
        self.apply_changes(changes)
        self.undo_banner.hide()
        self.status_message.emit(f"Put back {entries_text(len(restored))}")
        if placed and placed[0][1] in restored:
            self.list_view.select_id(placed[0][1])

    def restore_selected(self) -> None:
        ids = self.list_view.selected_ids()
        if not ids or not self.sidebar.current_filter.trash:
            return
        try:
            changes = self.store.restore(ids)
        except JournalError as error:
            self._dialogs.error(self, "Could not restore", str(error))
            return
        self.apply_changes(changes)
        self.status_message.emit(f"Restored {entries_text(len(changes.restored))}")

    def empty_trash(self) -> None:
        count = self.store.count("", trash=True)
        if not count:
            self.status_message.emit("The Trash is already empty")
            return
        question = (
            f"Delete the {entries_text(count)} in the Trash for good? This cannot be undone."
            if count > 1 else "Delete the entry in the Trash for good? This cannot be undone."
        )
        if not self._dialogs.confirm(self, "Empty Trash", question, "Empty Trash"):
            return
        try:
            changes = self.store.empty_trash()
        except JournalError as error:
            self._dialogs.error(self, "Could not empty the Trash", str(error))
            return
        self._undo = [(r, i) for r, i in self._undo if i not in set(changes.purged)]
        self.apply_changes(changes)
        self.status_message.emit(f"Deleted {entries_text(len(changes.purged))} for good")

    def shutdown(self) -> None:
        """Stop the editor's and the list's workers and close the journal (the caller flushed the editor)."""
        self.editor.shutdown()
        self.runner.stop()
        self.store.close()

    # --- change records ------------------------------------------------------------------------

    def apply_changes(self, changes: Changes) -> None:
        """Update only the rows and counts this change concerns."""
        if not changes:
            return
        in_trash = self.sidebar.current_filter.trash
        counts_dirty = bool(changes.created or changes.trashed or changes.restored or changes.purged)
        if changes.created and not in_trash:
            self.show_entries()
            self.model.insert_ids(changes.created, 0)
            current = self.editor.current_id()
            if current in changes.created:
                self.list_view.select_id(current, notify=False)
        if changes.updated:
            pairs = self.model.refresh_ids(changes.updated)
            counts_dirty = counts_dirty or len(pairs) < len(changes.updated) or any(
                _moves_counts(before, after) for before, after in pairs
            )
        gone = changes.purged + (changes.restored if in_trash else changes.trashed)
        if gone:
            self.model.remove_ids(gone)
        current = self.editor.current_id()
        if current is not None and current in set(changes.purged + (() if in_trash else changes.trashed)):
            self.editor.clear()
            self.current_entry_changed.emit("")
        if counts_dirty:
            self.runner.refresh_counts()
        if self.runner.busy:
            self._run_search()  # a search started before this write may not include it

    # --- searching -------------------------------------------------------------------------------

    def _run_search(self) -> None:
        self.runner.search(self._query)

    def _on_text(self, text: str) -> None:
        self._query = replace(self._query, text=text)
        self.search.set_count("Searching…")
        self._run_search()

    def _on_filter(self, view: ViewFilter) -> None:
        self._query = replace(self._query, filters=view.filters(), trash=view.trash)
        self.trash_bar.setVisible(view.trash)
        if view.trash:
            self.undo_banner.hide()
        self._run_search()

    def _on_sort(self, order: str | None, descending: bool) -> None:
        self._query = replace(self._query, order=order, descending=descending)
        self._run_search()

    def _on_results(self, result: SearchResult) -> None:
        current = self.editor.current_id()
        self.model.set_ids(result.ids)
        if current is not None:
            self.list_view.select_id(current, notify=False)
        if self._first_results and self._pending_select:
            self.list_view.select_id(self._pending_select)
        self._first_results = False
        self._pending_select = None
        self._show_count()
        self.results_shown.emit(len(result.ids))

    def _on_counts(self, counts: Counts) -> None:
        self.sidebar.set_counts(counts)
        self.counts_shown.emit()

    def restore_last_entry(self, entry_id: str) -> None:
        """Open ``entry_id`` once the first results are in (start-up: the last entry open)."""
        if not entry_id or not self.store.exists(entry_id):
            return
        if self._first_results:
            self._pending_select = entry_id
            self.editor.load(entry_id)
            self.current_entry_changed.emit(entry_id)
        else:
            self.open_entry(entry_id)

    def _show_count(self) -> None:
        n = self.model.rowCount()
        where = " in Trash" if self.sidebar.current_filter.trash else ""
        if n == 0 and (self._query.text.strip() or self._query.filters):
            self.search.set_count("No matches")
        else:
            self.search.set_count(entries_text(n) + where)

    def _on_row_activated(self, entry_id: str) -> None:
        if entry_id != self.editor.current_id():
            self.editor.load(entry_id)
        self.current_entry_changed.emit(entry_id)

    def _select_near(self, row: int) -> None:
        rows = self.model.rowCount()
        if rows == 0:
            return
        entry_id = self.model.id_at(min(row, rows - 1))
        if entry_id:
            self.list_view.select_id(entry_id)

    def retint(self, icon_for: Callable[[str], QIcon], role_icon: Callable[[str], QIcon], muted: QColor) -> None:
        """New icons after the palette changed (and once at start)."""
        self._icon_for = icon_for
        self.sidebar.retint(icon_for)
        self.search.set_icon(icon_for("search"))
        self.model.set_role_icons(role_icon, muted)


def _moves_counts(before: Summary | None, after: Summary | None) -> bool:
    """A save that changes the status or the client changes a sidebar count."""
    if before is None or after is None:
        return True
    return before.status != after.status or before.client != after.client
