"""An inert Markdown preview: rendered HTML that can never fetch anything.

Markdown is rendered with Python-Markdown, then cleaned with nh3 (no images,
no scripts, links only to http, https and mailto). The browser below refuses
every resource request on top of that, so even HTML that slipped through could
not load a file or reach the network. A link opens only when clicked, only in
the system browser, and only for those three schemes.

The refusal has to be an empty answer, not None: Qt treats None as "not
handled" and then reads local files by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import nh3
from PySide6.QtCore import QByteArray, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

OPENABLE_SCHEMES = frozenset({"http", "https", "mailto"})
# Rendering megabytes of Markdown would freeze the window; a preview of the start is enough to check formatting.
PREVIEW_LIMIT = 200_000

_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "del", "s", "sup", "sub",
    "dl", "dt", "dd", "abbr",
}
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}

UrlOpener = Callable[[QUrl], object]

_BLANK_IMAGE = QImage(1, 1, QImage.Format.Format_ARGB32)
_BLANK_IMAGE.fill(0)


def render_markdown(text: str) -> str:
    """Markdown to HTML that is safe to show: no images, scripts, styles or odd link schemes."""
    note = ""
    if len(text) > PREVIEW_LIMIT:
        text = text[:PREVIEW_LIMIT]
        note = f"<p><em>The preview shows the first {PREVIEW_LIMIT:,} characters.</em></p>"
    import markdown  # here: a fifth of a second of imports the window's first paint need not wait for

    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, url_schemes=set(OPENABLE_SCHEMES)) + note


def is_openable(url: QUrl) -> bool:
    return url.isValid() and url.scheme().lower() in OPENABLE_SCHEMES


class InertBrowser(QTextBrowser):
    """A QTextBrowser that loads no resource and navigates nowhere by itself."""

    def __init__(self, parent: QWidget | None = None, open_url: UrlOpener | None = None) -> None:
        super().__init__(parent)
        self.open_url: UrlOpener = open_url or QDesktopServices.openUrl
        self.refused: list[QUrl] = []  # every resource the document asked for; all were refused
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._on_anchor)

    def loadResource(self, kind: int, name: QUrl | str) -> Any:  # Qt override
        # An empty but non-null answer: on a null one QTextDocument would read local files and decode
        # data: URLs itself, and the image handler would try QImage.load(path) directly.
        self.refused.append(QUrl(name))
        if kind == QTextDocument.ResourceType.ImageResource.value:
            return _BLANK_IMAGE
        if kind == QTextDocument.ResourceType.StyleSheetResource.value:
            return ""
        return QByteArray(b"")

    def show_markdown(self, text: str) -> None:
        self.setHtml(render_markdown(text))

    def _on_anchor(self, url: QUrl) -> None:
        if is_openable(url):
            self.open_url(url)
