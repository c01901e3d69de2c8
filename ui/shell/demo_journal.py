"""The demo journal: made by the core's generator in its own file, off the GUI thread."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

import platformdirs
from PySide6.QtCore import QObject

from journal.store import JournalError, Store
from ui.background import Background, Task

DEMO_ENTRIES = 300
DEMO_SEED = 7

Progress = Callable[[int, int], None]  # (entries written, entries in all); raises Cancelled to stop
Populate = Callable[[Store, Progress], None]


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


def demo_lane(owner: QObject) -> Background:
    """Where the demo is made: its own thread; a full disk or an unwritable folder is said plainly."""
    return Background(owner, "hindsight-demo", newest_wins=False, known=(JournalError, OSError))


def builder(target: Path, populate: Populate = populate_demo) -> Callable[[Task], str]:
    """Work for a ``ui.background`` lane that makes the demo at ``target`` and returns its path.

    It writes ``<target>.part`` then renames it, so a half-built demo never shows; a cancel
    stops it at the next progress report (``Cancelled``) and nothing is kept.
    """

    def build(task: Task) -> str:
        def progress(done: int, total: int) -> None:
            task.check()
            task.progress(done, total)

        part = target.with_name(target.name + ".part")
        try:
            _remove(part)
            with Store.open(part) as store:
                populate(store, progress)
            task.check()
            _remove(target)
            os.replace(part, target)
        except BaseException:
            _remove(part)
            raise
        return str(target)

    return build
