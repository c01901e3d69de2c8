"""Dev launcher: the whole window on a journal, optionally showing a view, for screenshots.

    /work/main/.venv/bin/python -m tests.ui.show_app JOURNAL [--show patterns|evidence|entry|similar|followups]
        [--dark] [--size 1400x860]

Settings go to a temporary folder, so your own window layout is never touched.
Not a test (pytest collects only test_*.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer

from ui.app import application, make_editor
from ui.shell.main_window import JournalPaths, MainWindow
from ui.theme import Theme


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("journal")
    parser.add_argument(
        "--show", choices=("list", "patterns", "evidence", "entry", "similar", "first", "followups"), default="list"
    )
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--query", default="", help="type this into the search field")
    parser.add_argument("--entry", default="", help="open the entry whose title contains this")
    parser.add_argument("--scroll-to", default="", help="scroll the editor to this form field, e.g. follow_ups")
    parser.add_argument("--font-scale", type=float, default=1.0, help="e.g. 1.5 for 150 %% text")
    parser.add_argument("--size", default="1400x860")
    args = parser.parse_args(argv)
    app = application(sys.argv[:1])
    if args.font_scale != 1.0:
        font = app.font()
        font.setPointSizeF(font.pointSizeF() * args.font_scale)
        app.setFont(font)
    folder = Path(tempfile.mkdtemp(prefix="hindsight-show-"))
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    theme = Theme(settings)
    theme.set_mode("dark" if args.dark else "light")
    window = MainWindow(settings, editor_factory=make_editor, theme=theme,
                        paths=JournalPaths(mine=folder / "mine.hindsight", demo=Path(args.journal)))
    width, height = (int(n) for n in args.size.split("x"))
    window.resize(width, height)
    if not window.open_path(args.journal, startup=True):
        return 1
    window.show()
    view = window.view
    assert view is not None

    def evidence() -> None:
        assert view.patterns is not None
        cards = view.patterns.cards()
        if cards:
            card = cards[0]
            view.show_evidence(list(card.pattern.evidence), card.pattern.sentence)

    def similar() -> None:
        ids = view.model.ids()
        if ids:
            view.open_entry(ids[0])
        window.new_action.trigger()
        editor = view.editor_widget
        if hasattr(editor, "form"):
            first = view.store.get(ids[0]) if ids else None
            if first is not None:
                editor.form.title.setText(first.title + " again")
                editor.form.client.setText(first.client)
                editor.form.what_happened.edit.setPlainText(
                    first.what_happened[:300] + "\n\nHonestly it was their fault, they never read the brief."
                )

    if args.show in ("patterns", "evidence"):
        QTimer.singleShot(300, view.show_patterns)
    if args.show == "followups":
        QTimer.singleShot(300, view.show_followups)
    if args.show == "evidence":
        QTimer.singleShot(3000, evidence)
    def entry() -> None:
        ids = view.model.ids()
        wanted = [s.id for s in view.store.search("", limit=500) if args.entry.casefold() in s.title.casefold()]
        chosen = wanted[0] if wanted else (ids[0] if ids else None)
        if chosen:
            view.open_entry(chosen)
        form = getattr(view.editor_widget, "form", None)
        if args.scroll_to and form is not None:
            target = getattr(form, args.scroll_to)
            bar = view.editor_widget.scroll_area.verticalScrollBar()  # type: ignore[attr-defined]
            QTimer.singleShot(300, lambda: bar.setValue(target.mapTo(form, target.rect().topLeft()).y() - 60))

    if args.show == "entry":
        QTimer.singleShot(500, entry)
    if args.show == "first":
        QTimer.singleShot(300, lambda: view.welcome.write_clicked.emit())
    if args.query:
        QTimer.singleShot(600, lambda: view.search.set_text(args.query))
    if args.show == "similar":
        QTimer.singleShot(500, similar)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
