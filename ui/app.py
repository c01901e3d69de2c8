"""Start the desktop app: ``hindsight`` / ``hindsight gui [--journal PATH]``."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from journal.private_files import restrict
from journal.store import Store, resolve_journal_path
from ui.icons import app_icon
from ui.shell.demo_journal import default_demo_path
from ui.shell.main_window import APP_NAME, JournalPaths, MainWindow
from ui.theme import Theme

ORGANIZATION = "Hindsight"
DESKTOP_FILE = "hindsight"  # resources/hindsight.desktop, installed as hindsight.desktop


def make_editor(store: Store, parent: QWidget | None) -> QWidget:
    from ui.editor.editor import EntryEditor

    return EntryEditor(store, parent)


def application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with Hindsight's names, icon and style (made once)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setDesktopFileName(DESKTOP_FILE)
    app.setWindowIcon(app_icon())
    fusion = QStyleFactory.create("Fusion")
    if fusion is not None:
        app.setStyle(fusion)  # our light and dark palettes look the same on every platform
    return app


def keep_private(settings: QSettings) -> None:
    """Write the settings out and make their file owner-only (they name journals and recent searches)."""
    settings.sync()
    restrict(settings.fileName())  # Qt keeps a file's mode when it rewrites it


def main(journal: str | None = None) -> int:
    """Open the window on ``journal`` (default: the user's journal, created on first run)."""
    app = application()
    settings = QSettings()
    keep_private(settings)
    app.aboutToQuit.connect(lambda: keep_private(settings))  # a first run writes the file only now
    paths = JournalPaths(mine=resolve_journal_path(None), demo=default_demo_path())
    window = MainWindow(settings, editor_factory=make_editor, paths=paths, theme=Theme(settings))
    if not window.open_path(resolve_journal_path(journal), startup=True):
        return 1
    window.show()
    return app.exec()
