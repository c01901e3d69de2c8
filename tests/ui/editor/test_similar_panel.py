"""The "You have seen this before" panel and the blameless underline."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from journal import demo
from journal.cli import main
from journal.insight.similar import Draft
from journal.model import PostMortem
from journal.store import Store
from ui.editor.editor import EntryEditor
from ui.editor.hints import HintHighlighter, hint_at, tooltip, utf16_offset
from ui.editor.similar_panel import SimilarPanel


def test_a_draft_like_an_old_entry_shows_it_and_can_open_it(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        old, _ = store.save(PostMortem(title="Courier left the pallets at the wrong gate", client="Nordvik",
                                       what_happened="The courier left the pallets at the harbour's north gate."))
    editor = QWidget()  # the panel lives inside the editor
    qtbot.addWidget(editor)
    panel = SimilarPanel(path, editor)
    assert panel.isHidden()
    with qtbot.waitSignal(panel.updated, timeout=10000):
        panel.set_draft(Draft(title="Pallets at the wrong gate again", text="harbour gate courier", client="Nordvik"))
    assert [s.id for s, _, _ in panel.results] == [old.id]
    [row] = panel.rows()
    with qtbot.waitSignal(panel.open_requested) as blocker:
        row.linkActivated.emit(old.id)
    assert blocker.args == [old.id]
    with qtbot.waitSignal(panel.updated, timeout=10000):
        panel.set_draft(Draft(title="zzzz"))
    assert panel.results == [] and panel.isHidden()


def test_typing_quickly_looks_up_once(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "j.hindsight"
    Store.open(path).close()
    panel = SimilarPanel(path)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.updated, timeout=10000):
        for text in ("c", "co", "cou", "courier"):
            panel.set_draft(Draft(text=text))
    assert panel.lookups == 1


def test_a_lookup_that_fails_says_so_in_the_panel(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "j.hindsight"
    Store.open(path).close()

    def locked(*args: object) -> list[object]:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr("ui.editor.similar_panel.similar", locked)
    panel = SimilarPanel(path)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.updated, timeout=10000):
        panel.set_draft(Draft(title="Pallets at the wrong gate"))
    assert not panel.isHidden() and panel.rows() == [] and panel.results == []
    assert panel.problem.text().startswith("Similar entries could not be looked up: something went wrong")
    assert "database is locked" in panel.problem.text()


def test_blaming_wording_is_underlined_and_explained(qtbot: QtBot) -> None:
    editor = QPlainTextEdit()  # as in the editor: a document with a layout
    qtbot.addWidget(editor)
    document = editor.document()
    highlighter = HintHighlighter(document, "what_happened")
    document.setPlainText("🍕 Lunch ran late.\nHonestly it was their fault entirely.")
    block = document.findBlockByNumber(1)
    qtbot.waitUntil(lambda: bool(block.layout().formats()))
    formats = block.layout().formats()
    assert len(formats) == 1
    assert block.text()[formats[0].start : formats[0].start + formats[0].length] == "it was their fault"
    position = block.position() + block.text().index("their")
    hint = hint_at(document, position, "what_happened")
    assert hint is not None and hint.kind == "blame_others" and "Try:" in tooltip(hint)
    assert hint_at(document, 1) is None
    assert highlighter.document() is document
    assert utf16_offset("🍕 ab", 2) == 3


def test_the_panel_and_hindsight_similar_agree_for_the_same_entry(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.hindsight"
    today = dt.date(2025, 11, 20)
    with Store.open(path) as store:
        demo.populate(store, entries=300, seed=5, today=today)
    repeats = [repeat for _, repeat in demo.near_repeats(300, 5, today)[:3]]
    with Store.open(path) as store:
        editor = EntryEditor(store)
        qtbot.addWidget(editor)
        try:
            for entry_id in repeats:
                with qtbot.waitSignal(editor.similar.updated, timeout=10_000):
                    editor.load(entry_id)
                shown = [(s.id, score, why) for s, score, why in editor.similar.results]
                assert main(["--journal", str(path), "similar", entry_id, "--json"]) == 0
                printed = [(m["id"], m["score"], m["why"]) for m in json.loads(capsys.readouterr().out)]
                assert shown and shown == printed
                assert [row.text().count("<br>") for row in editor.similar.rows()] == [1] * len(shown)
        finally:
            editor.shutdown()
