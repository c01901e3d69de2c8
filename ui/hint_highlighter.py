"""Blameless hints as wavy underlines in a text document, with the advice on hover.

Hints are computed per text block (paragraph) by ``journal.blameless``; their
offsets count code points, while Qt counts UTF-16 units, so they are converted
(an emoji before a hint would otherwise shift the underline).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from journal.blameless import Hint, text_hints

UNDERLINE = QColor("#c77700")  # amber: a hint, not an error


def utf16_offset(text: str, index: int) -> int:
    """Qt's position of the code point at ``index`` in ``text``."""
    return len(text[:index].encode("utf-16-le")) // 2


def block_hints(text: str, field: str = "text") -> list[Hint]:
    return text_hints(text, field)


def tooltip(hint: Hint) -> str:
    return f"{hint.message}\nTry: {hint.suggestion}"


class HintHighlighter(QSyntaxHighlighter):
    """Underline blaming wording in ``document``; ``field`` names it in the hints."""

    def __init__(self, document: QTextDocument, field: str = "text") -> None:
        super().__init__(document)
        self.field = field
        self.hint_format = QTextCharFormat()
        self.hint_format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self.hint_format.setUnderlineColor(UNDERLINE)

    def highlightBlock(self, text: str) -> None:
        for hint in block_hints(text, self.field):
            start = utf16_offset(text, hint.start)
            self.setFormat(start, utf16_offset(text, hint.end) - start, self.hint_format)


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
