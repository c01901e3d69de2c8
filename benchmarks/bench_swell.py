"""A journal that does not swell, and what an export holds in memory.

Exports to many new folders (each deleted afterwards, as temporary folders are)
must not leave the journal bigger by a row per entry per export: its size after
them and the next start (which forgets deleted folders) is compared with its size
before (goal: ≤ 5% more). Peak memory (``VmHWM``
of a fresh process; ``ru_maxrss`` keeps a big parent's peak across exec) of the
one-file export is compared with the folder export's, on the same entries.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.run import Bench, demo_journal
from journal.store import Store
from journal.transfer import export

_EXPORT = """
import json, resource, sys
from pathlib import Path
from journal.store import Store
from journal.transfer import export
with Store.open(sys.argv[1], create=False) as store:
    ids = export.select_ids(store)
    if sys.argv[2] == "file":
        export.export_file(store, ids, Path(sys.argv[3]))
    else:
        export.export_folder(store, ids, Path(sys.argv[3]))
peak_kb = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print("HS_BENCH " + json.dumps(peak_kb / 1024), flush=True)
"""


def _size(store: Store) -> int:
    """The journal file's size, everything in the write-ahead log copied into it first."""
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return store.path.stat().st_size


def _where(store: Store) -> str:
    """What the journal holds after the exports: free pages, and the remembered bases and their pages."""
    conn = store.conn
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    rows, folders = conn.execute("SELECT count(*), count(DISTINCT folder) FROM sync_state").fetchone()
    try:  # dbstat is compiled into most SQLite builds, not all
        pages = conn.execute("SELECT count(*) FROM dbstat WHERE name = 'sync_state'").fetchone()[0]
    except sqlite3.OperationalError:
        return f"{free} free pages; sync_state: {rows:,} rows of {folders} folder(s)"
    if not rows:
        return f"{free} free pages; sync_state: no rows ({pages} page)"
    return (f"{free} free pages; sync_state: {rows:,} rows of {folders} folder(s) in {pages} pages "
            f"({pages * page / 1e6:.1f} MB, {pages * page // rows} bytes a row)")


def _next_start(journal: Path) -> tuple[int, str]:
    """The journal's size and contents once opened again as the app (or a writing command) opens it."""
    with Store.open(journal, create=False) as store:
        store.forget_deleted_folders()
        return _size(store), _where(store)


def _made_before(bench: Bench, tmp: Path) -> str:
    """What an existing journal (no ``auto_vacuum``: switching needs a VACUUM) keeps of a deleted folder's bases."""
    old = bench.workdir / "swell-made-before.hindsight"
    shutil.copyfile(demo_journal(bench, 10_000), old)
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute("PRAGMA auto_vacuum = NONE")
    conn.execute("VACUUM")  # as journals were made before
    conn.close()
    with Store.open(old, create=False) as store:
        before = _size(store)
        export.export_folder(store, export.select_ids(store), tmp / "made-before")
    shutil.rmtree(tmp / "made-before")
    after, held = _next_start(old)
    old.unlink()
    return (f"{before / 1e6:.1f} MB → {after / 1e6:.1f} MB: {(after - before) / before * 100:+.1f}%, "
            f"kept for reuse by the next export: {held}")


def _peak_mb(journal: Path, kind: str, out: Path) -> float:
    done = subprocess.run([sys.executable, "-c", _EXPORT, str(journal), kind, str(out)], capture_output=True,
                          text=True, timeout=600, check=True)
    line = next(line for line in done.stdout.splitlines() if line.startswith("HS_BENCH "))
    mb: float = json.loads(line.removeprefix("HS_BENCH "))
    return mb


def run(bench: Bench) -> None:
    entries = 10_000
    exports = 5 if bench.quick else 20
    section = f"A journal that does not swell: {entries:,} demo entries"
    journal = bench.workdir / "swell-bench.hindsight"
    shutil.copyfile(demo_journal(bench, entries), journal)
    with tempfile.TemporaryDirectory(prefix="hindsight-swell-", dir=bench.workdir) as tmp:
        with Store.open(journal) as store:
            before = _size(store)
            ids = export.select_ids(store)
            for number in range(exports):
                folder = Path(tmp) / f"export-{number}"
                export.export_folder(store, ids, folder)
                shutil.rmtree(folder)
            held = _where(store)
        after, reopened = _next_start(journal)
        grown = (after - before) / before * 100
        bench.note(section, f"{exports} exports to new folders, each deleted afterwards; then the next start",
                   f"{before / 1e6:.1f} MB → {after / 1e6:.1f} MB: {grown:+.1f}% (target ≤ 5% "
                   f"{'✓' if grown <= 5 else '✗: the last folder’s bases were not given back'})")
        bench.note(section, "what the growth is, after the last export", held)
        bench.note(section, "what it is after the next start (the app, or a writing command, opens it)", reopened)
        bench.note(section, "a journal made before (auto_vacuum off): one export, deleted, the next start",
                   _made_before(bench, Path(tmp)))

        folder_mb = _peak_mb(journal, "folder", Path(tmp) / "peak-folder")
        file_mb = _peak_mb(journal, "file", Path(tmp) / "peak.md")
        bench.note(section, "peak memory of an export of every entry (a fresh process)",
                   f"one file {file_mb:.0f} MB, a folder {folder_mb:.0f} MB "
                   f"(target: one file ≤ folder {'✓' if file_mb <= folder_mb else '✗'})")
