"""The sidebar: All, Drafts, Open, Resolved, Reviewed, Trash, then clients and accounts, with counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFont, QIcon, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from journal import query as q
from ui.browse.query_runner import Counts

COUNT_ROLE = Qt.ItemDataRole.UserRole + 10
FILTER_ROLE = Qt.ItemDataRole.UserRole + 11


@dataclass(frozen=True)
class ViewFilter:
    """One line of the sidebar, as the filters it adds to the search."""

    kind: str = "all"  # all | status | trash | client | account | patterns | followups | conflicts
    value: str = ""

    @property
    def trash(self) -> bool:
        return self.kind == "trash"

    def filters(self) -> tuple[q.Filter, ...]:
        if self.kind in ("status", "client", "account"):
            return (q.Filter(self.kind, "=", self.value),)
        return ()

    @property
    def label(self) -> str:
        if self.kind in ("client", "account"):
            return self.value
        return dict(STATUS_LINES + EXTRA_LINES).get(self.value if self.kind == "status" else self.kind, self.kind)


ALL = ViewFilter("all")
TRASH = ViewFilter("trash")
PATTERNS = ViewFilter("patterns")
FOLLOWUPS = ViewFilter("followups")
CONFLICTS = ViewFilter("conflicts")
EXTRA_LINES = (("patterns", "Patterns"), ("followups", "Follow-ups"), ("conflicts", "Conflicts"))
# (key in status_counts, label, icon name)
STATUS_LINES = (
    ("all", "All entries"),
    ("draft", "Drafts"),
    ("open", "Open"),
    ("resolved", "Resolved"),
    ("reviewed", "Reviewed"),
    ("trash", "Trash"),
)
_ICONS = {"all": "all", "draft": "draft", "open": "open", "resolved": "resolved", "reviewed": "reviewed",
          "trash": "trash", "client": "client", "account": "account", "patterns": "patterns",
          "conflicts": "conflict", "followups": "followups"}


def _status_filter(key: str) -> ViewFilter:
    if key in ("all", "trash"):
        return ViewFilter(key)
    return ViewFilter("status", key)


class _CountDelegate(QStyledItemDelegate):
    """Draws the name on the left and its count, muted, on the right."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        name = opt.text
        count = index.data(COUNT_ROLE)
        count_text = "" if count is None else f"{count:,}"
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is None:
            super().paint(painter, option, index)
            return
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget).adjusted(4, 0, -8, 0)
        metrics = opt.fontMetrics
        count_width = metrics.horizontalAdvance(count_text) + 8 if count_text else 0
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        enabled = bool(opt.state & QStyle.StateFlag.State_Enabled)
        palette = opt.palette
        painter.save()
        painter.setFont(opt.font)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        group = QPalette.ColorGroup.Normal if enabled else QPalette.ColorGroup.Disabled
        painter.setPen(palette.color(group, role))
        name_rect = QRect(text_rect)
        name_rect.setWidth(max(0, text_rect.width() - count_width))
        elided = metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_rect.width())
        painter.drawText(name_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), elided)
        if count_text:
            if not selected:
                painter.setPen(palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight), count_text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        extra = 10 if index.data(FILTER_ROLE) is None else 8  # section headers get air above them
        return QSize(size.width(), size.height() + extra)


class Sidebar(QListWidget):
    """Clicking a line filters the list; ``filter_chosen`` says which."""

    filter_chosen = Signal(object)  # ViewFilter
    reselected = Signal(object)  # ViewFilter: the current line was clicked again (e.g. Patterns, from its evidence)

    def __init__(self, icon_for: Callable[[str], QIcon], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setAccessibleName("Views")
        self.setAccessibleDescription("Filter the entries by status, client or account")
        self.setItemDelegate(_CountDelegate(self))
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(False)
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.setIconSize(QSize(16, 16))
        self._icon_for = icon_for
        self._current = ALL
        self._counts = Counts()
        self._followups_due = 0
        self._rebuild()
        self.currentItemChanged.connect(self._on_current)
        self.itemClicked.connect(self._on_clicked)
        self.itemActivated.connect(self._on_clicked)

    @property
    def current_filter(self) -> ViewFilter:
        return self._current

    def select(self, view: ViewFilter) -> None:
        """Make ``view`` the current line (emits ``filter_chosen`` when it changes, else ``reselected``)."""
        for row in range(self.count()):
            item = self.item(row)
            if item.data(FILTER_ROLE) == view:
                if view == self._current:
                    self.reselected.emit(view)
                self.setCurrentItem(item)
                return

    def set_followups_due(self, count: int) -> None:
        """Overdue follow-ups plus checks due: the number beside "Follow-ups" (none shown when 0)."""
        if count != self._followups_due:
            self._followups_due = count
            self._rebuild()

    def set_counts(self, counts: Counts) -> None:
        self._counts = counts
        self._rebuild()

    def retint(self, icon_for: Callable[[str], QIcon]) -> None:
        self._icon_for = icon_for
        self._rebuild()

    def count_of(self, view: ViewFilter) -> int | None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(FILTER_ROLE) == view:
                value = item.data(COUNT_ROLE)
                return None if value is None else int(value)
        return None

    def _rebuild(self) -> None:
        blocked = self.blockSignals(True)
        try:
            self.clear()
            statuses = self._counts.statuses
            for key, label in STATUS_LINES:
                self._add(label, _status_filter(key), statuses.get(key, 0) if statuses else None, _ICONS[key])
            self._add("Patterns", PATTERNS, None, _ICONS["patterns"],
                      tip="What keeps recurring: sentences and charts from your entries")
            self._add("Follow-ups", FOLLOWUPS, self._followups_due or None, _ICONS["followups"],
                      tip="What you owe: follow-ups by due date, and checks that a fix held", unit="due")
            conflicts = len(self._counts.conflicts)
            if conflicts:
                self._add("Conflicts", CONFLICTS, conflicts, _ICONS["conflicts"],
                          tip="Entries changed both here and in the team folder: choose which version to keep")
            clients = self._counts.clients
            if clients:
                self._header("Clients")
                for name, count in clients:
                    self._add(name, ViewFilter("client", name), count, "client")
            client_names = {name.casefold() for name, _ in clients}
            accounts = [(n, c) for n, c in self._counts.accounts if n.casefold() not in client_names]
            if accounts:
                self._header("Accounts")
                for name, count in accounts:
                    self._add(name, ViewFilter("account", name), count, "account")
            if self._current == CONFLICTS and not conflicts:
                self._add("Conflicts", CONFLICTS, 0, _ICONS["conflicts"])  # stays until the user leaves it
            if self._current.kind in ("client", "account") and self._find(self._current) is None:
                self._add(self._current.value, self._current, 0, self._current.kind)
            current = self._find(self._current)
            if current is not None:
                self.setCurrentItem(current)
            else:
                self.setCurrentRow(-1)
        finally:
            self.blockSignals(blocked)

    def _find(self, view: ViewFilter) -> QListWidgetItem | None:
        for row in range(self.count()):
            item = self.item(row)
            if item.data(FILTER_ROLE) == view:
                return item
        return None

    def _add(
        self, label: str, view: ViewFilter, count: int | None, icon: str, *, tip: str = "", unit: str = ""
    ) -> None:
        item = QListWidgetItem(self._icon_for(icon), label)
        item.setData(FILTER_ROLE, view)
        item.setData(COUNT_ROLE, count)
        noun = unit or ("entry" if count == 1 else "entries")
        spoken = label if count is None else f"{label}, {count:,} {noun}"
        item.setData(Qt.ItemDataRole.AccessibleTextRole, spoken)
        item.setToolTip(f"{spoken}\n{tip}" if tip else spoken)
        self.addItem(item)

    def _header(self, label: str) -> None:
        item = QListWidgetItem(label.upper())
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        font.setBold(True)
        item.setFont(font)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        item.setData(Qt.ItemDataRole.AccessibleTextRole, label)
        self.addItem(item)

    def _on_clicked(self, item: QListWidgetItem) -> None:
        view = item.data(FILTER_ROLE)
        if isinstance(view, ViewFilter) and view == self._current:
            self.reselected.emit(view)

    def _on_current(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        view = current.data(FILTER_ROLE)
        if isinstance(view, ViewFilter) and view != self._current:
            self._current = view
            self.filter_chosen.emit(view)
