"""The ``hindsight`` command: ``journal.cli`` with the desktop app as its ``gui`` command.

The core (``journal/``) never imports the UI. This module, outside both layers, gives
the command line the function that starts the app, and imports ``ui`` (and Qt) only
when that function runs: every other command, and every helper process of a long
export or import, starts without them.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence

from journal import cli

NO_DESKTOP = "Hindsight needs a desktop session; the command line works without one: hindsight --help"
# Qt platforms that draw on a display server, and so need one to be running.
_DISPLAY_PLATFORMS = ("", "xcb", "wayland", "wayland-egl")


def lacks_desktop(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """On Linux (and the BSDs): no X or Wayland display, and Qt not told to draw elsewhere (offscreen…).

    Qt itself would stop with a message about ``xcb-cursor0``, which sends people to
    install a library they already have.
    """
    if platform.startswith(("win", "darwin", "cygwin")):
        return False
    qpa = environ.get("QT_QPA_PLATFORM", "").split(":", 1)[0].split(";", 1)[0].strip()
    if qpa not in _DISPLAY_PLATFORMS:
        return False  # offscreen, minimal, eglfs, linuxfb, vnc: no display server needed
    return not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY")


def start_app(journal: str | None) -> int:
    """Open the desktop app on ``journal``; a missing display or Qt is one clear line, not a traceback."""
    if lacks_desktop():
        print(NO_DESKTOP, file=sys.stderr)
        return cli.EXIT_USER_ERROR
    try:
        from ui.app import main as app_main
    except ImportError as error:
        raise cli.UserError(f"the desktop app cannot start: {error}") from None
    return app_main(journal=journal)


def packet_pdf(markdown_text: str, title: str) -> bytes:
    """A review packet as PDF bytes, drawn by Qt; a missing Qt is one clear line, not a traceback."""
    try:
        from ui.review.packet_pdf import render_pdf
    except ImportError as error:
        raise cli.UserError(f"a PDF needs Qt (PySide6), which cannot be loaded ({error}); write .md instead") from None
    return render_pdf(markdown_text, title)


def main(argv: Sequence[str] | None = None) -> int:
    return cli.main(argv, gui=start_app, pdf=packet_pdf)


if __name__ == "__main__":
    sys.exit(main())
