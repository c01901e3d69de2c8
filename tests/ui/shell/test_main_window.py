"""The window as a user meets it: write, search, filter, delete and undo, the Trash, the demo, habits."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QSize, Qt, Signal
from pytestqt.qtbot import QtBot

from journal.store import JournalError, Store
from journal.transfer import sync_state
from journal.transfer.result import TransferResult
from tests.ui.conftest import MakeWindow, ScriptedDialogs, add
from tests.ui.shell.windows import activate, editor_of, journal_with, select_rows, titles, view_of
from ui.browse.sidebar import CONFLICTS, TRASH, ViewFilter
from ui.shell.main_window import first_size

# --- first run ----------------------------------------------------------------------------------


def test_an_empty_journal_welcomes_and_writing_the_first_entry_lists_it(
    qtbot: QtBot, make_window: MakeWindow, paths: object
) -> None:
    window = make_window()
    window.show()
    view = view_of(window)
    assert view.showing_welcome
    assert view.welcome.write_button.text() == "Write your first post-mortem"
    assert window.windowTitle() == "My journal — Hindsight"
    qtbot.mouseClick(view.welcome.write_button, Qt.MouseButton.LeftButton)
    assert not view.showing_welcome
    editor = editor_of(window)
    with qtbot.waitSignal(view.counts_shown):
        qtbot.keyClicks(editor.title, "Missed the invoice run")
        window.save_action.trigger()  # Ctrl+S flushes the editor
    assert titles(window) == ["Missed the invoice run"]
    assert view.sidebar.count_of(ViewFilter("all")) == 1
    assert view.sidebar.count_of(ViewFilter("status", "draft")) == 1
    assert view.search.count_label.text() == "1 entry"
    assert view.list_view.selected_ids() == [editor.current_id()]


def test_typing_more_updates_that_row_only(qtbot: QtBot, make_window: MakeWindow, paths: object) -> None:
    window = make_window()
    view = view_of(window)
    window.new_action.trigger()
    editor = editor_of(window)
    editor.title.setText("First")
    editor._dirty = True
    editor.flush()
    with qtbot.assertNotEmitted(view.model.modelReset):
        editor.title.setText("First, renamed")
        editor._dirty = True
        with qtbot.waitSignal(view.model.dataChanged):
            window.save_action.trigger()
    assert titles(window) == ["First, renamed"]


# --- search and filter --------------------------------------------------------------------------------


def test_search_filters_as_you_type_and_clears(qtbot: QtBot, make_window: MakeWindow, paths: object) -> None:
    journal_with(
        paths.mine,  # type: ignore[attr-defined]
        {"title": "Invoice sent twice", "client": "Acme"},
        {"title": "Late delivery", "client": "Globex"},
        {"title": "Invoice to the wrong address", "client": "Globex"},
    )
    window = make_window()
    view = view_of(window)
    assert len(titles(window)) == 3
    with qtbot.waitSignal(window.list_updated):
        qtbot.keyClicks(view.search.field, "invoi")
    assert sorted(titles(window)) == ["Invoice sent twice", "Invoice to the wrong address"]
    assert view.search.count_label.text() == "2 entries"
    with qtbot.waitSignal(window.list_updated):
        view.search.field.setText('invoice client:"Globex"')
    assert titles(window) == ["Invoice to the wrong address"]
    with qtbot.waitSignal(window.list_updated):
        view.search.field.setText("nothing-like-this")
    assert view.search.count_label.text() == "No matches"
    with qtbot.waitSignal(window.list_updated):
        view.search.clear()
    assert view.search.count_label.text() == "3 entries"


def test_sidebar_filters_by_status_and_client(qtbot: QtBot, make_window: MakeWindow, paths: object) -> None:
    journal_with(
        paths.mine,  # type: ignore[attr-defined]
        {"title": "A", "client": "Acme", "status": "open"},
        {"title": "B", "client": "Acme", "status": "resolved"},
        {"title": "C", "client": "Globex", "status": "draft"},
    )
    window = make_window()
    view = view_of(window)
    qtbot.waitUntil(lambda: view.sidebar.count_of(ViewFilter("client", "Acme")) == 2)
    assert view.sidebar.count_of(ViewFilter("status", "draft")) == 1
    with qtbot.waitSignal(window.list_updated):
        view.sidebar.select(ViewFilter("client", "Acme"))
    assert sorted(titles(window)) == ["A", "B"]
    with qtbot.waitSignal(window.list_updated):
        view.sidebar.select(ViewFilter("status", "draft"))
    assert titles(window) == ["C"]
    with qtbot.waitSignal(window.list_updated):
        view.sidebar.select(ViewFilter("all"))
    assert len(titles(window)) == 3


# --- delete, undo, trash ----------------------------------------------------------------------------------


def test_delete_key_moves_to_trash_and_undo_puts_it_back(qtbot: QtBot, make_window: MakeWindow, paths: object) -> None:
    ids = journal_with(
        paths.mine,  # type: ignore[attr-defined]
        {"title": "Oldest", "occurred_on": "2024-01-01"},
        {"title": "Middle", "occurred_on": "2024-01-02"},
        {"title": "Newest", "occurred_on": "2024-01-03"},
    )
    window = make_window()
    activate(qtbot, window)
    view = view_of(window)
    select_rows(window, 1)
    with qtbot.waitSignal(view.counts_shown):
        qtbot.keyClick(view.list_view, Qt.Key.Key_Delete)
    assert titles(window) == ["Newest", "Oldest"]
    assert view.undo_banner.isVisible()
    assert "moved to Trash" in view.undo_banner.label.text()
    assert view.sidebar.count_of(TRASH) == 1
    with Store.open(paths.mine) as store:  # type: ignore[attr-defined]
        assert store.get(ids[1]).deleted
    view.list_view.setFocus()
    with qtbot.waitSignal(view.counts_shown):
        qtbot.keyClick(view.list_view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert titles(window) == ["Newest", "Middle", "Oldest"]
    assert not view.undo_banner.isVisible()
    assert view.sidebar.count_of(TRASH) == 0


def test_undo_button_restores_several(qtbot: QtBot, make_window: MakeWindow, paths: object) -> None:
    journal_with(paths.mine, *({"title": f"E{i}", "occurred_on": f"2024-01-0{i}"} for i in range(1, 5)))  # type: ignore[attr-defined]
    window = make_window()
    window.show()
    view = view_of(window)
    select_rows(window, 0, 2)
    window.trash_action.trigger()
    assert titles(window) == ["E3", "E1"]
    assert view.undo_banner.label.text() == "2 entries moved to Trash."
    qtbot.mouseClick(view.undo_banner.undo_button, Qt.MouseButton.LeftButton)
    assert titles(window) == ["E4", "E3", "E2", "E1"]


def test_delete_in_a_text_field_does_not_trash(qtbot: QtBot, make_window: MakeWindow, paths: object) -> None:
    journal_with(paths.mine, {"title": "Keep me"})  # type: ignore[attr-defined]
    window = make_window()
    activate(qtbot, window)
    view = view_of(window)
    select_rows(window, 0)
    editor = editor_of(window)
    editor.title.setFocus()
    editor.title.setCursorPosition(0)
    qtbot.keyClick(editor.title, Qt.Key.Key_Delete)
    assert titles(window) == ["Keep me"]
    assert not view.undo_banner.isVisible()


def test_trash_view_restores_and_empties_with_confirmation(
    qtbot: QtBot, make_window: MakeWindow, paths: object, dialogs: ScriptedDialogs
) -> None:
    ids = journal_with(paths.mine, {"title": "Gone"}, {"title": "Also gone"}, {"title": "Stays"})  # type: ignore[attr-defined]
    with Store.open(paths.mine) as store:  # type: ignore[attr-defined]
        store.trash(ids[:2])
    window = make_window()
    window.show()
    view = view_of(window)
    with qtbot.waitSignal(window.list_updated):
        view.sidebar.select(TRASH)
    assert view.trash_bar.isVisible()
    assert sorted(titles(window)) == ["Also gone", "Gone"]
    select_rows(window, titles(window).index("Gone"))
    with qtbot.waitSignal(view.counts_shown):
        qtbot.mouseClick(view.trash_bar.restore_button, Qt.MouseButton.LeftButton)
    assert titles(window) == ["Also gone"]
    assert view.sidebar.count_of(ViewFilter("all")) == 2
    dialogs.confirm_answer = False
    qtbot.mouseClick(view.trash_bar.empty_button, Qt.MouseButton.LeftButton)
    assert titles(window) == ["Also gone"]
    assert dialogs.asked[-1] == ("confirm", "Delete the entry in the Trash for good? This cannot be undone.")
    dialogs.confirm_answer = True
    with qtbot.waitSignal(view.counts_shown):
        qtbot.mouseClick(view.trash_bar.empty_button, Qt.MouseButton.LeftButton)
    assert titles(window) == []
    with Store.open(paths.mine) as store:  # type: ignore[attr-defined]
        assert not store.exists(ids[1])
        assert store.exists(ids[0])


def test_trashing_the_open_entry_clears_the_editor(qtbot: QtBot, make_window: MakeWindow, paths: object) -> None:
    journal_with(paths.mine, {"title": "Only one"})  # type: ignore[attr-defined]
    window = make_window()
    window.show()
    view = view_of(window)
    select_rows(window, 0)
    view.list_view.select_id(view.model.ids()[0])
    assert editor_of(window).current_id() is not None
    window.trash_action.trigger()
    assert editor_of(window).current_id() is None


# --- demo journal ---------------------------------------------------------------------------------------


def test_explore_demo_opens_a_separate_labelled_journal_and_back(
    qtbot: QtBot, make_window: MakeWindow, paths: object
) -> None:
    window = make_window()
    window.show()
    view = view_of(window)
    with qtbot.waitSignal(window.list_updated, timeout=30_000):
        qtbot.mouseClick(view.welcome.demo_button, Qt.MouseButton.LeftButton)
    assert "Demo" in window.windowTitle()
    assert window.demo_banner.isVisible()
    assert window.is_demo
    assert view_of(window).model.rowCount() == 300
    assert paths.demo.exists()  # type: ignore[attr-defined]
    with Store.open(paths.mine) as store:  # type: ignore[attr-defined]
        assert store.entry_count() == 0  # never mixed into the user's journal
    with qtbot.waitSignal(window.list_updated):
        qtbot.mouseClick(window.demo_banner.back_button, Qt.MouseButton.LeftButton)
    assert window.windowTitle() == "My journal — Hindsight"
    assert not window.demo_banner.isVisible()
    assert view_of(window).showing_welcome


# --- habits: settings, flush on close -------------------------------------------------------------------


def test_geometry_splitter_and_last_entry_come_back(
    qtbot: QtBot, make_window: MakeWindow, paths: object, settings: QSettings
) -> None:
    ids = journal_with(paths.mine, {"title": "First"}, {"title": "Second"})  # type: ignore[attr-defined]
    window = make_window()
    window.resize(700, 500)
    window.show()
    view = view_of(window)
    view.splitter.setSizes([150, 550])  # sidebar | list and editor
    view.list_splitter.setSizes([300, 250])
    sizes = view.splitter.sizes()
    list_sizes = view.list_splitter.sizes()
    view.list_view.select_id(ids[0])
    assert editor_of(window).current_id() == ids[0]
    window.close()
    settings.sync()

    again = make_window()
    again.show()
    assert again.size().width() == 700
    assert view_of(again).splitter.sizes() == sizes
    assert view_of(again).list_splitter.sizes() == list_sizes
    assert editor_of(again).current_id() == ids[0]
    assert view_of(again).list_view.selected_ids() == [ids[0]]


def test_closing_flushes_the_editor(qtbot: QtBot, make_window: MakeWindow, paths: object) -> None:
    window = make_window()
    window.new_action.trigger()
    editor = editor_of(window)
    qtbot.keyClicks(editor.title, "Typed just before closing")
    window.close()
    with Store.open(paths.mine) as store:  # type: ignore[attr-defined]
        assert [s.title for s in store.search("")] == ["Typed just before closing"]


def test_close_is_refused_when_the_editor_cannot_save_and_the_user_stays(
    qtbot: QtBot, make_window: MakeWindow, dialogs: ScriptedDialogs
) -> None:
    window = make_window()
    window.show()
    editor_of(window).fail_flush = True
    dialogs.confirm_answer = False
    window.close()
    assert window.isVisible()
    editor_of(window).fail_flush = False


def test_the_sort_order_comes_back_and_opening_searches_once(
    qtbot: QtBot, make_window: MakeWindow, paths: object
) -> None:
    journal_with(paths.mine, {"title": "Bravo"}, {"title": "Alpha"}, {"title": "Charlie"})  # type: ignore[attr-defined]
    window = make_window()
    view = view_of(window).list_view
    with qtbot.waitSignal(window.list_updated):
        view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    window.close()
    again = make_window()
    assert titles(again) == ["Alpha", "Bravo", "Charlie"]
    assert view_of(again).list_view.horizontalHeader().sortIndicatorSection() == 1
    assert not view_of(again).runner.busy  # the restored sort did not queue a second search


# --- Markdown export, import and team-folder sync ---------------------------------------------------------


class FakeTransferDialog(QObject):
    transfer_done = Signal(object)
    finished = Signal(int)


class RecordingTransfers:
    """Stands in for TransferDialog's entry points: records what the menu asked for."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[object, ...]]] = []
        self.dialog = FakeTransferDialog()

    def _record(self, name: str, *args: object) -> FakeTransferDialog:
        self.calls.append((name, args))
        return self.dialog

    def export_entries(self, parent: object, journal_path: Path, ids: object, redact: bool = False,
                       folder: Path | None = None) -> FakeTransferDialog:
        return self._record("export_entries", journal_path, None if ids is None else list(ids), redact)  # type: ignore[call-overload]

    def export_to_file(self, parent: object, journal_path: Path, ids: object, redact: bool = False,
                       target: Path | None = None) -> FakeTransferDialog:
        return self._record("export_to_file", journal_path, ids, redact)

    def import_files(self, parent: object, journal_path: Path, paths: object = None) -> FakeTransferDialog:
        return self._record("import_files", journal_path)

    def sync_folder(self, parent: object, journal_path: Path, folder: Path | None = None) -> FakeTransferDialog:
        return self._record("sync_folder", journal_path, folder)


def test_export_menu_actions_open_the_dialog_for_what_they_say(
    qtbot: QtBot, make_window: MakeWindow, paths: object
) -> None:
    ids = journal_with(paths.mine, {"title": "A", "occurred_on": "2024-01-01"},  # type: ignore[attr-defined]
                       {"title": "B", "occurred_on": "2024-01-02"}, {"title": "C", "occurred_on": "2024-01-03"})
    transfers = RecordingTransfers()
    window = make_window(transfers=transfers)
    window.show()
    mine = paths.mine  # type: ignore[attr-defined]
    assert not window.export_entry_action.isEnabled() and not window.export_selected_action.isEnabled()
    select_rows(window, 0, 2)  # newest first: C and A
    assert window.export_selected_action.isEnabled()
    window.export_selected_action.trigger()
    view_of(window).open_entry(ids[1])
    assert window.export_entry_action.isEnabled()
    window.export_entry_action.trigger()
    window.export_all_action.trigger()
    window.export_redacted_action.trigger()
    window.export_file_action.trigger()
    assert transfers.calls == [
        ("export_entries", (mine, [ids[2], ids[0]], False)),
        ("export_entries", (mine, [ids[1]], False)),
        ("export_entries", (mine, None, False)),
        ("export_entries", (mine, None, True)),
        ("export_to_file", (mine, None, False)),
    ]


def test_import_opens_the_dialog_and_the_list_and_counts_catch_up(
    qtbot: QtBot, make_window: MakeWindow, paths: object
) -> None:
    journal_with(paths.mine, {"title": "Already here"})  # type: ignore[attr-defined]
    transfers = RecordingTransfers()
    window = make_window(transfers=transfers)
    view = view_of(window)
    window.import_action.trigger()
    assert transfers.calls == [("import_files", (paths.mine,))]  # type: ignore[attr-defined]
    # The dialog's worker wrote two entries; when it reports, the window shows them.
    created = journal_with(paths.mine, {"title": "Imported one", "client": "Acme"},  # type: ignore[attr-defined]
                           {"title": "Imported two", "client": "Acme"})
    with qtbot.waitSignal(window.list_updated), qtbot.waitSignal(view.counts_shown):
        transfers.dialog.transfer_done.emit(TransferResult("import", created=created))
    assert sorted(titles(window)) == ["Already here", "Imported one", "Imported two"]
    assert view.sidebar.count_of(ViewFilter("client", "Acme")) == 2
    assert "Imported 2" in window.statusBar().currentMessage()


def test_sync_asks_for_the_team_folder_once_and_remembers_it_per_journal(
    qtbot: QtBot, make_window: MakeWindow, paths: object, dialogs: ScriptedDialogs, tmp_path: Path,
    settings: QSettings,
) -> None:
    journal_with(paths.mine, {"title": "One"})  # type: ignore[attr-defined]
    team = tmp_path / "team"
    team.mkdir()
    transfers = RecordingTransfers()
    window = make_window(transfers=transfers)
    dialogs.paths = [str(team)]
    window.sync_action.trigger()
    window.sync_action.trigger()  # the second time without asking
    assert [a for a in dialogs.asked if a[0] == "choose_folder"] == [("choose_folder", "Team folder to sync with")]
    assert transfers.calls == [("sync_folder", (paths.mine, team))] * 2  # type: ignore[attr-defined]
    assert "team" in window.sync_action.text()
    again = make_window(transfers=transfers)  # a new window on the same journal remembers it
    again.sync_action.trigger()
    assert len(transfers.calls) == 3 and len([a for a in dialogs.asked if a[0] == "choose_folder"]) == 1


def test_conflicts_line_appears_when_an_entry_is_in_conflict_and_lists_it(
    qtbot: QtBot, make_window: MakeWindow, paths: object, tmp_path: Path
) -> None:
    ids = journal_with(paths.mine, {"title": "Clash"}, {"title": "Quiet"})  # type: ignore[attr-defined]
    window = make_window()
    view = view_of(window)
    qtbot.waitUntil(lambda: view.sidebar.count_of(ViewFilter("all")) == 2)
    assert view.sidebar.count_of(CONFLICTS) is None  # no line at all without conflicts
    with Store.open(paths.mine) as store:  # type: ignore[attr-defined]
        sync_state.add_conflict(store, ids[0], str(tmp_path), str(tmp_path / "clash.conflict-1.md"), "", True)
    with qtbot.waitSignal(view.counts_shown):
        transfers_done = TransferResult("sync", conflicts=[(ids[0], str(tmp_path / "clash.conflict-1.md"))])
        view.apply_transfer(transfers_done)
    assert view.sidebar.count_of(CONFLICTS) == 1
    with qtbot.waitSignal(window.list_updated):
        view.sidebar.select(CONFLICTS)
    assert titles(window) == ["Clash"]


def test_making_the_demo_can_be_cancelled_and_nothing_is_kept(
    qtbot: QtBot, make_window: MakeWindow, paths: object
) -> None:
    started = threading.Event()

    def endless(store: Store, progress: Callable[[int, int], None]) -> None:
        add(store, "Half made")
        started.set()
        while True:
            progress(1, 1000)  # raises once the user cancelled

    window = make_window(demo_populate=endless)
    builder_done: list[int] = []
    window.open_demo()
    assert window._builder is not None
    window._builder.finished.connect(lambda: builder_done.append(1))
    qtbot.waitUntil(started.is_set)
    with qtbot.waitSignal(window._builder.cancelled, timeout=10_000):
        window.cancel_demo()
    qtbot.waitUntil(lambda: window._builder is None)
    assert not window.is_demo and window.windowTitle() == "My journal — Hindsight"
    assert not paths.demo.exists()  # type: ignore[attr-defined]
    assert not Path(str(paths.demo) + ".part").exists()  # type: ignore[attr-defined]
    assert "cancelled" in window.statusBar().currentMessage()


def test_the_entry_written_last_comes_back_after_a_restart(
    qtbot: QtBot, make_window: MakeWindow, paths: object, settings: QSettings
) -> None:
    ids = journal_with(paths.mine, {"title": "Older"}, {"title": "Clicked first"})  # type: ignore[attr-defined]
    window = make_window()
    window.show()
    view_of(window).list_view.select_id(ids[1])
    window.new_action.trigger()
    qtbot.keyClicks(editor_of(window).title, "Written just now")
    assert editor_of(window).flush()  # saved as it would be a second later
    written = editor_of(window).current_id()
    assert written is not None and written not in ids
    window.close()

    again = make_window()
    again.show()
    assert editor_of(again).current_id() == written
    assert view_of(again).list_view.selected_ids() == [written]


def test_a_demo_that_cannot_be_made_is_said_in_a_sentence_and_nothing_is_kept(
    qtbot: QtBot, make_window: MakeWindow, paths: object, dialogs: ScriptedDialogs
) -> None:
    def full_disk(store: Store, progress: Callable[[int, int], None]) -> None:
        add(store, "Half made")
        raise JournalError("the disk is full")

    window = make_window(demo_populate=full_disk)
    window.open_demo()
    qtbot.waitUntil(lambda: window._builder is None, timeout=10_000)
    assert ("error", "The demo journal could not be made: the disk is full") in dialogs.asked
    assert not paths.demo.exists()  # type: ignore[attr-defined]
    assert not window.is_demo


def test_a_first_start_fits_a_small_screen(qtbot: QtBot, make_window: MakeWindow, paths: object) -> None:
    """1280×800 where there is room; on a 1024×700 laptop screen the window stops at its edges."""
    assert first_size(QSize(1920, 1080)) == QSize(1280, 800)
    assert first_size(QSize(1024, 700)) == QSize(1024, 700)
    assert first_size(None) == QSize(1280, 800)
    window = make_window()
    room = window.screen().availableGeometry()
    assert window.width() <= room.width() and window.height() <= room.height()
