"""Dev launcher: the account review page on a journal, for screenshots.

    .venv/bin/python -m tests.ui.show_review JOURNAL ACCOUNT [--dark] [--size 1280x800] [--private]

Settings go to a temporary folder. Not a test (pytest collects only test_*.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings

from journal.store import Store
from ui.app import application
from ui.review.page import ReviewPage
from ui.theme import Theme


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("journal")
    parser.add_argument("account")
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--private", action="store_true")
    parser.add_argument("--size", default="1280x800")
    args = parser.parse_args(argv)
    app = application(sys.argv[:1])
    folder = Path(tempfile.mkdtemp(prefix="hindsight-show-"))
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    Theme(settings).set_mode("dark" if args.dark else "light")
    store = Store.open(args.journal, create=False)
    page = ReviewPage(store, args.account, None, None, settings)
    page.setWindowTitle(f"Review: {page.review.account} — Hindsight")
    width, height = (int(n) for n in args.size.split("x"))
    page.resize(width, height)
    page.private_box.setChecked(args.private)
    page.next()
    page.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
