"""Charts draw offscreen without Qt warnings and a click on a bar hands over its entries."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from journal.insight.patterns import Bar, Chart
from ui.insight.charts import SERIES_COLOURS, BarChart
from ui.theme import is_dark, role_color


def _chart() -> Chart:
    return Chart("months", "Post-mortems per month", ["I made it", "It landed on me"], [
        Bar("Jan 2025", [4, 2], [["a1", "a2", "a3", "a4"], ["b1", "b2"]]),
        Bar("Feb 2025", [1, 5], [["c1"], ["d1", "d2", "d3", "d4", "d5"]]),
    ])


def test_chart_renders_to_an_image_with_its_colours(qtbot: QtBot) -> None:
    widget = BarChart(_chart())
    qtbot.addWidget(widget)
    image = widget.render_image(400)
    assert image.width() == 400 and image.height() == widget.height()
    colours = {image.pixelColor(x, y).name() for x in range(0, 400, 3) for y in range(0, image.height(), 3)}
    dark = is_dark(widget.palette())
    assert QColor(role_color("maker", dark)).name() in colours  # role series wear the role colours
    assert QColor(role_color("receiver", dark)).name() in colours


def test_series_that_are_not_roles_never_wear_a_role_colour(qtbot: QtBot) -> None:
    widget = BarChart(Chart("breadsticks", "Make-goods", ["accepted", "refused"], [Bar("refund", [2, 1], [[], []])]))
    qtbot.addWidget(widget)
    role_colours = {QColor(role_color(r, dark)).name() for r in ("maker", "receiver") for dark in (False, True)}
    assert {widget.series_colour(0).name(), widget.series_colour(1).name()} == {
        QColor(SERIES_COLOURS[0]).name(), QColor(SERIES_COLOURS[1]).name()}
    assert not role_colours & {widget.series_colour(0).name(), widget.series_colour(1).name()}


def test_clicking_a_segment_emits_its_evidence(qtbot: QtBot) -> None:
    widget = BarChart(_chart())
    qtbot.addWidget(widget)
    widget.resize(400, widget.height())
    second_bar_receiver = next(s for s in widget.segments() if s.bar == 1 and s.series == 1)
    point = second_bar_receiver.rect.center().toPoint()
    with qtbot.waitSignal(widget.bar_clicked) as blocker:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [["d1", "d2", "d3", "d4", "d5"]]
    with qtbot.assertNotEmitted(widget.bar_clicked):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))


def test_an_empty_chart_still_draws(qtbot: QtBot) -> None:
    widget = BarChart(Chart("empty", "Nothing yet", ["x"], []))
    qtbot.addWidget(widget)
    assert not widget.render_image(200).isNull()
