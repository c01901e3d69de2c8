"""Blameless hints as wavy underlines in a text document, with the advice on hover.

Hints are computed per text block (paragraph) by ``journal.insight.blameless``; their
offsets count code points, while Qt counts UTF-16 units, so they are converted
(an emoji before a hint would otherwise shift the underline).

Speed: the wording rules cost about 1 s per MB of text, so a 5 MB field must
never be analysed as a whole. Given the editor that shows the document, the
highlighter analyses only the paragraphs on screen (the others are marked "not
looked at" and caught up when they scroll into view), and at most the first
``BLOCK_CAP`` characters of one paragraph, so a keystroke costs a few ms at worst
(``benchmarks/bench_hints.py``). A paragraph longer than ``HUGE_BLOCK`` is not
underlined at all: Qt would need seconds to lay it out again.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QHelpEvent,
    QPalette,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import QPlainTextEdit, QToolTip

from journal.insight.blameless import Hint, text_hints

# A hint, not an error: a strong orange wave (never red) on a faint warm wash, so the words stand
# out at a glance in either palette. dark → (underline, background).
HINT_COLOURS = {False: ("#D9480F", "#FFF1E0"), True: ("#FFA94D", "#3A2C17")}
UNDERLINE = QColor(HINT_COLOURS[False][0])
BLOCK_CAP = 4000  # characters of one paragraph looked at (~3 ms)
# Underlining a paragraph makes Qt lay it out again: for a paragraph this long that alone takes seconds.
HUGE_BLOCK = 100_000
_ANALYSED = 1  # block state: hints applied; -1 (Qt's default): not looked at yet


def utf16_offset(text: str, index: int) -> int:
    """Qt's position of the code point at ``index`` in ``text``."""
    return len(text[:index].encode("utf-16-le")) // 2


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether text is shown on a dark background (the app's palette unless one is given)."""
    palette = palette if palette is not None else QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def hint_format(dark: bool | None = None) -> QTextCharFormat:
    """The wavy underline (and faint wash) every hint gets, in the colours of the palette in use."""
    line, wash = HINT_COLOURS[is_dark() if dark is None else dark]
    underline = QTextCharFormat()
    underline.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
    underline.setUnderlineColor(QColor(line))
    underline.setBackground(QColor(wash))
    return underline


def block_hints(text: str, field: str = "text") -> list[Hint]:
    if len(text) > HUGE_BLOCK:
        return []
    return text_hints(text[:BLOCK_CAP], field)


def tooltip(hint: Hint) -> str:
    return f"{hint.message}\nTry: {hint.suggestion}"


class HintHighlighter(QSyntaxHighlighter):
    """Underline blaming wording in ``document``; ``field`` names it in the hints.

    With ``editor`` (the QPlainTextEdit showing the document), only the visible
    paragraphs are analysed and hovering an underline shows its advice.
    """

    def __init__(self, document: QTextDocument, field: str = "text", *, editor: QPlainTextEdit | None = None) -> None:
        super().__init__(document)
        self.field = field
        self.analysed = 0  # paragraphs looked at so far (a test and the benchmark count them)
        self.hint_format = hint_format(is_dark(editor.palette()) if editor is not None else None)
        self._editor = editor
        self._range: tuple[int, int] | None = None  # visible paragraphs, until the view changes
        self._catch_up_timer: QTimer | None = None
        if editor is not None:
            timer = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(0)
            timer.timeout.connect(self.catch_up)
            self._catch_up_timer = timer
            editor.updateRequest.connect(self._view_changed)  # scrolled, resized, typed
            editor.viewport().installEventFilter(self)

    def highlightBlock(self, text: str) -> None:
        if not self._in_view(self.currentBlock()):
            self.setCurrentBlockState(-1)  # looked at when it scrolls into view
            return
        self.analysed += 1
        self.setCurrentBlockState(_ANALYSED)
        for hint in block_hints(text, self.field):
            start = utf16_offset(text, hint.start)
            self.setFormat(start, utf16_offset(text, hint.end) - start, self.hint_format)

    def retint(self) -> None:
        """Light or dark changed: underline in the new palette's colours."""
        fresh = hint_format(is_dark(self._editor.palette()) if self._editor is not None else None)
        if fresh != self.hint_format:
            self.hint_format = fresh
            self.rehighlight()

    # --- only what is on screen ----------------------------------------------------------------------

    def _visible_range(self) -> tuple[int, int]:
        assert self._editor is not None
        first = max(0, self._editor.firstVisibleBlock().blockNumber())
        lines = self._editor.viewport().height() // max(1, self._editor.fontMetrics().lineSpacing())
        return first, first + lines + 1

    def _view_changed(self) -> None:
        self._range = None
        if self._catch_up_timer is not None:
            self._catch_up_timer.start()

    def _in_view(self, block: QTextBlock) -> bool:
        if self._editor is None:
            return True
        if self._range is None:  # computed once per pass: a 5 MB paste calls this for 60,000 paragraphs
            self._range = self._visible_range()
        first, last = self._range
        return first <= block.blockNumber() <= last

    def catch_up(self) -> None:
        """Analyse the paragraphs that came into view since they last changed."""
        if self._editor is None or self.document() is None:
            return
        first, last = self._range = self._visible_range()
        block = self._editor.document().findBlockByNumber(first)
        while block.isValid() and block.blockNumber() <= last:
            if block.userState() != _ANALYSED:
                self.rehighlightBlock(block)
            block = block.next()

    # --- advice on hover -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        editor = getattr(self, "_editor", None)  # events can arrive while Python tears the object down
        if editor is not None and event.type() == QEvent.Type.PaletteChange:
            self.retint()
        if editor is not None and event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            position = editor.cursorForPosition(event.pos()).position()
            hint = hint_at(editor.document(), position, self.field)
            if hint is not None:
                QToolTip.showText(event.globalPos(), tooltip(hint), editor.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().eventFilter(watched, event)


def hint_at(document: QTextDocument, position: int, field: str = "text") -> Hint | None:
    """The hint under a cursor position (Qt's UTF-16 position in the document), if any."""
    block = document.findBlock(position)
    if not block.isValid():
        return None
    text = block.text()
    offset = position - block.position()
    for hint in block_hints(text, field):
        if utf16_offset(text, hint.start) <= offset < utf16_offset(text, hint.end):
            return hint
    return None
