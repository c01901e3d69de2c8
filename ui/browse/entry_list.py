"""The entry list: a table model that holds ids a page at a time and fetches rows the first time they are shown.

Like Anki's browser, the model keeps ids and asks the store for ``Summary`` rows
a page at a time when the view first needs one; unlike it, no search gathers
every matching id: the list is as long as the search counted, and the ids below
the loaded ones are asked for (``pager``) when the view shows their rows. Sorting
re-runs the query in SQLite.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFontMetrics, QIcon, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from journal.model import Summary
from journal.store import Store
from ui.theme import ROLE_TEXT, role_legend

PAGE = 100  # Summary rows read at a time
MORE = 300  # ids asked for past the placeholder the view reached
OVERLAP = 50  # a later page starts this many ids early: rows trashed or added since cannot make it skip one

COLUMNS = ("Date", "Title", "Client", "Role", "Severity", "Status")
SORT_KEYS = ("occurred_on", "title", "client", "role", "severity", "status")
SEVERITY_TEXT = {
    1: "1 · small slip",
    2: "2 · noticed",
    3: "3 · client upset",
    4: "4 · serious",
    5: "5 · relationship lost",
}
ID_ROLE = Qt.ItemDataRole.UserRole + 1

AnyIndex = QModelIndex | QPersistentModelIndex


def entries_text(count: int) -> str:
    """``1 entry`` / ``1,234 entries``."""
    return f"{count:,} {'entry' if count == 1 else 'entries'}"


class EntryListModel(QAbstractTableModel):
    """Rows are entry ids, loaded a page at a time; ``Summary`` rows are fetched lazily and cached.

    The list has as many rows as the search counted; the ids are loaded from the top
    down (a prefix), and a row below them is a placeholder ("…") until its page
    arrives. Showing a placeholder asks ``pager(offset, limit, after)`` for the ids
    from where the loaded ones end (``after`` the last of them) to a page past that
    row (``limit`` None: all the rest).
    """

    sort_requested = Signal(object, bool)  # order key (None = default order), descending
    filled = Signal(int, int)  # placeholder rows first..last got their ids

    def __init__(
        self,
        store: Store,
        role_icons: Callable[[str], QIcon] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._ids: list[str | None] = []  # None: a row whose id is not loaded yet (always below the loaded ones)
        self._loaded = 0  # rows [0, _loaded) hold ids
        self._offset = 0  # how far into the search's own order the loaded ids reach
        self._asked = 0  # rows up to here were asked for; a placeholder below asks again
        self._rows: dict[str, int] | None = None
        self._cache: dict[str, Summary] = {}
        self._role_icons = role_icons
        self._muted: QColor | None = None
        self.pager: Callable[[int, int | None, str | None], bool] | None = None  # offset, limit, last id loaded
        self.materialised = 0  # Summary rows fetched from the store so far (a test counts them)

    # --- what the list holds --------------------------------------------------------

    def ids(self) -> list[str]:
        """The ids loaded so far, in list order."""
        return [i for i in self._ids[: self._loaded] if i is not None]

    @property
    def loaded(self) -> int:
        """Rows whose id is loaded (the rest are placeholders until their page arrives)."""
        return self._loaded

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, entry_id: str) -> int:
        """The row of ``entry_id``, or -1 (also when its page is not loaded yet)."""
        if self._rows is None:
            self._rows = {entry_id: row for row, entry_id in enumerate(self._ids[: self._loaded]) if entry_id}
        return self._rows.get(entry_id, -1)

    def summary(self, row: int) -> Summary | None:
        entry_id = self.id_at(row)
        if entry_id is None:
            if 0 <= row < len(self._ids):
                self._want(row)
            return None
        if entry_id not in self._cache:
            self._fetch_page(row)
        return self._cache.get(entry_id)

    def set_ids(self, ids: Sequence[str], total: int | None = None) -> None:
        """Show a new result: ``ids`` from its top, of ``total`` rows; the cache keeps rows already fetched."""
        self.beginResetModel()
        self._ids = [*ids, *([None] * max(0, (total or 0) - len(ids)))]
        self._loaded = self._offset = self._asked = len(ids)
        self._rows = None
        if len(self._cache) > 20 * PAGE:
            self._cache.clear()
        self.endResetModel()

    def set_total(self, total: int) -> None:
        """The search was counted: placeholder rows below the loaded ones make the list ``total`` long."""
        rows = len(self._ids)
        if total > rows:
            self.beginInsertRows(QModelIndex(), rows, total - 1)
            self._ids.extend([None] * (total - rows))
            self.endInsertRows()
        elif total < rows:
            self._drop_placeholders(max(total, self._loaded))

    def add_page(self, offset: int, ids: Sequence[str], last: bool) -> None:
        """Ids of the search from ``offset`` (asked for by ``pager``); ``last``: none follow them.

        The page may overlap the loaded ids (it starts a little early, so a row trashed or
        added since cannot make it skip an entry): ids already listed are left out.
        """
        self.row_of("")  # build the index of loaded rows
        assert self._rows is not None
        new = [i for i in dict.fromkeys(ids) if i not in self._rows]
        # A page sought past the last id holds only new ids; one from an offset starts OVERLAP early.
        self._offset = max(self._offset + len(new), offset + len(ids))
        self._asked = self._loaded if new or last else len(self._ids)  # nothing new: do not ask again and again
        if new:
            first = self._loaded
            room = len(self._ids) - first
            if len(new) > room:  # more than were counted (entries added since): the list grows
                self.beginInsertRows(QModelIndex(), len(self._ids), first + len(new) - 1)
                self._ids.extend([None] * (len(new) - room))
                self.endInsertRows()
            self._ids[first : first + len(new)] = new
            self._loaded += len(new)
            self._asked = self._loaded
            self._rows = None
            self.dataChanged.emit(self.index(first, 0), self.index(self._loaded - 1, len(COLUMNS) - 1))
            self.filled.emit(first, self._loaded - 1)
        if last:
            self._drop_placeholders(self._loaded)  # fewer than counted (entries trashed since): no row waits for ever

    def set_role_icons(self, role_icons: Callable[[str], QIcon], muted: QColor) -> None:
        self._role_icons = role_icons
        self._muted = muted
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    # --- change records ----------------------------------------------------------------

    def insert_ids(self, ids: Iterable[str], row: int = 0) -> None:
        new = [i for i in ids if self.row_of(i) < 0]
        if not new:
            return
        row = max(0, min(row, self._loaded))  # among the loaded rows: placeholders stay below them
        self.beginInsertRows(QModelIndex(), row, row + len(new) - 1)
        self._ids[row:row] = new
        self._loaded += len(new)
        self._asked += len(new)
        self._rows = None
        self.endInsertRows()

    def insert_at(self, placed: Iterable[tuple[int, str]]) -> None:
        """Put ids back at the rows they were taken from (undo of a removal)."""
        for row, entry_id in sorted(placed):
            if self.row_of(entry_id) < 0:
                self.insert_ids([entry_id], row)
                self._offset += 1  # back in the search's order too

    def remove_ids(self, ids: Iterable[str]) -> list[tuple[int, str]]:
        """Remove the rows of ``ids``; returns ``(row, id)`` pairs for putting them back."""
        rows = sorted({r for r in (self.row_of(i) for i in ids) if r >= 0})
        removed: list[tuple[int, str]] = [(r, self._ids[r] or "") for r in rows]
        for first, last in reversed(_runs(rows)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._ids[first : last + 1]
            self._loaded -= last - first + 1
            self._asked = max(self._loaded, self._asked - (last - first + 1))
            self._rows = None
            self.endRemoveRows()
        self._offset = max(0, self._offset - len(removed))  # gone from the search's order as well
        for _, entry_id in removed:
            self._cache.pop(entry_id, None)
        return removed

    def refresh_ids(self, ids: Iterable[str]) -> list[tuple[Summary | None, Summary | None]]:
        """Re-read the Summary of the listed ids that are shown; ``(before, after)`` for each."""
        shown = [i for i in ids if self.row_of(i) >= 0]
        if not shown:
            return []
        fresh = self._store.summaries(shown)
        pairs: list[tuple[Summary | None, Summary | None]] = []
        for entry_id in shown:
            before = self._cache.get(entry_id)
            after = fresh.get(entry_id)
            if after is not None:
                self._cache[entry_id] = after
            pairs.append((before, after))
            row = self.row_of(entry_id)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return pairs

    # --- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                if section == 3:  # the colours are the same in the toolbar, the list and the charts
                    return f"Sort by role\n{role_legend()}"
                return f"Sort by {COLUMNS[section].lower()}"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids) or index.column() >= len(COLUMNS):
            return None
        if role == ID_ROLE:
            return self._ids[index.row()]
        if role not in _ROLES_SHOWN:
            return None
        s = self.summary(index.row())
        if s is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole and index.column() == 1 else None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(s, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return ROLE_TEXT.get(s.role, s.role) if column == 3 else _display(s, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 3:
                return ROLE_TEXT.get(s.role, s.role)
            if column == 4:
                return f"Severity {SEVERITY_TEXT.get(s.severity, s.severity)}"
            if column == 1 and len(s.title) > 40:
                return s.title
            return None
        if role == Qt.ItemDataRole.DecorationRole and column == 3 and self._role_icons is not None:
            return self._role_icons(s.role)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (3, 4):
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.ForegroundRole and column in (0, 5) and self._muted is not None:
            return self._muted
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask for a new query in that order; SQLite sorts, not Python (column -1: the default order)."""
        key = SORT_KEYS[column] if 0 <= column < len(SORT_KEYS) else None
        self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)

    # --- fetching ---------------------------------------------------------------------------

    def _fetch_page(self, row: int) -> None:
        start = row // PAGE * PAGE
        wanted = [i for i in self._ids[start : min(start + PAGE, self._loaded)] if i and i not in self._cache]
        if not wanted:
            return
        found = self._store.summaries(wanted)
        self._cache.update(found)
        self.materialised += len(found)

    def _want(self, row: int) -> None:
        """A placeholder is shown: ask for the ids down to a page past it, unless they were asked for."""
        if row < self._asked or self.pager is None:
            return
        end = row + MORE
        start = max(0, self._offset - OVERLAP)
        limit = None if end >= len(self._ids) else end - start
        if self.pager(start, limit, self._ids[self._loaded - 1] if self._loaded else None):
            self._asked = len(self._ids) if limit is None else end

    def _drop_placeholders(self, rows: int) -> None:
        """Keep only the first ``rows`` rows (never a loaded one)."""
        rows = max(rows, self._loaded)
        if rows < len(self._ids):
            self.beginRemoveRows(QModelIndex(), rows, len(self._ids) - 1)
            del self._ids[rows:]
            self.endRemoveRows()


_ROLES_SHOWN = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
    }
)


def _display(s: Summary, column: int) -> str:
    if column == 0:
        return s.occurred_on
    if column == 1:
        return s.title
    if column == 2:
        return s.client
    if column == 3:
        return ""
    if column == 4:
        return str(s.severity)
    return s.status.capitalize()


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted rows as contiguous ``(first, last)`` runs."""
    runs: list[tuple[int, int]] = []
    for r in rows:
        if runs and runs[-1][1] == r - 1:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    return runs


class EntryListView(QTableView):
    """The table of entries: whole-row selection, arrow keys, sortable headers."""

    activated_id = Signal(str)  # the current entry changed to this id
    selection_emptied = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entryList")
        self._quiet = False
        self.setAccessibleName("Entries")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTabKeyNavigation(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.DescendingOrder)
        header.setStretchLastSection(False)
        header.setSectionsMovable(False)

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        self.setSortingEnabled(True)
        self.fit_columns()
        selection = self.selectionModel()
        selection.currentRowChanged.connect(self._on_current_changed)
        if isinstance(model, EntryListModel):
            model.filled.connect(self._on_filled)

    def moveCursor(self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Home and End go to the first and last entry (rows are selected whole: the column does not matter)."""
        if action in (QAbstractItemView.CursorAction.MoveHome, QAbstractItemView.CursorAction.MoveEnd):
            modifiers |= Qt.KeyboardModifier.ControlModifier
        return super().moveCursor(action, modifiers)

    def selectAll(self) -> None:
        """Select the rows loaded so far: what was scrolled past, never entries not yet seen."""
        model = self.model()
        if not isinstance(model, EntryListModel) or model.loaded == model.rowCount():
            super().selectAll()
            return
        if model.loaded:
            last = model.index(model.loaded - 1, len(COLUMNS) - 1)
            self.selectionModel().select(
                QItemSelection(model.index(0, 0), last),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )

    # --- columns that fit ----------------------------------------------------------------------

    def header_width(self, column: int) -> int:
        """The narrowest a column may be: its header's words, the header's margins and a sort arrow."""
        header = self.horizontalHeader()
        metrics = QFontMetrics(header.font())
        style = header.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
        return metrics.horizontalAdvance(COLUMNS[column]) + 4 * margin + arrow + 4

    def fit_columns(self) -> None:
        """Share the width: Title takes what is left, never less than a readable minimum.

        Every other column is at least as wide as its header. When the pane is too
        narrow for all of them, Client gives way first, then Severity, Client and
        Status are hidden in that order (their values are in the editor beside it).
        """
        header = self.horizontalHeader()
        if self.model() is None or header.count() != len(COLUMNS):
            return
        metrics = self.fontMetrics()
        least = [self.header_width(c) for c in range(len(COLUMNS))]  # asked of the style once a pass
        cell = 18  # a cell's own padding
        need = {
            0: max(least[0], metrics.horizontalAdvance("2024-05-30") + cell),
            2: max(least[2], metrics.horizontalAdvance("Northwind Trad") + cell),
            3: max(least[3], self.iconSize().width() + cell, 16 + cell),
            4: least[4],
            5: max(least[5], metrics.horizontalAdvance("Reviewed") + cell),
        }
        title_least = max(least[1], metrics.averageCharWidth() * 18)
        bar = self.verticalScrollBar().sizeHint().width()  # kept free, so a scroll bar appearing cannot crowd
        room = self.width() - 2 * self.frameWidth() - bar
        shown = dict(need)

        def title_room() -> int:
            return room - sum(shown.values())

        others = sum(w for c, w in shown.items() if c != 2)
        shown[2] = max(least[2], min(need[2], room - title_least - others))
        for column in (4, 2, 5):  # Severity, Client, Status: hidden in this order when Title has no room
            if title_room() >= title_least:
                break
            shown.pop(column)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(min(least))
        for column in range(len(COLUMNS)):
            if column == 1:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
                header.setSectionHidden(column, False)
                continue
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.setSectionHidden(column, column not in shown)
            if column in shown:
                self.setColumnWidth(column, shown[column])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.fit_columns()

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet:
            return
        entry_id = current.data(ID_ROLE) if current.isValid() else None
        if entry_id:
            self.activated_id.emit(entry_id)
        else:
            self.selection_emptied.emit()

    def _on_filled(self, first: int, last: int) -> None:
        """The current row was a placeholder (End, PageDown, a click) and its id just arrived: open it."""
        current = self.currentIndex()
        if current.isValid() and first <= current.row() <= last:
            self._on_current_changed(current, current)

    def selected_ids(self) -> list[str]:
        """The ids of the selected rows that are loaded (a placeholder row has none yet)."""
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        model = self.model()
        return [i for i in (model.index(r, 0).data(ID_ROLE) for r in rows) if i]

    def select_id(self, entry_id: str, *, notify: bool = True) -> bool:
        """Make ``entry_id`` the current, selected row; False when it is not in the list."""
        model = self.model()
        if not isinstance(model, EntryListModel):
            return False
        row = model.row_of(entry_id)
        if row < 0:
            return False
        index = model.index(row, 0)
        selection = self.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self._quiet = not notify
        try:
            selection.setCurrentIndex(index, flags)
            selection.select(QItemSelection(index, model.index(row, len(COLUMNS) - 1)), flags)
        finally:
            self._quiet = False
        self.scrollTo(index)
        return True


class ListMessage(QWidget):
    """What the list area says when it has no rows: why, and (when it helps) one way out."""

    action_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("listMessage")
        self.text = QLabel()
        self.text.setObjectName("emptyState")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleName("Why the list is empty")
        self.action = QPushButton()
        self.action.hide()
        self.action.clicked.connect(self.action_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 40, 16, 16)
        layout.setSpacing(12)
        layout.addWidget(self.text)
        layout.addWidget(self.action, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def say(self, text: str, action: str = "") -> None:
        """Show ``text``, with a button labelled ``action`` when it is not empty."""
        self.text.setText(text)
        self.action.setText(action.replace("&", "&&"))
        self.action.setAccessibleName(action)
        self.action.setVisible(bool(action))
