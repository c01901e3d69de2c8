"""A review packet as a PDF for reading and printing, drawn by Qt from the packet's Markdown.

The Markdown becomes HTML (cleaned with nh3, as the preview is: no images, scripts
or odd links), a ``QTextDocument`` lays it out on A4 pages and a ``QPainter`` draws
it page by page onto a ``QPdfWriter``, with "page N of M" in each footer. The title
block gets a page of its own. No web engine, no PDF library beyond Qt.
"""

from __future__ import annotations

import os
import re
from importlib.resources import files

import markdown
import nh3
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QGuiApplication, QPageLayout, QPageSize, QPainter, QPdfWriter, QTextDocument

from ui.editor.preview import OPENABLE_SCHEMES

# What a packet may show: text, headings, lists, tables, links. No images, no scripts, no styles.
_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "del", "s", "sup", "sub",
    "dl", "dt", "dd", "abbr",
}
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
RESOLUTION = 300  # dots per inch: sharp text on paper, still small files
MARGIN_MM = 18.0
FOOTER_MM = 8.0



def ensure_app() -> QGuiApplication:
    """The Qt application fonts and painting need; made offscreen when none is running.

    Offscreen only when no platform was chosen: a PDF needs no window, and the
    command line often runs where there is no display (a server, ssh, CI).
    """
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return QGuiApplication(["hindsight"])


def packet_html(markdown_text: str, title_drop: int = 0) -> str:
    """The packet as safe HTML whose title block stands ``title_drop`` pixels down a page of its own."""
    # Not the preview's renderer: it stops at the first 200,000 characters, and a packet is printed whole.
    html = markdown.markdown(markdown_text, extensions=["extra", "sane_lists"], output_format="html")
    html = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=set(OPENABLE_SCHEMES))
    # The cleaned HTML holds no styles: the title page's spacing and break are added after cleaning.
    # Qt drops the top margin of a document's first block: an empty line goes first to carry the drop.
    html = "<p>&nbsp;</p>" + html.replace("<h1>", f'<h1 style="margin-top: {title_drop}px;">', 1)
    return re.sub(r"<h2>", '<h2 style="page-break-before: always;">', html, count=1)


def render_pdf(markdown_text: str, title: str) -> bytes:
    """The PDF bytes of a packet: A4, a title page, page numbers in the footer."""
    ensure_app()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setTitle(title)
    writer.setCreator("Hindsight")
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                    QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
    )
    body = writer.pageLayout().paintRectPixels(RESOLUTION)
    footer = FOOTER_MM / 25.4 * RESOLUTION
    page_height = body.height() - footer

    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)  # lay text out at the printer's resolution, not the screen's
    doc.setDefaultStyleSheet(files("resources").joinpath("styles", "packet.css").read_text(encoding="utf-8"))
    font = QFont()
    font.setPointSizeF(10.5)
    doc.setDefaultFont(font)
    # CSS pixels are 1/96 inch, whatever the device: a quarter of the page, in those.
    doc.setHtml(packet_html(markdown_text, int(page_height * 0.25 * 96 / writer.logicalDpiY())))
    doc.setPageSize(QSizeF(body.width(), page_height))
    pages = max(1, doc.pageCount())

    painter = QPainter(writer)
    try:
        footer_font = QFont(font)
        footer_font.setPointSizeF(8.5)
        for index in range(pages):
            if index:
                writer.newPage()
            painter.save()
            painter.translate(0, -index * page_height)
            doc.drawContents(painter, QRectF(0, index * page_height, body.width(), page_height))
            painter.restore()
            painter.setFont(footer_font)
            footer_rect = QRectF(0, page_height, body.width(), footer)
            painter.drawText(footer_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), title)
            painter.drawText(footer_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                             f"page {index + 1} of {pages}")
    finally:
        painter.end()
    buffer.close()
    return bytes(QByteArray(buffer.data()).data())
