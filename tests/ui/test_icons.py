"""Every SVG icon in resources/icons renders, tinted to the colour asked (one drawing for both palettes)."""

from __future__ import annotations

from importlib.resources import files

from pytestqt.qtbot import QtBot

from ui.icons import app_icon, icon


def test_every_icon_renders(qtbot: QtBot) -> None:
    folder = files("resources").joinpath("icons")
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
