"""Opening an encrypted journal in the app: the passphrase asked, remembered if wished, a new one typed twice."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot

from journal import crypto
from journal.store import Store
from tests.ui.conftest import add
from tests.ui.shell.passphrases import SECRET, PassphraseDialogs, forget_every_passphrase
from ui.shell import passphrase_dialog
from ui.shell.journal_dialogs import GIVE_UP, open_journal
from ui.shell.passphrase_dialog import PassphraseDialog


class FakeKeyring:
    def __init__(self) -> None:
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.kept.get((service, user))

    def set_password(self, service: str, user: str, password: str) -> None:
        self.kept[(service, user)] = password

    def delete_password(self, service: str, user: str) -> None:
        self.kept.pop((service, user), None)


@pytest.fixture(autouse=True)
def _nothing_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    forget_every_passphrase(monkeypatch)


@pytest.fixture
def dialogs() -> PassphraseDialogs:
    return PassphraseDialogs()


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "private.hindsight"
    with Store.open(path) as store:
        add(store, "The invoice went to the wrong person")
    crypto.encrypt(path, SECRET)
    crypto.forget(path)
    return path


def test_a_wrong_passphrase_says_so_and_the_next_try_opens(encrypted: Path, dialogs: PassphraseDialogs) -> None:
    dialogs.passphrases = [("not it", False), (SECRET, False)]
    store = open_journal(encrypted, dialogs, startup=True)
    assert store is not None
    with store:
        assert store.entry_count() == 1
    assert [a for a in dialogs.asked if a[0] == "passphrase"] == [("passphrase", "first"), ("passphrase", "wrong")]


def test_cancelling_the_passphrase_offers_another_journal_and_changes_nothing(
    encrypted: Path, dialogs: PassphraseDialogs
) -> None:
    before = encrypted.read_bytes()
    dialogs.passphrases = [None]
    dialogs.bad_answers = [GIVE_UP]
    assert open_journal(encrypted, dialogs, startup=True) is None
    assert dialogs.asked[-1][0] == "bad_journal" and "encrypted" in dialogs.asked[-1][1]
    assert encrypted.read_bytes() == before


def test_remember_keeps_the_passphrase_in_the_keyring_and_it_opens_without_asking(
    encrypted: Path, dialogs: PassphraseDialogs, monkeypatch: pytest.MonkeyPatch
) -> None:
    ring = FakeKeyring()
    monkeypatch.setattr(passphrase_dialog, "_keyring", lambda: ring)
    dialogs.passphrases = [(SECRET, True)]
    store = open_journal(encrypted, dialogs, startup=True)
    assert store is not None
    store.close()
    assert list(ring.kept.values()) == [SECRET]
    crypto.forget(encrypted)
    asked = len(dialogs.asked)
    store = open_journal(encrypted, dialogs, startup=True)
    assert store is not None
    store.close()
    assert len(dialogs.asked) == asked  # nothing was asked the second time


def test_not_remembered_unless_ticked(encrypted: Path, dialogs: PassphraseDialogs, monkeypatch: pytest.MonkeyPatch,
                                      qtbot: QtBot) -> None:
    ring = FakeKeyring()
    monkeypatch.setattr(passphrase_dialog, "_keyring", lambda: ring)
    dialog = PassphraseDialog(encrypted)
    qtbot.addWidget(dialog)
    assert not dialog.remember.isChecked()
    dialogs.passphrases = [(SECRET, False)]
    store = open_journal(encrypted, dialogs, startup=True)
    assert store is not None
    store.close()
    assert ring.kept == {}


def test_the_new_passphrase_is_typed_twice_without_echo(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = PassphraseDialog(tmp_path / "j.hindsight", confirm=True)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.field.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.again.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(dialog.field, "first")
    qtbot.keyClicks(dialog.again, "firs")
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.again, "t")
    assert ok.isEnabled()
