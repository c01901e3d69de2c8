"""Thousands of signals emitted from Python never bring the app down; PySide does not read our sources on import."""

from __future__ import annotations

import importlib
import inspect
import sys
import types

import pytest
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


def test_our_modules_are_not_read_by_pyside_on_import(monkeypatch: pytest.MonkeyPatch) -> None:
    """PySide's per-import source scan skips Hindsight's modules and the stdlib, and still reads the rest."""
    feature = importlib.import_module("PySide6.support.feature")
    assert pyside_fixes.SKIPPING_SCAN
    read: list[str] = []
    monkeypatch.setattr(inspect, "getsource", lambda module: read.append(module.__name__) or "import PySide6")
    assert feature._mod_uses_pyside(types.ModuleType("journal.some_module")) is False
    assert feature._mod_uses_pyside(types.ModuleType("ui.shell.some_view")) is False
    assert feature._mod_uses_pyside(types.ModuleType("json.decoder")) is False
    assert read == []
    assert feature._mod_uses_pyside(types.ModuleType("someone_elses_widgets")) is True  # still read
    assert read == ["someone_elses_widgets"]
