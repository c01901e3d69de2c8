"""The ``hindsight`` command: ``journal.cli`` with the desktop app as its ``gui`` command.

The core (``journal/``) never imports the UI. This module, outside both layers, gives
the command line the function that starts the app, and imports ``ui`` (and Qt) only
when that function runs: every other command, and every helper process of a long
export or import, starts without them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from journal import cli


def start_app(journal: str | None) -> int:
    """Open the desktop app on ``journal``; a missing Qt is one clear line, not a traceback."""
    try:
        from ui.app import main as app_main
    except ImportError as error:
        raise cli.UserError(f"the desktop app cannot start: {error}") from None
    return app_main(journal=journal)


def packet_pdf(markdown_text: str, title: str) -> bytes:
    """A review packet as PDF bytes, drawn by Qt; a missing Qt is one clear line, not a traceback."""
    try:
        from ui.packet_pdf import render_pdf
    except ImportError as error:
        raise cli.UserError(f"a PDF needs Qt (PySide6), which cannot be loaded ({error}); write .md instead") from None
    return render_pdf(markdown_text, title)


def main(argv: Sequence[str] | None = None) -> int:
    return cli.main(argv, gui=start_app, pdf=packet_pdf)


if __name__ == "__main__":
    sys.exit(main())
