"""The passphrase of an encrypted journal: asked without echo, optionally kept in the system keyring."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

KEYRING_SERVICE = "Hindsight journal"


def _keyring() -> Any | None:
    """The ``keyring`` module when it is installed and has a real backend; None otherwise."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    with contextlib.suppress(Exception):
        if not isinstance(keyring.get_keyring(), fail.Keyring):
            return keyring
    return None


def stored_passphrase(path: Path) -> str | None:
    """The passphrase kept for this journal on this computer, if any."""
    ring = _keyring()
    if ring is None:
        return None
    with contextlib.suppress(Exception):  # a locked or broken keyring: ask instead
        found = ring.get_password(KEYRING_SERVICE, str(Path(path).resolve()))
        return str(found) if found else None
    return None


def store_passphrase(path: Path, passphrase: str | None) -> None:
    """Keep (or, with None, drop) this journal's passphrase in the keyring; silently nothing without one."""
    ring = _keyring()
    if ring is None:
        return
    with contextlib.suppress(Exception):
        if passphrase is None:
            ring.delete_password(KEYRING_SERVICE, str(Path(path).resolve()))
        else:
            ring.set_password(KEYRING_SERVICE, str(Path(path).resolve()), passphrase)


class PassphraseDialog(QDialog):
    """Asks for a passphrase (twice with ``confirm``: a new one); "Remember on this computer" is off by default."""

    def __init__(self, path: Path, *, wrong: bool = False, confirm: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Encrypt this journal" if confirm else "Encrypted journal")
        layout = QVBoxLayout(self)
        import html  # here, not at start: only an encrypted journal asks

        name = html.escape(path.name)  # a file name is text, not markup
        if confirm:
            text = (f"Choose a passphrase for <b>{name}</b>. Without it the journal cannot be read: "
                    "nobody, Hindsight included, can recover a lost passphrase.")
        elif wrong:
            text = f"That passphrase does not open <b>{name}</b>. Try again, or cancel to pick another journal."
        else:
            text = f"<b>{name}</b> is encrypted. Enter its passphrase."
        self.message = QLabel(text)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setPlaceholderText("Passphrase")
        self.field.setAccessibleName("Passphrase")
        layout.addWidget(self.field)
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setPlaceholderText("The same passphrase again")
        self.again.setAccessibleName("Repeat the passphrase")
        self.again.setVisible(confirm)
        layout.addWidget(self.again)
        self.remember = QCheckBox("Remember on this computer")
        self.remember.setToolTip("Keep the passphrase in the system keyring, so this journal opens without asking")
        self.remember.setChecked(False)
        self.remember.setVisible(_keyring() is not None)
        layout.addWidget(self.remember)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Encrypt" if confirm else "Open")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._confirm = confirm
        self.field.textChanged.connect(self._update)
        self.again.textChanged.connect(self._update)
        self._update()
        self.setMinimumWidth(420)

    def _update(self) -> None:
        ok = bool(self.field.text()) and (not self._confirm or self.field.text() == self.again.text())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def passphrase(self) -> str:
        return self.field.text()
