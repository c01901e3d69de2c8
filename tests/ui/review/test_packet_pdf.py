"""Review packets as PDF: written by the command with no display, read back as text a person would see."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

import hindsight_cli
from journal.cli import main
from journal.model import Emotion, PostMortem
from journal.store import Store
from ui.review.packet_pdf import render_pdf

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        store.insert_many(
            PostMortem(title=f"Late report number {i}", role="maker", client="Acme Corp",
                       occurred_on=f"2024-02-{i:02d}", what_happened="We sent the report late. " * 40,
                       reflection="Secret reflection words",
                       emotions=[Emotion("me", "ashamed", 4)])
            for i in range(1, 13)
        )
    return path


def _cli(journal: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command in a fresh process with no display and no Qt platform chosen."""
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    code = "import sys, hindsight_cli; sys.exit(hindsight_cli.main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, "--journal", str(journal), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def _text(pdf: Path) -> str:
    """The PDF's text as a reader copies it (NFKC undoes the typesetter's ligatures, "ﬂ" → "fl")."""
    # pypdf spaces words with tabs and breaks lines where the layout did: one space, as a reader copies it
    pages = [re.sub(r"\s+", " ", page.extract_text()).strip() for page in PdfReader(pdf).pages]
    return unicodedata.normalize("NFKC", "\f".join(pages))  # pages apart as pdftotext gives them


def test_pdf_without_a_display_has_title_page_entries_and_page_numbers(journal: Path, tmp_path: Path) -> None:
    out = tmp_path / "acme.pdf"
    shared = _cli(journal, "review", "acme corp", "--out", str(out))
    assert shared.returncode == 0, shared.stderr
    assert out.read_bytes().startswith(b"%PDF")
    text = _text(out)
    pages = text.split("\f")
    assert "Account review: Acme Corp" in pages[0] and "Summary" not in pages[0]  # the title page stands alone
    assert "Late report number 12" in text
    assert "page 1 of" in pages[0] and f"page 2 of {len([p for p in pages if p.strip()])}" in pages[1]
    assert "Secret reflection" not in text and "ashamed" not in text

    private = tmp_path / "private.pdf"
    assert _cli(journal, "review", "acme corp", "--private", "--out", str(private)).returncode == 0
    assert "Secret reflection words" in _text(private) and "ashamed" in _text(private)


def test_pdf_is_refused_over_an_existing_file_without_force(journal: Path, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str], qtbot: QtBot) -> None:
    out = tmp_path / "acme.pdf"
    out.write_bytes(b"my own file")
    assert hindsight_cli.main(["--journal", str(journal), "review", "acme corp", "--out", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err and out.read_bytes() == b"my own file"
    assert hindsight_cli.main(["--journal", str(journal), "review", "acme corp", "--out", str(out), "--force"]) == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_a_missing_qt_is_one_line(journal: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ui.review.packet_pdf", None)  # import now fails as if PySide6 were absent
    out = tmp_path / "acme.pdf"
    assert main(["--journal", str(journal), "review", "acme corp", "--out", str(out)],
                pdf=hindsight_cli.packet_pdf) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "PySide6" in err and not out.exists()


def test_markup_in_entries_is_text_not_html(tmp_path: Path, qtbot: QtBot) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(render_pdf("# Title\n\n## Summary\n\n<script>alert(1)</script> <b>bold</b> kept\n", "T"))
    text = _text(pdf)
    assert "alert" not in text and "bold kept" in text


def test_a_long_packet_is_printed_whole(tmp_path: Path, qtbot: QtBot) -> None:
    body = "\n\n".join(f"Paragraph {i}: " + "the courier came late again. " * 10 for i in range(1200))
    assert len(body) > 300_000  # more than the on-screen preview shows
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(render_pdf(f"# Long\n\n## Summary\n\n{body}\n\nTHE LAST LINE\n", "Long"))
    text = _text(pdf)
    assert "THE LAST LINE" in text and "Paragraph 1199:" in text
