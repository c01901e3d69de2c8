"""The choice shown when another program saved the entry while it was being edited.

Both ways keep every word: "keep mine" files the other version away as a
separate draft and saves this form as the newest revision; "take theirs" files
this form away as a separate draft and shows the other version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PySide6.QtWidgets import QMessageBox, QWidget

ConflictChoice = Literal["mine", "theirs"] | None

KEEP_MINE = "Keep mine as the newest revision"
TAKE_THEIRS = "Take theirs"


@dataclass(frozen=True)
class Conflict:
    title: str
    my_revision: int
    their_revision: int
    their_updated_at: str
    their_title: str


def ask(parent: QWidget | None, conflict: Conflict) -> ConflictChoice:
    """Ask which version wins; None means "not now" (nothing is saved, nothing is lost)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("This entry changed elsewhere")
    box.setText(f"“{conflict.their_title}” was saved by another window or program while you were writing.")
    when = f" at {conflict.their_updated_at.replace('T', ' ').rstrip('Z')} UTC" if conflict.their_updated_at else ""
    box.setInformativeText(
        f"You started from revision {conflict.my_revision}; the journal now holds revision "
        f"{conflict.their_revision}{when}.\n\n"
        f"“{KEEP_MINE}” saves what you see here on top and keeps theirs as a separate draft, "
        f"“{conflict.their_title} (version saved elsewhere)”.\n"
        f"“{TAKE_THEIRS}” shows their version and keeps yours as a separate draft, "
        f"“{conflict.title} (my unsaved version)”."
    )
    mine = box.addButton(KEEP_MINE, QMessageBox.ButtonRole.AcceptRole)
    theirs = box.addButton(TAKE_THEIRS, QMessageBox.ButtonRole.ActionRole)
    box.addButton("Decide later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(mine)
    box.exec()
    clicked = box.clickedButton()
    if clicked is mine:
        return "mine"
    if clicked is theirs:
        return "theirs"
    return None
