"""The journal on screen with the Patterns view wired in: evidence in the list, recomputing only when it matters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from journal import demo
from journal.changes import Changes
from journal.store import Store
from tests.ui.conftest import MakeWindow, add
from tests.ui.fake_editor import FakeEditor
from ui.browse.sidebar import ALL, PATTERNS, TRASH
from ui.editor.empty_state import EMPTY_TEXT
from ui.shell.journal_view import JournalView
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("patterns") / "demo.hindsight"
    with Store.open(path) as store:
        demo.populate(store, entries=400, seed=5)
    return path


@pytest.fixture
def journal(demo_file: Path, tmp_path: Path) -> Path:
    """A fresh copy per test: the tests move entries to the Trash."""
    path = tmp_path / "journal.hindsight"
    shutil.copy(demo_file, path)
    return path


def view_of(window: MainWindow) -> JournalView:
    assert window.view is not None
    return window.view


def open_patterns(qtbot: QtBot, window: MainWindow) -> JournalView:
    view = view_of(window)
    window.show()
    with qtbot.waitSignal(view.patterns_updated, timeout=20_000):
        view.sidebar.select(PATTERNS)
    assert view.showing_patterns and view.patterns is not None
    return view


def dates_of(journal: Path, ids: list[str]) -> list[str]:
    with Store.open(journal) as store:
        summaries = store.summaries(ids)
    return [summaries[i].occurred_on for i in ids]


def test_clicking_a_card_lists_exactly_its_evidence_and_back_restores_all(
    qtbot: QtBot, make_window: MakeWindow, journal: Path, qtmodeltester: ModelTester
) -> None:
    window = make_window(journal)
    view = open_patterns(qtbot, window)
    assert view.patterns is not None
    card = view.patterns.cards()[1]
    with qtbot.waitSignal(window.list_updated):
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    shown = view.model.ids()
    assert sorted(shown) == sorted(set(card.pattern.evidence))
    assert dates_of(journal, shown) == sorted(dates_of(journal, shown), reverse=True)
    assert not view.showing_patterns
    banner = view.evidence_banner
    assert banner.isVisible()
    assert banner.label.text() == f"Showing {len(shown)} entries behind: {card.pattern.sentence}"
    assert view.search.count_label.text() == f"{len(shown)} entries"
    qtmodeltester.check(view.model)
    with qtbot.waitSignal(window.list_updated):
        qtbot.mouseClick(banner.all_button, Qt.MouseButton.LeftButton)
    assert view.model.rowCount() == 400
    assert not banner.isVisible()
    assert view.sidebar.current_filter == ALL


def test_clicking_a_bar_lists_its_evidence_newest_first_and_back_to_patterns(
    qtbot: QtBot, make_window: MakeWindow, journal: Path
) -> None:
    window = make_window(journal)
    view = open_patterns(qtbot, window)
    assert view.patterns is not None
    causes = next(c for c in view.patterns.chart_widgets() if c.chart.key == "causes")
    segment = causes.segments()[0]
    expected = causes.chart.bars[segment.bar].evidence[segment.series]
    with qtbot.waitSignal(window.list_updated):
        qtbot.mouseClick(causes, Qt.MouseButton.LeftButton, pos=segment.rect.center().toPoint())
    shown = view.model.ids()
    assert sorted(shown) == sorted(expected)
    assert dates_of(journal, shown) == sorted(dates_of(journal, shown), reverse=True)  # newest first
    assert f"behind: Top causes: {causes.chart.bars[segment.bar].label}" in view.evidence_banner.label.text()
    with qtbot.assertNotEmitted(view.patterns_updated):  # nothing changed: the analysis on screen is still true
        qtbot.mouseClick(view.evidence_banner.patterns_button, Qt.MouseButton.LeftButton)
    assert view.showing_patterns


def test_a_new_search_leaves_the_evidence_for_all_entries(qtbot: QtBot, make_window: MakeWindow, journal: Path) -> None:
    window = make_window(journal)
    view = open_patterns(qtbot, window)
    assert view.patterns is not None
    with qtbot.waitSignal(window.list_updated):
        qtbot.mouseClick(view.patterns.cards()[0], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.list_updated):
        view.search.field.setText("zzz-nothing-matches")
    assert view.model.rowCount() == 0 and not view.evidence_banner.isVisible()
    assert view.sidebar.current_filter == ALL


def test_patterns_are_not_recomputed_by_saves_only_once_when_shown_after_changes(
    qtbot: QtBot, make_window: MakeWindow, journal: Path
) -> None:
    window = make_window(journal)
    view = open_patterns(qtbot, window)
    assert view.patterns is not None
    editor = view.editor_widget
    # Back to the list and to Patterns with nothing new since: the analysis on screen stays.
    with qtbot.waitSignal(window.list_updated):
        view.sidebar.select(ALL)
    with qtbot.assertNotEmitted(view.patterns.started):
        view.sidebar.select(PATTERNS)
    # The autosave of an entry left open lands while Patterns is on screen: no new analysis.
    with qtbot.assertNotEmitted(view.patterns.started):
        view.editor.load(view.model.ids()[0])
        editor.title.setText("Renamed while the patterns show")  # type: ignore[attr-defined]
        editor._dirty = True  # type: ignore[attr-defined]
        assert view.save_now()
    with qtbot.waitSignal(window.list_updated):
        view.sidebar.select(ALL)
    # Many keystroke saves while the list shows: not one analysis each, one when Patterns is shown again.
    started: list[int] = []
    view.patterns.started.connect(lambda: started.append(1))
    for n in range(5):
        editor.title.setText(f"Typing, save {n}")  # type: ignore[attr-defined]
        editor._dirty = True  # type: ignore[attr-defined]
        assert view.save_now()
    assert started == []
    with qtbot.waitSignal(view.patterns_updated, timeout=20_000):
        view.sidebar.select(PATTERNS)
    assert started == [1]


def test_a_trash_or_an_import_recomputes_the_patterns(qtbot: QtBot, make_window: MakeWindow, journal: Path) -> None:
    window = make_window(journal)
    view = open_patterns(qtbot, window)
    assert view.patterns is not None
    card = view.patterns.cards()[0]
    with qtbot.waitSignal(window.list_updated):
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    evidence = len(view.model.ids())
    view.list_view.selectAll()
    with qtbot.waitSignal(view.counts_shown):
        window.trash_action.trigger()
    assert view.sidebar.count_of(TRASH) == evidence
    with qtbot.waitSignal(view.patterns_updated, timeout=20_000):
        view.sidebar.select(PATTERNS)
    assert card.pattern.sentence not in [c.pattern.sentence for c in view.patterns.cards()]
    # An import while the view is on screen brings a new analysis at once.
    with Store.open(journal) as other:
        changes = other.restore(other.search_ids("", trash=True))
    with qtbot.waitSignal(view.patterns_updated, timeout=20_000):
        view.apply_changes(Changes(created=changes.restored))
    assert view.showing_patterns


def test_the_search_narrows_the_patterns(qtbot: QtBot, make_window: MakeWindow, journal: Path) -> None:
    window = make_window(journal)
    view = view_of(window)
    with qtbot.waitSignal(window.list_updated):
        view.search.field.setText("role:maker")
    view = open_patterns(qtbot, window)
    assert view.patterns is not None
    assert view.patterns.query == "role:maker"
    assert "role:maker" in view.patterns.narrowed.text() and view.patterns.narrowed.isVisible()


# --- the editor, built on first need ---------------------------------------------------------------


class _FirstPaint(QObject):
    """Records, at the window's first paint, whether the editor had been built by then."""

    def __init__(self, view: JournalView) -> None:
        super().__init__()
        self.view = view
        self.editor_built_at_paint: bool | None = None
        self.stand_in_text = ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.editor_built_at_paint is None and event.type() == QEvent.Type.Paint and watched is self.view.window():
            self.editor_built_at_paint = self.view.editor_built
            self.stand_in_text = self.view.stand_in.text()
        return False


def _journal_of_two(tmp_path: Path) -> tuple[Path, list[str]]:
    path = tmp_path / "mine.hindsight"
    with Store.open(path) as store:
        return path, [add(store, "Courier lost the samples"), add(store, "Invoice sent twice")]


def test_the_window_paints_before_the_editor_is_built_and_builds_it_right_after(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    journal, _ids = _journal_of_two(tmp_path)
    window = make_window(journal, wait=False)  # shown at once, as the app does
    view = view_of(window)
    counted: list[bool] = []
    view.counts_shown.connect(lambda: counted.append(True))
    hook = _FirstPaint(view)
    window.installEventFilter(hook)
    window.show()
    qtbot.waitUntil(lambda: hook.editor_built_at_paint is not None)
    assert hook.editor_built_at_paint is False
    assert hook.stand_in_text == EMPTY_TEXT  # the editor's own empty state, so nothing changes when it comes
    qtbot.waitUntil(lambda: view.editor_built)  # right after the first paint, without anything asked of it
    qtbot.waitUntil(lambda: bool(counted))  # the sidebar's counts come as before
    assert view.sidebar.count_of(ALL) == 2
    editor = view.editor_widget
    assert isinstance(editor, FakeEditor) and editor.isVisible()
    assert view.list_splitter.widget(1) is editor and editor.current_id() is None


def test_opening_an_entry_builds_the_editor_and_shows_the_entry(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    journal, ids = _journal_of_two(tmp_path)
    window = make_window(journal)
    view = view_of(window)
    assert not view.editor_built and view.current_entry_id() is None
    assert view.save_now()  # nothing to save yet: no editor is needed for that
    view.list_view.select_id(ids[1])
    assert view.editor_built
    editor = view.editor_widget
    assert isinstance(editor, FakeEditor)
    assert editor.current_id() == ids[1] and editor.title.text() == "Invoice sent twice"
    assert view.list_splitter.indexOf(editor) == 1  # in the stand-in's place, beside the list


def test_ctrl_n_before_the_editor_is_built_starts_a_new_entry(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(JournalView, "_after_first_paint", lambda self: None)  # Ctrl+N within the first frames
    journal, _ids = _journal_of_two(tmp_path)
    window = make_window(journal)
    view = view_of(window)
    window.show()
    handle = window.windowHandle()
    assert handle is not None
    handle.requestActivate()
    qtbot.waitUntil(window.isActiveWindow)
    assert not view.editor_built
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert view.editor_built
    editor = view.editor_widget
    assert isinstance(editor, FakeEditor) and editor.isVisible()
    assert editor.current_id() is None and editor.title.text() == ""
    qtbot.keyClicks(editor.title, "Wrote it before the editor was there")
    assert editor.flush()
    with Store.open(journal) as store:
        assert "Wrote it before the editor was there" in [s.title for s in store.search("")]


def test_the_last_open_entry_is_restored_after_the_first_paint(
    qtbot: QtBot, make_window: MakeWindow, tmp_path: Path
) -> None:
    journal, ids = _journal_of_two(tmp_path)
    first = make_window(journal)
    view_of(first).list_view.select_id(ids[0])
    first.close()

    window = make_window(journal)
    view = view_of(window)
    assert not view.editor_built
    assert view.current_entry_id() == ids[0]  # waiting for the editor, already the entry the window is about
    hook = _FirstPaint(view)
    window.installEventFilter(hook)
    window.show()
    qtbot.waitUntil(lambda: view.editor_built)
    assert hook.editor_built_at_paint is False
    assert hook.stand_in_text == ""  # blank while the entry waits: its "pick an entry" does not flash by
    editor = view.editor_widget
    assert isinstance(editor, FakeEditor)
    assert editor.current_id() == ids[0] and editor.title.text() == "Courier lost the samples"
    assert editor.loads == [ids[0]]  # loaded once, not again when its row was selected
    assert view.list_view.selected_ids() == [ids[0]]
