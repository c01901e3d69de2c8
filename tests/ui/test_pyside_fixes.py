"""Thousands of signals emitted from Python never bring the app down (PySide6 6.12.0 refcount bug)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

from ui import pyside_fixes


class Emitter(QObject):
    fired = Signal()


def test_many_emits_leave_true_alive() -> None:
    emitter = Emitter()
    before = sys.getrefcount(True)
    for _ in range(5000):  # far more than True's ~600 references: without the guard CPython 3.11 aborts
        emitter.fired.emit()
    assert sys.getrefcount(True) > 1000
    if pyside_fixes.APPLIED:
        assert before - sys.getrefcount(True) <= 5000  # the leak is real here, and harmless
    else:
        assert sys.getrefcount(True) >= before - 10  # this PySide does not leak
