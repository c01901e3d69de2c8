"""Layout pieces that follow the window's width: rows that wrap and text boxes that grow.

``FlowRow`` puts its widgets side by side while they fit and moves the ones
that do not onto the next line; the widgets of a line share its width by their
stretch, so a wide window looks like a grid and a narrow one like a stack.
``GrowingTextEdit`` is a wrapping text box whose height follows its text, for
short notes that must be read whole inside a form that scrolls as one page.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QLayout, QLayoutItem, QPlainTextEdit, QSizePolicy, QWidget


@dataclass
class _Slot:
    item: QLayoutItem
    stretch: int = 1
    min_width: int = 0
    at_end: bool = False  # alone on its line, it sits at the right-hand end (a Remove button)


class FlowRow(QLayout):
    """Widgets left to right, wrapped onto more lines when the width runs out; lines fill their width."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 12, line_spacing: int = 8) -> None:
        super().__init__(parent)
        self._slots: list[_Slot] = []
        self._heights: dict[int, int] = {}  # heightForWidth by width, until the layout is invalidated
        self._spacing = spacing
        self._line_spacing = line_spacing
        self.setContentsMargins(0, 0, 0, 0)

    def add(self, widget: QWidget, stretch: int = 1, min_width: int = 0, *, at_end: bool = False) -> None:
        """Add ``widget``; a line breaks before it when less than ``min_width`` would be left for it."""
        self.addWidget(widget)  # addItem forgets the measured heights
        self._slots[-1].stretch = stretch
        self._slots[-1].min_width = min_width
        self._slots[-1].at_end = at_end

    # --- QLayout --------------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._slots.append(_Slot(item))
        self._heights.clear()

    def count(self) -> int:
        return len(self._slots)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._slots[index].item if 0 <= index < len(self._slots) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        self._heights.clear()
        return self._slots.pop(index).item if 0 <= index < len(self._slots) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        # Asked several times per width in one layout pass (a form of 30 rows: 300 times as it opens).
        height = self._heights.get(width)
        if height is None:
            margins = self.contentsMargins()
            inner = QRect(0, 0, width - margins.left() - margins.right(), 0)
            height = self._heights[width] = self._arrange(inner, move=False) + margins.top() + margins.bottom()
        return height

    def invalidate(self) -> None:
        self._heights.clear()  # a widget's hint, text or visibility changed: measure again
        super().invalidate()

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(self.contentsRect(), move=True)

    def sizeHint(self) -> QSize:
        shown = self._shown()
        margins = self.contentsMargins()
        width = sum(self._need(s) for s in shown) + self._spacing * max(0, len(shown) - 1)
        width += margins.left() + margins.right()
        return QSize(width, self.heightForWidth(width))

    def minimumSize(self) -> QSize:
        margins = self.contentsMargins()
        width = max((self._need(s) for s in self._shown()), default=0) + margins.left() + margins.right()
        return QSize(width, 0)

    # --- arranging -------------------------------------------------------------------------

    def _shown(self) -> list[_Slot]:
        return [s for s in self._slots if not s.item.isEmpty()]

    @staticmethod
    def _need(slot: _Slot) -> int:
        """The width a widget asks for: its hint when it does not stretch, else its minimum."""
        own = slot.item.sizeHint().width() if slot.stretch == 0 else slot.item.minimumSize().width()
        return max(own, slot.min_width)

    def lines(self, width: int) -> list[list[_Slot]]:
        """How the widgets fall into lines at ``width`` (a test looks at this too)."""
        lines: list[list[_Slot]] = []
        used = 0
        for slot in self._shown():
            need = self._need(slot)
            if lines and used + self._spacing + need <= width:
                lines[-1].append(slot)
                used += self._spacing + need
            else:
                lines.append([slot])
                used = need
        return lines

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        y = rect.y()
        for number, line in enumerate(self.lines(rect.width())):
            needs = [self._need(s) for s in line]
            extra = max(0, rect.width() - sum(needs) - self._spacing * (len(line) - 1))
            stretch = sum(s.stretch for s in line)
            widths = [n + (extra * s.stretch // stretch if stretch else 0) for n, s in zip(needs, line, strict=True)]
            if stretch:  # rounding leftovers go to the last stretching widget, so the line ends flush
                last = max(i for i, s in enumerate(line) if s.stretch)
                widths[last] += rect.width() - sum(widths) - self._spacing * (len(line) - 1)
            heights = []
            for slot, width in zip(line, widths, strict=True):
                item = slot.item
                height = item.heightForWidth(width) if item.hasHeightForWidth() else item.sizeHint().height()
                heights.append(min(max(height, item.minimumSize().height()), item.maximumSize().height()))
            if number:
                y += self._line_spacing
            if move:
                x = rect.x() + (extra if not stretch and all(s.at_end for s in line) else 0)
                for slot, width, height in zip(line, widths, heights, strict=True):
                    slot.item.setGeometry(QRect(x, y, min(width, max(1, rect.right() + 1 - x)), height))
                    x += width + self._spacing
            y += max(heights, default=0)
        return y - rect.y()


TEXT_MEASURED = 5000  # characters measured exactly for the height; longer notes use Qt's line count


class GrowingTextEdit(QPlainTextEdit):
    """A wrapping one-paragraph text box as tall as its text, never scrolling inside the form.

    Return does not start a new line (these notes are one paragraph), so it
    cannot surprise anyone; text pasted with line breaks keeps them.
    """

    def __init__(self, text: str = "", *, min_lines: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._min_lines = min_lines
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setDocumentMargin(3)
        self.setPlainText(text)
        self.textChanged.connect(self._fit)
        self._fit()

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        if text != self.toPlainText():
            self.setPlainText(text)

    def minimumSizeHint(self) -> QSize:
        return QSize(80, self._height())

    def sizeHint(self) -> QSize:
        return QSize(240, self._height())

    def _height(self) -> int:
        margins = self.contentsMargins()
        document = int(self.document().documentMargin() * 2)
        return self.lines() * self.fontMetrics().lineSpacing() + document + margins.top() + margins.bottom() + 2

    def lines(self) -> int:
        """How many lines the text (or, while empty, the placeholder) takes at the current width."""
        text = self.toPlainText() or self.placeholderText()
        if len(text) > TEXT_MEASURED:  # a huge paste: Qt's own count, laid out lazily, is close enough
            return max(self._min_lines, int(self.document().documentLayout().documentSize().height()))
        width = max(1, self.viewport().width() - int(self.document().documentMargin() * 2) - 2)
        metrics = self.fontMetrics()
        flags = int(Qt.TextFlag.TextWordWrap)
        height = sum(
            max(metrics.lineSpacing(), metrics.boundingRect(QRect(0, 0, width, 1_000_000), flags, line).height())
            for line in text.split("\n")
        )
        return max(self._min_lines, -(-height // max(1, metrics.lineSpacing())))

    def _fit(self) -> None:
        height = self._height()
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def setPlaceholderText(self, text: str) -> None:
        super().setPlaceholderText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()  # a new width wraps the text into more or fewer lines

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()
            return
        super().keyPressEvent(event)
