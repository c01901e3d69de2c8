"""Light and dark palettes, one colour per role everywhere, and stylesheets filled for the palette in use."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from journal.insight.patterns import Bar, Chart
from journal.model import PostMortem
from journal.store import Store
from tests.ui.conftest import ScriptedDialogs
from tests.ui.fake_editor import FakeEditor
from ui import theme as theme_module
from ui.browse.entry_list import COLUMNS
from ui.insight.charts import BarChart
from ui.shell.main_window import JournalPaths, MainWindow
from ui.theme import ROLE_TEXT, Theme, colors, palette, role_color, role_legend, stylesheet, use_stylesheet

pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")


def ink(icon: QIcon, mode: QIcon.Mode = QIcon.Mode.Normal) -> str:
    """The colour an icon is drawn in: the most common fully opaque pixel."""
    image = icon.pixmap(48, 48, mode).toImage()
    seen = Counter(
        image.pixelColor(x, y).name()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    )
    return seen.most_common(1)[0][0]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_maker_and_receiver_wear_the_same_colour_in_the_list_the_toolbar_and_the_charts(
    qtbot: QtBot, tmp_path: Path, dark: bool
) -> None:
    journal = tmp_path / "mine.hindsight"
    with Store.open(journal) as store:
        store.save(PostMortem(title="Quote with last year's rates", role="maker"))
        store.save(PostMortem(title="Courier lost the samples", role="receiver"))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    theme = Theme(settings)
    theme.set_mode("dark" if dark else "light")
    window = MainWindow(settings, editor_factory=FakeEditor, dialogs=ScriptedDialogs(), theme=theme,
                        paths=JournalPaths(mine=journal, demo=tmp_path / "demo.hindsight"))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.list_updated, timeout=10_000):
        assert window.open_path(journal, startup=True)
    assert window.view is not None
    model = window.view.model
    chart = BarChart(Chart("months", "Post-mortems per month", [ROLE_TEXT["maker"], ROLE_TEXT["receiver"]],
                           [Bar("Jan", [1, 1], [["a"], ["b"]])]))
    chart.setPalette(palette(dark))
    qtbot.addWidget(chart)
    toolbar = {"maker": window.new_action, "receiver": window.new_received_action}
    for series, role in enumerate(("maker", "receiver")):
        expected = colors(dark)[role].lower()
        assert role_color(role, dark).lower() == expected
        row = next(r for r in range(model.rowCount()) if model.summary(r).role == role)  # type: ignore[union-attr]
        listed = model.index(row, COLUMNS.index("Role")).data(Qt.ItemDataRole.DecorationRole)
        assert ink(listed) == expected  # the list's role icon
        assert ink(toolbar[role].icon()) == expected  # the toolbar's New buttons
        assert chart.series_colour(series).name() == expected  # the charts' bars and their legend
        # On a selected row the icon takes the selection's text colour, so it never sinks into the highlight.
        assert ink(listed, QIcon.Mode.Selected) == colors(dark)["highlighted_text"].lower()
    assert colors(dark)["maker"] != colors(dark)["receiver"]


def test_the_role_colours_are_explained_where_they_are_used(qtbot: QtBot, tmp_path: Path) -> None:
    assert role_legend() == "Orange: “I made it” · Blue: “It landed on me”"
    journal = tmp_path / "mine.hindsight"
    Store.open(journal).close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(settings, editor_factory=FakeEditor, dialogs=ScriptedDialogs(),
                        paths=JournalPaths(mine=journal, demo=tmp_path / "demo.hindsight"))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.list_updated, timeout=10_000):
        assert window.open_path(journal, startup=True)
    assert window.view is not None
    tip = window.view.model.headerData(COLUMNS.index("Role"), Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert role_legend() in tip


def test_selected_rows_keep_enough_contrast_for_the_role_icon() -> None:
    for dark in (False, True):
        highlight = palette(dark).color(QPalette.ColorRole.Highlight)
        selected_ink = palette(dark).color(QPalette.ColorRole.HighlightedText)
        assert abs(highlight.lightness() - selected_ink.lightness()) > 90


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


@pytest.fixture
def dark_only_colour(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A colour the dark palette gives the form's inline messages and the light one does not."""
    stylesheet.cache_clear()
    monkeypatch.setitem(theme_module._DARK, "inline_message", "#123456")
    yield "#123456"
    stylesheet.cache_clear()


def test_a_stylesheet_takes_the_colours_of_the_palette_it_is_shown_in(dark_only_colour: str) -> None:
    assert colors(False)["inline_message"] in stylesheet("editor", False)
    assert dark_only_colour in stylesheet("editor", True)
    assert dark_only_colour not in stylesheet("editor", False)


def test_switching_to_dark_refills_a_widgets_stylesheet(qtbot: QtBot, tmp_path: Path, dark_only_colour: str) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    theme = Theme(settings)
    theme.set_mode("light")
    editor_like = QWidget()
    qtbot.addWidget(editor_like)
    message = QLabel("That is not a date", editor_like)
    message.setObjectName("inlineMessage")
    use_stylesheet(editor_like, "editor")
    editor_like.show()
    assert message.palette().color(message.foregroundRole()).name().upper() == colors(False)["inline_message"]
    theme.set_mode("dark")  # Qt tells each widget of the new palette through its event queue
    qtbot.waitUntil(lambda: editor_like.styleSheet() == stylesheet("editor", True))
    assert message.palette().color(message.foregroundRole()).name() == dark_only_colour
    theme.set_mode("light")
    qtbot.waitUntil(lambda: editor_like.styleSheet() == stylesheet("editor", False))
