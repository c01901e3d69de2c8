"""Markdown files on disk: read safely, decoded or refused, named so no folder or device is at risk."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from journal.markdown import files as md_files
from journal.markdown import reader as md_reader
from tests.journal.pm_strategies import simple

# --- reading --------------------------------------------------------------------------------------


def test_binary_not_utf8_and_enormous_files_are_refused(tmp_path: Path) -> None:
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(md_reader.FormatError, match="not a text file"):
        md_files.parse_file(binary)
    latin = tmp_path / "latin.md"
    latin.write_bytes(b"# Title\n\nCaf\xe9\n")
    with pytest.raises(md_reader.FormatError, match=r"latin\.md:3: is not UTF-8"):
        md_files.parse_file(latin)
    huge = tmp_path / "huge.md"
    for size, message in [
        (md_files.MAX_FILE_BYTES + 1, "is just over 20 MB, the most one entry may hold"),
        (md_files.MAX_FILE_BYTES + 30_000, "is just over 20 MB, the most one entry may hold"),  # not "is 20 MB"
        (md_files.MAX_FILE_BYTES + 2**19, "is 20.5 MB; one entry may be at most 20 MB"),
        (3 * md_files.MAX_FILE_BYTES, "is 60 MB; one entry may be at most 20 MB"),
    ]:
        with huge.open("wb") as handle:
            handle.truncate(size)
        with pytest.raises(md_reader.FormatError, match=re.escape(message)):
            md_files.parse_file(huge)


# --- names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title", ["../../etc/passwd", "CON", "nul", "a/b\\c:d*?\"<>|", "   ", "🍕🍕", "..", "COM1.txt", "x" * 200]
)
def test_file_names_are_safe_everywhere(title: str) -> None:
    pm = simple(title=title if title.strip() else "x")
    name = md_files.file_name(pm)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}-[a-z0-9-]+-[0-9a-f]{8}\.md", name), name
    assert len(name) <= len("2024-05-01-") + md_files.SLUG_MAX + len("-12345678.md")


def test_slugs_transliterate_accents_and_never_are_device_names() -> None:
    assert md_files.slugify("Café Zoë — Ørsted") == "cafe-zoe-rsted"
    assert md_files.slugify("CON") == "entry-con"
    assert md_files.slugify("🍕") == "entry"


def test_inside_refuses_names_that_leave_the_folder(tmp_path: Path) -> None:
    for bad in ("../x.md", "..", "a/b.md", "a\\b.md", "c:x.md", ""):
        with pytest.raises(ValueError):
            md_files.inside(tmp_path, bad)
    assert md_files.inside(tmp_path, "ok.md") == tmp_path / "ok.md"
