"""A folder of Markdown files as export, import and sync see it: its files, their names, writing one.

Names are unique case-insensitively and never a stranger's file; a linked folder is
never walked; a name that is not UTF-8 is refused (the journal remembers folders and
files by name); a file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import os
from pathlib import Path

from journal import atomic
from journal.markdown import files as md_files
from journal.model import mend_text
from journal.transfer.result import TransferResult


def markdown_files(folder: Path, refused: list[tuple[str, str]] | None = None) -> list[Path]:
    """Every ``*.md`` under ``folder``, sorted, leaving out hidden folders and conflict copies.

    A linked folder is not walked (a team folder's files cannot reach outside it) and
    is named in ``refused``; a linked file is listed, and reading it refuses it.
    """
    found = []
    for root, dirs, files in os.walk(folder):
        base = Path(root)
        shown = sorted(d for d in dirs if not d.startswith("."))
        linked = {d for d in shown if os.path.islink(base / d)}
        if refused is not None:
            refused.extend((str(base / d), "is a symbolic link to a folder; not followed") for d in sorted(linked))
        dirs[:] = [d for d in shown if d not in linked]
        for name in sorted(files):
            if name.lower().endswith(".md") and not name.startswith(".") and ".conflict-" not in name:
                if refused is not None and not_utf8(name):
                    refused.append((str(base / name), NOT_UTF8_NAME))
                    continue
                found.append(base / name)
    return found


NOT_UTF8_NAME = "has a name that is not UTF-8 text; rename it and try again"


def not_utf8(name: str | Path) -> bool:
    """Whether a path holds bytes that are not UTF-8 (lone surrogates): the journal cannot remember it."""
    text = str(name)
    return not text.isascii() and mend_text(text) != text


class NameBook:
    """File names in one folder: unique (case-insensitively), and never a stranger's file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            self.taken = {p.name.lower() for p in folder.iterdir()}
        except OSError:
            self.taken = set()
        self.used: set[str] = set()

    def name_for(self, pm: md_files.Named) -> str:
        for chars in (8, 36):
            name = md_files.file_name(pm, id_chars=chars)
            if name.lower() not in self.used:
                self.used.add(name.lower())
                return name
        counter = 2
        while True:
            name = md_files.file_name(pm, id_chars=36)[:-3] + f"-{counter}.md"
            if name.lower() not in self.used:
                self.used.add(name.lower())
                return name
            counter += 1


def make_folder(folder: Path, result: TransferResult) -> bool:
    """Create the target folder (and its parents); a failure is reported in ``result``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        result.failed.append((str(folder), f"cannot create the folder ({error.strerror or error})"))
        return False
    return True


def write_markdown(path: Path | str, text: str) -> str:
    """Write ``text`` to ``path`` atomically (``journal.atomic``); return the ``file_fingerprint`` of its bytes."""
    data = text.encode("utf-8")
    atomic.write_atomic(path, data)
    return md_files.file_fingerprint(data)
