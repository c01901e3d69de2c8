"""The window fits a laptop screen: nothing scrolls sideways, fields stack when narrow, notes grow."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel, QStyle, QWidget
from pytestqt.qtbot import QtBot

from journal.model import FollowUp, PostMortem, RecoveryStep
from journal.store import Store
from tests.ui.conftest import ScriptedDialogs, add
from tests.ui.show_editor import sample_entry
from ui.app import make_editor
from ui.browse.entry_list import COLUMNS
from ui.editor.editor import EntryEditor
from ui.reflow import FlowRow, GrowingTextEdit
from ui.shell.main_window import JournalPaths, MainWindow
from ui.theme import Theme

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")

LONG_ACTION = (
    "Move the rate table into the CRM so every quote reads the same numbers, and ask finance to sign off "
    "the first month of quotes before the old spreadsheet is archived for good"
)
LONG_NOTE = (
    "Explained the template mix-up plainly on the phone, then in writing the same afternoon, numbers side by side"
)


def long_entry() -> PostMortem:
    """Every part of the form filled (feelings, review notes, make-good), with long follow-ups and notes."""
    base = sample_entry()
    recovery = dict(base.recovery)
    recovery["apology"] = RecoveryStep("done", LONG_NOTE)
    recovery["correction"] = RecoveryStep("done", LONG_NOTE + " " + LONG_NOTE)
    return replace(
        base,
        title="Renewal quote went out with last year's rates, and the client's office manager caught it first",
        client="Harbour Dental Group of the Northern Coast",
        account="Harbour Holdings International",
        recovery=recovery,
        follow_ups=[
            FollowUp(text=LONG_ACTION, owner="Priya Raman-Oyelaran", due_on="2024-04-30", check_on="2024-07-01",
                     check_result="held", status="done", done_on="2024-04-29"),
            FollowUp(text=LONG_ACTION + " " + LONG_ACTION, owner="Sam", due_on="2024-05-15"),
        ],
    )


@pytest.fixture
def bigger_text(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[float]:
    """The app's font at 100 % or 150 % (as a person with large text would have it), put back afterwards."""
    scale = float(request.param)
    before = qapp.font()
    font = qapp.font()
    font.setPointSizeF(before.pointSizeF() * scale)
    qapp.setFont(font)
    yield scale
    qapp.setFont(before)


def open_window(qtbot: QtBot, tmp_path: Path, width: int, height: int, dark: bool, journal: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    theme = Theme(settings)
    theme.set_mode("dark" if dark else "light")
    paths = JournalPaths(mine=journal, demo=tmp_path / "demo.hindsight")
    window = MainWindow(settings, editor_factory=make_editor, paths=paths, dialogs=ScriptedDialogs(), theme=theme)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.list_updated, timeout=10_000):
        assert window.open_path(journal, startup=True)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    return window


def header_text_width(window: MainWindow, column: int) -> int:
    """What the header's words need: the label and the header's margins either side."""
    assert window.view is not None
    header = window.view.list_view.horizontalHeader()
    margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    return QFontMetrics(header.font()).horizontalAdvance(COLUMNS[column]) + 2 * margin


def clipped_in(form: QWidget) -> list[str]:
    """Visible widgets of the form that reach past its right edge (what a sideways scroll would hide)."""
    found = []
    for widget in form.findChildren(QWidget):
        if not widget.isVisibleTo(form) or widget.width() <= 1:
            continue
        right = widget.mapTo(form, widget.rect().topRight()).x()
        if right > form.width():
            found.append(f"{type(widget).__name__} {widget.accessibleName() or widget.objectName()}: {right}")
    return found


@pytest.mark.parametrize(
    ("size", "dark", "bigger_text"),
    [((1024, 700), False, 1.0), ((1280, 800), True, 1.0), ((1024, 700), True, 1.5), ((1280, 800), False, 1.5)],
    indirect=["bigger_text"],
    ids=["1024x700-light", "1280x800-dark", "1024x700-dark-150%", "1280x800-light-150%"],
)
def test_an_open_entry_fits_without_sideways_scrolling(
    qtbot: QtBot, tmp_path: Path, size: tuple[int, int], dark: bool, bigger_text: float
) -> None:
    journal = tmp_path / "mine.hindsight"
    with Store.open(journal) as store:
        for n in range(12):
            add(store, f"Courier {n} lost the samples on the way to the lab", client=f"Northwind Traders {n}",
                severity=1 + n % 5)
        entry, _ = store.save(long_entry())
    window = open_window(qtbot, tmp_path, *size, dark, journal)
    view = window.view
    assert view is not None
    view.open_entry(entry.id)
    editor = view.editor_widget
    assert isinstance(editor, EntryEditor)
    qtbot.waitUntil(lambda: editor.current_id() == entry.id)
    form = editor.form
    qtbot.waitUntil(lambda: form.width() <= editor.scroll_area.viewport().width())
    QApplication.processEvents()

    assert not editor.scroll_area.horizontalScrollBar().isVisible()
    assert clipped_in(form) == []
    cards = form.follow_ups.cards()
    assert len(cards) == 2 and all(c.fields["check_result"].isVisible() for c in cards)  # "Did it hold?" shown
    long_card = cards[1].text
    qtbot.waitUntil(lambda: long_card.verticalScrollBar().maximum() == 0)  # the whole action is on screen
    assert long_card.lines() >= 2
    note = form.recovery["correction"].note
    qtbot.waitUntil(lambda: note.verticalScrollBar().maximum() == 0)  # the recovery note is read whole
    assert note.lines() >= 2

    table = view.list_view
    header = table.horizontalHeader()
    assert not table.horizontalScrollBar().isVisible()
    shown = [c for c in range(len(COLUMNS)) if not header.isSectionHidden(c)]
    assert {0, 1, 3} <= set(shown)  # date, title and role always
    for column in shown:
        assert header.sectionSize(column) >= header_text_width(window, column), COLUMNS[column]
    assert header.sectionSize(1) >= QFontMetrics(table.font()).averageCharWidth() * 15  # Title stays readable


@pytest.mark.parametrize(("size", "bigger_text"), [((1024, 700), 1.0), ((1024, 700), 1.5)], indirect=["bigger_text"])
def test_writing_the_first_entry_gets_the_room(
    qtbot: QtBot, tmp_path: Path, size: tuple[int, int], bigger_text: float
) -> None:
    window = open_window(qtbot, tmp_path, *size, False, tmp_path / "mine.hindsight")
    view = window.view
    assert view is not None and view.showing_welcome
    qtbot.mouseClick(view.welcome.write_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.list_splitter.sizes()[0] < 0.7 * view.list_splitter.sizes()[1])  # the editor leads
    editor = view.editor_widget
    assert isinstance(editor, EntryEditor)
    title = editor.form.title
    placeholder = QFontMetrics(title.font()).horizontalAdvance(title.placeholderText())
    assert placeholder + 16 <= title.width()  # the hint is read whole, not cut
    assert view.list_message.isVisible() and "No entries yet" in view.list_message.text.text()
    assert not editor.scroll_area.horizontalScrollBar().isVisible()


def test_a_flow_row_puts_fields_side_by_side_and_stacks_them_when_narrow(qtbot: QtBot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    row = FlowRow(holder, spacing=10)
    labels = [QLabel(text) for text in ("When", "Whose mistake", "Client")]
    for label in labels:
        row.add(label, 1, 120)
    assert [len(line) for line in row.lines(400)] == [3]
    assert [len(line) for line in row.lines(260)] == [2, 1]
    assert [len(line) for line in row.lines(100)] == [1, 1, 1]
    assert row.heightForWidth(100) > row.heightForWidth(400)
    holder.resize(260, row.heightForWidth(260))
    holder.show()
    qtbot.waitExposed(holder)
    assert all(label.geometry().right() < 260 for label in labels)  # nothing past the edge
    assert labels[0].y() == labels[1].y() < labels[2].y()
    assert labels[0].width() + labels[1].width() + 10 == 260  # a line fills its width


def test_a_growing_note_is_as_tall_as_its_text_and_return_adds_no_line(qtbot: QtBot) -> None:
    edit = GrowingTextEdit()
    edit.setPlaceholderText("Something for the trouble, when the trouble was real.")
    qtbot.addWidget(edit)
    edit.resize(200, edit.height())
    edit.show()
    qtbot.waitExposed(edit)
    one_line = edit.height()
    edit.setText(LONG_NOTE)
    qtbot.waitUntil(lambda: edit.height() > one_line)
    qtbot.waitUntil(lambda: edit.verticalScrollBar().maximum() == 0)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert "\n" not in edit.text()
    edit.setText("")
    assert edit.lines() >= 2  # the placeholder is not cut either, at 200 px it wraps


def test_a_button_alone_on_its_line_sits_at_the_end(qtbot: QtBot) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    row = FlowRow(holder, spacing=10)
    field, button = QLabel("Did it hold?"), QLabel("Remove")
    row.add(field, 1, 200)
    row.add(button, 0, at_end=True)
    holder.resize(220, row.heightForWidth(220))
    holder.show()
    qtbot.waitExposed(holder)
    assert button.y() > field.y() and button.geometry().right() == 219


def test_a_flow_row_grows_when_a_note_in_it_grows(qtbot: QtBot) -> None:
    """Its height is remembered per width, and forgotten as soon as what it holds changes size."""
    holder = QWidget()
    qtbot.addWidget(holder)
    row = FlowRow(holder, spacing=10)
    note, label = GrowingTextEdit(), QLabel("Client")
    row.add(note, 1, 120)
    row.add(label, 0)
    holder.resize(300, row.heightForWidth(300))
    holder.show()
    qtbot.waitExposed(holder)
    before = row.heightForWidth(300)
    note.setText(LONG_NOTE)
    qtbot.waitUntil(lambda: row.heightForWidth(300) > before)
    label.hide()
    qtbot.waitUntil(lambda: len(row.lines(300)[0]) == 1)
    assert row.heightForWidth(300) >= note.height()
