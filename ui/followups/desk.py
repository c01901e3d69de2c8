"""The Follow-ups desk: every follow-up of the journal by what is pressing, with actions in place.

A thin view over ``journal.followups``: the model holds the core's items (a page of
each group, plus a heading row per group); every action is a core call whose
``Changes`` the desk hands on, so the list and the counts elsewhere catch up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeySequence, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from journal import followups as fu
from journal.changes import Changes
from journal.model import today as _today
from journal.store import JournalError, Store

PAGE = 200  # rows read of each group: a desk of 10,000 overdue follow-ups is read 200 at a time
COLUMNS = ("Action", "Owner", "Due", "Entry", "Client")
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2  # "item", "heading" or "more"
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class _Row:
    kind: str
    group: str
    item: fu.Item | None = None
    text: str = ""


class FollowUpsModel(QAbstractTableModel):
    """The desk's rows: a heading per non-empty group, its items, and "… N more" when a group is cut."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []
        self.today = _today()

    def set_groups(self, groups: list[tuple[str, int, list[fu.Item]]], today: str) -> None:
        """(group, how many in all, the items read) for each group to show."""
        self.beginResetModel()
        self.today = today
        rows: list[_Row] = []
        for group, total, items in groups:
            if not total:
                continue
            rows.append(_Row("heading", group, text=f"{fu.GROUP_LABELS[group]} · {total:,}"))
            rows.extend(_Row("item", group, item) for item in items)
            if total > len(items):
                rows.append(_Row("more", group, text=f"… and {total - len(items):,} more: narrow with the search "
                                                     "or the owner"))
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def item_at(self, row: int) -> fu.Item | None:
        return self._rows[row].item if 0 <= row < len(self._rows) else None

    def rows_of(self, follow_up_id: str) -> list[int]:
        return [r for r, row in enumerate(self._rows) if row.item is not None and row.item.id == follow_up_id]

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._rows[index.row()].kind != "item":
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(
            COLUMNS
        ):
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = self._rows[index.row()], index.column()
        if role == KIND_ROLE:
            return row.kind
        if row.item is None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole) and column == 0:
                return row.text
            if role == Qt.ItemDataRole.FontRole and row.kind == "heading":
                font = QFont()
                font.setBold(True)
                return font
            return None
        item = row.item
        if role == ITEM_ROLE:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == 0:
                return item.text
            if column == 1:
                return item.owner or "—"
            if column == 2:
                return fu.when(item, self.today)
            if column == 3:
                return item.entry_title
            return item.client
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [item.text]
            if item.note:
                lines.append(("Why dropped: " if item.status == "dropped" else "Note: ") + item.note)
            lines.append(f"In: {item.entry_title}" + (f" ({item.client})" if item.client else ""))
            lines.append("Enter opens the entry · D done · Shift+D done on a date · N new date · X drop"
                         + (" · H held · R did not hold" if item.check_due else ""))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.FontRole and item.status == "dropped":
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and item.overdue:
            return QBrush(QColor("#c0392b"))
        return None


class DeskDialogs:
    """The questions an action asks; tests hand the desk scripted answers instead."""

    def date(self, parent: QWidget, title: str, label: str, start: str) -> str | None:
        dialog = QDialog(parent)
        dialog.setWindowTitle(title)
        form = QFormLayout(dialog)
        edit = QDateEdit(QDate.fromString(start, "yyyy-MM-dd"), dialog)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        form.addRow(label, edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return str(edit.date().toString("yyyy-MM-dd"))

    def text(self, parent: QWidget, title: str, label: str) -> str | None:
        value, ok = QInputDialog.getText(parent, title, label)
        return value if ok else None

    def save_path(self, parent: QWidget) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, "Export follow-ups to a calendar", "followups.ics",
                                              "Calendar (*.ics)")
        return path or None


class FollowUpsDesk(QWidget):
    """Filters on top, the groups below, and the actions as buttons and one-key shortcuts on the list."""

    open_requested = Signal(str, str)  # entry id, follow-up id
    changed = Signal(object)  # Changes: an action saved an entry
    counts_changed = Signal(int)  # overdue + checks due, for the sidebar

    def __init__(
        self,
        store: Store,
        parent: QWidget | None = None,
        *,
        dialogs: DeskDialogs | None = None,
        today: Callable[[], str] = _today,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("followUpsDesk")
        self.store = store
        self.dialogs = dialogs or DeskDialogs()
        self.today = today
        self.model = FollowUpsModel(self)

        self.search = QLineEdit(self)
        self.search.setObjectName("deskSearch")
        self.search.setPlaceholderText('Search: words, client:"Acme", tag:…, severity:>=3')
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("The search syntax of the list narrows to those entries' follow-ups; Enter applies it")
        self.owner = QComboBox(self)
        self.owner.setObjectName("deskOwner")
        self.owner.setToolTip("Only this owner's follow-ups")
        self.account = QComboBox(self)
        self.account.setObjectName("deskAccount")
        self.account.setToolTip("Only this account's (or client's) follow-ups")
        self.show_closed = QCheckBox("Show done and dropped", self)
        self.export_button = QPushButton("Export to calendar…", self)
        self.export_button.setToolTip("Open follow-ups and check dates as to-dos in an .ics file your calendar reads")
        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.owner, 1)
        top.addWidget(self.account, 1)
        top.addWidget(self.show_closed)
        top.addWidget(self.export_button)

        self.view = QTableView(self)
        self.view.setObjectName("deskView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        # The action and the entry share what is left: both are what a row is read by.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 80), (2, 130), (4, 150)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.view.setColumnWidth(column, width)

        self.message = QLabel(self)
        self.message.setObjectName("deskMessage")
        self.message.setWordWrap(True)
        self.message.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        buttons = QHBoxLayout()
        self.desk_actions: dict[str, QAction] = {}
        for key, label, shortcut, tip, slot in (
            ("open", "Open entry", "Return", "Open the entry this follow-up belongs to (Enter)", self.open_current),
            ("done", "Done", "D", "Mark it done today (D)", self.done_today),
            ("done_on", "Done on…", "Shift+D", "Mark it done on a date you pick (Shift+D)", self.done_on),
            ("new_date", "New date…", "N", "Give it a new due date (N)", self.new_date),
            ("drop", "Drop…", "X", "Drop it with a reason; it is kept, struck through (X)", self.drop),
            ("held", "Held", "H", "The fix held: the mistake has not come back (H)", self.held),
            ("recurred", "Did not hold…", "R", "It happened again; say what the check found (R)", self.recurred),
        ):
            action = QAction(label, self.view)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.setToolTip(tip)
            action.triggered.connect(slot)
            self.view.addAction(action)
            self.desk_actions[key] = action
            button = QPushButton(label, self)
            button.setObjectName(f"desk_{key}")
            button.setToolTip(tip)
            button.clicked.connect(action.trigger)
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

        self.search.returnPressed.connect(self.refresh)
        self.search.textChanged.connect(self._on_text)
        self.owner.activated.connect(self.refresh)
        self.account.activated.connect(self.refresh)
        self.show_closed.toggled.connect(self.refresh)
        self.export_button.clicked.connect(self.export_calendar)
        self.view.doubleClicked.connect(lambda _index: self.open_current())
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())
        # Read when shown (showEvent), not here: the desk is made before its page is on screen.

    # --- reading -------------------------------------------------------------------------------

    def _fill_choices(self) -> None:
        for combo, everyone, names in (
            (self.owner, "Every owner", fu.owners(self.store)),
            (self.account, "Every account", [n for n, _ in self.store.names("account_key")]),
        ):
            current = combo.currentData()
            combo.clear()
            combo.addItem(everyone, "")
            for name in names:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(0, combo.findData(current)))

    def filters(self) -> fu.Filters:
        return fu.Filters(self.search.text(), self.owner.currentData() or "", self.account.currentData() or "")

    def _on_text(self, text: str) -> None:
        if not text.strip() or text.endswith(" "):  # as you type whole words; Enter runs it at once
            self.refresh()

    def refresh(self) -> None:
        """Read the groups again (a few ms: counts from the index, one page of each group)."""
        today = self.today()
        selected = self.current_item()
        filters = self.filters()
        closed = self.show_closed.isChecked()
        try:
            totals = fu.group_counts(self.store, filters, today=today, include_closed=closed)
            groups = [
                (group, totals[group], fu.list_group(self.store, group, filters, today=today, limit=PAGE))
                for group in fu.GROUPS
                if totals[group] and (group != "closed" or closed)
            ]
        except JournalError as error:
            self.message.setText(str(error))
            return
        self.model.set_groups(groups, today)
        shown = sum(totals[g] for g in fu.GROUPS if g != "closed")
        self.message.setText("" if shown or closed else "Nothing owed: no open follow-ups and no checks due.")
        if selected is not None:
            self.select(selected.id)
        if self.view.currentIndex().row() < 0 or self.current_item() is None:
            self._select_first()
        self._update_actions()
        overdue, checks = fu.due_counts(self.store, today)
        self.counts_changed.emit(overdue + checks)

    def _select_first(self) -> None:
        for row in range(self.model.rowCount()):
            if self.model.item_at(row) is not None:
                self.view.setCurrentIndex(self.model.index(row, 0))
                return

    def select(self, follow_up_id: str) -> bool:
        rows = self.model.rows_of(follow_up_id)
        if rows:
            self.view.setCurrentIndex(self.model.index(rows[0], 0))
        return bool(rows)

    def current_item(self) -> fu.Item | None:
        return self.model.item_at(self.view.currentIndex().row())

    def _update_actions(self) -> None:
        item = self.current_item()
        is_open = item is not None and item.status == "open"
        self.desk_actions["open"].setEnabled(item is not None)
        for key in ("done", "done_on"):
            self.desk_actions[key].setEnabled(is_open)
        self.desk_actions["new_date"].setEnabled(is_open)
        self.desk_actions["drop"].setEnabled(item is not None and item.status != "dropped")
        for key in ("held", "recurred"):
            self.desk_actions[key].setEnabled(item is not None and item.check_due)
        for key, action in self.desk_actions.items():
            button = self.findChild(QPushButton, f"desk_{key}")
            if button is not None:
                button.setEnabled(action.isEnabled())

    # --- actions -------------------------------------------------------------------------------

    def open_current(self) -> None:
        item = self.current_item()
        if item is not None:
            self.open_requested.emit(item.entry_id, item.id)

    def _act(self, what: str, call: Callable[[str], Changes]) -> None:
        item = self.current_item()
        if item is None or not self.desk_actions[what].isEnabled():
            return
        try:
            changes = call(f"{item.entry_id}/{item.id}")
        except (JournalError, ValueError) as error:
            self.message.setText(str(error))
            return
        row = self.view.currentIndex().row()
        self.refresh()
        now = self.current_item() if self.select(item.id) else None
        if now is None or now.group != item.group:
            # The one acted on moved away: stay where it was, on its neighbour.
            self._select_near(row)
        self.message.setText(f"{what.replace('_', ' ').capitalize()}: {item.text}")
        self.changed.emit(changes)

    def _select_near(self, row: int) -> None:
        for candidate in [*range(row, self.model.rowCount()), *range(row - 1, -1, -1)]:
            if self.model.item_at(candidate) is not None:
                self.view.setCurrentIndex(self.model.index(candidate, 0))
                return

    def done_today(self) -> None:
        self._act("done", lambda ref: fu.done(self.store, ref, today=self.today()))

    def done_on(self) -> None:
        if self.current_item() is None:
            return
        day = self.dialogs.date(self, "Done on", "Done on:", self.today())
        if day:
            self._act("done_on", lambda ref: fu.done(self.store, ref, on=day, today=self.today()))

    def new_date(self) -> None:
        item = self.current_item()
        if item is None:
            return
        day = self.dialogs.date(self, "New date", "Due on:", item.due_on or self.today())
        if day:
            self._act("new_date", lambda ref: fu.new_date(self.store, ref, day))

    def drop(self) -> None:
        if self.current_item() is None:
            return
        reason = self.dialogs.text(self, "Drop follow-up", "Why is it dropped? (kept with it)")
        if reason is not None:
            self._act("drop", lambda ref: fu.drop(self.store, ref, reason))

    def held(self) -> None:
        self._act("held", lambda ref: fu.check(self.store, ref, "held", today=self.today()))

    def recurred(self) -> None:
        if self.current_item() is None:
            return
        note = self.dialogs.text(self, "Did not hold", "What happened again?")
        if note is not None:
            self._act("recurred", lambda ref: fu.check(self.store, ref, "recurred", note=note, today=self.today()))

    def export_calendar(self) -> None:
        path = self.dialogs.save_path(self)
        if not path:
            return
        from journal import followups_ics

        filters = self.filters()
        try:
            items = fu.calendar_items(self.store, text=filters.text, owner=filters.owner, account=filters.account,
                                      today=self.today())
            count = followups_ics.write(self.store, items, Path(path), force=True)
        except JournalError as error:
            self.message.setText(str(error))
            return
        self.message.setText(f"Wrote {count} to-dos to {path}")

    def showEvent(self, event: QShowEvent) -> None:
        self._fill_choices()  # owners and accounts written since it was last shown
        self.refresh()
        super().showEvent(event)
