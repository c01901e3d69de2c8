"""resources/ (icons, stylesheets, the desktop file) is found from a source checkout and from an installed wheel."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import zipfile
from importlib.resources import files
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from ui.icons import resource_bytes
from ui.theme import stylesheet

ROOT = Path(__file__).resolve().parents[1]
# What setuptools reads to build the wheel; copied, so the build leaves nothing in the checkout.
BUILT_FROM = ("pyproject.toml", "README.md", "hindsight_cli.py", "journal", "ui", "resources")
STYLES = sorted(p.name[:-4] for p in files("resources").joinpath("styles").iterdir() if p.name.endswith(".qss"))


def resource_files() -> set[str]:
    """Every file of resources/ in the checkout, as a path inside the wheel."""
    return {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "resources").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("checkout")
    for name in BUILT_FROM:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    # No index, no isolation: the build uses the setuptools of this environment (a test extra), offline.
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--quiet",
         "--wheel-dir", str(out), str(source)],
        capture_output=True, text=True, timeout=240,
    )
    assert built.returncode == 0, built.stderr
    return next(out.glob("hindsight_journal-*.whl"))


def test_the_desktop_file_launches_hindsight() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(resource_bytes("hindsight.desktop").decode("utf-8"))
    entry = parser["Desktop Entry"]
    assert entry["Name"] == "Hindsight"
    assert entry["Exec"].startswith("hindsight")
    assert entry["Type"] == "Application"


def test_the_stylesheets_are_files_not_strings_in_the_code() -> None:
    assert {"editor", "patterns", "shortcuts"} <= set(STYLES)
    assert files("resources").joinpath("styles", "packet.css").is_file()
    for path in (ROOT / "ui").rglob("*.py"):
        assert "setStyleSheet(\"" not in path.read_text(encoding="utf-8").replace("'", '"'), path


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("name", STYLES)
def test_every_stylesheet_is_filled_and_read_by_qt_in_both_palettes(qtbot: QtBot, name: str, dark: bool) -> None:
    text = stylesheet(name, dark)
    assert "${" not in text and "$" not in text
    widget = QWidget()
    qtbot.addWidget(widget)
    QLabel("a label", widget)
    widget.setStyleSheet(text)  # Qt logs "Could not parse stylesheet" for a bad one, and that fails the test
    widget.show()
    qtbot.waitExposed(widget)


@pytest.mark.slow
def test_the_wheel_ships_every_icon_stylesheet_and_the_desktop_file(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    expected = resource_files()
    assert {"resources/hindsight.desktop", "resources/icons/trash.svg", "resources/styles/editor.qss",
            "resources/styles/packet.css"} <= expected
    assert expected <= names, sorted(expected - names)


@pytest.mark.slow
def test_an_installed_wheel_finds_its_resources_without_the_checkout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)  # what installing a pure-Python wheel amounts to
    check = (
        "import sys, resources, ui.theme, ui.icons\n"
        "site = sys.argv[1]\n"
        "assert resources.__file__.startswith(site) and ui.theme.__file__.startswith(site), resources.__file__\n"
        "read = ui.icons.resource_bytes\n"
        "print(len(read('icons/hindsight.svg')), len(read('hindsight.desktop')))\n"
        "print(ui.theme.stylesheet('editor', True).count('QLabel#'))\n"
    )
    # -P and another working directory: only the extracted wheel can answer the imports of our packages.
    ran = subprocess.run(
        [sys.executable, "-P", "-c", check, str(site)], cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(site)},
    )
    assert ran.returncode == 0, ran.stderr
    svg, desktop, labels = (int(n) for n in ran.stdout.split())
    assert svg == len(resource_bytes("icons/hindsight.svg"))
    assert desktop == len(resource_bytes("hindsight.desktop"))
    assert labels == stylesheet("editor", True).count("QLabel#") > 0
