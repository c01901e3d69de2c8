"""Start-up: names for QSettings, and a bad journal at start never crashes."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

import hindsight_cli
from journal.store import JournalError
from ui import app as app_module
from ui.shell.journal_dialogs import GIVE_UP, Dialogs


def test_application_has_its_names(qtbot: QtBot) -> None:
    application = app_module.application()
    assert QCoreApplication.applicationName() == "Hindsight"
    assert QCoreApplication.organizationName() == "Hindsight"
    assert not application.windowIcon().isNull()


START = {
    "app": lambda journal: app_module.main(journal=journal),
    "hindsight": lambda journal: hindsight_cli.main(["--journal", journal]),  # the command itself
    "hindsight gui": lambda journal: hindsight_cli.main(["--journal", journal, "gui"]),
}


@pytest.mark.parametrize("start", START)
def test_main_on_a_text_file_explains_and_quits(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: str
) -> None:
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    bad = tmp_path / "notes.hindsight"
    bad.write_text("not a journal")
    before = hashlib.sha256(bad.read_bytes()).hexdigest()
    asked: list[str] = []

    def quit_at_once(self: Dialogs, parent: QWidget | None, error: JournalError, *, startup: bool) -> str:
        asked.append(str(error))
        return GIVE_UP

    monkeypatch.setattr(Dialogs, "bad_journal", quit_at_once)
    assert START[start](str(bad)) == 1
    assert asked and "not a Hindsight journal" in asked[0]
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == before


def test_emitting_a_signal_does_not_eat_references_to_true(qtbot: QtBot) -> None:
    """PySide6 6.12.0 decremented True on every emit; CPython 3.11 aborts once it reaches zero (pinned <6.12)."""
    import sys

    from PySide6.QtCore import QObject, Signal

    class Source(QObject):
        fired = Signal(int)

    source = Source()
    before = sys.getrefcount(True)
    for i in range(100):
        source.fired.emit(i)
    assert sys.getrefcount(True) >= before - 5


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes (the settings live in the registry there)")
def test_the_settings_file_is_owner_only(tmp_path: Path, qtbot: QtBot) -> None:
    path = tmp_path / "Hindsight.ini"
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    settings.setValue("recent/journals", ["/home/me/clients.hindsight"])
    old = os.umask(0o022)
    try:
        app_module.keep_private(settings)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        settings.setValue("theme", "dark")  # Qt rewrites the file through a new one: the mode stays
        settings.sync()
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
