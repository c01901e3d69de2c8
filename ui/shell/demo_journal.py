"""The demo journal: made by the core's generator in its own file, off the GUI thread."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

import platformdirs
from PySide6.QtCore import QThread, Signal

from journal.store import JournalError, Store

DEMO_ENTRIES = 300
DEMO_SEED = 7

Progress = Callable[[int, int], None]  # (entries written, entries in all); may raise to stop
Populate = Callable[[Store, Progress], None]


class Cancelled(Exception):
    """Raised from the progress callback when the user cancelled: the half-made demo is thrown away."""


def default_demo_path() -> Path:
    """Beside the user's journal in the user data folder, never inside it."""
    return Path(platformdirs.user_data_dir("Hindsight", appauthor=False)) / "demo.hindsight"


def populate_demo(store: Store, progress: Progress) -> None:
    from journal import demo

    demo.populate(store, entries=DEMO_ENTRIES, seed=DEMO_SEED, progress=progress)


def is_ready(path: Path) -> bool:
    """A demo journal was built there before and has entries."""
    if not path.exists():
        return False
    try:
        with Store.open(path, create=False) as store:
            return store.entry_count() > 0
    except JournalError:
        return False


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{path}{suffix}")


class DemoBuilder(QThread):
    """Writes the demo to ``<target>.part`` then renames it, so a half-built demo never shows.

    ``cancel`` asks it to stop at the next progress report; nothing is kept then.
    """

    built = Signal(str)
    failed = Signal(str)
    cancelled = Signal()
    progressed = Signal(int, int)

    def __init__(self, target: Path, populate: Populate = populate_demo) -> None:
        super().__init__()
        self._target = target
        self._populate = populate
        self._last = (-1, -1)

    def run(self) -> None:
        part = self._target.with_name(self._target.name + ".part")
        try:
            _remove(part)
            with Store.open(part) as store:
                self._populate(store, self._progress)
            if self.isInterruptionRequested():
                raise Cancelled
            _remove(self._target)
            os.replace(part, self._target)
        except Cancelled:
            _remove(part)
            self.cancelled.emit()
            return
        except (JournalError, OSError) as error:
            _remove(part)
            self.failed.emit(f"The demo journal could not be made: {error}")
            return
        self.built.emit(str(self._target))

    def cancel(self) -> None:
        self.requestInterruption()

    def _progress(self, done: int, total: int) -> None:
        """Runs on this thread: reports, or stops the generator when the user cancelled."""
        if self.isInterruptionRequested():
            raise Cancelled
        if (done, total) != self._last:  # a report per change, not per call
            self._last = (done, total)
            self.progressed.emit(done, total)
