"""Blameless underlines in a 5 MB field: loading it and typing in it, with and without the highlighter.

The wording rules cost about 1 s per MB, so the highlighter reads only the paragraphs on screen
(and at most ``BLOCK_CAP`` characters of one). The baseline is the same QPlainTextEdit with no
highlighter; the figures that matter are the ratios: loading 5 MB and one keystroke.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from benchmarks.run import Bench
from ui.editor.hints import HintHighlighter

LINE = "At 09:14 the second batch went out with the old price list; honestly it was their fault.\n"
BIG = (LINE * (5_000_000 // len(LINE) + 1))[:5_000_000]
ONE_PARAGRAPH = BIG.replace("\n", " ")


def _editor(highlight: bool) -> tuple[QPlainTextEdit, HintHighlighter | None]:
    edit = QPlainTextEdit()
    edit.resize(700, 500)
    edit.show()
    highlighter = HintHighlighter(edit.document(), "what_happened", editor=edit) if highlight else None
    return edit, highlighter


def run(bench: Bench) -> None:
    app = QApplication.instance() or QApplication([])
    section = "Blameless underlines in a 5 MB field"
    repeat = 2 if bench.quick else 3
    for label, text in (("60,000 lines", BIG), ("one 5 MB paragraph", ONE_PARAGRAPH)):
        timings: dict[object, list[float]] = {}
        for highlight in (False, True):
            edit, highlighter = _editor(highlight)

            def load(edit: QPlainTextEdit = edit, text: str = text) -> None:
                edit.setPlainText(text)
                app.processEvents()

            timings[highlight] = bench.measure(load, repeat)
            edit.moveCursor(edit.textCursor().MoveOperation.End)
            app.processEvents()

            def keystroke(edit: QPlainTextEdit = edit) -> None:
                QTest.keyClick(edit, Qt.Key.Key_A)
                app.processEvents()

            timings[(highlight, "key")] = bench.measure(keystroke, 20 if bench.quick else 50)
            if highlighter is not None:
                print(f"{label}: {highlighter.analysed:,} paragraphs analysed for {repeat} loads and the keystrokes")
            edit.close()
        bench.record(section, f"load {label}, with underlines", timings[True],
                     baseline=(f"load {label}, plain", timings[False]))
        bench.record(section, f"keystroke at the end of {label}, with underlines", timings[(True, "key")],
                     target_ms=16, baseline=("plain", timings[(False, "key")]), p95=True)
