"""The choices shown when an entry changed in two places.

``ask``: another program saved the entry while it was being edited. Both ways
keep every word: "keep mine" files the other version away as a separate draft
and saves this form as the newest revision; "take theirs" files this form away
as a separate draft and shows the other version.

``CompareDialog``: a sync conflict (changed here and in the team folder). It
shows what ``journal.transfer.conflict_diff`` found, field by field, side by side, and
returns the person's choice; the caller settles (``journal.transfer.sync.settle``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:  # imported when a conflict is shown, not to start the app
    from journal.transfer.conflict_diff import ConflictDiff, FieldDiff


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


# --- sync conflicts: compare, then keep one -----------------------------------------------------

SyncChoice = Literal["journal", "folder", "edit"] | None

KEEP_JOURNAL = "Keep the journal's"
TAKE_FOLDER = "Take the folder's"
EDIT_THEN_KEEP = "Edit, then keep…"


def _blend(base: QColor, tint: str, share: float) -> str:
    """``tint`` laid over ``base`` at ``share``: a background that reads in light and dark palettes."""
    over = QColor(tint)
    pairs = ((base.red(), over.red()), (base.green(), over.green()), (base.blue(), over.blue()))
    red, green, blue = (round(a * (1 - share) + b * share) for a, b in pairs)
    return QColor(red, green, blue).name()


class CompareDialog(QDialog):
    """The two versions of a sync conflict, each differing field side by side; three ways out."""

    def __init__(self, diff: ConflictDiff, parent: QWidget | None = None, *, can_edit: bool = True) -> None:
        super().__init__(parent)
        self.diff = diff
        self.choice: SyncChoice = None
        conflict = diff.conflict
        self.setWindowTitle("Compare the two versions")
        self.setMinimumSize(640, 420)
        self.resize(900, 620)
        count = len(diff.fields)
        fields = "1 field differs" if count == 1 else f"{count} fields differ"
        self.heading = QLabel(
            f"<b>{html.escape(diff.journal.title)}</b> changed in this journal and in the team folder "
            f"since the last sync. {fields}. The journal's version is the one in use; the folder's "
            f"is kept in <i>{html.escape(Path(conflict.path).name)}</i> until you choose."
        )
        self.heading.setWordWrap(True)
        self.heading.setToolTip(conflict.path)
        self.view = QTextBrowser()
        self.view.setObjectName("conflictDiff")
        self.view.setAccessibleName("Differences between the journal's and the folder's version")
        self.view.setOpenLinks(False)
        self.view.setHtml(self._html())

        self.buttons = QDialogButtonBox()
        self.keep_button = self._button(KEEP_JOURNAL, "journal",
                                        "Keep this journal's version; the folder gets it at the next sync")
        self.take_button = self._button(TAKE_FOLDER, "folder", "Use the team folder's version from now on")
        self.edit_button: QPushButton | None = None
        if can_edit:
            self.edit_button = self._button(
                EDIT_THEN_KEEP, "edit", "Close this and change the entry by hand; then press “Keep mine”"
            )
        later = self.buttons.addButton("Decide later", QDialogButtonBox.ButtonRole.RejectRole)
        later.setToolTip("Change nothing; the conflict stays listed under Conflicts")
        self.buttons.rejected.connect(self.reject)
        self.keep_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.buttons)

    def _button(self, text: str, choice: SyncChoice, tip: str) -> QPushButton:
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
        button.setToolTip(tip)
        button.setAccessibleDescription(tip)
        button.clicked.connect(lambda: self._choose(choice))
        return button

    def _choose(self, choice: SyncChoice) -> None:
        self.choice = choice
        self.accept()

    def field_labels(self) -> list[str]:
        return [f.label for f in self.diff.fields]

    def _html(self) -> str:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
        dark = base.lightness() < 128
        removed = _blend(base, "#E5534B" if dark else "#F4A3A0", 0.35 if dark else 0.55)
        added = _blend(base, "#46954A" if dark else "#9BD6A0", 0.35 if dark else 0.55)
        parts = [
            "<table width='100%' cellspacing='2' cellpadding='4'>",
            "<tr><th align='left' width='50%'>This journal</th><th align='left' width='50%'>Team folder</th></tr>",
        ]
        if not self.diff.fields:
            parts.append(f"<tr><td colspan='2' style='color:{muted}'>The two versions say the same.</td></tr>")
        for field in self.diff.fields:
            parts.append(f"<tr><td colspan='2'><br><b>{html.escape(field.label)}</b></td></tr>")
            parts.extend(self._rows(field, removed, added, muted))
        parts.append("</table>")
        return "".join(parts)

    @staticmethod
    def _rows(field: FieldDiff, removed: str, added: str, muted: str) -> list[str]:
        def cell(text: str, colour: str | None) -> str:
            style = f" style='background-color:{colour}'" if colour else ""
            body = html.escape(text).replace("  ", "&nbsp; ") or "&nbsp;"
            return f"<td valign='top'{style}>{body}</td>"

        if field.kind == "value":
            empty = f"<span style='color:{muted}'>(empty)</span>"
            mine = html.escape(field.journal) or empty
            theirs = html.escape(field.folder) or empty
            return [f"<tr><td style='background-color:{removed}'>{mine}</td>"
                    f"<td style='background-color:{added}'>{theirs}</td></tr>"]
        rows = []
        from journal.transfer.conflict_diff import (
            side_by_side,  # the diff code (and the Markdown parser) only once shown
        )

        for row in side_by_side(field.journal, field.folder):
            left = removed if row.tag in ("replace", "delete") else None
            right = added if row.tag in ("replace", "insert") else None
            rows.append("<tr>" + cell(row.journal, left) + cell(row.folder, right) + "</tr>")
        return rows


def compare(parent: QWidget | None, diff: ConflictDiff, can_edit: bool = True) -> SyncChoice:
    """Show both versions; the person's choice, or None for "decide later"."""
    dialog = CompareDialog(diff, parent, can_edit=can_edit)
    dialog.exec()
    return dialog.choice
