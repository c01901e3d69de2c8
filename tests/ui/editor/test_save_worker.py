"""Saves run on their own thread with their own connection, and reach the same journal."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from journal.model import PostMortem
from journal.store import ConflictError, Store
from ui.editor.save_worker import BackgroundSaver


def test_saves_land_in_the_journal_from_another_thread(tmp_path: Path) -> None:
    with Store.open(tmp_path / "j.hindsight") as store:
        saver = BackgroundSaver(store.path)
        threads: list[str] = []
        original = saver._save

        def spy(pm: PostMortem, force: bool) -> tuple[PostMortem, object]:
            threads.append(threading.current_thread().name)
            return original(pm, force)

        saver._save = spy  # type: ignore[assignment,method-assign]
        saved, changes = saver.submit(PostMortem(title="Saved off the GUI thread")).result()
        assert changes.created == (saved.id,)
        assert store.get(saved.id).title == "Saved off the GUI thread"
        assert threads and threads[0].startswith("hindsight-save")
        with pytest.raises(ConflictError):
            saver.submit(PostMortem(id=saved.id, title="stale", revision=0)).result()
        saver.close()
        saver.close()  # twice is harmless
        again, _ = saver.submit(PostMortem(title="After closing, a new thread starts")).result()
        assert store.get(again.id).revision == 1
        saver.close()
