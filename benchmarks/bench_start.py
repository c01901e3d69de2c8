"""The app's start as a person feels it: whole-process time to the main window's first paint.

Each figure is a fresh ``python -c`` process under ``QT_QPA_PLATFORM=offscreen``,
timed from just before the parent starts it (``time.monotonic``, one clock for
every process on the machine) to the first ``QEvent.Paint`` a top-level window
receives, seen by an event filter on each widget shown with ``show()``. (A filter on the
whole application made Python wrap every event of every object, which initialised a Python
type, and its enums, for each Qt class the app uses: about 120 more of them than a start
without the filter, and about 15% of the app's figure went to the measuring.) The baseline is a bare
``QMainWindow`` started the same way, alternated with the app in the same run
(median of several each). The app opens the 100,000-entry demo journal as the
demo (so no daily backup of it starts). Peak memory is ``VmHWM`` (``ru_maxrss`` keeps the
parent's peak across fork and exec, so a big bench process showed through) of the
child after the list was scrolled to its end (the app) or after the first paint
(the bare window).

Two more rows say what the ratio is made of: the same first screen built in plain Qt (menus, a side
list, a search field and a 100-row table read with sqlite3: Qt's own price for text, menus and a
table), and the moment the app is whole (the editor built and the follow-up reminders counted, which
wait for the first paint), so that work moved past the first paint still shows in the figures.
"""

from __future__ import annotations

import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.run import Bench, demo_journal

_PAINT_HOOK = """
import os, sys, time, json, resource
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QAbstractItemView, QWidget
t0 = float(os.environ["HS_BENCH_T0"])
class FirstPaint(QObject):
    def __init__(self):
        super().__init__()
        self.at = None
    def eventFilter(self, obj, event):
        if self.at is None and event.type() == QEvent.Type.Paint and isinstance(obj, QWidget) and obj.isWindow():
            self.at = time.monotonic() - t0
            QTimer.singleShot(0, after_paint)
        return False
app = QApplication.instance() or QApplication(sys.argv[:1])
hook = FirstPaint()
_show = QWidget.show
def show(widget):  # the hook watches each window shown, not every object's events (see the docstring)
    widget.installEventFilter(hook)
    _show(widget)
QWidget.show = show
extra = {}
def report():
    rss_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    print("HS_BENCH " + json.dumps({"paint": hook.at, "rss_mb": rss_kb / 1024, **extra}), flush=True)
    os._exit(0)
"""

BARE = _PAINT_HOOK + """
def after_paint():
    report()
from PySide6.QtWidgets import QMainWindow
window = QMainWindow()
window.resize(1280, 800)
window.show()
app.exec()
"""

# What any PySide6 window showing this first screen costs, with none of Hindsight's code: a menu bar,
# a side list, a search field, a table of the journal's 100 newest rows (read with plain sqlite3) and
# a status line. It tells how much of the app's figure is Qt's own price for text, menus and a table.
FLOOR = _PAINT_HOOK + """
import sqlite3
from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtWidgets import QLineEdit, QListWidget, QMainWindow, QSplitter, QTableView, QVBoxLayout
def after_paint():
    report()
connection = sqlite3.connect(sys.argv[1])
rows = connection.execute(
    "SELECT occurred_on, title, client, role, severity, status FROM entries WHERE deleted = 0 "
    "ORDER BY seq DESC LIMIT 100").fetchall()
class Rows(QAbstractTableModel):
    def rowCount(self, parent=None):
        return len(rows)
    def columnCount(self, parent=None):
        return 6
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return str(rows[index.row()][index.column()]) if role == Qt.ItemDataRole.DisplayRole else None
    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return ("Date", "Title", "Client", "Role", "Severity", "Status")[section]
        return None
window = QMainWindow()
window.resize(1280, 800)
for title in ("&File", "&Edit", "&View", "&Review", "&Help"):
    window.menuBar().addMenu(title)
splitter = QSplitter()
side = QListWidget()
side.addItems(["All entries", "Drafts", "Open", "Resolved", "Reviewed", "Trash", "Patterns", "Follow-ups"])
splitter.addWidget(side)
center = QWidget()
column = QVBoxLayout(center)
column.addWidget(QLineEdit())
table = QTableView()
model = Rows()
table.setModel(model)
column.addWidget(table)
splitter.addWidget(center)
window.setCentralWidget(splitter)
window.statusBar().showMessage(f"{len(rows)} entries")
window.show()
app.exec()
"""

APP = _PAINT_HOOK + """
def scroll(left):
    for view in app.activeWindow().findChildren(QAbstractItemView) if app.activeWindow() else []:
        view.scrollToBottom()
    for window in app.topLevelWidgets():
        for view in window.findChildren(QAbstractItemView):
            view.scrollToBottom()
    if left:
        QTimer.singleShot(300, lambda: scroll(left - 1))
    else:
        report()
def ready():
    # What waited for the first paint (the editor, the follow-up reminders) is done: the window is whole.
    views = [getattr(w, "view", None) for w in app.topLevelWidgets()]
    if any(view is not None and view.painted for view in views):
        extra["ready"] = time.monotonic() - t0
        scroll(5)  # the list fetches rows as it scrolls: scroll again until they have come
    else:
        QTimer.singleShot(1, ready)
def after_paint():
    ready()
from ui.app import main
main(journal=sys.argv[1])
"""


def start_once(code: str, env: dict[str, str], *args: str) -> dict[str, float]:
    """One child process: seconds to its first paint and its peak RSS in MB."""
    env = dict(env, HS_BENCH_T0=repr(time.monotonic()))
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120)
    for line in done.stdout.splitlines():
        if line.startswith("HS_BENCH "):
            figures: dict[str, float] = json.loads(line.removeprefix("HS_BENCH "))
            return figures
    raise RuntimeError(f"the child did not report its first paint: {done.stderr[-2000:]}")


def run(bench: Bench) -> None:
    root = Path(__file__).resolve().parent.parent
    for package in ("journal", "ui"):  # as installed from a wheel: no source compiled at start
        compileall.compile_dir(root / package, quiet=1)
    compileall.compile_file(root / "hindsight_cli.py", quiet=1)
    entries = 10_000 if bench.quick else 100_000
    repeat = 3 if bench.quick else 7
    section = f"Start: {entries:,}-entry demo journal, whole process to first paint"
    with tempfile.TemporaryDirectory(prefix="hindsight-start-") as home:
        # A 1920×1080 offscreen screen (the plugin's own is 800×800): the app's first start then opens at
        # 1280×800 (ui.shell.main_window.first_size), the size the bare window is given.
        screen = Path(home) / "offscreen.json"
        screen.write_text(json.dumps({"screens": [{"name": "bench", "x": 0, "y": 0, "width": 1920, "height": 1080,
                                                   "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
        env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={screen}", XDG_CONFIG_HOME=f"{home}/config",
                   XDG_DATA_HOME=f"{home}/data", XDG_CACHE_HOME=f"{home}/cache", HOME=home)
        journal = Path(home) / "data" / "Hindsight" / "demo.hindsight"  # where the app keeps its demo
        journal.parent.mkdir(parents=True)
        shutil.copyfile(demo_journal(bench, entries), journal)
        start_once(APP, env, str(journal))  # once untimed: the same warm file cache for both
        bare: list[dict[str, float]] = []
        floor: list[dict[str, float]] = []
        app: list[dict[str, float]] = []
        for _ in range(repeat):
            bare.append(start_once(BARE, env))
            floor.append(start_once(FLOOR, env, str(journal)))
            app.append(start_once(APP, env, str(journal)))
    bare_paint = [r["paint"] for r in bare]
    app_paint = [r["paint"] for r in app]
    bench.record(section, "a bare QMainWindow", bare_paint)
    floor_paint = [r["paint"] for r in floor]
    bench.record(section, "the same first screen in plain Qt (menus, side list, search field, 100-row table)",
                 floor_paint, baseline=("the bare window", bare_paint))
    bench.record(section, "Hindsight on the journal", app_paint, baseline=("the bare window", bare_paint))
    bench.record(section, "Hindsight whole: the editor built and the reminders counted, after the first paint",
                 [r["ready"] for r in app], baseline=("the bare window", bare_paint))
    bench.note(section, "Hindsight against the plain-Qt first screen",
               f"{statistics.median(app_paint) / statistics.median(floor_paint):.2f}× "
               f"(what Hindsight's own code costs before the first paint)")
    ratio = statistics.median(app_paint) / statistics.median(bare_paint)
    verdict = "✓" if ratio <= 1.5 else (
        f"✗: the plain-Qt first screen alone is {statistics.median(floor_paint) / statistics.median(bare_paint):.2f}×"
        " a bare window (Qt's Python enums, text, a menu bar, a table); the rest is Hindsight's own code, see"
        " docs/design-notes.md, \"The app's start\"")
    bench.note(section, "start, against the bare window", f"{ratio:.2f}× (target ≤ 1.5× {verdict})")
    bare_mb = statistics.median(r["rss_mb"] for r in bare)
    app_mb = statistics.median(r["rss_mb"] for r in app)
    more = app_mb - bare_mb
    bench.note(section, "peak memory, the list scrolled to its end",
               f"{app_mb:.0f} MB against {bare_mb:.0f} MB for the bare window: +{more:.0f} MB "
               f"(target ≤ +80 MB {'✓' if more <= 80 else '✗'})")
