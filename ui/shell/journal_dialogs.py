"""Dialogs about journals: a file that cannot be opened, choosing one, confirming a purge.

Everything that asks the user goes through ``Dialogs`` so a test can hand the
window scripted answers instead of real modal dialogs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from journal.safety import no_journal_at
from journal.store import JournalError, JournalTooNew, NeedsPassphrase, Store, WrongPassphrase

# The dialogs themselves (QMessageBox, QFileDialog, the passphrase dialog) are imported when one is shown:
# an ordinary start shows none, and each Qt class makes its Python enums when first used.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

FILE_FILTER = "Hindsight journals (*.hindsight);;All files (*)"
OPEN_OTHER, CREATE_NEW, GIVE_UP = "open", "create", "give_up"
CREATE_HERE = "create_here"


def explain(error: JournalError) -> tuple[str, str]:
    """A heading and a sentence for why a journal could not be opened."""
    message = str(error)
    if isinstance(error, JournalTooNew):
        heading = "This journal was written by a newer Hindsight"
    elif "truncated" in message or "damaged" in message:
        heading = "This journal is damaged"
    elif "not a Hindsight journal" in message or "folder" in message:
        heading = "This file is not a Hindsight journal"
    else:
        heading = "This journal cannot be opened"
    return heading, message[:1].upper() + message[1:]


class Dialogs:
    """The questions the app asks. Tests subclass this with scripted answers."""

    def bad_journal(self, parent: QWidget | None, error: JournalError, *, startup: bool) -> str:
        from ui.shell.journal_boxes import BadJournalDialog

        dialog = BadJournalDialog(error, startup=startup, parent=parent)
        dialog.exec()
        return dialog.choice()

    def missing_journal(self, parent: QWidget | None, path: Path, *, startup: bool) -> str:
        from ui.shell.journal_boxes import MissingJournalDialog

        dialog = MissingJournalDialog(path, startup=startup, parent=parent)
        dialog.exec()
        return dialog.choice()

    def open_path(self, parent: QWidget | None) -> str | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(parent, "Open journal", "", FILE_FILTER)
        return path or None

    def new_path(self, parent: QWidget | None) -> str | None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(
            parent, "Create a new journal", "journal.hindsight", FILE_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path and not Path(path).suffix:
            path += ".hindsight"
        return path or None

    def choose_folder(self, parent: QWidget | None, title: str, start: str = "") -> str | None:
        from PySide6.QtWidgets import QFileDialog

        return QFileDialog.getExistingDirectory(parent, title, start) or None

    def confirm(self, parent: QWidget | None, title: str, text: str, action: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent)
        ok = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is ok

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(parent, title, text)

    def passphrase(
        self, parent: QWidget | None, path: Path, *, wrong: bool, confirm: bool = False
    ) -> tuple[str, bool] | None:
        """The passphrase typed and whether to remember it on this computer; None if cancelled."""
        from PySide6.QtWidgets import QDialog

        from ui.shell.passphrase_dialog import PassphraseDialog

        dialog = PassphraseDialog(path, wrong=wrong, confirm=confirm, parent=parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.passphrase(), dialog.remember.isChecked()


def open_journal(
    path: str | Path,
    dialogs: Dialogs,
    parent: QWidget | None = None,
    *,
    startup: bool,
    create: bool = False,
    opener: Callable[[Path], Store] = Store.open,
) -> Store | None:
    """Open ``path``; when it cannot be used, say why and let the user pick another or a new one.

    Returns None when the user gives up (Quit at start-up, Cancel later). The
    refused file is never written to: ``Store.open`` checks before writing. With
    no journal at the path (missing, or an empty file) one is created there only
    with ``create`` (the user's own journal, "New journal…") or after asking.
    """
    candidate = Path(path)
    asked_keyring = False  # the passphrase kept on this computer is tried once, before asking
    keep: str | None = None  # to put in the keyring once it has opened the journal
    while True:
        if not create and no_journal_at(candidate):
            choice = dialogs.missing_journal(parent, candidate, startup=startup)
            if choice == CREATE_HERE:
                create = True
                continue
        else:
            try:
                store = opener(candidate)
                store.forget_deleted_folders()  # once per journal shown: the bases of folders since deleted
                if keep is not None and store.passphrase == keep:
                    from ui.shell.passphrase_dialog import store_passphrase

                    store_passphrase(candidate, keep)
                return store
            except (NeedsPassphrase, WrongPassphrase) as error:
                from journal import crypto  # only for an encrypted journal: a plain one opens without it
                from ui.shell.passphrase_dialog import stored_passphrase

                crypto.forget(candidate)
                kept = None if asked_keyring else stored_passphrase(candidate)
                asked_keyring = True
                if kept:
                    crypto.remember(candidate, kept)
                    continue
                answer = dialogs.passphrase(parent, candidate, wrong=isinstance(error, WrongPassphrase))
                if answer is not None:
                    crypto.remember(candidate, answer[0])  # every connection this app opens finds it
                    keep = answer[0] if answer[1] else None
                    continue
                choice = dialogs.bad_journal(parent, error, startup=startup)
            except JournalError as error:
                choice = dialogs.bad_journal(parent, error, startup=startup)
        chosen = None
        if choice == OPEN_OTHER:
            chosen = dialogs.open_path(parent)
        elif choice == CREATE_NEW:
            chosen = dialogs.new_path(parent)
        if chosen is None:
            if choice == GIVE_UP:
                return None
            continue  # the file dialog was cancelled: ask again rather than quit
        candidate = Path(chosen)
        asked_keyring = False
        create = choice == CREATE_NEW  # a path picked under "Create a new journal…" may be made
