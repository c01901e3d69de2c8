"""A guard against PySide6 6.12.0's ``SignalInstance.emit()`` reference bug on CPython before 3.12.

In that release ``emit()`` returns ``True`` without owning a reference to it, so every emit made
from Python takes one reference away from the ``True`` singleton. After a few hundred emits
(``True`` starts with about 600 references) CPython aborts with "bool_dealloc: deallocating
True or False". CPython 3.12 made ``True`` and ``False`` immortal, which hides the bug there; on
older versions we do the same, and only when a probe shows the leak. PySide6 6.11 does not leak,
and pyproject.toml keeps 6.12 out of fresh installs; this guard covers machines that have it anyway.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal

_ENOUGH = 1 << 48  # more references than any process can ever give back


class _Probe(QObject):
    ping = Signal()


def emit_leaks_bool() -> bool:
    """True when emitting a signal from Python loses a reference to ``True``."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(4):
        probe.ping.emit()
    return sys.getrefcount(True) < before


def keep_bools_alive() -> bool:
    """Give ``True`` and ``False`` a reference count that emits cannot exhaust; True if it was needed."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12) or not emit_leaks_bool():
        return False
    import ctypes  # only where the leak was seen: ctypes costs every start a few milliseconds

    for value in (True, False):
        count = ctypes.c_ssize_t.from_address(id(value))
        if count.value != sys.getrefcount(value) - 1:  # not the object layout we know: leave it alone
            return False
        count.value += _ENOUGH
    return True


APPLIED = keep_bools_alive()
