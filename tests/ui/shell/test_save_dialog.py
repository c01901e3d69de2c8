"""The save dialog: never a journal or a team folder's file, an existing file only after "Replace", a suffix added."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from journal.store import Store
from tests.journal.pm_strategies import simple
from ui.shell.save_dialog import choose_save_file
from ui.shell.transfer_dialog import TransferDialog

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")

TIMEOUT_MS = 20_000


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        for title in ("One", "Two", "Three"):
            store.save(simple(title))
    return path


class SaveDialogScript:
    """Stands in for QFileDialog.getSaveFileName and the message boxes: answers in turn, records what was said."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, names: list[str], replace_answers: list[bool]) -> None:
        self.names = names
        self.replace_answers = replace_answers
        self.said: list[tuple[str, str]] = []
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self.save_name)
        monkeypatch.setattr(QMessageBox, "warning", self.warning)
        monkeypatch.setattr(QMessageBox, "question", self.question)

    def save_name(self, *args: object, **kwargs: object) -> tuple[str, str]:
        self.said.append(("file dialog", ""))
        return (self.names.pop(0) if self.names else "", "Markdown (*.md)")

    def warning(self, parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        self.said.append(("warning", text))
        return QMessageBox.StandardButton.Ok

    def question(self, parent: object, title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        self.said.append(("question", text))
        yes = self.replace_answers.pop(0)
        return QMessageBox.StandardButton.Yes if yes else QMessageBox.StandardButton.No


def test_the_save_dialog_refuses_journals_and_asks_before_replacing(
    qtbot: QtBot, journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.hindsight"
    Store.open(other).close()
    notes = tmp_path / "notes.md"
    notes.write_text("my own notes\n")
    other_before = other.read_bytes()
    script = SaveDialogScript(
        monkeypatch, [str(journal), str(other), f"{journal}-wal", str(notes), str(notes)], replace_answers=[False, True]
    )
    dialog = TransferDialog.export_to_file(None, journal, None)
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=TIMEOUT_MS)
    kinds = [kind for kind, _ in script.said]
    assert kinds == ["file dialog", "warning"] * 3 + ["file dialog", "question", "file dialog", "question"]
    warnings = [text for kind, text in script.said if kind == "warning"]
    assert "is the journal itself" in warnings[0] and "is a Hindsight journal" in warnings[1]
    assert "belongs to the open journal" in warnings[2]
    assert "notes.md” already exists" in script.said[7][1]
    assert "One" in notes.read_text() and "Three" in notes.read_text()  # replaced after "Yes"
    assert other.read_bytes() == other_before
    with Store.open(journal, create=False) as store:
        assert store.entry_count() == 3


def test_a_new_file_name_is_not_asked_about_and_gets_md(
    qtbot: QtBot, journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = SaveDialogScript(monkeypatch, [str(tmp_path / "for the account team")], replace_answers=[])
    dialog = TransferDialog.export_to_file(None, journal, None)
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=TIMEOUT_MS)
    assert [kind for kind, _ in script.said] == ["file dialog"]
    assert "Two" in (tmp_path / "for the account team.md").read_text()


def test_cancelling_the_save_dialog_exports_nothing(
    journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("my own notes\n")
    SaveDialogScript(monkeypatch, [str(notes)], replace_answers=[False])  # "No", then the file dialog is cancelled
    assert TransferDialog.export_to_file(None, journal, None) is None
    assert notes.read_text() == "my own notes\n"


def test_the_chosen_kind_gives_its_suffix_and_any_suffix_keeps_the_one_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kinds = (("Markdown", ".md"), ("PDF", ".pdf"))
    chosen = iter([(str(tmp_path / "packet"), "PDF (*.pdf)"), (str(tmp_path / "packet.v2"), "PDF (*.pdf)")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: next(chosen))
    assert choose_save_file(None, "Save packet", "packet", kinds=kinds) == (tmp_path / "packet.pdf", False)
    assert choose_save_file(None, "Save", "export", kinds=kinds, any_suffix=True) == (tmp_path / "packet.v2", False)
