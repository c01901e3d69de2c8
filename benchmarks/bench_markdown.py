"""Markdown export and import of a 10,000-entry demo journal (issue 5).

Targets: export to a folder ≤ 2 s, import into a new journal ≤ 5 s. Every export
goes to a new folder and nothing is deleted until the end: on this disk, creating
files right after deleting thousands is up to 10× slower for a while (ext4 with
``discard``), which would time the benchmark's own cleaning-up. Dirty pages are
flushed (``os.sync``) before each run, and the section first waits for the disk to
create files at its usual rate (``_settle_disk``). Baselines in the same run: writing the
same bytes with plain ``Path.write_text`` in one process (the floor for one file
per entry without helpers), and jrnl's own ``--export markdown`` of a jrnl journal
with the same 10,000 entries, when jrnl is installed in a throwaway venv
(``python3 -m venv /tmp/jrnl-venv && /tmp/jrnl-venv/bin/pip install jrnl``);
jrnl is never a dependency of Hindsight. Then a team folder of the same entries is
synced again with nothing new, against the same sync made to read every file as
Markdown (as a journal from before m005 does), and exported to again.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

from benchmarks.run import Bench
from journal import demo
from journal.markdown import reader as md_reader
from journal.store import Store
from journal.transfer import sync_state, workers
from journal.transfer.export import export_file, export_folder, select_ids
from journal.transfer.importer import import_paths
from journal.transfer.sync import sync_folder

SECTION = "Markdown export and import"
JRNL = Path(os.environ.get("HINDSIGHT_BENCH_JRNL", "/tmp/jrnl-venv/bin/jrnl"))


def run(bench: Bench) -> None:
    entries = 1000 if bench.quick else 10_000
    repeat = 3
    timed = 5  # the two figures with targets: a median of five, as this machine's speed swings by half
    source = bench.workdir / "md-source.hindsight"
    with Store.open(source) as store:
        demo.populate(store, entries=entries, seed=11)
        ids = select_ids(store)
        _settle_disk(bench)

        runs = iter(range(1000))

        def export_once() -> None:
            result = export_folder(store, ids, bench.workdir / f"md-out-{next(runs)}")
            assert len(result.written) == entries, result.summary_line()

        export_times = bench.measure(export_once, timed, setup=os.sync)
        one_file = bench.workdir / "md-all.md"  # written over by each run: replace=True, as --force
        one_file_times = bench.measure(lambda: export_file(store, ids, one_file, replace=True), repeat)
        folder = bench.workdir / "md-out-0"
        texts = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}

    def write_plain() -> None:
        target = bench.workdir / f"md-plain-{next(runs)}"
        target.mkdir()
        for name, text in texts.items():
            (target / name).write_text(text, encoding="utf-8")

    plain_times = bench.measure(write_plain, repeat, setup=os.sync)
    bench.record(
        SECTION, f"export {entries:,} entries to a folder", export_times,
        target_ms=2000, baseline=("plain write_text of the same files, one process", plain_times),
    )
    helpers = workers.helper_count(entries)
    parsing = workers.helper_count(entries, busy_here=False)
    bench.note(
        SECTION, "processes", f"{helpers + 1} for export ({helpers} helper(s) and this one); for import "
        f"{parsing} helper(s) reading and parsing, this one writing the journal; {workers.cores()} cores",
    )

    counter = [0]

    def import_once() -> None:
        counter[0] += 1
        with Store.open(bench.workdir / f"md-import-{counter[0]}.hindsight") as fresh:
            result = import_paths(fresh, [folder])
        assert len(result.created) == entries and not result.failed, result.summary_line()

    import_times = bench.measure(import_once, timed, setup=os.sync)

    def parse_only() -> None:
        for name, text in texts.items():
            md_reader.parse(text, name)

    parse_times = bench.measure(parse_only, 1)
    bench.record(
        SECTION, f"import {entries:,} files into a new journal", import_times,
        target_ms=5000, baseline=("parsing the same texts, no disk, no journal", parse_times),
    )

    def import_again() -> None:
        with Store.open(bench.workdir / f"md-import-{counter[0]}.hindsight") as imported:
            result = import_paths(imported, [folder])
        assert len(result.unchanged) == entries and not result.failed, result.summary_line()

    bench.record(
        SECTION, f"import the same {entries:,} files again, nothing new", bench.measure(import_again, repeat),
        baseline=("import into a new journal", import_times),
    )

    jrnl_times = _jrnl_export(bench, folder, entries)
    if jrnl_times:
        bench.record(
            SECTION, "jrnl --export markdown (same entries, jrnl 4.x)", jrnl_times,
            baseline=("our export to a folder", export_times),
        )
        bench.record(
            SECTION, f"export {entries:,} entries to a folder (vs jrnl)", export_times,
            baseline=("jrnl --export markdown", jrnl_times),
        )
        bench.record(
            SECTION, f"export {entries:,} entries to one file (vs jrnl, same shape of output)", one_file_times,
            baseline=("jrnl --export markdown", jrnl_times),
        )
    else:
        bench.note(SECTION, "jrnl baseline", f"skipped: {JRNL} not found (install jrnl in a throwaway venv)")
    with Store.open(source) as store:
        _sync_and_export_again(bench, store, ids, entries)


SETTLED_US = 150  # creating a small file, in µs: 30-60 here as a rule, 300-1,000 for minutes after mass deletes
SETTLE_FOR_S = 180


def _settle_disk(bench: Bench) -> None:
    """Wait until creating files costs what it usually does on this disk, and say how long that took.

    Right after thousands of files are deleted (the end of an earlier benchmark run,
    a test run), this disk (ext4 with ``discard``) creates files 5-30 times slower
    for a few minutes: that would time the machine's housekeeping, not the export.
    """
    started = time.monotonic()
    for attempt in range(1000):
        probe = bench.workdir / f"md-disk-probe-{attempt}"
        probe.mkdir()
        began = time.perf_counter()
        for i in range(500):
            fd = os.open(probe / f"{i}.md", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            os.write(fd, b"-" * 2500)
            os.close(fd)
        per_file = (time.perf_counter() - began) / 500 * 1e6
        waited = time.monotonic() - started
        if per_file <= SETTLED_US or waited > SETTLE_FOR_S:
            break
        time.sleep(10)
    verdict = "settled" if per_file <= SETTLED_US else f"still slow after {SETTLE_FOR_S} s"
    bench.note(
        SECTION, "disk before the export runs",
        f"{verdict}: creating a file took {per_file:.0f} µs (waited {waited:.0f} s; usually 30-60 µs)",
    )


def _sync_and_export_again(bench: Bench, store: Store, ids: list[str], entries: int) -> None:
    """A team folder synced again with nothing new, and an export to a folder it already filled."""
    team = bench.workdir / "md-team"
    result = sync_folder(store, team)
    assert len(result.written) == entries, result.summary_line()
    key = sync_state.folder_key(team)

    def sync_once() -> None:
        again = sync_folder(store, team)
        assert len(again.unchanged) == entries and not again.written, again.summary_line()

    def forget_fingerprints() -> None:  # as a journal from before m005 has it: every file is parsed
        with store._write() as conn:
            conn.execute("UPDATE sync_state SET file_hash = '' WHERE folder = ?", (key,))

    sync_once()  # the files in the page cache, as after the sync that wrote them
    parsed_times = bench.measure(sync_once, 3, setup=forget_fingerprints)
    sync_times = bench.measure(sync_once, 3)
    bench.record(
        SECTION, f"sync a team folder of {entries:,} entries, nothing new", sync_times,
        baseline=("the same sync reading every file as Markdown", parsed_times),
    )

    def export_again() -> None:
        again = export_folder(store, ids, team)
        assert len(again.unchanged) == entries, again.summary_line()

    bench.record(
        SECTION, f"export {entries:,} entries again to the folder they are in, nothing new",
        bench.measure(export_again, 3), baseline=("sync, nothing new", sync_times),
    )


def _jrnl_export(bench: Bench, folder: Path, entries: int) -> list[float]:
    """jrnl's Markdown export of a plain-text jrnl journal holding the same entries."""
    if not JRNL.exists():
        return []
    home = bench.workdir / "jrnl-home"
    home.mkdir(exist_ok=True)
    journal = home / "journal.txt"
    chunks = []
    for path in sorted(folder.iterdir()):
        pm = md_reader.parse(path.read_text(encoding="utf-8"), path.name)
        body = "\n\n".join(t.strip() for t in (pm.what_happened, pm.impact, pm.contributing_factors) if t.strip())
        chunks.append(f"[{pm.occurred_on} 09:00] {pm.title}\n{body}\n")
    journal.write_text("\n".join(chunks), encoding="utf-8")
    config = home / "jrnl.yaml"
    config.write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\nhighlight: false\n"
        "indent_character: '|'\n"
        f"journals:\n  default:\n    journal: {journal}\n"
        "linewrap: 79\ntagsymbols: '#@'\ntemplate: false\ntimeformat: '%Y-%m-%d %H:%M'\nversion: v4.6\n",
        encoding="utf-8",
    )
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home), "NO_COLOR": "1"}
    out = bench.workdir / "jrnl-export.md"

    def once() -> None:
        done = subprocess.run(
            [str(JRNL), "--config-file", str(config), "--export", "markdown", "--file", str(out)],
            env=env, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
        )
        if done.returncode != 0:
            raise RuntimeError(f"jrnl failed: {done.stderr.strip()[:300]}")

    try:
        once()  # warm up, and check it works
    except (OSError, RuntimeError) as error:
        bench.note(SECTION, "jrnl baseline", f"skipped: {error}")
        return []
    times = bench.measure(once, 5)
    size = out.stat().st_size
    bench.note(SECTION, "jrnl export checked", f"{entries:,} entries, {size / 1e6:.1f} MB of Markdown")
    return times
