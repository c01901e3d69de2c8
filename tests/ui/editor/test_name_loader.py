"""The names offered for completion (clients, accounts, causes, tags) come from the journal, most used first."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from journal.model import PostMortem
from journal.store import Store
from ui.background import Background
from ui.editor.name_loader import load_names


def test_the_names_come_from_the_journal_most_used_first(tmp_path: Path) -> None:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        store.save(PostMortem(title="Late quote", client="Acme", causes=["handoff"], tags=["pricing"]))
        store.save(PostMortem(title="Wrong invoice", client="Acme", account="Acme Group", causes=["handoff"]))
        store.save(PostMortem(title="Lost samples", role="receiver", client="Courier Co", tags=["pricing", "q3"]))
        names = load_names(store)
    assert names.clients == ["Acme", "Courier Co"]
    assert set(names.accounts) == {"Acme", "Acme Group", "Courier Co"}
    assert names.causes == ["handoff"]
    assert names.tags == ["pricing", "q3"]


def test_a_journal_that_went_away_is_an_error_and_nothing_is_created(qtbot: QtBot, tmp_path: Path) -> None:
    # The editor asks on its names lane, which opens the journal without creating it.
    path = tmp_path / "gone.hindsight"
    lane = Background(None, "hindsight-names", journal=path)
    try:
        with qtbot.waitSignal(lane.failed, timeout=30_000) as failed:
            lane.submit(lambda task: load_names(task.store))
        assert "no journal" in failed.args[0]
    finally:
        lane.deleteLater()
    assert not path.exists()
