"""The preview shows Markdown and nothing else: no resource is fetched, no unsafe link is followed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QImage, QTextDocument
from pytestqt.qtbot import QtBot

from ui.editor.preview import PREVIEW_LIMIT, InertBrowser, render_markdown

# The offscreen platform cannot resize windows to their size hints and says so; it is not a fault of ours.
pytestmark = pytest.mark.qt_log_ignore("^This plugin does not support")


HOSTILE = {
    "remote image": "<img src=http://tracker.example/pixel.png>",
    "markdown remote image": "![pixel](https://tracker.example/pixel.png)",
    "local file image": "<img src=file:///etc/passwd>",
    "markdown file image": "![secret](file:///etc/passwd)",
    "script": "<script>alert(1)</script>",
    "javascript link": "[x](javascript:alert(1))",
    "data link": "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "stylesheet": '<link rel="stylesheet" href="http://evil.example/x.css"><style>p {}</style>',
    "event handler": '<b onmouseover="alert(1)">hover</b>',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "table background": '<table background="http://evil.example/bg.png"><tr><td>a</td></tr></table>',
}


@pytest.fixture
def browser(qtbot: QtBot) -> InertBrowser:
    opened: list[QUrl] = []
    widget = InertBrowser(open_url=opened.append)
    widget.opened = opened  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    return widget


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_markdown_renders_inert(browser: InertBrowser, qtbot: QtBot, name: str) -> None:
    html = render_markdown(HOSTILE[name])
    for bad in ("<img", "<script", "javascript:", "file:", "data:", "<iframe", "<link", "<style", "onmouseover",
                "background="):
        assert bad not in html.lower()
    browser.show_markdown(HOSTILE[name])
    qtbot.wait_exposed(browser)
    browser.repaint()
    assert browser.refused == []  # nothing was even asked for
    assert "alert(1)" not in browser.toPlainText()


def test_markdown_still_formats(browser: InertBrowser) -> None:
    browser.show_markdown("# Call back\n\n**Before** noon, then [the ticket](https://example.com/t/1).")
    html = browser.toHtml()
    assert "Call back" in browser.toPlainText()
    assert 'href="https://example.com/t/1"' in html
    assert "font-weight" in html  # bold survived sanitising


def test_resources_asked_for_are_refused(browser: InertBrowser, qtbot: QtBot, tmp_path: Path) -> None:
    # HTML that bypasses the sanitiser still cannot load anything: the override answers every request with
    # an empty value, so Qt's own fallbacks (reading the file, decoding data:, QImage.load(path)) never run.
    secret = tmp_path / "secret.png"
    real = QImage(10, 10, QImage.Format.Format_RGB32)
    real.fill(0xFF0000)
    assert real.save(str(secret))
    browser.setHtml(
        '<img src="file:///etc/passwd"><img src="http://tracker.example/p.png">'
        f'<img src="{secret}"><img src="data:image/png;base64,iVBORw0KGgo=">'
        '<link rel="stylesheet" href="file:///etc/hostname">'
    )
    qtbot.wait_exposed(browser)
    browser.repaint()
    asked = {url.toString() for url in browser.refused}
    assert {"file:///etc/passwd", "http://tracker.example/p.png", str(secret)} <= asked
    document = browser.document()
    image = int(QTextDocument.ResourceType.ImageResource)
    for url in ("file:///etc/passwd", str(secret), "http://tracker.example/p.png"):
        loaded = document.resource(image, QUrl(url))
        assert isinstance(loaded, QImage), url
        assert loaded.size().width() == 1, url  # our blank pixel, not the file
    assert b"root" not in bytes(str(document.resource(int(QTextDocument.ResourceType.StyleSheetResource),
                                                      QUrl("file:///etc/passwd"))), "utf-8")


@pytest.mark.parametrize(
    ("url", "opens"),
    [
        ("https://example.com/a", True),
        ("http://example.com/a", True),
        ("mailto:lee@example.com", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("data:text/html,hi", False),
        ("relative/page.md", False),
        ("#anchor", False),
    ],
)
def test_link_click_opens_only_safe_schemes(browser: InertBrowser, url: str, opens: bool) -> None:
    source = browser.source()
    browser.anchorClicked.emit(QUrl(url))
    assert browser.opened == ([QUrl(url)] if opens else [])  # type: ignore[attr-defined]
    assert browser.source() == source  # never navigated by itself


def test_real_click_on_a_link_goes_to_the_opener(browser: InertBrowser, qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt

    browser.setFont(browser.font())
    browser.show_markdown("[open the ticket](https://example.com/t/1)")
    qtbot.wait_exposed(browser)
    point = browser.cursorRect(browser.textCursor()).center()
    point.setX(point.x() + 10)
    assert browser.anchorAt(point) == "https://example.com/t/1"
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert browser.opened == [QUrl("https://example.com/t/1")]  # type: ignore[attr-defined]


def test_huge_text_previews_only_its_start() -> None:
    html = render_markdown("word " * (PREVIEW_LIMIT // 2))
    assert "The preview shows the first" in html
    assert len(html) < PREVIEW_LIMIT * 1.2
