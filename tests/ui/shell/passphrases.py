"""What the tests of an encrypted journal share: the passphrase, scripted answers to it, nothing remembered."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from journal import crypto
from tests.ui.conftest import ScriptedDialogs
from ui.shell import passphrase_dialog

SECRET = "a long and private passphrase"


class PassphraseDialogs(ScriptedDialogs):
    """Scripted answers to the passphrase question too: (passphrase, remember) or None for Cancel."""

    def __init__(self) -> None:
        super().__init__()
        self.passphrases: list[tuple[str, bool] | None] = []

    def passphrase(
        self, parent: QWidget | None, path: Path, *, wrong: bool, confirm: bool = False
    ) -> tuple[str, bool] | None:
        self.asked.append(("passphrase", "wrong" if wrong else "confirm" if confirm else "first"))
        return self.passphrases.pop(0) if self.passphrases else None


def forget_every_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    """No passphrase known to this process, none in the environment, no keyring: each test types its own."""
    monkeypatch.setattr(crypto, "_known", {})
    monkeypatch.delenv(crypto.PASSPHRASE_ENV, raising=False)
    monkeypatch.setattr(passphrase_dialog, "_keyring", lambda: None)
