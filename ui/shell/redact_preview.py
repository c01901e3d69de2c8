"""Before a redacted export: one entry as it will be shared, each replaced name highlighted.

The person sees what the pseudonyms look like in a real entry (the one of the
first two hundred with the most replacements), which names were replaced, and
what redaction cannot do (a name the journal does not know stays), then chooses
Export or Cancel. The core (``journal.redact.preview``) marks the replacements;
this dialog only turns the marks into highlights.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from journal import redact
from journal.redact import MARK_END, MARK_SPLIT, MARK_START, Preview
from journal.store import JournalError, Store
from journal.transfer import export
from ui.editor.preview import InertBrowser, render_markdown

# Readable on the light and the dark palette alike: the colours are fixed, not the theme's.
HIGHLIGHT = "background-color: #ffe27a; color: #1b1b1b;"
_MARKED = re.compile(f"{MARK_START}([^{MARK_SPLIT}]*){MARK_SPLIT}[^{MARK_END}]*{MARK_END}")
LIMITS = (
    "Only names this journal knows are replaced: clients, accounts, follow-up owners and review-note "
    "authors, in any case and with or without accents. Any other name in the text (a client's colleague, "
    "a place) stays as written: read before you share. Feelings, reflection, first response and review "
    "notes are left out. If a known name is still found, nothing is written."
)


def highlighted_html(preview: Preview) -> str:
    """The entry's body rendered as HTML, each pseudonym that replaced a name highlighted."""
    rendered = render_markdown(preview.marked)  # the marks are plain (private-use) characters to Markdown
    return _MARKED.sub(lambda m: f'<span style="{HIGHLIGHT}">{html.escape(m.group(1))}</span>', rendered)


class RedactPreview(QDialog):
    """Export or Cancel, after seeing one redacted entry."""

    def __init__(self, preview: Preview | None, count: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preview of the redacted export")
        self.resize(640, 560)
        entries = "1 entry" if count == 1 else f"{count:,} entries"
        self.intro = QLabel(
            f"{entries} will be exported like this one. Highlighted: names replaced by pseudonyms."
            if preview is not None else "There is no entry to preview."
        )
        self.intro.setWordWrap(True)
        self.body = InertBrowser()
        self.body.setHtml(highlighted_html(preview) if preview is not None else "")
        replaced = preview.replaced if preview is not None else []
        self.replaced = QLabel(
            "Replaced in this entry: " + ", ".join(f"{original} → {pseudonym}" for original, pseudonym in replaced)
            if replaced else "No known name in this entry."
        )
        self.replaced.setWordWrap(True)
        self.limits = QLabel(LIMITS)
        self.limits.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.export_button = self.buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.replaced)
        layout.addWidget(self.limits)
        layout.addWidget(self.buttons)

    @classmethod
    def for_journal(cls, journal_path: Path, ids: Sequence[str] | None, parent: QWidget | None = None) -> RedactPreview:
        """The preview of exporting ``ids`` (None: every entry) from the journal at ``journal_path``."""
        with Store.open(journal_path, create=False) as store:
            chosen = export.select_ids(store, ids=ids)
            return cls(redact.preview(store, chosen), len(chosen), parent)


def confirm(parent: QWidget | None, journal_path: Path, ids: Sequence[str] | None) -> bool:
    """Show the preview; True if the person chose Export (or the journal could not be read: the export says why)."""
    try:
        dialog = RedactPreview.for_journal(journal_path, ids, parent)
    except JournalError:
        return True
    return dialog.exec() == QDialog.DialogCode.Accepted.value
