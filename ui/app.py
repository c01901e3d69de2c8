"""Start the desktop app. (Placeholder until the app issue lands.)"""

from __future__ import annotations


def main(journal: str | None = None) -> int:
    raise SystemExit("the desktop app is not built yet")
