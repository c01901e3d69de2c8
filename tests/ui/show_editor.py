"""Dev launcher: the entry editor alone on a temporary journal with one filled entry.

    /work/main/.venv/bin/python -m tests.ui.show_editor [--scroll PIXELS] [--new]

Not a test (pytest collects only test_*.py); used for screenshots and trying the editor by hand.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from journal.model import Breadsticks, Emotion, FollowUp, Outcome, PostMortem, RecoveryStep, ReviewNote
from journal.store import Store
from ui.editor.editor import EntryEditor


def sample_entry() -> PostMortem:
    """A made-up incident, written for this launcher."""
    return PostMortem(
        title="Renewal quote went out with last year's rates",
        role="maker",
        occurred_on="2024-03-12",
        client="Harbour Dental Group",
        account="Harbour Holdings",
        severity=3,
        status="open",
        detection="client",
        what_happened=(
            "On Monday I sent the renewal quote from the **old template**.\n\n"
            "- 09:10 quote sent\n- 11:40 their office manager called, upset about the numbers\n"
            "- 12:15 corrected quote sent with an explanation"
        ),
        impact="Their budget meeting was moved by a day. The office manager felt we had been careless.",
        contributing_factors="Two templates with near-identical names; the rate table lives outside the CRM.",
        causes=["tooling", "attention", "template drift"],
        tags=["renewals", "q1"],
        response_style="owned",
        first_response_hours=3.5,
        emotions=[Emotion("me", "embarrassed", 4, 2), Emotion("them", "frustrated", 4, None)],
        recovery={
            "responsibility": RecoveryStep("done", "Called back within the hour"),
            "apology": RecoveryStep("done", "Explained the template mix-up plainly"),
            "correction": RecoveryStep("done", "Sent the corrected quote"),
            "compensation": RecoveryStep("pending", ""),
            "satisfaction_check": RecoveryStep("pending", "Ask at Thursday's call"),
            "acceptance": RecoveryStep("n/a", ""),
        },
        breadsticks=Breadsticks(
            offered="A free hour of onboarding for their new receptionist",
            kind="extra_work",
            cost=120,
            currency="EUR",
            hours=1.5,
            accepted="pending",
            wished_for="A heads-up before any rate change",
        ),
        follow_ups=[
            FollowUp(text="Archive the old quote template", owner="Sam", due_on="2024-03-15", status="done",
                     done_on="2024-03-14", check_on="2024-06-01"),
            FollowUp(text="Move the rate table into the CRM", owner="Priya", due_on="2024-04-30"),
        ],
        lessons=["Open the rate table before every quote", "One template per product, clearly named"],
        reflection="I rushed because the morning was packed. Next time I block quote time.",
        review_notes=[ReviewNote(author="Lee", text="Good recovery. Let's look at template naming across the team.")],
        outcome=Outcome("yes", 4),
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scroll", type=int, default=0, help="scroll the form down this many pixels")
    parser.add_argument("--new", action="store_true", help="show a blank new entry instead")
    parser.add_argument("--journal", help="use this journal file instead of a temporary one")
    parser.add_argument("--preview", action="store_true", help="show 'What happened' as a preview")
    parser.add_argument("--receiver", action="store_true", help="switch the entry to 'It landed on me'")
    args = parser.parse_args()
    app = QApplication(sys.argv)
    path = Path(args.journal) if args.journal else Path(tempfile.mkdtemp()) / "editor-demo.hindsight"
    store = Store.open(path)
    saved, _ = store.save(sample_entry())
    window = QMainWindow()
    window.setWindowTitle("Hindsight — entry editor (dev)")
    editor = EntryEditor(store)
    editor.status_changed.connect(lambda text: window.statusBar().showMessage(text))
    window.setCentralWidget(editor)
    window.resize(1000, 860)
    if args.new:
        editor.new_entry()
    else:
        editor.load(saved.id)
    window.show()
    if args.preview:
        editor.form.what_happened.set_previewing(True)
    if args.receiver:
        editor.form.set_role("receiver")
    if args.scroll:
        QTimer.singleShot(300, lambda: editor.scroll_area.verticalScrollBar().setValue(args.scroll))
    code = app.exec()
    editor.shutdown()
    store.close()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
