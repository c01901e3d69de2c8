"""Small bar charts drawn with QPainter: horizontal (stacked) bars with readable labels.

Horizontal bars keep long labels ("Taking responsibility", "Jan 2025") readable
without rotation. Colours come from the widget's palette for text and grid, and
from a short series list that reads on light and dark themes alike. A click on a
bar segment emits the ids of the entries behind it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QImage, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from journal.insight.patterns import Chart
from ui.theme import ROLE_TEXT, is_dark, role_color

# Series that are not roles: teal and violet first, kept clear of the role colours (orange, blue),
# so orange and blue mean "I made it" and "It landed on me" on every chart.
SERIES_COLOURS = ("#2a9d8f", "#8d69b8", "#7f8c8d", "#519e3e")
ROW_HEIGHT = 22
ROW_GAP = 6
COMPACT_AFTER = 12  # a chart with more bars (two years of months) gets slimmer rows, so others fit beside it
COMPACT_ROW_HEIGHT = 16
COMPACT_ROW_GAP = 3
PADDING = 8


@dataclass(frozen=True)
class _Segment:
    rect: QRectF
    bar: int
    series: int


class BarChart(QWidget):
    """One chart of ``journal.insight.patterns.Chart`` data."""

    bar_clicked = Signal(list)
    bar_chosen = Signal(list, str)  # the same ids, and what they are ("Top causes: handoff")

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        compact = len(chart.bars) > COMPACT_AFTER
        self._row_height = COMPACT_ROW_HEIGHT if compact else ROW_HEIGHT
        self._row_gap = COMPACT_ROW_GAP if compact else ROW_GAP
        self._segments: list[_Segment] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(240)
        self.setFixedHeight(self._height())
        self.setMouseTracking(True)
        self.setAccessibleName(chart.title)

    def _height(self) -> int:
        metrics = QFontMetrics(self.font())
        legend = metrics.height() + ROW_GAP if len(self.chart.series) > 1 else 0
        rows = len(self.chart.bars) * (self._row_height + self._row_gap)
        return PADDING * 2 + metrics.height() + ROW_GAP + legend + rows

    def sizeHint(self) -> QSize:
        return QSize(420, self._height())

    def render_image(self, width: int = 480) -> QImage:
        """The chart as an image (for tests, exports and reports)."""
        image = QImage(width, self._height(), QImage.Format.Format_ARGB32)
        image.fill(self.palette().color(QPalette.ColorRole.Base))
        painter = QPainter(image)
        on_screen = self._segments  # hit-testing follows the widget, not the image
        try:
            self._paint(painter, width, self._height())
        finally:
            painter.end()
            self._segments = on_screen
        return image

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            self._paint(painter, self.width(), self.height())
        finally:
            painter.end()

    def _paint(self, painter: QPainter, width: int, height: int) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        faint = palette.color(QPalette.ColorRole.PlaceholderText)
        metrics = QFontMetrics(painter.font())
        y = PADDING
        title_font = painter.font()
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(text)
        painter.drawText(QRectF(PADDING, y, width - 2 * PADDING, metrics.height()), Qt.AlignmentFlag.AlignLeft,
                         self.chart.title)
        title_font.setBold(False)
        painter.setFont(title_font)
        y += metrics.height() + ROW_GAP
        if len(self.chart.series) > 1:
            x = float(PADDING)
            for i, name in enumerate(self.chart.series):
                painter.fillRect(QRectF(x, y + 3, 10, 10), self.series_colour(i))
                painter.setPen(text)
                painter.drawText(QPointF(x + 14, y + metrics.ascent()), name)
                x += 14 + metrics.horizontalAdvance(name) + 16
            y += metrics.height() + ROW_GAP
        # Bounding rects, not advances: elision measures the same way, so no label is cut short needlessly.
        label_width = min(
            max((metrics.boundingRect(b.label).width() for b in self.chart.bars), default=0) + 16, int(width * 0.4)
        )
        totals = [sum(b.values) for b in self.chart.bars]
        biggest = max(totals, default=0) or 1
        value_width = metrics.horizontalAdvance(self._number(biggest)) + 8
        span = max(10.0, width - PADDING * 2 - label_width - value_width)
        self._segments = []
        for index, bar in enumerate(self.chart.bars):
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width - 6)
            painter.setPen(text)
            painter.drawText(QRectF(PADDING, y, label_width - 6, self._row_height),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            x = float(PADDING + label_width)
            if self.chart.unit:  # values on a scale (e.g. 1–5 points) are drawn side by side, not stacked
                row_height = self._row_height / max(1, len(bar.values))
                for series, value in enumerate(bar.values):
                    rect = QRectF(x, y + series * row_height, span * value / biggest, row_height - 1)
                    painter.fillRect(rect, self.series_colour(series))
                    self._segments.append(_Segment(rect, index, series))
                total_text = " → ".join(self._number(v) for v in bar.values)
                end = x + span * max(bar.values, default=0) / biggest
            else:
                for series, value in enumerate(bar.values):
                    rect = QRectF(x, y, span * value / biggest, self._row_height)
                    painter.fillRect(rect, self.series_colour(series))
                    self._segments.append(_Segment(rect, index, series))
                    x += rect.width()
                total_text = self._number(totals[index])
                end = x
            painter.setPen(faint)
            painter.drawText(QRectF(end + 4, y, value_width + 40, self._row_height), Qt.AlignmentFlag.AlignVCenter,
                             total_text)
            y += self._row_height + self._row_gap

    def series_colour(self, series: int) -> QColor:
        """A series named after a role takes the role's one colour (ui.theme); others a neutral one."""
        name = self.chart.series[series] if series < len(self.chart.series) else ""
        role = next((r for r, text in ROLE_TEXT.items() if text == name), None)
        if role is not None:
            return QColor(role_color(role, is_dark(self.palette())))
        return QColor(SERIES_COLOURS[series % len(SERIES_COLOURS)])

    @staticmethod
    def _number(value: float) -> str:
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"

    def segments(self) -> list[_Segment]:
        """Where each bar segment is at the widget's current size (laid out as it is painted)."""
        image = QImage(max(1, self.width()), max(1, self.height()), QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        try:
            self._paint(painter, self.width(), self.height())
        finally:
            painter.end()
        return self._segments

    def segment_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(bar, series) under a point, or None."""
        for segment in self.segments():
            if segment.rect.adjusted(0, 0, 1, 0).contains(QPointF(x, y)):
                return segment.bar, segment.series
        return None

    def evidence_at(self, x: float, y: float) -> list[str]:
        hit = self.segment_at(x, y)
        if hit is None:
            return []
        return list(self.chart.bars[hit[0]].evidence[hit[1]])

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self.segment_at(event.position().x(), event.position().y())
        if hit is None:
            self.setToolTip("")
            self.unsetCursor()
            return
        bar = self.chart.bars[hit[0]]
        series = self.chart.series[hit[1]] if hit[1] < len(self.chart.series) else ""
        self.setToolTip(f"{bar.label} · {series}: {self._number(bar.values[hit[1]])} — click to see the entries")
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        hit = self.segment_at(event.position().x(), event.position().y())
        ids = self.evidence_at(event.position().x(), event.position().y())
        if ids and hit is not None:
            self.bar_clicked.emit(ids)
            self.bar_chosen.emit(ids, self.describe(*hit))

    def describe(self, bar: int, series: int) -> str:
        """What a bar segment stands for, in words: "Top causes: handoff (I made it)"."""
        label = f"{self.chart.title}: {self.chart.bars[bar].label}"
        if len(self.chart.series) > 1 and series < len(self.chart.series):
            label += f" ({self.chart.series[series]})"
        return label
