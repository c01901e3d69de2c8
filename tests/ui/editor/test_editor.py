"""The entry editor: what is typed reaches the journal, and nothing typed is ever lost."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import QDate, QEvent, QSettings, Qt, QUrl
from PySide6.QtGui import QHelpEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from journal.markdown import writer as md_writer
from journal.model import Breadsticks, Emotion, FollowUp, Outcome, PostMortem, RecoveryStep, default_recovery
from journal.store import JournalError, Store
from journal.transfer import sync, sync_state
from tests.ui.show_editor import sample_entry
from ui.app import make_editor
from ui.background import Task
from ui.editor.editor import AUTOSAVE_MS, EntryEditor
from ui.editor.followups_table import COLUMNS
from ui.editor.hints import hint_at
from ui.shell.conflict_dialog import Conflict, ConflictChoice
from ui.shell.main_window import JournalPaths, MainWindow

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")

DISK_FULL = "the disk holding journal.hindsight is full; nothing was saved, free space and retry"


@pytest.fixture
def store(tmp_path: Any) -> Iterator[Store]:
    with Store.open(tmp_path / "journal.hindsight") as opened:
        yield opened


@pytest.fixture
def other(store: Store) -> Iterator[Store]:
    """Another program with the same journal open."""
    with Store.open(store.path) as opened:
        yield opened


class Asker:
    """Stands in for the conflict dialog: answers as told and remembers what it was shown."""

    def __init__(self, answer: ConflictChoice = None) -> None:
        self.answer = answer
        self.asked: list[Conflict] = []

    def __call__(self, parent: object, conflict: Conflict) -> ConflictChoice:
        self.asked.append(conflict)
        return self.answer


@pytest.fixture
def asker() -> Asker:
    return Asker()


@pytest.fixture
def editor(qtbot: QtBot, store: Store, asker: Asker) -> Iterator[EntryEditor]:
    widget = EntryEditor(store)
    widget.ask_conflict = asker
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    yield widget
    widget.shutdown()  # before the store fixture closes the journal


@pytest.fixture
def statuses(editor: EntryEditor) -> list[str]:
    seen: list[str] = []
    editor.status_changed.connect(seen.append)
    return seen


def add(store: Store, **fields: Any) -> PostMortem:
    saved, _ = store.save(PostMortem(**{"title": "Invoice sent to the wrong contact", **fields}))
    return saved


def titles(store: Store) -> list[str]:
    return sorted(s.title for s in store.search(""))


# --- autosave ----------------------------------------------------------------------------------------


def test_typing_reaches_the_journal_without_saving(
    editor: EntryEditor, store: Store, qtbot: QtBot, statuses: list[str]
) -> None:
    entry = add(store)
    editor.load(entry.id)
    assert AUTOSAVE_MS <= 1000 and editor.autosave_ms == AUTOSAVE_MS
    qtbot.keyClicks(editor.form.what_happened.edit, "Sent at 17:05, after the cutoff.")
    qtbot.waitUntil(lambda: store.get(entry.id).what_happened == "Sent at 17:05, after the cutoff.", timeout=3000)
    qtbot.waitUntil(lambda: editor.status() == "Saved")
    assert statuses == ["Saving…", "Saved"]  # one save after typing paused, not one per key
    assert store.get(entry.id).revision == 2
    assert not editor.has_unsaved_changes()


def test_flush_saves_at_once(editor: EntryEditor, store: Store, qtbot: QtBot) -> None:
    entry = add(store)
    editor.load(entry.id)
    editor.autosave_ms = 60_000
    qtbot.keyClicks(editor.form.impact.edit, "Their month-end close slipped a day")
    assert store.get(entry.id).impact == ""
    with qtbot.waitSignal(editor.saved) as saved:
        assert editor.flush()
    assert store.get(entry.id).impact == "Their month-end close slipped a day"
    assert saved.args is not None and saved.args[0].updated == (entry.id,)
    assert editor.status() == "Saved"
    with qtbot.assertNotEmitted(editor.saved):
        assert editor.flush()  # nothing pending: nothing written


def test_typing_during_a_save_is_saved_too(editor: EntryEditor, store: Store, qtbot: QtBot) -> None:
    entry = add(store)
    editor.load(entry.id)
    editor.autosave_ms = 10
    qtbot.keyClicks(editor.form.what_happened.edit, "first part")
    qtbot.waitUntil(lambda: editor.status() == "Saving…")
    qtbot.keyClicks(editor.form.what_happened.edit, ", second part")
    qtbot.waitUntil(lambda: store.get(entry.id).what_happened == "first part, second part", timeout=3000)
    qtbot.waitUntil(lambda: editor.status() == "Saved")


def test_a_new_entry_is_created_once_it_has_a_title(editor: EntryEditor, store: Store, qtbot: QtBot) -> None:
    editor.autosave_ms = 10
    editor.new_entry("receiver")
    assert editor.current_id() is None
    assert editor.form.role() == "receiver"
    qtbot.keyClicks(editor.form.what_happened.edit, "The courier left the parcel at the wrong door")
    qtbot.waitUntil(lambda: editor.status() == "Not saved yet: give it a title")
    assert store.entry_count() == 0
    assert editor.form.title_message.isVisible()
    with qtbot.waitSignal(editor.saved, timeout=3000) as saved:
        qtbot.keyClicks(editor.form.title, "Parcel left at the wrong door")
    assert saved.args is not None
    [created] = saved.args[0].created
    assert editor.current_id() == created
    entry = store.get(created)
    assert (entry.title, entry.role, entry.what_happened) == (
        "Parcel left at the wrong door", "receiver", "The courier left the parcel at the wrong door"
    )
    assert not editor.form.title_message.isVisible()
    qtbot.keyClicks(editor.form.impact.edit, "A day without the spare part")
    qtbot.waitUntil(lambda: store.get(created).impact == "A day without the spare part", timeout=3000)
    assert store.entry_count() == 1  # later saves update the same entry


def test_an_emptied_title_keeps_the_old_one_and_says_so(editor: EntryEditor, store: Store, qtbot: QtBot) -> None:
    entry = add(store)
    editor.load(entry.id)
    editor.form.title.selectAll()
    qtbot.keyClick(editor.form.title, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor.form.impact.edit, "Two days of back-and-forth")
    assert editor.flush()
    saved = store.get(entry.id)
    assert saved.title == entry.title
    assert saved.impact == "Two days of back-and-forth"
    assert editor.form.title.text() == ""  # what the user did stays on screen
    assert editor.form.title_message.isVisible()
    assert "title" in editor.form.title_message.text()


# --- switching entries, clearing, closing ---------------------------------------------------------------


def test_loading_another_entry_keeps_the_edits(editor: EntryEditor, store: Store, qtbot: QtBot) -> None:
    first, second = add(store, title="First"), add(store, title="Second")
    editor.load(first.id)
    editor.autosave_ms = 60_000
    qtbot.keyClicks(editor.form.contributing_factors.edit, "Two people thought the other had it")
    editor.load(second.id)
    assert store.get(first.id).contributing_factors == "Two people thought the other had it"
    assert editor.current_id() == second.id
    assert editor.form.title.text() == "Second"
    assert editor.form.contributing_factors.text() == ""


def test_clear_and_close_keep_the_edits(editor: EntryEditor, store: Store, qtbot: QtBot) -> None:
    entry = add(store)
    editor.load(entry.id)
    editor.autosave_ms = 60_000
    qtbot.keyClicks(editor.form.reflection.edit, "I was tired and it showed")
    editor.clear()
    assert store.get(entry.id).reflection == "I was tired and it showed"
    assert editor.current_id() is None
    assert editor.pages.currentWidget() is editor.empty
    editor.load(entry.id)
    editor.form.reflection.edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor.form.reflection.edit, ", so I will ask for help sooner")
    editor.close()
    assert store.get(entry.id).reflection == "I was tired and it showed, so I will ask for help sooner"


def test_switching_away_from_an_untitled_draft_keeps_its_text(
    editor: EntryEditor, store: Store, qtbot: QtBot
) -> None:
    kept = add(store, title="Kept")
    editor.autosave_ms = 60_000
    editor.new_entry()
    qtbot.keyClicks(editor.form.what_happened.edit, "Wrote this before I knew what to call it")
    editor.load(kept.id)
    drafts = [s for s in store.search("") if s.title.startswith("Untitled draft")]
    assert len(drafts) == 1
    assert store.get(drafts[0].id).what_happened == "Wrote this before I knew what to call it"
    assert editor.current_id() == kept.id


def test_a_draft_typed_and_erased_leaves_nothing(editor: EntryEditor, store: Store, qtbot: QtBot) -> None:
    kept = add(store, title="Kept")
    editor.autosave_ms = 60_000
    editor.new_entry()
    qtbot.keyClicks(editor.form.what_happened.edit, "oops")
    for _ in "oops":
        qtbot.keyClick(editor.form.what_happened.edit, Qt.Key.Key_Backspace)
    editor.load(kept.id)
    assert titles(store) == ["Kept"]


# --- conflicts ----------------------------------------------------------------------------------------------


def edit_elsewhere(other: Store, entry_id: str, **fields: Any) -> PostMortem:
    saved, _ = other.save(replace(other.get(entry_id), **fields))
    return saved


def test_keep_mine_saves_mine_on_top_and_keeps_theirs_aside(
    editor: EntryEditor, store: Store, other: Store, asker: Asker, qtbot: QtBot
) -> None:
    entry = add(store, what_happened="start")
    editor.load(entry.id)
    editor.autosave_ms = 60_000
    theirs = edit_elsewhere(other, entry.id, what_happened="their words")
    editor.form.what_happened.edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor.form.what_happened.edit, " and mine")
    asker.answer = "mine"
    assert editor.flush()
    [conflict] = asker.asked
    assert (conflict.my_revision, conflict.their_revision) == (1, 2)
    assert conflict.their_updated_at == theirs.updated_at
    saved = store.get(entry.id)
    assert saved.what_happened == "start and mine"
    assert saved.revision == 3
    [aside] = [s for s in store.search("") if s.id != entry.id]
    assert aside.title == f"{entry.title} (version saved elsewhere)"
    assert store.get(aside.id).what_happened == "their words"
    assert "version saved elsewhere" in editor.notice.text()
    assert editor.status() == "Saved"


def test_take_theirs_shows_theirs_and_keeps_mine_as_a_draft(
    editor: EntryEditor, store: Store, other: Store, asker: Asker, qtbot: QtBot
) -> None:
    entry = add(store, what_happened="start", status="open")
    editor.load(entry.id)
    editor.autosave_ms = 60_000
    edit_elsewhere(other, entry.id, what_happened="their words")
    editor.form.what_happened.edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor.form.what_happened.edit, " and mine")
    asker.answer = "theirs"
    with qtbot.waitSignal(editor.saved) as saved:
        assert editor.flush()
    assert editor.form.what_happened.text() == "their words"
    assert editor.current_id() == entry.id
    assert store.get(entry.id).what_happened == "their words"
    assert saved.args is not None
    [copy_id] = saved.args[0].created
    copy = store.get(copy_id)
    assert copy.title == f"{entry.title} (my unsaved version)"
    assert (copy.what_happened, copy.status) == ("start and mine", "draft")
    assert copy.title in editor.notice.text()
    qtbot.keyClicks(editor.form.impact.edit, "later edit")
    assert editor.flush()  # carries on from their revision without asking again
    assert len(asker.asked) == 1


def test_deciding_later_saves_nothing_and_loses_nothing(
    editor: EntryEditor, store: Store, other: Store, asker: Asker, qtbot: QtBot
) -> None:
    entry, elsewhere = add(store, what_happened="start"), add(store, title="Elsewhere")
    editor.load(entry.id)
    editor.autosave_ms = 60_000
    edit_elsewhere(other, entry.id, what_happened="their words")
    editor.form.what_happened.edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor.form.what_happened.edit, " and mine")
    assert not editor.flush()
    assert editor.status().startswith("Not saved")
    assert store.get(entry.id).what_happened == "their words"
    assert editor.form.what_happened.text() == "start and mine"
    editor.load(elsewhere.id)
    assert editor.current_id() == entry.id  # stays on the unsaved entry
    assert editor.notice.isVisible()
    asker.answer = "mine"
    assert editor.flush()
    assert store.get(entry.id).what_happened == "start and mine"


def test_a_conflict_found_by_autosave_asks_too(
    editor: EntryEditor, store: Store, other: Store, asker: Asker, qtbot: QtBot
) -> None:
    entry = add(store, what_happened="start")
    editor.load(entry.id)
    editor.autosave_ms = 10
    edit_elsewhere(other, entry.id, what_happened="their words")
    asker.answer = "mine"
    editor.form.what_happened.edit.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor.form.what_happened.edit, " and mine")
    qtbot.waitUntil(lambda: store.get(entry.id).what_happened == "start and mine", timeout=3000)
    assert len(asker.asked) == 1


def test_trashed_elsewhere_just_carries_on(
    editor: EntryEditor, store: Store, other: Store, asker: Asker, qtbot: QtBot
) -> None:
    entry = add(store)
    editor.load(entry.id)
    editor.autosave_ms = 60_000
    other.trash([entry.id])
    qtbot.keyClicks(editor.form.impact.edit, "typed after the trash")
    assert editor.flush()
    saved = store.get(entry.id)
    assert saved.impact == "typed after the trash"
    assert saved.deleted  # still in the trash: the editor never restores by itself
    assert asker.asked == []


def test_removed_for_good_elsewhere_is_saved_again(
    editor: EntryEditor, store: Store, other: Store, asker: Asker, qtbot: QtBot
) -> None:
    entry = add(store)
    editor.load(entry.id)
    editor.autosave_ms = 60_000
    other.trash([entry.id])
    other.empty_trash()
    qtbot.keyClicks(editor.form.impact.edit, "still typing")
    assert editor.flush()
    assert store.get(entry.id).impact == "still typing"
    assert asker.asked == []


# --- store errors -------------------------------------------------------------------------------------------


def test_a_store_error_is_shown_and_the_text_stays(
    editor: EntryEditor, store: Store, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry, elsewhere = add(store), add(store, title="Elsewhere")
    editor.load(entry.id)
    editor.autosave_ms = 10

    def disk_full(task: Task, pm: PostMortem) -> Any:
        raise JournalError(DISK_FULL)

    monkeypatch.setattr("ui.editor.editor.save_entry", disk_full)
    qtbot.keyClicks(editor.form.what_happened.edit, "Every word of this matters")
    qtbot.waitUntil(lambda: editor.status() == f"Could not save: {DISK_FULL}", timeout=3000)
    assert editor.form.what_happened.text() == "Every word of this matters"
    assert not editor.flush()
    editor.load(elsewhere.id)
    assert editor.current_id() == entry.id
    assert "not saved yet" in editor.notice.text()
    monkeypatch.undo()  # space was freed
    qtbot.keyClicks(editor.form.what_happened.edit, "!")  # the next change retries
    qtbot.waitUntil(lambda: store.get(entry.id).what_happened == "Every word of this matters!", timeout=3000)
    qtbot.waitUntil(lambda: editor.status() == "Saved")


# --- big text ---------------------------------------------------------------------------------------------------


def test_a_5mb_paste_is_kept_exactly_and_saved(editor: EntryEditor, store: Store, qtbot: QtBot) -> None:
    entry = add(store)
    editor.load(entry.id)
    editor.autosave_ms = 60_000
    line = "At 09:14 the second batch went out with the old price list attached — ü, 漢字, 🙂.\n"
    big = (line * (5_000_000 // len(line) + 1))[:5_000_000]
    QApplication.clipboard().setText(big)
    field = editor.form.what_happened
    field.edit.setFocus()
    field.edit.paste()
    assert field.text() == big
    assert editor.flush()
    assert store.get(entry.id).what_happened == big


# --- every field, through the widgets --------------------------------------------------------------------------------


def test_every_field_round_trips_through_the_widgets(editor: EntryEditor, store: Store, qtbot: QtBot) -> None:
    form = editor.form
    editor.autosave_ms = 60_000
    editor.new_entry()
    qtbot.keyClicks(form.title, "Newsletter went out with the wrong event date")
    form.occurred_on.setDate(QDate(2024, 2, 29))
    qtbot.mouseClick(form.receiver_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.client, "Lantern Print")
    qtbot.keyClicks(form.account, "Lantern Group")
    form.severity.setCurrentIndex(form.severity.findData(4))
    form.status.setCurrentIndex(form.status.findData("resolved"))
    form.detection.setCurrentIndex(form.detection.findData("public"))
    qtbot.keyClicks(form.what_happened.edit, "The proof said *March 3*; the print said March 30.")
    qtbot.keyClicks(form.impact.edit, "Forty people came on the wrong day.")
    qtbot.keyClicks(form.contributing_factors.edit, "Proofs were approved from a phone screen.")
    qtbot.mouseClick(form.causes.chip("communication"), Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.causes.add_edit, "print deadline")
    qtbot.keyClick(form.causes.add_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(form.tags.add_edit, "newsletter")
    qtbot.keyClick(form.tags.add_edit, Qt.Key.Key_Return)
    feeling = form.feelings.add_row()
    feeling.who.setCurrentIndex(feeling.who.findData("me"))
    qtbot.keyClicks(feeling.name, "annoyed")
    feeling.intensity.setValue(4)
    feeling.now.setCurrentIndex(feeling.now.findData(1))
    form.response_style.setCurrentIndex(form.response_style.findData("deflected"))
    step = form.recovery["correction"]
    step.state.setCurrentIndex(step.state.findData("done"))
    qtbot.keyClicks(step.note, "Reprint with a correction slip")
    form.recovery["acceptance"].state.setCurrentIndex(form.recovery["acceptance"].state.findData("n/a"))
    qtbot.keyClicks(form.offered.edit, "Half price on the reprint")
    form.kind.setCurrentIndex(form.kind.findData("discount"))
    form.accepted.setCurrentIndex(form.accepted.findData("yes"))
    qtbot.keyClicks(form.cost, "80")
    qtbot.keyClicks(form.currency, "EUR")
    qtbot.keyClicks(form.hours, "0.5")
    qtbot.keyClicks(form.wished_for.edit, "A phone call before the reprint")
    qtbot.mouseClick(form.follow_ups.add_button, Qt.MouseButton.LeftButton)
    model = form.follow_ups.model
    for name, value in (
        ("text", "Ask for PDF proofs"), ("owner", "Jo"), ("due_on", "2024-03-08"), ("status", "done"),
        ("done_on", "2024-03-07"), ("check_on", "2024-06-01"), ("check_result", "held"),
    ):
        assert model.setData(model.index(0, COLUMNS.index(name)), value, Qt.ItemDataRole.EditRole)
    lesson = form.lessons.add_row()
    qtbot.keyClicks(lesson.edit, "Check dates on the printed proof")
    qtbot.keyClicks(form.reflection.edit, "I wanted to blame the printer at first.")
    note = form.review_notes.add_row()
    qtbot.keyClicks(note.author, "Ines")
    qtbot.keyClicks(note.text, "Add a second reader for anything printed")
    form.client_retained.setCurrentIndex(form.client_retained.findData("no"))
    form.satisfaction.setCurrentIndex(form.satisfaction.findData(2))

    assert editor.flush()
    entry_id = editor.current_id()
    assert entry_id is not None
    saved = store.get(entry_id)
    recovery = default_recovery()
    recovery["correction"] = RecoveryStep("done", "Reprint with a correction slip")
    recovery["acceptance"] = RecoveryStep("n/a", "")
    expected = PostMortem(
        id=entry_id,
        title="Newsletter went out with the wrong event date",
        occurred_on="2024-02-29",
        role="receiver",
        client="Lantern Print",
        account="Lantern Group",
        severity=4,
        status="resolved",
        detection="public",
        what_happened="The proof said *March 3*; the print said March 30.",
        impact="Forty people came on the wrong day.",
        contributing_factors="Proofs were approved from a phone screen.",
        causes=["communication", "print deadline"],
        tags=["newsletter"],
        response_style="deflected",
        emotions=[Emotion("me", "annoyed", 4, 1)],
        recovery=recovery,
        breadsticks=Breadsticks(
            "Half price on the reprint", "discount", 80.0, "EUR", 0.5, "yes", "A phone call before the reprint"
        ),
        follow_ups=[FollowUp(saved.follow_ups[0].id, "Ask for PDF proofs", "Jo", "2024-03-08", "done",
                             "2024-03-07", "2024-06-01", "held")],
        lessons=["Check dates on the printed proof"],
        reflection="I wanted to blame the printer at first.",
        review_notes=[replace(saved.review_notes[0], author="Ines", text="Add a second reader for anything printed")],
        outcome=Outcome("no", 2),
        created_at=saved.created_at,
        updated_at=saved.updated_at,
        revision=1,
    )
    assert saved == expected
    assert saved.review_notes[0].written_at
    # and it shows again exactly as saved, custom cause chip included
    editor.clear()
    editor.load(entry_id)
    assert form.causes.labels() == ["communication", "print deadline"]
    assert form.collect(saved, is_new=False)[0] == saved


def test_role_toggle_is_saved(editor: EntryEditor, store: Store, qtbot: QtBot) -> None:
    entry = add(store)
    editor.load(entry.id)
    qtbot.mouseClick(editor.form.receiver_button, Qt.MouseButton.LeftButton)
    assert editor.flush()
    assert store.get(entry.id).role == "receiver"
    assert editor.form.wished_for.label.text() == "What would have made it right for me"


def test_client_names_are_offered_for_completion(editor: EntryEditor, store: Store, qtbot: QtBot) -> None:
    add(store, client="Northwind Dental")
    add(store, client="Northgate Legal", account="Northgate Holdings")
    editor.new_entry()  # the names are read on another thread and arrive a moment later
    accounts = editor.form.account.completer().model()
    qtbot.waitUntil(lambda: "Northgate Holdings" in accounts.stringList())  # type: ignore[attr-defined]
    completer = editor.form.client.completer()
    completer.setCompletionPrefix("north")
    found = {completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())}
    assert found == {"Northwind Dental", "Northgate Legal"}


def test_preview_links_go_to_the_injected_opener(editor: EntryEditor, store: Store) -> None:
    entry = add(store, what_happened="[ticket](https://example.com/t/7) and [bad](javascript:alert(1))")
    editor.load(entry.id)
    opened: list[QUrl] = []
    editor.set_link_opener(opened.append)
    field = editor.form.what_happened
    field.preview_button.click()
    assert "alert" not in field.browser.toHtml()
    field.browser.anchorClicked.emit(QUrl("javascript:alert(1)"))
    field.browser.anchorClicked.emit(QUrl("https://example.com/t/7"))
    assert opened == [QUrl("https://example.com/t/7")]
    assert field.browser.refused == []


def test_a_filled_entry_shows_every_section(editor: EntryEditor, store: Store) -> None:
    saved, _ = store.save(sample_entry())
    editor.load(saved.id)
    form = editor.form
    assert form.title.text() == saved.title
    assert [row.value() for row in form.feelings.rows()] == saved.emotions
    assert form.follow_ups.model.rowCount() == len(saved.follow_ups)
    assert [row.value() for row in form.lessons.rows()] == saved.lessons
    assert [row.value() for row in form.review_notes.rows()] == saved.review_notes
    assert not editor.has_unsaved_changes()  # showing is not editing


def test_loading_a_missing_entry_says_so(editor: EntryEditor, store: Store, qtbot: QtBot) -> None:
    entry = add(store)
    editor.load(entry.id)
    editor.load("00000000-0000-4000-8000-000000000000")
    assert editor.current_id() is None
    assert editor.pages.currentWidget() is editor.empty
    assert editor.status() == "That entry is no longer in the journal"


def test_hostile_markdown_in_every_field_previews_inert(editor: EntryEditor, store: Store) -> None:
    hostile = (
        "<script>alert(1)</script><img src=http://tracker.example/p.png>![f](file:///etc/passwd)"
        "[go](javascript:alert(1)) <iframe src=https://evil.example></iframe>"
    )
    entry = add(store, what_happened=hostile, impact=hostile, contributing_factors=hostile, reflection=hostile,
                breadsticks=Breadsticks(offered=hostile, wished_for=hostile))
    editor.load(entry.id)
    for field in editor.form.markdown_fields():
        field.preview_button.click()
        html = field.browser.toHtml().lower()
        assert "alert" not in html and "<img" not in html and "javascript" not in html, field.label.text()
        assert field.browser.refused == [], field.label.text()
        assert field.text() == hostile  # the text itself is kept exactly


# --- "you have seen this before", blameless hints, sync conflicts ------------------------------------------------


def test_a_draft_like_an_old_entry_suggests_it_and_a_click_opens_it_through_the_shell(
    qtbot: QtBot, store: Store, tmp_path: Any
) -> None:
    old = add(store, title="Courier left the pallets at the wrong gate", client="Nordvik", occurred_on="2023-04-02",
              what_happened="The courier left the pallets at the harbour's north gate instead of the depot.")
    add(store, title="Quarterly report had last year's figures", client="Brightwater", occurred_on="2023-05-02")
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, editor_factory=make_editor,
                        paths=JournalPaths(mine=store.path, demo=tmp_path / "demo.hindsight"))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.list_updated):
        window.open_path(store.path)
    view = window.view
    assert view is not None
    editor = view.editor_widget
    assert isinstance(editor, EntryEditor)
    editor.autosave_ms = 60_000
    window.new_action.trigger()
    assert editor.similar.isHidden()
    with qtbot.waitSignal(editor.similar.updated, timeout=10_000):
        qtbot.keyClicks(editor.form.title, "Pallets at the wrong gate again")
        qtbot.keyClicks(editor.form.client, "Nordvik")
        qtbot.keyClicks(editor.form.what_happened.edit, "The courier went to the harbour gate.")
    assert [s.id for s, _, _ in editor.similar.results][:1] == [old.id]
    assert len(editor.similar.results) <= 3 and not editor.similar.isHidden()
    [first, *_] = editor.similar.rows()
    # The draft is saved first (and remembered as open, with its new id), then the old entry opens.
    with qtbot.waitSignal(view.current_entry_changed, check_params_cb=lambda entry_id: entry_id == old.id):
        first.linkActivated.emit(old.id)
    assert editor.current_id() == old.id and editor.form.title.text() == old.title
    assert "Pallets at the wrong gate again" in titles(store)  # the draft was saved before leaving it


def test_nothing_similar_shows_no_panel(editor: EntryEditor, store: Store, qtbot: QtBot) -> None:
    add(store, title="Quarterly report had last year's figures", client="Brightwater")
    editor.new_entry()
    with qtbot.waitSignal(editor.similar.updated, timeout=10_000):
        qtbot.keyClicks(editor.form.title, "Zebra xylophone quandary")
    assert editor.similar.results == [] and editor.similar.isHidden()


def test_blaming_words_are_underlined_with_the_rewrite_on_hover(editor: EntryEditor, qtbot: QtBot) -> None:
    editor.new_entry()
    edit = editor.form.what_happened.edit
    qtbot.keyClicks(edit, "The batch went out late. Honestly it was their fault.")
    block = edit.document().firstBlock()
    wavy = QTextCharFormat.UnderlineStyle.WaveUnderline
    formats = [f for f in block.layout().formats() if f.format.underlineStyle() == wavy]
    assert [block.text()[f.start : f.start + f.length] for f in formats] == ["it was their fault"]
    QToolTip.hideText()
    cursor = QTextCursor(block)
    cursor.setPosition(block.text().index("their") + 1)
    where = edit.cursorRect(cursor).center()
    QApplication.sendEvent(edit.viewport(), QHelpEvent(QEvent.Type.ToolTip, where, edit.viewport().mapToGlobal(where)))
    assert "Try:" in QToolTip.text()
    hint = hint_at(edit.document(), cursor.position(), "what_happened")
    assert hint is not None and hint.suggestion in QToolTip.text()


def test_only_the_paragraphs_on_screen_are_read_for_hints(editor: EntryEditor, qtbot: QtBot) -> None:
    editor.new_entry()
    field = editor.form.what_happened
    lines = [f"Line {n}: the queue was long." for n in range(3000)] + ["In the end it was their fault."]
    field.edit.setPlainText("\n".join(lines))
    hinter = editor.form.hinters["what_happened"]
    assert hinter.analysed < 100  # not 3,001 paragraphs
    last = field.edit.document().lastBlock()
    assert not last.layout().formats()
    field.edit.moveCursor(QTextCursor.MoveOperation.End)  # scrolls the end into view
    qtbot.waitUntil(lambda: bool(last.layout().formats()))
    assert hinter.analysed < 200


def test_a_follow_up_nobody_can_act_on_is_explained_on_hover(editor: EntryEditor) -> None:
    editor.new_entry()
    model = editor.form.follow_ups.model
    model.insertRows(0, 1)
    model.setData(model.index(0, COLUMNS.index("text")), "Be more careful with the exports")
    tip = model.index(0, COLUMNS.index("text")).data(Qt.ItemDataRole.ToolTipRole)
    assert "Nobody can tell when this is done" in tip and "no owner" in tip and "Try:" in tip
    model.setData(model.index(0, COLUMNS.index("text")), "Add a second reader to the export checklist")
    model.setData(model.index(0, COLUMNS.index("owner")), "Sam")
    model.setData(model.index(0, COLUMNS.index("due_on")), "2030-01-01")
    assert model.index(0, COLUMNS.index("text")).data(Qt.ItemDataRole.ToolTipRole) is None


def _conflicted(store: Store, tmp_path: Any) -> tuple[PostMortem, Any]:
    entry = add(store, what_happened="Journal side of the story.")
    folder_copy = tmp_path / "entry.conflict-abc.md"
    folder_side = replace(entry, what_happened="Folder side of the story.")
    folder_copy.write_text(md_writer.render(folder_side), encoding="utf-8")
    sync_state.add_conflict(store, entry.id, str(tmp_path), str(folder_copy), "", True)
    return entry, folder_copy


def test_a_conflicted_entry_shows_the_choice_and_keep_mine_settles_it(
    editor: EntryEditor, store: Store, qtbot: QtBot, tmp_path: Any
) -> None:
    entry, folder_copy = _conflicted(store, tmp_path)
    editor.load(entry.id)
    assert editor.conflict_bar.isVisible() and folder_copy.name in editor.conflict_bar.label.text()
    with qtbot.waitSignal(editor.conflict_resolved):
        qtbot.mouseClick(editor.conflict_bar.keep_button, Qt.MouseButton.LeftButton)
    assert not editor.conflict_bar.isVisible() and sync.list_conflicts(store) == []
    assert store.get(entry.id).what_happened == "Journal side of the story."


def test_take_the_folders_version_shows_it_and_keeps_mine_as_a_draft(
    editor: EntryEditor, store: Store, qtbot: QtBot, tmp_path: Any
) -> None:
    entry, _ = _conflicted(store, tmp_path)
    editor.load(entry.id)
    with qtbot.waitSignal(editor.conflict_resolved):
        qtbot.mouseClick(editor.conflict_bar.take_button, Qt.MouseButton.LeftButton)
    assert editor.form.what_happened.text() == "Folder side of the story."
    assert store.get(entry.id).what_happened == "Folder side of the story."
    kept = [s for s in store.search("") if s.id != entry.id]
    assert len(kept) == 1 and store.get(kept[0].id).what_happened == "Journal side of the story."
    assert sync.list_conflicts(store) == [] and not editor.conflict_bar.isVisible()
