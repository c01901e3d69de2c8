"""The preview before a redacted export: one entry with each replacement highlighted; Export or Cancel."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot

from journal.redact import Pseudonyms
from journal.store import Store
from tests.journal.pm_strategies import simple
from ui.shell import redact_preview
from ui.shell.redact_preview import HIGHLIGHT, RedactPreview
from ui.shell.transfer_dialog import TransferDialog

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        store.save(simple("Plain", client="", follow_ups=[]))
        store.save(simple(
            "Priya's late reply",
            client="Northwind Dental Group",
            what_happened="Priya Sharma answered Nörthwind's CMO late; they asked me to resend.\n",
            follow_ups=[{"text": "Resend the pack", "owner": "Priya Sharma"}],
        ))
    return path


def test_the_preview_shows_the_entry_with_most_names_each_replacement_highlighted(
    qtbot: QtBot, journal: Path
) -> None:
    dialog = RedactPreview.for_journal(journal, None)
    qtbot.addWidget(dialog)
    shown = dialog.body.toPlainText()
    assert "Person A's late reply" in shown
    assert "Person A answered Client A's CMO late; they asked me to resend." in shown
    assert "Priya" not in shown and "rthwind" not in shown
    assert dialog.body.toHtml().count("background-color:#ffe27a") >= 4  # title, text twice, follow-up owner
    assert "Priya Sharma → Person A" in dialog.replaced.text()
    assert "Nörthwind → Client A" in dialog.replaced.text()
    assert "2 entries" in dialog.intro.text()
    assert "Only names this journal knows" in dialog.limits.text()


def test_export_accepts_and_cancel_rejects(qtbot: QtBot, journal: Path) -> None:
    dialog = RedactPreview.for_journal(journal, None)
    qtbot.addWidget(dialog)
    assert dialog.export_button.isDefault()
    dialog.export_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted.value
    other = RedactPreview.for_journal(journal, None)
    qtbot.addWidget(other)
    other.buttons.button(other.buttons.StandardButton.Cancel).click()
    assert other.result() == QDialog.DialogCode.Rejected.value


def test_the_highlight_is_only_on_text_that_replaced_a_name() -> None:
    pseudonyms = Pseudonyms()
    pseudonyms.add("Ann Lee", "Person")
    marked = pseudonyms.marked("Ann met Person A annually")  # a pseudonym written by hand is not highlighted
    preview = redact_preview.Preview("x", marked, [("Ann", "Person A")])
    html = redact_preview.highlighted_html(preview)
    assert html.count(HIGHLIGHT.split(";")[0]) == 1


@pytest.mark.parametrize(("answer", "asked_for_folder"), [(False, False), (True, True)])
def test_a_redacted_export_from_the_menu_asks_for_the_folder_only_after_export(
    qtbot: QtBot, journal: Path, monkeypatch: pytest.MonkeyPatch, answer: bool, asked_for_folder: bool
) -> None:
    shown: list[RedactPreview] = []

    def fake_exec(self: RedactPreview) -> int:
        shown.append(self)
        return (QDialog.DialogCode.Accepted if answer else QDialog.DialogCode.Rejected).value

    asked: list[str] = []
    monkeypatch.setattr(RedactPreview, "exec", fake_exec)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: asked.append("folder") or "")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (asked.append("file") or "", ""))
    assert TransferDialog.export_entries(None, journal, None, redact=True) is None
    assert TransferDialog.export_to_file(None, journal, None, redact=True) is None
    assert len(shown) == 2 and "Person A" in shown[0].body.toPlainText()
    assert asked == (["folder", "file"] if asked_for_folder else [])
    for dialog in shown:
        dialog.deleteLater()


def test_an_export_that_is_not_redacted_shows_no_preview(
    qtbot: QtBot, journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(RedactPreview, "exec", lambda self: pytest.fail("no preview expected"))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a: "")
    assert TransferDialog.export_entries(None, journal, None) is None


def test_a_leak_found_by_the_export_names_the_entry_by_its_title_and_writes_nothing(
    qtbot: QtBot, journal: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Pseudonyms._replace
    # The replacement misses "Priya" (a fault the scan must catch).
    monkeypatch.setattr(
        Pseudonyms, "_replace", lambda self, v, mark: real(self, v.replace("Priya", "\0"), mark).replace("\0", "Priya")
    )
    dialog = TransferDialog.export_entries(None, journal, None, redact=True, folder=tmp_path / "shared")
    assert dialog is not None
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20_000)
    shown = dialog.what.text() + "\n" + dialog.summary.toPlainText()
    assert "redaction left 'Priya' in entry " in shown
    assert " (“Priya's late reply”) field title; nothing was written" in shown
    assert not (tmp_path / "shared").exists()
