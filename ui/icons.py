"""SVG icons from ``resources/icons``, tinted to the palette, cached.

The files use ``currentColor`` so one drawing serves the light and the dark
palette. They are found with ``importlib.resources`` (source checkout or wheel).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

_SIZES = (16, 20, 24, 32, 48, 64)  # menus, toolbar and lists at up to 2.7x scaling; a 256 px drawing costs 16 of these
_APP_SIZES = (*_SIZES, 128, 256)  # the app's own icon is also shown by the desktop, large


def resource_bytes(relative: str) -> bytes:
    """A file under the top-level ``resources`` package (e.g. ``icons/trash.svg``)."""
    return files("resources").joinpath(*relative.split("/")).read_bytes()


@cache
def _svg(name: str) -> str:
    return resource_bytes(f"icons/{name}.svg").decode("utf-8")


def _render(svg: str, sizes: tuple[int, ...]) -> list[QPixmap]:
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))  # parsed once for every size
    pixmaps = []
    for size in sizes:
        pixmap = QPixmap(QSize(size, size))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        pixmaps.append(pixmap)
    return pixmaps


@cache
def _icon(name: str, color: str, selected: str) -> QIcon:
    svg = _svg(name).replace("currentColor", color)
    icon = QIcon()
    sizes = _APP_SIZES if name == "hindsight" else _SIZES
    for pixmap in _render(svg, sizes):
        icon.addPixmap(pixmap)
    if selected:  # on a selected row the item view asks for this mode: drawn in the selection's text colour
        chosen = _svg(name).replace("currentColor", selected)
        for pixmap in _render(chosen, sizes):
            icon.addPixmap(pixmap, QIcon.Mode.Selected)
    return icon


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
