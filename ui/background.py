"""The one way the app runs work off the GUI thread: a lane of work owned by a widget.

A ``Background`` is a QObject owned by the widget it works for, with one worker
thread (started on the first request, named for ``threading`` and the logs).
Work is a function ``work(task) -> value`` that runs on that thread; ``task``
gives it the lane's own ``Store`` (a Store belongs to one thread, so the lane
opens its own on the journal path), ``progress(done, total)`` and
``cancelled()``. Nothing in a work function touches a widget.

Every request ends in exactly one of three ways, told on the GUI thread to the
request's own callbacks and by the lane's signals:

- ``on_result(value)`` / ``succeeded``: the work returned;
- ``on_error(message)`` / ``failed``: it raised. A known error (``JournalError``,
  ``ValueError`` where it is a user error, ``Refusal``, or what the lane was told
  is known) comes back as its message; anything else is a bug: its traceback is
  logged and the person sees "something went wrong …" instead of a screen that
  waits for ever;
- ``on_cancel()`` / ``cancelled``: it raised ``Cancelled`` (``task.check()``).

``finished`` follows each of them. Two kinds of lane:

- newest wins (the default): a new request makes older ones stale; a queued
  one never runs, a running one sees ``task.cancelled()`` and its outcome is
  dropped, so a slow old answer never overwrites a new one;
- in order (``newest_wins=False``): every request runs, one after the other,
  and every outcome is told (saves, backups, one transfer).

``submit`` also returns a ``concurrent.futures.Future`` for the rare caller that
must wait (the editor's flush). When the owner is destroyed the lane stops its
thread: in-order work still queued finishes (no save is lost), newest-wins work
is dropped.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from journal.store import JournalError, Store

T = TypeVar("T")
Callback = Callable[..., object]

KNOWN_ERRORS: tuple[type[BaseException], ...] = (JournalError, ValueError)

_log = logging.getLogger(__name__)


class Cancelled(Exception):
    """Raised by work that stops early because the person cancelled (``Task.check``)."""


class Refusal(Exception):
    """A failure the work has put in words for the person ("x could not be written: disk full")."""


def describe(error: BaseException, known: tuple[type[BaseException], ...] = KNOWN_ERRORS) -> str:
    """What the person is told about ``error``: its message when it is known, else that something went wrong."""
    if isinstance(error, (Refusal, *known)):
        return str(error)
    detail = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    return f"something went wrong ({detail}). Please report it as a bug in Hindsight."


@dataclass(eq=False)
class _Request:
    serial: int
    work: Callable[[Task], Any]
    future: Future[Any]
    on_result: Callback | None
    on_error: Callback | None
    on_cancel: Callback | None
    cancel: bool = False  # the person asked to stop
    last_progress: tuple[int, int] = (-1, -1)


@dataclass(frozen=True)
class _Report:
    request: _Request
    kind: str  # "progress", "result", "error" or "cancelled"
    value: Any = None


class _Relay(QObject):
    """Carries reports from the worker thread to the GUI thread; outlives the lane's owner while the thread runs."""

    reported = Signal(object)


class _QtThread(QThread):
    """A worker thread for work that makes Qt objects (a QTextDocument, a QPdfWriter): they need its event loop."""

    def __init__(self, target: Callable[[], None], name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self._target = target
        self._name = name

    def run(self) -> None:
        threading.current_thread().name = self._name  # for logs, as a Python thread is named
        self._target()

    def join(self) -> None:
        self.wait()


@dataclass(eq=False)
class _Lane:
    """The worker side of a ``Background``: a queue, a thread and the thread's own store (plain Python)."""

    name: str
    journal: Path | None
    passphrase: str | None
    keep_store: bool
    newest_wins: bool
    known: tuple[type[BaseException], ...]
    relay: _Relay
    uses_qt: bool = False
    cond: threading.Condition = field(default_factory=threading.Condition)
    queue: deque[_Request] = field(default_factory=deque)
    running: _Request | None = None
    newest: int = 0  # the serial of the newest request; in a newest-wins lane only its outcome counts
    stopping: bool = False
    thread: threading.Thread | _QtThread | None = None
    store: Store | None = None  # opened and closed on the worker thread only

    def add(self, request: _Request) -> None:
        with self.cond:
            self.newest = request.serial
            if self.newest_wins:
                self._drop_queued()
            self.queue.append(request)
            if self.thread is None:
                # A daemon Python thread never holds the process open at exit; a QThread only where Qt needs one.
                self.thread = (_QtThread(self._loop, self.name) if self.uses_qt
                               else threading.Thread(target=self._loop, name=self.name, daemon=True))
                self.thread.start()
            self.cond.notify_all()

    def forget(self) -> None:
        """Make every outstanding request stale (the GUI drops its outcome) and ask the running one to stop."""
        with self.cond:
            self.newest += 1
            self._drop_queued()
            if self.running is not None:
                self.running.cancel = True

    def cancel(self) -> None:
        with self.cond:
            for request in (*self.queue, *([self.running] if self.running else [])):
                request.cancel = True

    def idle(self, timeout_s: float | None) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: not self.queue and self.running is None, timeout_s)

    def stop(self) -> None:
        """End the thread: in-order work still queued runs first, newest-wins work is dropped."""
        with self.cond:
            thread = self.thread
            if thread is None:
                return
            if self.newest_wins:
                self.newest += 1
                self._drop_queued()
            self.stopping = True
            self.cond.notify_all()
        thread.join()
        with self.cond:
            self.thread = None
            self.stopping = False

    def _drop_queued(self) -> None:
        while self.queue:
            self.queue.popleft().future.cancel()

    def _loop(self) -> None:
        try:
            while True:
                with self.cond:
                    self.cond.wait_for(lambda: bool(self.queue) or self.stopping)
                    if not self.queue:
                        return
                    request = self.queue.popleft()
                    self.running = request
                try:
                    self._run(request)
                finally:
                    with self.cond:
                        self.running = None
                        self.cond.notify_all()
        finally:
            self._close_store()

    def _run(self, request: _Request) -> None:
        request.future.set_running_or_notify_cancel()
        task = Task(self, request)
        try:
            value = request.work(task)
        except Cancelled as stopped:
            self._release_store()
            request.future.set_exception(stopped)
            self.report(request, "cancelled")
        except Exception as error:  # every failure goes back to the GUI thread; a bug is logged there too
            if not isinstance(error, (Refusal, *self.known)):
                _log.error("Background work on %s failed", self.name, exc_info=error)
            self._release_store()
            request.future.set_exception(error)
            self.report(request, "error", describe(error, self.known))
        else:
            self._release_store()
            request.future.set_result(value)
            self.report(request, "result", value)

    def _release_store(self) -> None:
        """Close the store after each piece of work unless the lane keeps it (searches, saves, names)."""
        if not self.keep_store:
            self._close_store()

    def open_store(self) -> Store:
        if self.journal is None:
            raise RuntimeError(f"the lane {self.name} serves no journal: its work opens its own store")
        if self.store is None:
            self.store = Store.open(self.journal, create=False, passphrase=self.passphrase)
        return self.store

    def _close_store(self) -> None:
        if self.store is not None:
            store, self.store = self.store, None
            try:
                store.close()
            except Exception:  # the thread must live on to tell the next outcome; the bug is in the log
                _log.exception("Closing the store of %s failed", self.name)

    def stale(self, request: _Request) -> bool:
        return self.newest_wins and request.serial != self.newest

    def report(self, request: _Request, kind: str, value: Any = None) -> None:
        self.relay.reported.emit(_Report(request, kind, value))


class Task:
    """What a work function is handed on the worker thread."""

    def __init__(self, lane: _Lane, request: _Request) -> None:
        self._lane = lane
        self._request = request

    @property
    def journal(self) -> Path | None:
        """The journal file the lane serves (None for a lane whose work opens its own)."""
        return self._lane.journal

    @property
    def store(self) -> Store:
        """The lane's own connection to the journal, opened on first use on this thread."""
        return self._lane.open_store()

    def cancelled(self) -> bool:
        """True once the person cancelled, or (newest wins) a newer request made this one stale."""
        return self._request.cancel or self._lane.stale(self._request)

    def check(self) -> None:
        """Stop here (raise ``Cancelled``) when the work was cancelled."""
        if self.cancelled():
            raise Cancelled

    def progress(self, done: int, total: int) -> None:
        """Tell the GUI how far the work is; the same figures twice in a row are told once."""
        if (done, total) != self._request.last_progress:
            self._request.last_progress = (done, total)
            self._lane.report(self._request, "progress", (done, total))


class Background(QObject):
    """One lane of work off the GUI thread, owned by ``parent`` (see the module's docstring)."""

    succeeded = Signal(object)  # what the newest work returned
    failed = Signal(str)  # what the person is told about the newest work's error
    cancelled = Signal()  # the newest work stopped because it was cancelled
    finished = Signal()  # the newest work ended, whichever way (after the signal above)
    progressed = Signal(int, int)  # the newest work's progress: done, total

    def __init__(
        self,
        parent: QObject | None,
        name: str,
        *,
        journal: Path | None = None,
        passphrase: str | None = None,
        keep_store: bool = False,
        newest_wins: bool = True,
        known: tuple[type[BaseException], ...] = KNOWN_ERRORS,
        uses_qt: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._relay = _Relay()
        self._lane = _Lane(name, Path(journal) if journal is not None else None, passphrase, keep_store,
                           newest_wins, known, self._relay, uses_qt)
        self._serial = 0
        self._waiting: set[int] = set()  # requests whose outcome has not been told yet
        self._relay.reported.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        lane = self._lane
        self.destroyed.connect(lambda *_: lane.stop())  # not a method: the lane's wrapper is going away

    @property
    def name(self) -> str:
        return self._lane.name

    @property
    def busy(self) -> bool:
        """A request was made and its outcome has not been told yet."""
        return bool(self._waiting)

    @property
    def working(self) -> bool:
        """Work is queued or running on the worker thread (its outcome may not have been told yet)."""
        return not self._lane.idle(0)

    def submit(
        self,
        work: Callable[[Task], T],
        *,
        on_result: Callable[[T], object] | None = None,
        on_error: Callable[[str], object] | None = None,
        on_cancel: Callable[[], object] | None = None,
        cancelled: bool = False,
    ) -> Future[T]:
        """Run ``work`` on the worker thread; ``cancelled``: the person already cancelled (it starts stopped)."""
        self._serial += 1
        request = _Request(self._serial, work, Future(), on_result, on_error, on_cancel, cancel=cancelled)
        if self._lane.newest_wins:
            self._waiting.clear()
        self._waiting.add(request.serial)
        self._lane.add(request)
        return request.future

    def cancel(self) -> None:
        """Ask the outstanding work to stop at its next check; its outcome is still told."""
        self._lane.cancel()

    def forget(self) -> None:
        """Drop the outstanding work: queued work never runs, running work is told to stop, no outcome is told."""
        self._lane.forget()
        self._waiting.clear()

    def wait(self, timeout_ms: int | None = None) -> bool:
        """Block until the worker thread is idle (False on timeout); the outcomes are told when the GUI next turns."""
        return self._lane.idle(None if timeout_ms is None else timeout_ms / 1000)

    def stop(self) -> None:
        """End the worker thread and close its store; in-order work still queued runs first. Harmless twice."""
        if self._lane.newest_wins:
            self._waiting.clear()
        self._lane.stop()

    @Slot(object)  # a slot of this object: Qt drops reports still queued when it is destroyed
    def _deliver(self, report: _Report) -> None:
        request = report.request
        if self._lane.stale(request) or (report.kind != "progress" and request.serial not in self._waiting):
            return
        if report.kind == "progress":
            self.progressed.emit(*report.value)
            return
        self._waiting.discard(request.serial)
        if report.kind == "result":
            if request.on_result is not None:
                request.on_result(report.value)
            self.succeeded.emit(report.value)
        elif report.kind == "error":
            if request.on_error is not None:
                request.on_error(report.value)
            self.failed.emit(report.value)
        else:
            if request.on_cancel is not None:
                request.on_cancel()
            self.cancelled.emit()
        self.finished.emit()
