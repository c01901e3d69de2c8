"""Asking where a file the person exports goes: never a journal, and an existing file only after "Replace"."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from journal import safety
from journal.store import Store


def choose_save_file(
    parent: QWidget | None,
    title: str,
    what: str,
    *,
    start: str = "",
    kinds: Sequence[tuple[str, str]] = (("Markdown", ".md"),),
    any_suffix: bool = False,
    store: Store | None = None,
    journal: Path | None = None,
) -> tuple[Path, bool] | None:
    """(path, replace it) or None when cancelled; ``what`` names the file in "Replace it with this …?".

    ``kinds``: (name, suffix) offered in the dialog; a name without one of those suffixes
    gets the chosen kind's (``any_suffix``: only a name with no suffix at all). A journal
    or a team folder's file (``safety.refusal``) is never accepted: why is said and the
    question asked again.
    """
    suffixes = [suffix for _, suffix in kinds]
    filters = [f"{name} (*{suffix})" for name, suffix in kinds]
    while True:
        chosen, chosen_filter = QFileDialog.getSaveFileName(
            parent, title, start, ";;".join(filters),
            options=QFileDialog.Option.DontConfirmOverwrite,  # asked below, with what replacing means
        )
        if not chosen:
            return None
        target = Path(chosen)
        if not (target.suffix if any_suffix else target.suffix.lower() in suffixes):
            suffix = suffixes[filters.index(chosen_filter)] if chosen_filter in filters else suffixes[0]
            target = target.with_name(target.name + suffix)
        start = str(target)
        reason = safety.refusal(target, store=store, journal=journal, force=True)
        if reason is not None:
            sentence = reason[:1].upper() + reason[1:]
            QMessageBox.warning(parent, title, f"{sentence}.\n\nChoose another file.")
            continue
        if not target.exists():
            return target, False
        answer = QMessageBox.question(
            parent,
            "Replace file?",
            f"“{target.name}” already exists in {target.parent}.\n\n"
            f"Replace it with this {what}? What it holds now will be lost.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            return target, True
