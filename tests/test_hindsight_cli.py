"""The ``hindsight`` command without a desktop: one clear sentence, not Qt's library message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hindsight_cli import NO_DESKTOP, lacks_desktop

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run(
        [sys.executable, "-c", "import sys, hindsight_cli; sys.exit(hindsight_cli.main(sys.argv[1:]))", *args],
        cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is for Linux desktops")
@pytest.mark.parametrize("command", [[], ["gui"]])
def test_without_a_display_the_app_says_what_to_do(tmp_path: Path, command: list[str]) -> None:
    journal = tmp_path / "j.hindsight"
    done = run(["--journal", str(journal), *command])
    assert (done.returncode, done.stderr, done.stdout) == (1, NO_DESKTOP + "\n", "")
    assert not journal.exists()  # nothing was made on the way out


def test_without_a_display_the_command_line_still_works(tmp_path: Path) -> None:
    journal = str(tmp_path / "j.hindsight")
    added = run(["--journal", journal, "add", "--title", "Sent the wrong deck", "--role", "maker"])
    assert added.returncode == 0, added.stderr
    done = run(["--journal", journal, "list"])
    assert done.returncode == 0 and "Sent the wrong deck" in done.stdout


@pytest.mark.parametrize(
    ("environ", "platform", "lacking"),
    [
        ({}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "vnc:size=800x600"}, "linux", False),
        ({}, "freebsd14", True),
        ({}, "darwin", False),
        ({}, "win32", False),
    ],
)
def test_what_counts_as_a_desktop(environ: dict[str, str], platform: str, lacking: bool) -> None:
    assert lacks_desktop(environ, platform) is lacking
