"""Everything shown for one open journal: sidebar, search, entry list, editor, patterns.

It owns the journal's ``Store`` and its ``QueryRunner``; a change record
(``Changes``) from the editor or from a trash action updates just the rows and
counts it concerns. Opening another journal makes a new ``JournalView``.

The Patterns view takes the place of the list and the editor. It is made the
first time it is shown and recomputed only when it is shown again after the
journal changed (or at once, while it is on screen, when entries were added or
removed); a save of a few typed words never starts an analysis by itself.
Clicking a card or a bar shows exactly its evidence in the list.

The entry editor is built on first need, not before the window's first paint: until then an
``EditorStandIn`` holds its place. It is built right after the first paint, or at once when an
entry is opened, a new one started, or ``editor`` asked for. The last open entry waits in
``_restore_pending`` and is loaded when the editor is built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal, SignalInstance
from PySide6.QtGui import QColor, QIcon, QPaintEvent
from PySide6.QtWidgets import QSplitter, QStackedLayout, QStackedWidget, QVBoxLayout, QWidget

from journal import followups
from journal import query as q
from journal.changes import Changes
from journal.model import Summary
from journal.store import JournalError, Store
from ui.browse.entry_list import SORT_KEYS, EntryListModel, EntryListView, ListMessage, entries_text
from ui.browse.query_runner import Counts, ListQuery, QueryRunner, SearchResult
from ui.browse.search_bar import SearchBar
from ui.browse.sidebar import ALL, CONFLICTS, FOLLOWUPS, PATTERNS, Sidebar, ViewFilter
from ui.editor.empty_state import EditorStandIn
from ui.shell.banners import EvidenceBanner, TrashBar, UndoBanner
from ui.shell.journal_dialogs import Dialogs

if TYPE_CHECKING:  # imported when first shown or used, not to show the window
    from journal.transfer.result import TransferResult
    from ui.background import Background
    from ui.followups.desk import FollowUpsDesk
    from ui.insight.patterns_view import PatternsView
    from ui.shell.welcome import WelcomePage


class Editor(Protocol):
    """What the shell needs of ``ui.editor.editor.EntryEditor``."""

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
    patterns_updated = Signal()  # the Patterns view shows a new analysis
    followups_due = Signal(int)  # overdue follow-ups + checks due, after a change may have moved it
    actions_changed = Signal()  # what Move to Trash, Restore, Undo and Empty Trash can do now has changed
    demo_asked = Signal()  # the welcome page's "Show me the demo journal"
    first_painted = Signal()  # just after the view's first paint: time for what the first screen did not need

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
        self._trash_backup: Background | None = None  # the backup made before Empty Trash, made then
        self._closed = False
        self._pending_select: str | None = None
        self._first_results = True
        self._first_page_shown: ListQuery | None = None  # the list shows the first page of this, its count coming
        self._counts = Counts()
        self.patterns: PatternsView | None = None  # made the first time Patterns is shown
        self._patterns_stale = True
        self._patterns_query: str | None = None

        self.runner = QueryRunner(store.path, self)
        self._welcome: WelcomePage | None = None  # an empty journal's first page, made when shown
        self.sidebar = Sidebar(icon_for, self)
        self.search = SearchBar(self)
        self.trash_bar = TrashBar(self)
        self.evidence_banner = EvidenceBanner(self)
        self.model = EntryListModel(store, parent=self)
        self.list_view = EntryListView(self)
        self.list_view.setModel(self.model)
        self.list_message = ListMessage(self)  # "No entries match …" in place of an empty list
        self.list_stack = QStackedWidget(self)
        self.list_stack.addWidget(self.list_view)
        self.list_stack.addWidget(self.list_message)
        self._message_action: Callable[[], None] | None = None
        self.undo_banner = UndoBanner(self)
        self._editor_factory = editor_factory
        self._editor_widget: QWidget | None = None  # built on first need (see the module's docstring)
        self._editor: Editor | None = None
        self._restore_pending: str | None = None  # the last open entry, until the editor is built
        self.stand_in = EditorStandIn(self)
        self._painted = False

        center = self._center = QWidget(self)
        column = QVBoxLayout(center)
        column.setContentsMargins(6, 6, 6, 6)
        column.setSpacing(6)
        column.addWidget(self.search)
        column.addWidget(self.trash_bar)
        column.addWidget(self.evidence_banner)
        column.addWidget(self.list_stack, 1)
        column.addWidget(self.undo_banner)

        # sidebar | pages; the pages are list+editor (their own splitter) or the Patterns view.
        self.list_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.list_splitter.setObjectName("listSplitter")
        self.list_splitter.setChildrenCollapsible(False)
        self.list_splitter.addWidget(center)
        self.list_splitter.addWidget(self.stand_in)
        self.list_splitter.setStretchFactor(0, 2)
        self.list_splitter.setStretchFactor(1, 3)
        self.list_splitter.setSizes([660, 560])
        self.patterns_page = QWidget(self)
        self.patterns_page.setObjectName("patternsPage")
        self._patterns_layout = QVBoxLayout(self.patterns_page)
        self._patterns_layout.setContentsMargins(6, 6, 6, 6)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.list_splitter)
        self.pages.addWidget(self.patterns_page)
        self.desk: FollowUpsDesk | None = None  # made the first time Follow-ups is shown
        self.followups_page = QWidget(self)
        self.followups_page.setObjectName("followUpsPage")
        self._followups_layout = QVBoxLayout(self.followups_page)
        self._followups_layout.setContentsMargins(0, 0, 0, 0)
        self.pages.addWidget(self.followups_page)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([200, 1220])

        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.splitter)

        self.setTabOrder(self.sidebar, self.search.field)
        self.setTabOrder(self.search.field, self.list_view)
        self.setTabOrder(self.list_view, self.stand_in)

        self.runner.results.connect(self._on_results)
        self.runner.pages.connect(lambda page: self.model.add_page(page.offset, page.ids, page.last))
        self.model.pager = lambda offset, limit, after: self.runner.fetch(self._query, offset, limit, after)
        self.runner.counts.connect(self._on_counts)
        self.runner.failed.connect(self.status_message)
        self.search.query_changed.connect(self._on_text)
        self.sidebar.filter_chosen.connect(self._on_filter)
        self.sidebar.reselected.connect(self._on_reselected)
        self.model.sort_requested.connect(self._on_sort)
        self.model.rowsInserted.connect(self._show_count)
        self.model.rowsRemoved.connect(self._show_count)
        self.list_view.activated_id.connect(self._on_row_activated)
        self.list_view.selectionModel().selectionChanged.connect(self.actions_changed)
        self.undo_banner.undo_clicked.connect(self.undo)
        self.list_message.action_clicked.connect(self._on_message_action)
        self.evidence_banner.back_to_all.connect(lambda: self.sidebar.select(ALL))
        self.evidence_banner.back_to_patterns.connect(self.show_patterns)
        self.trash_bar.restore_clicked.connect(self.restore_selected)
        self.trash_bar.empty_clicked.connect(self.empty_trash)

        # One row each, not a count of every entry: this runs before the window's first paint.
        empty = not store.search("", limit=1) and not store.search("", limit=1, trash=True)
        if empty:
            self.stack.setCurrentWidget(self.welcome)
        self.search.set_count("Loading…")

    def start(self, header_state: QByteArray | None = None, last_entry: str = "") -> None:
        """Restore the list's columns and sort, then run the first search and counts."""
        if header_state is not None and not header_state.isEmpty():
            blocked = self.model.blockSignals(True)  # restoring the sort indicator must not search twice
            try:
                self.list_view.horizontalHeader().restoreState(header_state)
            finally:
                self.model.blockSignals(blocked)
            self.list_view.fit_columns()  # saved widths and hidden columns are from another window size
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

    # --- the editor, built on first need -------------------------------------------------------

    @property
    def editor(self) -> Editor:
        """The entry editor, built now if it was not yet."""
        if self._editor is None:
            self._build_editor()
        assert self._editor is not None
        return self._editor

    @property
    def editor_widget(self) -> QWidget:
        if self._editor_widget is None:
            self._build_editor()
        assert self._editor_widget is not None
        return self._editor_widget

    @property
    def editor_built(self) -> bool:
        return self._editor is not None

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        if not self._closed:
            self._build_editor()
            self.first_painted.emit()

    @property
    def painted(self) -> bool:
        """True once the view has been on screen (its editor is built, ``first_painted`` was sent)."""
        return self._painted and self._editor is not None

    def _build_editor(self) -> None:
        """Put the real editor where the stand-in is and open the entry waiting for it, if any."""
        if self._editor is not None:
            return
        widget = self._editor_factory(self.store, self)
        widget.setObjectName(widget.objectName() or "editor")
        editor = cast(Editor, widget)
        self._editor_widget, self._editor = widget, editor
        sizes = self.list_splitter.sizes()
        self.list_splitter.replaceWidget(self.list_splitter.indexOf(self.stand_in), widget)
        self.list_splitter.setSizes(sizes)  # the list and the editor keep the room they had on screen
        self.stand_in.deleteLater()
        self.setTabOrder(self.list_view, widget)
        editor.saved.connect(self.apply_changes)
        editor.status_changed.connect(self.editor_status)
        opener = getattr(widget, "open_requested", None)  # "you have seen this before" links
        if opener is not None:
            opener.connect(self.open_entry)
        resolved = getattr(widget, "conflict_resolved", None)  # "Keep mine" / "Take the folder's"
        if resolved is not None:
            resolved.connect(self.runner.refresh_counts)
        pending, self._restore_pending = self._restore_pending, None
        if pending is not None and self.store.exists(pending):
            editor.load(pending)

    def _open_in_editor(self, entry_id: str) -> None:
        """Load ``entry_id``; before the editor is built, the last open entry keeps waiting for it."""
        if self._editor is None and entry_id == self._restore_pending:
            return
        self._restore_pending = None
        if entry_id != self.editor.current_id():
            self.editor.load(entry_id)

    # --- what the user does ------------------------------------------------------------------

    @property
    def welcome(self) -> WelcomePage:
        """The page an empty journal opens on (made on first use: most journals never show it)."""
        if self._welcome is None:
            from ui.shell.welcome import WelcomePage

            self._welcome = WelcomePage(self._icon_for("hindsight"), self)
            self._welcome.write_clicked.connect(self._write_first)
            self._welcome.demo_clicked.connect(self.demo_asked)
            self.stack.insertWidget(0, self._welcome)
        return self._welcome

    @property
    def showing_welcome(self) -> bool:
        return self._welcome is not None and self.stack.currentWidget() is self._welcome

    @property
    def showing_patterns(self) -> bool:
        return self.stack.currentWidget() is self.splitter and self.pages.currentWidget() is self.patterns_page

    @property
    def showing_evidence(self) -> bool:
        return self._query.ids is not None and self.sidebar.current_filter != CONFLICTS

    def show_entries(self) -> None:
        """The list and the editor (leaving the Patterns view or the desk for All entries)."""
        self.stack.setCurrentWidget(self.splitter)
        if self.pages.currentWidget() in (self.patterns_page, self.followups_page):
            self.sidebar.select(ALL)

    @property
    def showing_followups(self) -> bool:
        return self.stack.currentWidget() is self.splitter and self.pages.currentWidget() is self.followups_page

    def show_followups(self) -> None:
        """Show the Follow-ups desk (the sidebar's Follow-ups line)."""
        if self.sidebar.current_filter != FOLLOWUPS:
            self.sidebar.select(FOLLOWUPS)  # comes back here through _on_filter
            return
        self.save_now()  # what was typed is saved before the desk changes an entry under it
        if self.desk is None:
            from ui.followups.desk import FollowUpsDesk

            self.desk = FollowUpsDesk(self.store, self.followups_page)
            self.desk.open_requested.connect(self._open_follow_up)
            self.desk.changed.connect(self._on_desk_changed)
            self.desk.counts_changed.connect(self.sidebar.set_followups_due)
            self._followups_layout.addWidget(self.desk)
        self.stack.setCurrentWidget(self.splitter)
        self.pages.setCurrentWidget(self.followups_page)
        self.desk.view.setFocus()
        self.actions_changed.emit()

    def _open_follow_up(self, entry_id: str, _follow_up_id: str) -> None:
        self.sidebar.select(ALL)
        self.open_entry(entry_id)

    def _on_desk_changed(self, changes: Changes) -> None:
        self.apply_changes(changes)
        current = self._editor.current_id() if self._editor is not None else None  # a waiting one loads fresh
        if self._editor is not None and current is not None and current in set(changes.updated):
            self._editor.load(current)  # the editor shows the follow-up as the desk left it

    def refresh_followups_due(self) -> None:
        """The sidebar's count of overdue follow-ups and checks due (two index lookups)."""
        try:
            overdue, checks = followups.due_counts(self.store)
        except JournalError:
            return
        self.sidebar.set_followups_due(overdue + checks)
        self.followups_due.emit(overdue + checks)

    def show_patterns(self) -> None:
        """Show the Patterns view (the sidebar's Patterns line)."""
        if self.sidebar.current_filter != PATTERNS:
            self.sidebar.select(PATTERNS)  # comes back here through _on_filter
            return
        self.stack.setCurrentWidget(self.splitter)
        self.pages.setCurrentWidget(self.patterns_page)
        if self.patterns is None:
            from ui.insight.patterns_view import PatternsView

            self.patterns = PatternsView(self.store.path, self.patterns_page)
            self.patterns.evidence_chosen.connect(self.show_evidence)
            self.patterns.finished.connect(self.patterns_updated)
            self._patterns_layout.addWidget(self.patterns)
        query = self.search.text.strip()
        if self._patterns_stale or query != self._patterns_query:
            self._refresh_patterns()
        self.actions_changed.emit()

    def _refresh_patterns(self) -> None:
        assert self.patterns is not None
        self._patterns_stale = False
        self._patterns_query = self.search.text.strip()
        self.patterns.set_query(self._patterns_query)

    def show_evidence(self, ids: list[str], about: str) -> None:
        """The list shows exactly ``ids`` (a pattern's evidence), newest first, under a banner that says why."""
        # The sidebar keeps "Patterns" current: the evidence belongs to it, and a click on it goes back.
        self._query = replace(self._query, ids=tuple(ids), filters=(), trash=False)
        self.trash_bar.hide()
        self.evidence_banner.show_for(None, about)
        self.stack.setCurrentWidget(self.splitter)
        self.pages.setCurrentWidget(self.list_splitter)
        self.list_view.setFocus()
        self.search.set_count("Searching…")
        self._run_search()
        self.actions_changed.emit()

    def new_entry(self, role: str = "maker") -> None:
        self.show_entries()
        if self.sidebar.current_filter.trash:
            self.sidebar.select(ALL)
        self.list_view.clearSelection()
        self._restore_pending = None
        self.editor.new_entry(role)
        self.current_entry_changed.emit("")
        if self.model.rowCount() == 0 and not self._query.text.strip() and not self._query.filters:
            QTimer.singleShot(0, self._give_editor_the_room)  # once the splitter has its real width

    def _write_first(self) -> None:
        self.new_entry("maker")

    def open_entry(self, entry_id: str) -> None:
        """Open ``entry_id`` in the editor and select it when it is in the list."""
        if not self.store.exists(entry_id):
            return
        self.show_entries()
        if not self.list_view.select_id(entry_id):
            self._restore_pending = None
            self.editor.load(entry_id)
            self.current_entry_changed.emit(entry_id)

    def focus_search(self) -> None:
        self.show_entries()
        self.search.focus()

    def current_entry_id(self) -> str | None:
        """The entry open in the editor, or waiting for it to be built."""
        return self._editor.current_id() if self._editor is not None else self._restore_pending

    def selected_ids(self) -> list[str]:
        return self.list_view.selected_ids() if self._list_on_screen() else []

    def apply_transfer(self, result: TransferResult) -> None:
        """After an import or a sync: the list, the counts (and conflicts) and the open entry catch up."""
        changed = bool(result.created or result.updated)
        if changed:
            self._patterns_stale = True
            if self.showing_patterns:
                self._refresh_patterns()
            else:
                self.show_entries()
                self._run_search()  # new entries take their place in the list's order
            current = self._editor.current_id() if self._editor is not None else None  # a waiting one loads fresh
            if self._editor is not None and current is not None and current in set(result.updated):
                self._editor.load(current)  # saved first if typed in; a clash is then asked about
        self.runner.refresh_counts()

    def can_trash(self) -> bool:
        return self._list_on_screen() and not self.sidebar.current_filter.trash and bool(self.list_view.selected_ids())

    def can_restore(self) -> bool:
        return self._list_on_screen() and self.sidebar.current_filter.trash and bool(self.list_view.selected_ids())

    def can_empty_trash(self) -> bool:
        return self._counts.statuses.get("trash", 1) > 0

    def _list_on_screen(self) -> bool:
        return self.stack.currentWidget() is self.splitter and self.pages.currentWidget() is self.list_splitter

    def save_now(self) -> bool:
        return self._editor.flush() if self._editor is not None else True

    def trash_selected(self) -> None:
        ids = self.list_view.selected_ids()
        if not ids or not self.can_trash():
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
        self.actions_changed.emit()

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
        self.actions_changed.emit()

    def restore_selected(self) -> None:
        ids = self.list_view.selected_ids()
        if not ids or not self.can_restore():
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
        if self._trash_backup is not None and self._trash_backup.busy:
            return
        if not self._dialogs.confirm(self, "Empty Trash", question, "Empty Trash"):
            return
        from ui.shell.backups_dialog import backup_lane, before_job  # not needed for the first paint

        if self._trash_backup is None:
            self._trash_backup = backup_lane(self)
        # What is purged can only come back from a backup: make one first, off the GUI thread.
        self.status_message.emit("Backing up before emptying the Trash…")
        self._trash_backup.submit(before_job(self.store.path, "empty trash"),
                                  on_result=lambda _made: self._purge_trash(), on_error=self._trash_not_emptied)

    def _trash_not_emptied(self, text: str) -> None:
        self._dialogs.error(self, "The Trash was not emptied", text[:1].upper() + text[1:])

    def _purge_trash(self) -> None:
        if self._closed:
            return
        try:
            changes = self.store.empty_trash()
        except JournalError as error:
            self._dialogs.error(self, "Could not empty the Trash", str(error))
            return
        self._undo = [(r, i) for r, i in self._undo if i not in set(changes.purged)]
        self.apply_changes(changes)
        self.actions_changed.emit()
        self.status_message.emit(f"Deleted {entries_text(len(changes.purged))} for good")

    def shutdown(self) -> None:
        """Stop the editor's and the list's workers and close the journal (the caller flushed the editor)."""
        self._closed = True  # a backup finishing now must not purge a closed journal
        if self._trash_backup is not None:
            self._trash_backup.stop()
        if self._editor is not None:
            self._editor.shutdown()
        self.runner.stop()
        if self.patterns is not None:
            self.patterns.wait()
        self.store.close()

    # --- change records ------------------------------------------------------------------------

    def apply_changes(self, changes: Changes) -> None:
        """Update only the rows and counts this change concerns."""
        if not changes:
            return
        self.refresh_followups_due()
        in_trash = self.sidebar.current_filter.trash
        structural = bool(changes.created or changes.trashed or changes.restored or changes.purged)
        counts_dirty = structural
        self._patterns_stale = True  # recomputed when next shown, not on every save
        if structural and self.showing_patterns:
            self._refresh_patterns()  # e.g. an import while the view is on screen
        if changes.created and not in_trash and not self.showing_patterns:
            self.stack.setCurrentWidget(self.splitter)
            self.model.insert_ids(changes.created, 0)
            current = self.current_entry_id()
            if current in changes.created:
                self.list_view.select_id(current, notify=False)
        if changes.updated:
            pairs = self.model.refresh_ids(changes.updated)
            counts_dirty = counts_dirty or len(pairs) < len(changes.updated) or any(
                _moves_counts(before, after) for before, after in pairs
            )
        written = self.current_entry_id()
        if written is not None and written in changes.created:
            self.current_entry_changed.emit(written)  # a new entry gets its id only now: remember it, not ""
        gone = changes.purged + (changes.restored if in_trash else changes.trashed)
        if gone:
            self.model.remove_ids(gone)
        current = self.current_entry_id()
        if current is not None and current in set(changes.purged + (() if in_trash else changes.trashed)):
            self._restore_pending = None
            if self._editor is not None:
                self._editor.clear()
            else:
                self.stand_in.set_waiting(False)
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
        if self.showing_evidence:
            self.sidebar.select(ALL)  # a new search looks at every entry again (and runs it)
            return
        self.search.set_count("Searching…")
        self._run_search()

    def _on_reselected(self, view: ViewFilter) -> None:
        if view == PATTERNS and not self.showing_patterns:
            self.show_patterns()

    def _on_filter(self, view: ViewFilter) -> None:
        if view == PATTERNS:
            self.show_patterns()
            return
        if view == FOLLOWUPS:
            self.show_followups()
            return
        self.pages.setCurrentWidget(self.list_splitter)
        self.evidence_banner.hide()
        ids = tuple(self._counts.conflicts) if view == CONFLICTS else None
        self._query = replace(self._query, filters=view.filters(), trash=view.trash, ids=ids)
        self.trash_bar.setVisible(view.trash)
        if view.trash:
            self.undo_banner.hide()
        self.search.set_count("Searching…")
        self._run_search()
        self.actions_changed.emit()

    def _on_sort(self, order: str | None, descending: bool) -> None:
        self._query = replace(self._query, order=order, descending=descending)
        self._run_search()

    def _on_results(self, result: SearchResult) -> None:
        current = self.current_entry_id()
        if not result.complete:
            # The first page of a long result: show it now; the count follows.
            self.model.set_ids(result.ids)
            self._first_page_shown = result.query
            if current is not None:
                self.list_view.select_id(current, notify=False)
            self.search.set_count(f"{len(result.ids):,}+ entries…")
            self._show_list_state(self.model.rowCount())
            return
        total = len(result.ids) if result.total is None else result.total
        if self._first_page_shown == result.query and self.model.ids()[: len(result.ids)] == result.ids:
            self.model.set_total(total)  # placeholder rows below the first page: scroll and selection stay
        else:
            self.model.set_ids(result.ids, total)
        self._first_page_shown = None
        if current is not None:
            self.list_view.select_id(current, notify=False)
        if self._first_results and self._pending_select:
            self.list_view.select_id(self._pending_select)
        self._first_results = False
        self._pending_select = None
        self._show_count()
        if self.showing_evidence and self.evidence_banner.isVisible():
            self.evidence_banner.show_for(len(result.ids), self.evidence_banner.about)
        self.results_shown.emit(self.model.rowCount())
        self.actions_changed.emit()

    def _on_counts(self, counts: Counts) -> None:
        conflicts_changed = counts.conflicts != self._counts.conflicts
        self._counts = counts
        self.sidebar.set_counts(counts)
        self.refresh_followups_due()
        if conflicts_changed and self.sidebar.current_filter == CONFLICTS:
            self._query = replace(self._query, ids=tuple(counts.conflicts))
            self._run_search()
        self.counts_shown.emit()
        self.actions_changed.emit()

    def restore_last_entry(self, entry_id: str) -> None:
        """Open ``entry_id`` once the first results are in (start-up: the last entry open)."""
        if not entry_id or not self.store.exists(entry_id):
            return
        if self._first_results:
            self._pending_select = entry_id
            if self._editor is None:  # loaded when the editor is built, after the first paint
                self._restore_pending = entry_id
                self.stand_in.set_waiting(True)
            else:
                self.editor.load(entry_id)
            self.current_entry_changed.emit(entry_id)
        else:
            self.open_entry(entry_id)

    def _show_count(self) -> None:
        n = self.model.rowCount()
        where = " in Trash" if self.sidebar.current_filter.trash else ""
        if self._query.ids is not None:
            self.search.set_count(entries_text(n))
        elif n == 0 and (self._query.text.strip() or self._query.filters):
            self.search.set_count("No matches")
        else:
            self.search.set_count(entries_text(n) + where)
        self._show_list_state(n)

    def _show_list_state(self, rows: int) -> None:
        """The list, or in its place a sentence saying why it is empty and one way out."""
        if rows:
            self.list_stack.setCurrentWidget(self.list_view)
            return
        typed = self._query.text.strip()
        view = self.sidebar.current_filter
        action: tuple[str, Callable[[], None]] | None = None
        reason = q.unsearchable_reason(q.parse(typed)) if typed else None
        if view == CONFLICTS:
            text = "No sync conflicts: every entry agrees with the team folder."
        elif self._query.ids is not None:
            text = "None of these entries are left in the journal."
        elif reason:
            text = reason[0].upper() + reason[1:] + "."
            action = ("Clear the search", self.search.clear)
        elif typed:
            text = f"No entries match “{typed}”" + (f" in {view.label}." if view.filters() or view.trash else ".")
            last = q.last_filter_text(typed)
            remaining = q.without_last_filter(typed)
            if last is not None and remaining is not None:
                action = (f"Remove “{last}”", lambda: self.search.set_text(remaining))
            elif view.filters():
                action = ("Search all entries", lambda: self.sidebar.select(ALL))
            else:
                action = ("Clear the search", self.search.clear)
        elif view.trash:
            text = "The Trash is empty."
        elif view.filters():
            text = f"No entries in {view.label} yet."
            action = ("Show all entries", lambda: self.sidebar.select(ALL))
        else:
            text = "No entries yet. The one you write will be listed here."
            self._give_editor_the_room()
        self._message_action = action[1] if action else None
        self.list_message.say(text, action[0] if action else "")
        self.list_stack.setCurrentWidget(self.list_message)

    def _give_editor_the_room(self) -> None:
        """An empty journal: the list keeps a narrow strip and the first entry gets the space."""
        if not self.list_splitter.isVisible():
            return  # still behind the welcome page; New post-mortem asks again once it is shown
        sizes = self.list_splitter.sizes()
        total = sum(sizes)
        narrow = max(self._center.minimumSizeHint().width(), 300)
        if total > 2 * narrow and sizes[0] > narrow:
            self.list_splitter.setSizes([narrow, total - narrow])

    def _on_message_action(self) -> None:
        if self._message_action is not None:
            self._message_action()

    def _on_row_activated(self, entry_id: str) -> None:
        self._open_in_editor(entry_id)
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
