"""The demo journal is built off the GUI thread under a temporary name: shown whole, or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from journal.model import PostMortem
from journal.store import JournalError, Store
from ui.background import Background
from ui.shell.demo_journal import Progress, builder, demo_lane, is_ready

TIMEOUT_MS = 20_000


def three_entries(store: Store, progress: Progress) -> None:
    for done, title in enumerate(("Late quote", "Wrong invoice", "Lost samples"), start=1):
        store.save(PostMortem(title=title))
        progress(done, 3)
        progress(done, 3)  # said twice: reported once


def build(qtbot: QtBot, lane: Background, target: Path, populate: Any, signal: str) -> None:
    with qtbot.waitSignal(getattr(lane, signal), timeout=TIMEOUT_MS):
        lane.submit(builder(target, populate))
    assert lane.wait(TIMEOUT_MS)


def test_the_demo_replaces_an_old_one_whole_with_a_report_per_step(qtbot: QtBot, tmp_path: Path) -> None:
    target = tmp_path / "demo.hindsight"
    with Store.open(target) as old:
        old.save(PostMortem(title="From an older demo"))
    lane = demo_lane(None)
    reports: list[tuple[int, int]] = []
    lane.progressed.connect(lambda done, total: reports.append((done, total)))
    built: list[str] = []
    lane.succeeded.connect(built.append)
    build(qtbot, lane, target, three_entries, "succeeded")
    assert built == [str(target)]
    qtbot.waitUntil(lambda: len(reports) == 3)  # queued from the builder's thread
    assert reports == [(1, 3), (2, 3), (3, 3)]
    with Store.open(target, create=False) as store:
        assert sorted(pm.title for pm in store.iter_entries()) == ["Late quote", "Lost samples", "Wrong invoice"]
    assert not (tmp_path / "demo.hindsight.part").exists()
    assert is_ready(target)


def test_a_demo_that_cannot_be_made_says_why_and_leaves_nothing_half_made(qtbot: QtBot, tmp_path: Path) -> None:
    target = tmp_path / "demo.hindsight"

    def broken(store: Store, progress: Progress) -> None:
        store.save(PostMortem(title="First"))
        raise JournalError("disk full")

    lane = demo_lane(None)
    failures: list[str] = []
    lane.failed.connect(failures.append)
    build(qtbot, lane, target, broken, "failed")
    assert failures == ["disk full"]  # the window says "The demo journal could not be made: disk full"
    assert not target.exists() and not (tmp_path / "demo.hindsight.part").exists()


def test_a_cancelled_demo_keeps_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    target = tmp_path / "demo.hindsight"

    def cancelled_half_way(store: Store, progress: Progress) -> None:
        store.save(PostMortem(title="First"))
        lane.cancel()  # the person presses Cancel while it runs: it stops at the next report
        progress(1, 3)
        store.save(PostMortem(title="Never written"))

    lane = demo_lane(None)
    build(qtbot, lane, target, cancelled_half_way, "cancelled")
    assert not target.exists() and not (tmp_path / "demo.hindsight.part").exists()
    assert not is_ready(target)


@pytest.mark.parametrize("what", ["missing", "empty journal", "not a journal"])
def test_only_a_journal_with_entries_is_a_ready_demo(tmp_path: Path, what: str) -> None:
    path = tmp_path / "demo.hindsight"
    if what == "empty journal":
        Store.open(path).close()
    elif what == "not a journal":
        path.write_text("my shopping list\n")
    assert not is_ready(path)
