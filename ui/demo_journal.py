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

Populate = Callable[[Store], None]


def default_demo_path() -> Path:
    """Beside the user's journal in the user data folder, never inside it."""
    return Path(platformdirs.user_data_dir("Hindsight", appauthor=False)) / "demo.hindsight"


def populate_demo(store: Store) -> None:
    from journal import demo

    demo.populate(store, entries=DEMO_ENTRIES, seed=DEMO_SEED)


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
    """Writes the demo to ``<target>.part`` then renames it, so a half-built demo never shows."""

    built = Signal(str)
    failed = Signal(str)

    def __init__(self, target: Path, populate: Populate = populate_demo) -> None:
        super().__init__()
        self._target = target
        self._populate = populate

    def run(self) -> None:
        part = self._target.with_name(self._target.name + ".part")
        try:
            _remove(part)
            with Store.open(part) as store:
                self._populate(store)
            _remove(self._target)
            os.replace(part, self._target)
        except (JournalError, OSError) as error:
            _remove(part)
            self.failed.emit(f"The demo journal could not be made: {error}")
            return
        self.built.emit(str(self._target))
