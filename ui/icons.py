"""SVG icons from ``resources/icons``, tinted to the palette, drawn at the size asked when first asked.

The files use ``currentColor`` so one drawing serves the light and the dark
palette. They are found with ``importlib.resources`` (source checkout or wheel).
Each icon is a small :class:`QIconEngine` that renders its SVG only for the size,
device pixel ratio and mode a view actually paints, and keeps that pixmap. (The
icons used to be drawn at six sizes, twice, when made: a menu of thirty actions
paid for 360 drawings before the window could first paint.)
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

DISABLED_OPACITY = 0.4  # a disabled action's icon, like its greyed text


@cache
def _resources() -> Traversable:
    return files("resources")  # finding the package again for each of the first screen's 16 icons took 2-5 ms


def resource_bytes(relative: str) -> bytes:
    """A file under the top-level ``resources`` package (e.g. ``icons/trash.svg``)."""
    return _resources().joinpath(*relative.split("/")).read_bytes()


@cache
def _svg(name: str) -> str:
    return resource_bytes(f"icons/{name}.svg").decode("utf-8")


class SvgIconEngine(QIconEngine):
    """One tinted SVG (and, optionally, its colour on a selected row), rendered per size on demand."""

    def __init__(self, svg: str, selected_svg: str = "") -> None:
        super().__init__()
        self._svg = svg
        self._selected_svg = selected_svg
        self._renderers: dict[bool, QSvgRenderer] = {}
        self._pixmaps: dict[tuple[int, int, int, bool], QPixmap] = {}

    def _renderer(self, selected: bool) -> QSvgRenderer:
        renderer = self._renderers.get(selected)
        if renderer is None:
            svg = self._selected_svg if selected else self._svg
            renderer = self._renderers[selected] = QSvgRenderer(QByteArray(svg.encode("utf-8")))
        return renderer

    def _draw(self, width: int, height: int, mode: QIcon.Mode) -> QPixmap:
        selected = mode == QIcon.Mode.Selected and bool(self._selected_svg)
        disabled = mode == QIcon.Mode.Disabled
        key = (width, height, 1 if disabled else 0, selected)
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            pixmap = QPixmap(max(width, 1), max(height, 1))
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            if disabled:
                painter.setOpacity(DISABLED_OPACITY)
            side = min(width, height)  # square drawings, centred in the rectangle asked for
            self._renderer(selected).render(painter, QRectF((width - side) / 2, (height - side) / 2, side, side))
            painter.end()
            self._pixmaps[key] = pixmap
        return pixmap

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return QPixmap(self._draw(size.width(), size.height(), mode))

    def scaledPixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float) -> QPixmap:
        pixmap = QPixmap(self._draw(round(size.width() * scale), round(size.height() * scale), mode))
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        scale = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        painter.drawPixmap(rect, self._draw(round(rect.width() * scale), round(rect.height() * scale), mode))

    def actualSize(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QSize:
        return QSize(size)  # a drawing fills whatever it is given

    def clone(self) -> QIconEngine:
        engine = SvgIconEngine(self._svg, self._selected_svg)
        _ENGINES.append(engine)  # Qt owns the clone; this keeps its Python half alive with it
        return engine

    def isNull(self) -> bool:
        return False


_ENGINES: list[SvgIconEngine] = []


@cache
def _icon(name: str, color: str, selected: str) -> QIcon:
    engine = SvgIconEngine(_svg(name).replace("currentColor", color),
                           _svg(name).replace("currentColor", selected) if selected else "")
    _ENGINES.append(engine)  # the QIcon holds the C++ engine; the cache and this list keep the Python object
    return QIcon(engine)


def icon(name: str, color: QColor | str | None = None, selected: QColor | str | None = None) -> QIcon:
    """The icon ``name`` drawn in ``color`` (default: the SVG's own colours, black strokes).

    With ``selected``, a selected list row shows it in that colour instead (readable on the highlight).
    """
    if isinstance(color, QColor):
        color = color.name()
    if isinstance(selected, QColor):
        selected = selected.name()
    return _icon(name, color or "#000000", selected or "")


def app_icon() -> QIcon:
    return icon("hindsight")
