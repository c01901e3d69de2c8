"""The desktop app: Qt widgets and models over the journal core."""

from ui import pyside_fixes  # noqa: F401  (must run before any signal is emitted)
