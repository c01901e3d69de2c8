"""The account review page: summary first, entries oldest first, notes, Reviewed, feelings, the packet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QSettings
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot

from journal.model import Emotion, PostMortem
from journal.store import Store
from tests.ui.conftest import MakeWindow, ScriptedDialogs
from ui.review.page import ReviewChooser, ReviewPage


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "j.hindsight"
    store = Store.open(path)
    store.insert_many(
        [
            PostMortem(title="Second slip", role="maker", client="Acme", occurred_on="2024-03-01", status="open",
                       emotions=[Emotion("me", "embarrassed", 4)], reflection="Only for me"),
            PostMortem(title="First slip", role="maker", client="Acme", occurred_on="2024-01-01", status="reviewed",
                       causes=["handoff"]),
            PostMortem(title="Third slip", role="receiver", client="Acme", occurred_on="2024-05-01", status="open"),
            PostMortem(title="Not this account", role="maker", client="Globex", occurred_on="2024-02-01"),
        ]
    )
    yield store
    store.close()


def _page(qtbot: QtBot, store: Store, settings: QSettings, **kw: object) -> ReviewPage:
    page = ReviewPage(store, "acme", None, None, settings, **kw)  # type: ignore[arg-type]
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    return page


def test_summary_then_entries_oldest_first_with_next(qtbot: QtBot, store: Store, settings: QSettings) -> None:
    page = _page(qtbot, store, settings)
    assert page.title.text() == "Account review: Acme"
    assert "Entries by severity" in page.summary.toPlainText()
    assert page.progress.text() == "1 of 3 reviewed"
    assert "First slip" in page.entry.toPlainText() and page.position.text() == "Entry 1 of 3"
    assert not page.previous_button.isEnabled()
    page.next_button.click()
    assert "Second slip" in page.entry.toPlainText() and page.position.text() == "Entry 2 of 3"
    page.next_button.click()
    assert "Third slip" in page.entry.toPlainText() and not page.next_button.isEnabled()


def test_mark_reviewed_saves_and_counts(qtbot: QtBot, store: Store, settings: QSettings) -> None:
    page = _page(qtbot, store, settings)
    page.next()
    with qtbot.waitSignal(page.changed) as blocker:
        page.reviewed_button.click()
    second = page.review.entries[1].id
    assert second in blocker.args[0].updated
    assert store.get(second).status == "reviewed"
    assert page.progress.text() == "2 of 3 reviewed" and not page.reviewed_button.isEnabled()


def test_review_note_is_signed_with_the_name_asked_once(qtbot: QtBot, store: Store, settings: QSettings) -> None:
    asked: list[str] = []

    def ask(parent: QWidget) -> str | None:
        asked.append("asked")
        return "Dana"

    page = _page(qtbot, store, settings, author_asker=ask)
    page.note.setPlainText("Bring this to the quarterly call")
    with qtbot.waitSignal(page.changed):
        page.add_note_button.click()
    page.note.setPlainText("And check the hand-over notes")
    with qtbot.waitSignal(page.changed):
        page.add_note_button.click()
    notes = store.get(page.review.entries[0].id).review_notes
    assert [(n.author, n.text) for n in notes] == [
        ("Dana", "Bring this to the quarterly call"), ("Dana", "And check the hand-over notes")
    ]
    assert asked == ["asked"] and settings.value("author") == "Dana"
    assert "Bring this to the quarterly call" in page.entry.toPlainText() and page.note.toPlainText() == ""


def test_private_notes_and_feelings_only_after_asking(qtbot: QtBot, store: Store, settings: QSettings) -> None:
    page = _page(qtbot, store, settings)
    page.next()
    assert "Only for me" not in page.entry.toPlainText() and not page.feelings.isVisible()
    page.private_box.setChecked(True)
    assert "Only for me" in page.entry.toPlainText() and page.feelings.isVisible()
    page._now[0].setValue(2)
    with qtbot.waitSignal(page.changed):
        page.save_feelings()
    assert store.get(page.review.entries[1].id).emotions[0].intensity_now == 2


def test_export_packet_writes_markdown_without_private_notes(qtbot: QtBot, store: Store, settings: QSettings,
                                                             tmp_path: Path) -> None:
    target = tmp_path / "acme.md"
    page = _page(qtbot, store, settings, file_chooser=lambda parent, s, account: target)
    page.private_box.setChecked(True)
    with qtbot.waitSignal(page.exported_to, timeout=20_000):
        page.export_button.click()
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Account review: Acme") and "Only for me" not in text and page.exported == target


def test_chooser_turns_the_to_date_into_an_exclusive_bound(qtbot: QtBot) -> None:
    chooser = ReviewChooser([("Acme", 3), ("Globex", 1)])
    qtbot.addWidget(chooser)
    chooser.account.setCurrentIndex(1)
    chooser.use_to.setChecked(True)
    chooser.to_date.setDate(QDate(2024, 2, 29))
    assert chooser.chosen() == ("Globex", None, "2024-03-01")
    chooser.account.setEditText("acme")
    assert chooser.chosen()[0] == "acme"


def test_window_review_menu_opens_the_page_and_updates_the_list(make_window: MakeWindow, qtbot: QtBot,
                                                                dialogs: ScriptedDialogs) -> None:
    window = make_window()
    assert window.view is not None
    saved, changes = window.view.store.save(PostMortem(title="Late", role="maker", client="Acme", status="open"))
    window.view.apply_changes(changes)
    window.view.open_entry(saved.id)
    menus = [a.text() for a in window.menuBar().actions()]
    assert "&Review" in menus
    assert window.review_account("Initech") is None
    assert dialogs.asked[-1][0] == "error" and "Initech" in dialogs.asked[-1][1]
    page = window.review_account("acme")
    assert page is not None and page.isVisible()
    with qtbot.waitSignal(page.changed):
        page.mark_reviewed()
    assert window.view.store.get(saved.id).status == "reviewed"
    editor = window.view.editor_widget
    assert editor.loads[-1] == saved.id and editor._pm.status == "reviewed"  # type: ignore[attr-defined]


def test_an_account_with_no_entries_in_the_period_says_so(qtbot: QtBot, store: Store, settings: QSettings) -> None:
    page = ReviewPage(store, "Globex", "2025-01-01", None, settings)
    qtbot.addWidget(page)
    assert "No entries for Globex in this period." in page.summary.toPlainText()
    assert page.progress.text() == "0 of 0 reviewed" and page.position.text() == "No entries to walk through."
    assert not page.next_button.isEnabled() and not page.reviewed_button.isEnabled()


def test_export_packet_as_pdf_off_the_gui_thread(qtbot: QtBot, store: Store, settings: QSettings,
                                                 tmp_path: Path) -> None:
    target = tmp_path / "acme.pdf"
    page = _page(qtbot, store, settings, file_chooser=lambda parent, s, account: target)
    with qtbot.waitSignal(page.exported_to, timeout=20_000):
        page.export_button.click()
        assert not page.export_button.isEnabled()  # one packet at a time
    assert target.read_bytes().startswith(b"%PDF") and page.export_button.isEnabled()


def test_the_menu_asks_which_account(make_window: MakeWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    window = make_window()
    assert window.view is not None
    window.view.store.save(PostMortem(title="Late", role="maker", client="Acme", status="open"))
    asked: list[list[tuple[str, int]]] = []

    def fake_exec(chooser: ReviewChooser) -> int:
        asked.append([(chooser.account.itemData(i), 0) for i in range(chooser.account.count())])
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ReviewChooser, "exec", fake_exec)
    window.review_action.trigger()
    assert asked and asked[0][0][0] == "Acme"
    assert window.review_page is not None and window.review_page.review.account == "Acme"
