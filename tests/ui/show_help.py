"""Dev launcher: the whole window with a Help dialog open, or a sync conflict being compared.

    .venv/bin/python -m tests.ui.show_help [JOURNAL] --show shortcuts|about|conflict|conflict-bar
        [--dark] [--size 1280x800]

``conflict`` makes two journals and a team folder in a temporary folder, edits one entry on both
sides, syncs, opens the entry and presses "Compare…". Settings go to a temporary folder.
Not a test (pytest collects only test_*.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer

from tests.journal.team_conflict import make_conflict
from ui.app import application, make_editor
from ui.shell.main_window import JournalPaths, MainWindow
from ui.theme import Theme


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("journal", nargs="?")
    parser.add_argument("--show", choices=("shortcuts", "about", "conflict", "conflict-bar"), default="shortcuts")
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--size", default="1280x800")
    args = parser.parse_args(argv)
    app = application(sys.argv[:1])
    folder = Path(tempfile.mkdtemp(prefix="hindsight-show-"))
    journal = Path(args.journal) if args.journal else folder / "mine.hindsight"
    team = make_conflict(folder) if args.show.startswith("conflict") else None
    if team is not None:
        journal = team.mine
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    theme = Theme(settings)
    theme.set_mode("dark" if args.dark else "light")
    window = MainWindow(settings, editor_factory=make_editor, theme=theme,
                        paths=JournalPaths(mine=journal, demo=folder / "demo.hindsight"))
    width, height = (int(n) for n in args.size.split("x"))
    window.resize(width, height)
    if not window.open_path(journal, startup=True):
        return 1
    window.show()
    view = window.view
    assert view is not None

    def compare() -> None:
        assert team is not None
        view.open_entry(team.entry_id)
        editor = view.editor_widget
        if args.show == "conflict":
            QTimer.singleShot(300, editor.conflict_bar.compare_button.click)  # type: ignore[attr-defined]

    if args.show == "shortcuts":
        QTimer.singleShot(500, window.shortcuts_action.trigger)
    elif args.show == "about":
        QTimer.singleShot(500, window.about_action.trigger)
    else:
        QTimer.singleShot(500, compare)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
