"""The Help menu's windows: every keyboard shortcut, and About Hindsight.

The shortcut list is read from the window's own menus and actions each time it
opens, so a new action or a changed key shows up without anyone updating a list.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from journal import backup
from ui.theme import use_stylesheet

DISTRIBUTION = "hindsight-journal"


@dataclass(frozen=True)
class Shortcut:
    """One action with keys: where it is (``menu``, e.g. "File › Export to Markdown"), what, which keys."""

    menu: str
    action: str
    keys: str


def plain(text: str) -> str:
    """A menu text without its ``&`` mnemonic marks (``&&`` is a real ampersand)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def keys_of(action: QAction) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts() if not s.isEmpty())


def shortcuts(window: QMainWindow) -> list[Shortcut]:
    """Every action of ``window`` that has a key, menu by menu in menu order, then any outside the menus."""
    found: list[Shortcut] = []
    seen: set[int] = set()

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path} › {plain(action.text())}")
                continue
            seen.add(id(action))
            if keys_of(action):
                found.append(Shortcut(path, plain(action.text()), keys_of(action)))

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu):
            walk(menu, plain(top.text()))
    for action in window.findChildren(QAction):
        if id(action) not in seen and keys_of(action) and action.text():
            seen.add(id(action))
            found.append(Shortcut("Other", plain(action.text()), keys_of(action)))
    return found


class ShortcutsDialog(QDialog):
    """A read-only list of the window's shortcuts, grouped by menu."""

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(520, 520)
        self.rows = shortcuts(window)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcutList")
        self.tree.setAccessibleName("Keyboard shortcuts")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Action", "Keys"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        use_stylesheet(self.tree, "shortcuts")  # rows a person can scan
        self.tree.setIndentation(14)
        groups: dict[str, QTreeWidgetItem] = {}
        for row in self.rows:
            group = groups.get(row.menu)
            if group is None:
                group = QTreeWidgetItem(self.tree, [row.menu, ""])
                font = group.font(0)
                font.setBold(True)
                group.setFont(0, font)
                group.setFirstColumnSpanned(True)
                groups[row.menu] = group
            QTreeWidgetItem(group, [row.action, row.keys])
        self.tree.expandAll()
        self.tree.setItemsExpandable(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        note = QLabel("Text fields also take the usual editing keys (undo, cut, copy, paste, select all).")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)


def app_version() -> str:
    from importlib import metadata  # here: it costs a tenth of a second, and only About shows the version

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"  # run from a bare source checkout


def backups_folder(journal_path: Path | None) -> Path:
    """This journal's own backup folder, or the folder that holds every journal's."""
    return backup.backup_dir(journal_path) if journal_path is not None else backup.backups_root()


class AboutDialog(QDialog):
    """Version, the journal on show and where backups are kept; paths can be selected and copied."""

    def __init__(self, journal_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Hindsight")
        journal = html.escape(str(journal_path)) if journal_path is not None else "none open"
        self.text = QLabel(
            f"<h3>Hindsight {html.escape(app_version())}</h3>"
            "<p>A journal of blameless post-mortems: one entry per mistake, whether you made it "
            "or it landed on you.</p>"
            f"<p><b>This journal:</b><br>{journal}</p>"
            f"<p><b>Backups are kept in:</b><br>{html.escape(str(backups_folder(journal_path)))}</p>"
            "<p>Everything stays on this computer unless you export or sync it.</p>",
            self,
        )
        self.text.setObjectName("aboutText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumWidth(460)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
