"""Fixtures for the desktop app: a window on a temporary journal, scripted dialogs, a 100k journal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from journal.model import PostMortem
from journal.store import JournalError, Store
from tests.ui.fake_editor import FakeEditor
from ui.shell.journal_dialogs import GIVE_UP, Dialogs
from ui.shell.main_window import JournalPaths, MainWindow


class ScriptedDialogs(Dialogs):
    """Answers questions from lists instead of showing modal dialogs; records what was asked."""

    def __init__(self) -> None:
        self.bad_answers: list[str] = []
        self.missing_answers: list[str] = []
        self.paths: list[str | None] = []
        self.confirm_answer = True
        self.asked: list[tuple[str, str]] = []

    def bad_journal(self, parent: QWidget | None, error: JournalError, *, startup: bool) -> str:
        self.asked.append(("bad_journal", str(error)))
        return self.bad_answers.pop(0) if self.bad_answers else GIVE_UP

    def missing_journal(self, parent: QWidget | None, path: Path, *, startup: bool) -> str:
        self.asked.append(("missing_journal", str(path)))
        return self.missing_answers.pop(0) if self.missing_answers else GIVE_UP

    def open_path(self, parent: QWidget | None) -> str | None:
        self.asked.append(("open_path", ""))
        return self.paths.pop(0) if self.paths else None

    def new_path(self, parent: QWidget | None) -> str | None:
        self.asked.append(("new_path", ""))
        return self.paths.pop(0) if self.paths else None

    def choose_folder(self, parent: QWidget | None, title: str, start: str = "") -> str | None:
        self.asked.append(("choose_folder", title))
        return self.paths.pop(0) if self.paths else None

    def confirm(self, parent: QWidget | None, title: str, text: str, action: str) -> bool:
        self.asked.append(("confirm", text))
        return self.confirm_answer

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        self.asked.append(("error", text))


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def paths(tmp_path: Path) -> JournalPaths:
    return JournalPaths(mine=tmp_path / "mine.hindsight", demo=tmp_path / "data" / "demo.hindsight")


@pytest.fixture
def dialogs() -> ScriptedDialogs:
    return ScriptedDialogs()


def add(store: Store, title: str, **fields: object) -> str:
    saved, _ = store.save(PostMortem.from_dict({"title": title, "role": "maker", "status": "open", **fields}))
    return saved.id


MakeWindow = Callable[..., MainWindow]


@pytest.fixture
def make_window(
    qtbot: QtBot, settings: QSettings, paths: JournalPaths, dialogs: ScriptedDialogs
) -> Iterator[MakeWindow]:
    windows: list[MainWindow] = []

    def make(journal: Path | None = None, *, wait: bool = True, **kwargs: object) -> MainWindow:
        window = MainWindow(settings, editor_factory=FakeEditor, paths=paths, dialogs=dialogs, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(window)
        windows.append(window)
        if wait:
            with qtbot.waitSignal(window.list_updated, timeout=10_000):
                assert window.open_path(journal or paths.mine, startup=True)
        else:
            window.open_path(journal or paths.mine, startup=True)
        return window

    yield make
    for window in windows:
        if window.view is not None:
            window.close()


@pytest.fixture(scope="session")
def big_journal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """100,000 entries, built once per session: one real entry cloned by SQL (seconds, not a minute)."""
    path = tmp_path_factory.mktemp("big") / "big.hindsight"
    with Store.open(path) as store:
        add(store, "Template entry", client="Client 0")
        conn = store.conn
        columns = [r[1] for r in conn.execute("PRAGMA table_info(entries)") if r[1] != "seq"]
        made = {
            "id": "printf('%08x-0000-4000-8000-%012x', n.i, n.i)",
            "title": "'Entry number ' || n.i",
            "occurred_on": "printf('20%02d-%02d-%02d', 10 + n.i % 15, 1 + n.i % 12, 1 + n.i % 28)",
            "client": "'Client ' || (n.i % 50)",
            "account_key": "'Client ' || (n.i % 50)",
            "status": "CASE n.i % 2 WHEN 0 THEN 'open' ELSE 'resolved' END",
        }
        selected = ", ".join(made.get(c, f"t.{c}") for c in columns)
        with store._write():
            conn.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 99999) "
                f"INSERT INTO entries ({', '.join(columns)}) SELECT {selected} FROM n, entries t"
            )
            conn.execute(
                "INSERT INTO entries_fts (rowid, title, body) SELECT seq, title, client FROM entries WHERE seq > 1"
            )
        assert store.entry_count() == 100_000
    return path
