"""Two guards around PySide6: its ``emit()`` reference bug, and its scan of every module imported after it.

**emit().** In PySide6 6.12.0 ``emit()`` returns ``True`` without owning a reference to it, so every emit made
from Python takes one reference away from the ``True`` singleton. After a few hundred emits
(``True`` starts with about 600 references) CPython aborts with "bool_dealloc: deallocating
True or False". CPython 3.12 made ``True`` and ``False`` immortal, which hides the bug there; on
older versions we do the same, and only when a probe shows the leak. PySide6 6.11 does not leak,
and pyproject.toml keeps 6.12 out of fresh installs; this guard covers machines that have it anyway.

**The import scan.** So that ``from __feature__ import snake_case`` can switch per module, PySide reads the
source of every module imported after it and looks for the word "PySide6" (``inspect.getsource``: a stat,
a read and a split of each file). Hindsight's own modules and the standard library never use
``__feature__``; they are answered without reading them, which takes about 13 ms off the app's start
(75 modules before the first paint). Every other module is still read. Nothing here changes how any
Qt name behaves: with no feature selected anywhere, "does not switch" and "switches to no feature" are
the same. If PySide's internals move, the scan simply stays as it was.
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


_NEVER_FEATURES = frozenset({"journal", "ui", "resources", "hindsight_cli", "benchmarks", "tests"})


def skip_scan_of_known_modules() -> bool:
    """Answer PySide's "does this module use PySide6?" without reading ours or the stdlib's; True if in place."""
    import importlib

    try:
        feature = importlib.import_module("PySide6.support.feature")  # not in PySide's type stubs
    except ImportError:
        return False
    scan = getattr(feature, "_mod_uses_pyside", None)
    if scan is None or getattr(scan, "_hindsight", False):
        return scan is not None

    def uses_pyside(module: object) -> bool:
        top = str(getattr(module, "__name__", "")).partition(".")[0]
        if top in _NEVER_FEATURES or top in sys.stdlib_module_names:
            return False
        return bool(scan(module))

    uses_pyside._hindsight = True  # type: ignore[attr-defined]
    setattr(feature, "_mod_uses_pyside", uses_pyside)  # noqa: B010  (a module attribute PySide looks up per call)
    return True


SKIPPING_SCAN = skip_scan_of_known_modules()
