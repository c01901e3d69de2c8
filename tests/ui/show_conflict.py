"""Dev launcher: the "Compare the two versions" dialog on a sync conflict made in a temporary folder.

    .venv/bin/python -m tests.ui.show_conflict [--dark]

Not a test (pytest collects only test_*.py); used for screenshots and trying the dialog by hand.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from journal.store import Store
from journal.transfer import sync
from journal.transfer.conflict_diff import conflict_diff
from tests.journal.team_conflict import make_conflict
from ui.app import application
from ui.shell.conflict_dialog import CompareDialog
from ui.theme import palette


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dark", action="store_true")
    args = parser.parse_args()
    app = application()
    app.setPalette(palette(args.dark))
    with tempfile.TemporaryDirectory() as root:
        team = make_conflict(Path(root))
        with Store.open(team.mine) as store:
            (conflict,) = sync.list_conflicts(store)
            diff = conflict_diff(store, conflict)
        dialog = CompareDialog(diff)
        dialog.show()
        code = app.exec()
    print(f"chosen: {dialog.choice}")
    return code


if __name__ == "__main__":
    sys.exit(main())
