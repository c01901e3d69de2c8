"""The one way to run work off the GUI thread: newest wins, every outcome comes back, cancel, clean shutdown."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QAbstractEventDispatcher, QCoreApplication, QObject, QThread
from pytestqt.qtbot import QtBot

from journal.model import PostMortem
from journal.store import ConflictError, JournalError, Store
from ui.background import Background, Cancelled, Refusal, Task

TIMEOUT_MS = 10_000


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        store.save(PostMortem(title="Invoice late"))
    return path


def test_the_newest_request_wins_and_a_stale_result_is_dropped(qtbot: QtBot, journal: Path) -> None:
    lane = Background(None, "test-newest", journal=journal)
    release = threading.Event()
    running = threading.Event()
    got: list[str] = []

    def slow(task: Task) -> str:
        running.set()
        release.wait(TIMEOUT_MS / 1000)
        return "old, stopped early" if task.cancelled() else "old"

    try:
        lane.submit(slow, on_result=got.append)
        assert running.wait(TIMEOUT_MS / 1000)  # running, not queued: the next one waits behind it
        never = lane.submit(lambda task: "in between", on_result=got.append)
        with qtbot.waitSignal(lane.finished, timeout=TIMEOUT_MS):
            lane.submit(lambda task: str(task.store.entry_count()), on_result=got.append)
            release.set()
        with qtbot.assertNotEmitted(lane.finished, wait=100):  # the old one's result never arrives
            pass
        assert got == ["1"]  # the newest, read through the lane's own store
        assert never.cancelled()  # queued behind a newer one: never ran
        assert not lane.busy
    finally:
        lane.stop()


def test_an_unexpected_exception_comes_back_as_an_error_and_is_logged(
    qtbot: QtBot, journal: Path, caplog: pytest.LogCaptureFixture
) -> None:
    lane = Background(None, "test-errors", journal=journal)

    def broken(task: Task) -> None:
        raise sqlite3.OperationalError("database is locked")

    try:
        with caplog.at_level(logging.ERROR), qtbot.waitSignal(lane.failed, timeout=TIMEOUT_MS) as blocker:
            lane.submit(broken)
        [message] = blocker.args
        assert message.startswith("something went wrong (OperationalError: database is locked)")
        assert "Traceback" in caplog.text or any(r.exc_info for r in caplog.records)
        assert not lane.busy  # nothing left waiting for ever

        errors: list[str] = []
        with qtbot.waitSignal(lane.finished, timeout=TIMEOUT_MS):
            lane.submit(_raise(JournalError("the disk is full")), on_error=errors.append)
        with qtbot.waitSignal(lane.finished, timeout=TIMEOUT_MS):
            lane.submit(_raise(Refusal("out.pdf could not be written: no space")), on_error=errors.append)
        assert errors == ["the disk is full", "out.pdf could not be written: no space"]  # known: as they are
    finally:
        lane.stop()


def _raise(error: Exception) -> object:
    def work(task: Task) -> None:
        raise error

    return work


def test_progress_and_cooperative_cancel(qtbot: QtBot) -> None:
    lane = Background(None, "test-cancel", newest_wins=False)
    started = threading.Event()
    steps: list[tuple[int, int]] = []
    lane.progressed.connect(lambda done, total: steps.append((done, total)))

    def endless(task: Task) -> None:
        done = 0
        while True:
            task.check()
            done += 1
            task.progress(min(done, 3), 1000)  # the same figures twice are told once
            if done > 3:
                started.set()

    cancelled: list[bool] = []
    try:
        lane.submit(endless, on_cancel=lambda: cancelled.append(True))
        assert started.wait(TIMEOUT_MS / 1000)
        with qtbot.waitSignal(lane.cancelled, timeout=TIMEOUT_MS):
            lane.cancel()
        assert cancelled == [True]
        assert steps == [(1, 1000), (2, 1000), (3, 1000)]
        seen: list[bool] = []
        with qtbot.waitSignal(lane.succeeded, timeout=TIMEOUT_MS):  # cancelled before it began: it starts stopped
            lane.submit(lambda task: seen.append(task.cancelled()), cancelled=True)
        assert seen == [True]
    finally:
        lane.stop()


def test_forget_drops_the_outstanding_result(qtbot: QtBot) -> None:
    lane = Background(None, "test-forget")
    release = threading.Event()
    try:
        lane.submit(lambda task: release.wait(TIMEOUT_MS / 1000))
        lane.forget()
        release.set()
        assert lane.wait(TIMEOUT_MS)
        with qtbot.assertNotEmitted(lane.finished, wait=100):
            pass
        assert not lane.busy
    finally:
        lane.stop()


def test_an_ordered_lane_saves_in_order_on_its_own_thread(qtbot: QtBot, tmp_path: Path) -> None:
    with Store.open(tmp_path / "j.hindsight") as store:
        saver = Background(None, "hindsight-save", journal=store.path, keep_store=True, newest_wins=False)
        threads: list[str] = []

        def save(pm: PostMortem) -> object:
            def work(task: Task) -> object:
                threads.append(threading.current_thread().name)
                return task.store.save(pm)

            return work

        futures = [saver.submit(save(PostMortem(title=f"Save {i}"))) for i in range(5)]  # type: ignore[arg-type]
        saved = [future.result(TIMEOUT_MS / 1000) for future in futures]
        assert [pm.title for pm, _ in saved] == [f"Save {i}" for i in range(5)]  # type: ignore[attr-defined]
        [(first, changes)] = saved[:1]  # type: ignore[misc]
        assert changes.created == (first.id,)
        assert store.get(first.id).title == "Save 0"
        assert threads and all(name.startswith("hindsight-save") for name in threads)
        with pytest.raises(ConflictError):
            saver.submit(save(PostMortem(id=first.id, title="stale", revision=0))).result()
        saver.stop()
        saver.stop()  # twice is harmless
        again, _ = saver.submit(save(PostMortem(title="After stopping, a new thread starts"))).result()  # type: ignore[misc]
        assert store.get(again.id).revision == 1
        saver.stop()


def test_destroying_the_owner_stops_the_thread_and_finishes_ordered_work(qtbot: QtBot, tmp_path: Path) -> None:
    owner = QObject()
    lane = Background(owner, "test-owner", newest_wins=False)
    release = threading.Event()
    written = tmp_path / "written.txt"

    def write(task: Task) -> None:
        release.wait(TIMEOUT_MS / 1000)
        written.write_text("every word")

    lane.submit(write)
    threads_before = {t.name for t in threading.enumerate()}
    assert "test-owner" in threads_before
    release.set()
    with qtbot.waitSignal(owner.destroyed, timeout=TIMEOUT_MS):
        owner.deleteLater()
    assert written.read_text() == "every word"  # queued in-order work ran before the thread ended
    assert "test-owner" not in {t.name for t in threading.enumerate()}


def test_cancelled_is_an_exception_work_can_raise_itself(qtbot: QtBot) -> None:
    lane = Background(None, "test-raise")

    def gives_up(task: Task) -> None:
        raise Cancelled

    try:
        with qtbot.waitSignal(lane.cancelled, timeout=TIMEOUT_MS):
            future = lane.submit(gives_up)
        with pytest.raises(Cancelled):
            future.result()
    finally:
        lane.stop()


def test_work_that_makes_qt_objects_gets_a_qt_thread_that_ends_with_its_owner(qtbot: QtBot) -> None:
    owner = QObject()
    lane = Background(owner, "test-qt", uses_qt=True)
    with qtbot.waitSignal(lane.succeeded, timeout=TIMEOUT_MS) as blocker:
        lane.submit(lambda task: (QAbstractEventDispatcher.instance() is not None,
                                  QThread.currentThread() is not QCoreApplication.instance().thread(),  # type: ignore[union-attr]
                                  threading.current_thread().name))
    assert blocker.args == [(True, True, "test-qt")]  # timers in a QTextDocument need the dispatcher
    with qtbot.waitSignal(owner.destroyed, timeout=TIMEOUT_MS):  # no "QThread destroyed while running"
        owner.deleteLater()
