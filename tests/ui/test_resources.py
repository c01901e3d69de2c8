"""Icons, the desktop file and the palettes come from ui/resources and work in both themes."""

from __future__ import annotations

import configparser
from importlib import resources

from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from ui.icons import app_icon, icon, resource_bytes
from ui.theme import Theme, palette


def test_every_icon_renders(qtbot: QtBot) -> None:
    folder = resources.files("ui").joinpath("resources", "icons")
    names = [p.name[:-4] for p in folder.iterdir() if p.name.endswith(".svg")]
    assert {"maker", "receiver", "trash", "search", "hindsight"} <= set(names)
    for name in names:
        image = icon(name, "#336699").pixmap(24, 24).toImage()
        assert not image.isNull()
        assert any(image.pixelColor(x, y).alpha() for x in range(24) for y in range(24)), name
    assert not app_icon().isNull()


def test_icons_are_tinted_to_the_colour_asked(qtbot: QtBot) -> None:
    image = icon("open", "#ff0000").pixmap(32, 32).toImage()
    pixels = [image.pixelColor(x, y) for x in range(32) for y in range(32)]
    colours = {p.name() for p in pixels if p.alpha() == 255}
    assert colours == {"#ff0000"}


def test_desktop_file_launches_hindsight() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(resource_bytes("hindsight.desktop").decode("utf-8"))
    entry = parser["Desktop Entry"]
    assert entry["Name"] == "Hindsight"
    assert entry["Exec"].startswith("hindsight")
    assert entry["Type"] == "Application"


def test_dark_palette_is_dark_and_light_is_light() -> None:
    assert palette(True).window().color().lightness() < 80
    assert palette(False).window().color().lightness() > 200


def test_theme_remembers_the_override(qtbot: QtBot, tmp_path: object) -> None:
    settings = QSettings(f"{tmp_path}/s.ini", QSettings.Format.IniFormat)
    theme = Theme(settings)
    theme.set_mode("dark")
    assert Theme(settings).mode == "dark"
    assert Theme(settings).dark
    theme.set_mode("system")
