"""``make crashtest``: kill Hindsight with SIGKILL at random moments, then open the journal through the CLI.

Scenarios: saves (the store, and ``hindsight add``), imports of a folder of exported
files, syncs with a team folder, backups (when this build has ``hindsight backup``),
and a full disk (a small tmpfs). After every kill the journal is opened with
``hindsight check`` and ``hindsight list --json``; every save that returned before
the kill must be there. Goal: 0 saves lost, 0 journals refused, 0 integrity failures.

The work runs in a child forked from this process (it starts in a millisecond
instead of the CLI's half second); the check after each kill runs the CLI's own
``main`` here, and every tenth one a fresh ``hindsight`` process. Linux only (fork,
mount). ``tests/journal/test_crash.py`` runs a small, fast subset of the same code.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from journal import backup
from journal.cli import build_parser, main
from journal.model import PostMortem
from journal.store import JournalError, Store

HERE = Path(__file__).resolve().parent
HINDSIGHT = Path(sys.executable).parent / "hindsight"
SCENARIOS = ("save", "import", "sync", "backup")
REAL_PROCESS_EVERY = 10  # every tenth check after a kill runs in a fresh `hindsight` process
RESET_EVERY = 40  # a fresh journal now and then, so each check stays quick


@dataclass
class Tally:
    """What the kills did to the journals."""

    kills: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCENARIOS, 0))
    finished_first: int = 0  # the work ended before its random moment came: not a kill
    acked: int = 0  # saves that returned success before a kill, each checked afterwards
    lost: int = 0
    refused: int = 0
    integrity: int = 0
    reruns_failed: int = 0  # an import or sync run again to the end after a kill, that failed
    real_process_checks: int = 0
    looked_truncated: int = 0  # kills after which the file alone was shorter than its header says
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.kills.values())

    def problem(self, text: str) -> None:
        self.problems.append(text)
        print(f"  PROBLEM: {text}", flush=True)


@dataclass
class FullDisk:
    """One full-disk run: saves until the disk is full, then free space and open."""

    acked: int = 0
    lost: int = 0
    refused: bool = False
    integrity: bool = False
    full_message: str = ""  # what `hindsight add` printed on the full disk
    full_exit: int = 0
    traceback: bool = False
    add_after_freeing: int = -1
    truncated_before_open: bool = False  # the file alone looked truncated, the log beside it

    @property
    def ok(self) -> bool:
        return (
            self.lost == 0 and not self.refused and not self.integrity and self.full_exit == 1
            and self.full_message.count("\n") == 1 and "full" in self.full_message
            and not self.traceback and self.add_after_freeing == 0
        )


# --- running the CLI -----------------------------------------------------------------


def cli(args: list[str], *, real: bool = False) -> tuple[int, str, str]:
    """Run ``hindsight ARGS``: the CLI's ``main`` in this process, or a fresh process."""
    if real:
        done = subprocess.run([str(HINDSIGHT), *args], capture_output=True, text=True, check=False)
        return done.returncode, done.stdout, done.stderr
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def has_command(name: str) -> bool:
    parser = build_parser()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return name in action.choices
    return False


def open_through_cli(journal: Path, tally: Tally, where: str, *, real: bool) -> set[str] | None:
    """``hindsight check`` and ``hindsight list --json``: the ids it lists, or None if refused."""
    tally.real_process_checks += real
    code, out, err = cli(["--journal", str(journal), "check"], real=real)
    if code != 0:
        if "problem(s) found" in err:
            tally.integrity += 1
            tally.problem(f"{where}: integrity: {err.strip()}")
        else:
            tally.refused += 1
            tally.problem(f"{where}: refused: {err.strip()}")
            return None
    code, out, err = cli(["--journal", str(journal), "list", "--json", "--limit", "1000000"], real=real)
    if code != 0:
        tally.refused += 1
        tally.problem(f"{where}: list refused: {err.strip()}")
        return None
    return {row["id"] for row in json.loads(out)}


def verify(journal: Path, committed: dict[str, int], tally: Tally, where: str, *, real: bool) -> set[str]:
    """Open through the CLI; every committed id (at least at its committed revision) must be there."""
    tally.looked_truncated += looks_truncated(journal)
    listed = open_through_cli(journal, tally, where, real=real)
    if listed is None:
        return set()
    missing = set(committed) - listed
    with Store.open(journal, create=False) as store:
        revisions = dict(store.conn.execute("SELECT id, revision FROM entries"))
    stale = {i for i, rev in committed.items() if i in revisions and revisions[i] < rev}
    if missing or stale:
        tally.lost += len(missing) + len(stale)
        tally.problem(f"{where}: {len(missing)} committed entries missing, {len(stale)} went back a revision")
    return listed


def looks_truncated(journal: Path) -> bool:
    """The file alone is shorter than its header says: what Hindsight refused before it let SQLite recover."""
    header = journal.read_bytes()[:100]
    return journal.stat().st_size < int.from_bytes(header[28:32], "big") * int.from_bytes(header[16:18], "big")


# --- killing ---------------------------------------------------------------------------


def fork_and_kill(work: Callable[[], None], delay: float) -> bool:
    """Run ``work`` in a forked child and SIGKILL it (and anything it started) after ``delay`` s.

    True if it was killed; False if it finished first. The wait is the random moment of
    the kill itself, not a wait for something to happen.
    """
    pid = os.fork()
    if pid == 0:  # the child: its own process group, so its helpers die with it
        code = 0
        try:
            os.setsid()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                work()
        except BaseException:
            code = 3
        os._exit(code)
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            return False
        time.sleep(min(0.005, max(0.0, deadline - time.monotonic())))
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    return True


def timed(work: Callable[[], None]) -> float:
    """How long ``work`` takes to the end in a forked child (to choose kill moments within it)."""
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                work()
        except BaseException:
            code = 3
        os._exit(code)
    os.waitpid(pid, 0)
    return time.monotonic() - start


def read_acks(path: Path) -> dict[str, int]:
    """``id revision`` lines the driver wrote after each save returned; a torn last line is ignored."""
    acked: dict[str, int] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            parts = line.split()
            if len(parts) == 2 and len(parts[0]) == 36 and parts[1].isdigit():
                acked[parts[0]] = max(acked.get(parts[0], 0), int(parts[1]))
    return acked


def _ack(fd: int, entry_id: str, revision: int) -> None:
    os.write(fd, f"{entry_id} {revision}\n".encode())  # one write: in the file before the next save starts


def _text(rng: random.Random, words: int) -> str:
    vocabulary = ("invoice", "deadline", "client", "handoff", "missed", "call", "apology", "refund", "backup")
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def save_driver(journal: Path, acks: Path, seed: int, *, through_cli: bool, long: bool = False) -> Callable[[], None]:
    """Save (new entries, and new revisions of them) forever, writing down each save that returned.

    ``long``: narratives of 0.2 to 1 MB (a pasted log), so that nearly every save
    fills the log past its checkpoint size and a kill often lands in a checkpoint.
    """

    def work() -> None:
        rng = random.Random(seed)
        size = (30_000, 150_000) if long else (50, 800)
        fd = os.open(acks, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        n = 0
        if through_cli:
            while True:
                n += 1
                code, out, _ = cli(["--journal", str(journal), "add", "--title", f"cli save {seed}.{n}",
                                    "--role", "maker", "--what", _text(rng, 300)])
                if code == 0:
                    _ack(fd, out.strip(), 1)
        store = Store.open(journal)
        mine: list[str] = []
        while True:
            n += 1
            if mine and rng.random() < 0.3:
                pm = store.get(rng.choice(mine))
                saved, _ = store.save(replace(pm, what_happened=_text(rng, rng.randint(*size))))
            else:
                pm = PostMortem.from_dict({"title": f"save {seed}.{n}", "role": rng.choice(["maker", "receiver"]),
                                           "what_happened": _text(rng, rng.randint(*size)),
                                           "tags": [f"t{rng.randint(1, 9)}"]})
                saved, _ = store.save(pm)
                mine.append(saved.id)
            _ack(fd, saved.id, saved.revision)

    return work


def _fresh(journal: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{journal}{suffix}").unlink(missing_ok=True)


def _copy_journal(source: Path, target: Path) -> None:
    _fresh(target)
    shutil.copyfile(source, target)


def _ids(journal: Path) -> dict[str, int]:
    with Store.open(journal, create=False) as store:
        return dict(store.conn.execute("SELECT id, revision FROM entries WHERE deleted = 0"))


def _note(folder: Path, rng: random.Random, n: int) -> None:
    """A plain Markdown note dropped into the team folder by a colleague."""
    (folder / f"note-{n}.md").write_text(f"# Colleague note {n}\n\n{_text(rng, rng.randint(30, 300))}\n")


# --- scenarios ---------------------------------------------------------------------------


def run_saves(work: Path, kills: int, rng: random.Random, tally: Tally) -> None:
    journal = work / "saves.hindsight"
    committed: dict[str, int] = {}
    for k in range(kills):
        if k % RESET_EVERY == 0:
            _fresh(journal)
            committed = {}
            Store.open(journal).close()
        acks = work / f"acks-{k}.txt"
        through_cli = k % 3 == 2  # a third through `hindsight add`, a third long narratives through the store
        delay = rng.uniform(0.05, 0.6 if through_cli else 0.35)
        driver = save_driver(journal, acks, rng.randrange(1 << 30), through_cli=through_cli, long=k % 3 == 1)
        killed = fork_and_kill(driver, delay)
        got = read_acks(acks)
        acks.unlink(missing_ok=True)
        tally.acked += len(got)
        for entry_id, rev in got.items():
            committed[entry_id] = max(committed.get(entry_id, 0), rev)
        tally.kills["save"] += killed
        verify(journal, committed, tally, f"save kill {k}", real=(k % REAL_PROCESS_EVERY == 0))
        _progress(tally)


def prepare_import_folder(work: Path, files: int) -> tuple[Path, set[str]]:
    """A folder of ``files`` exported entries (``hindsight demo``, then ``export --out-dir``)."""
    source = work / "exported.hindsight"
    folder = work / "exported"
    if not folder.exists():
        _fresh(source)
        code, _, err = cli(["demo", str(source), "--entries", str(files), "--seed", "14"])
        assert code == 0, err
        code, _, err = cli(["--journal", str(source), "export", "--out-dir", str(folder)])
        assert code == 0, err
    return folder, set(_ids(source))


def run_imports(work: Path, kills: int, rng: random.Random, tally: Tally, files: int) -> None:
    folder, exported = prepare_import_folder(work, files)
    empty, base = work / "empty.hindsight", work / "base.hindsight"
    for path, count in ((empty, 0), (base, 30)):
        _fresh(path)
        with Store.open(path) as store:
            store.insert_many([PostMortem.from_dict({"title": f"mine {i}", "role": "maker"}) for i in range(count)])
    journal = work / "import.hindsight"

    def importing() -> None:
        main(["--journal", str(journal), "import", str(folder)])

    _copy_journal(empty, journal)
    took = {"empty": timed(importing)}
    _copy_journal(base, journal)
    took["base"] = timed(importing)
    tally.notes.append(f"an import of {files} files took {took['empty']:.2f} s into an empty journal "
                       f"(a bulk load), {took['base']:.2f} s into one with 30 entries")
    k = 0
    while k < kills:
        kind = "empty" if k % 2 == 0 else "base"
        _copy_journal(empty if kind == "empty" else base, journal)
        committed = _ids(journal)
        if not fork_and_kill(importing, rng.uniform(0.0, took[kind] * 1.05)):
            tally.finished_first += 1
            continue
        tally.kills["import"] += 1
        where = f"import kill {k} ({kind} journal)"
        verify(journal, committed, tally, where, real=(k % REAL_PROCESS_EVERY == 0))
        if k % 5 == 0:  # run it again to the end: every file goes in, nothing twice
            code, _, err = cli(["--journal", str(journal), "import", str(folder)])
            listed = verify(journal, committed, tally, where + " rerun", real=False)
            if code != 0 or not exported <= listed or len(listed) != len(exported) + len(committed):
                tally.reruns_failed += 1
                tally.problem(f"{where}: the import run again did not complete: exit {code}, {err.strip()[:200]}")
        k += 1
        _progress(tally)


def run_syncs(work: Path, kills: int, rng: random.Random, tally: Tally) -> None:
    journal, folder = work / "sync.hindsight", work / "team"
    n = 0
    k = 0
    took = 0.0
    while k < kills:
        if (k % RESET_EVERY == 0 and took == 0.0) or (k % RESET_EVERY == 0 and k):
            _fresh(journal)
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            with Store.open(journal) as store:
                store.insert_many([PostMortem.from_dict({"title": f"ours {i}", "role": "maker",
                                                         "what_happened": _text(rng, 100)}) for i in range(60)])
            cli(["--journal", str(journal), "sync", str(folder)])
        # Work for the next sync on both sides: colleagues' notes in the folder, saves in the journal.
        for _ in range(15):
            n += 1
            _note(folder, rng, n)
        with Store.open(journal) as store:
            for _ in range(10):
                n += 1
                store.save(PostMortem.from_dict({"title": f"ours {n}", "role": "receiver",
                                                 "what_happened": _text(rng, 200)}))
        committed = _ids(journal)

        def syncing() -> None:
            main(["--journal", str(journal), "sync", str(folder)])

        if took == 0.0:
            took = timed(syncing)
            tally.notes.append(f"a sync of 25 changes with a folder of about {len(list(folder.glob('*.md')))} "
                               f"files took {took:.2f} s")
            continue
        if not fork_and_kill(syncing, rng.uniform(0.0, took * 1.3)):
            tally.finished_first += 1
            continue
        tally.kills["sync"] += 1
        where = f"sync kill {k}"
        verify(journal, committed, tally, where, real=(k % REAL_PROCESS_EVERY == 0))
        if k % 5 == 0:
            code, _, err = cli(["--journal", str(journal), "sync", str(folder)])
            verify(journal, committed, tally, where + " rerun", real=False)
            if code != 0:
                tally.reruns_failed += 1
                tally.problem(f"{where}: the sync run again failed: exit {code}, {err.strip()[:300]}")
        k += 1
        _progress(tally)


def run_backups(work: Path, kills: int, rng: random.Random, tally: Tally) -> None:
    if not has_command("backup"):
        tally.notes.append("backups: skipped, this build has no `hindsight backup` command")
        print("backups: skipped, this build has no `hindsight backup` command", flush=True)
        return
    journal, folder = work / "backup.hindsight", work / "backups"
    _fresh(journal)
    code, _, err = cli(["demo", str(journal), "--entries", "400", "--seed", "3"])
    assert code == 0, err
    committed = _ids(journal)

    def backing_up() -> None:
        main(["--journal", str(journal), "backup", "--to", str(folder)])

    took = timed(backing_up)
    tally.notes.append(f"a backup of a 400-entry journal took {took:.2f} s")
    k = 0
    while k < kills:
        if not fork_and_kill(backing_up, rng.uniform(0.0, took * 1.05)):
            tally.finished_first += 1
            continue
        tally.kills["backup"] += 1
        verify(journal, committed, tally, f"backup kill {k}", real=(k % REAL_PROCESS_EVERY == 0))
        # A killed backup may leave its hidden temporary copy, never a backup that was not checked.
        unchecked = [info.path.name for info in backup.list_backups(journal, folder) if not info.verified]
        if unchecked:
            tally.problem(f"backup kill {k}: unchecked backups listed: {', '.join(unchecked)}")
        if k % 10 == 9:  # keep the folder small: the rotation is not what is measured here
            shutil.rmtree(folder, ignore_errors=True)
        k += 1
        _progress(tally)


# --- a full disk ---------------------------------------------------------------------------


def can_mount() -> str:
    """Empty if a small tmpfs can be mounted here, else why not."""
    if sys.platform != "linux":
        return "mounting a small filesystem needs Linux"
    if os.geteuid() != 0:
        return "mounting a small filesystem needs root"
    with tempfile.TemporaryDirectory() as where:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", where],
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return f"mount -t tmpfs failed: {done.stderr.strip() or done.returncode}"
        subprocess.run(["umount", where], check=False)
    return ""


@contextlib.contextmanager
def small_disk(where: Path, size: str) -> Iterator[Path]:
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def full_disk_round(work: Path, seed: int, *, size: str = "2m") -> FullDisk:
    """Save until a 2 MB disk is full; one more ``hindsight add`` fails cleanly; free space; all there."""
    result = FullDisk()
    rng = random.Random(seed)
    with small_disk(work / f"disk-{seed}", size) as disk:
        journal, acks = disk / "journal.hindsight", work / f"full-acks-{seed}.txt"
        ballast = disk / "ballast"  # what the person deletes to free space
        ballast.write_bytes(os.urandom(rng.randint(800_000, 1_100_000)))
        code, _, err = cli(["--journal", str(journal), "add", "--title", "before the disk filled", "--role", "maker"])
        assert code == 0, err

        def fill() -> None:
            fd = os.open(acks, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            store = Store.open(journal)
            with contextlib.suppress(JournalError):
                for n in range(100_000):
                    saved, _ = store.save(PostMortem.from_dict({
                        "title": f"filling {seed}.{n}", "role": "maker",
                        "what_happened": _text(rng, rng.randint(100, 1500))}))
                    _ack(fd, saved.id, saved.revision)
            # The disk is full: a kill now, with the log and the file as the failure left them.
            os.kill(os.getpid(), signal.SIGKILL)

        fork_and_kill(fill, 120.0)
        committed = read_acks(acks)
        acks.unlink(missing_ok=True)
        result.acked = len(committed)
        for attempt in range(5):  # the first add may still fit in a freed page; the disk fills at once
            code, out, err = cli(["--journal", str(journal), "add", "--title", f"one more {attempt}",
                                  "--role", "maker", "--what", _text(rng, 3000)], real=True)
            if code == 0:
                committed[out.strip()] = 1
                result.acked += 1
                continue
            result.full_exit, result.full_message = code, err
            result.traceback = "Traceback" in err
            break
        result.truncated_before_open = looks_truncated(journal)
        sizes = {p.name: p.stat().st_size for p in disk.iterdir()}
        ballast.unlink()
        tally = Tally()
        listed = open_through_cli(journal, tally, "full disk", real=True)
        result.refused = tally.refused > 0
        result.integrity = tally.integrity > 0
        result.lost = len(set(committed) - (listed or set()))
        code, _, err = cli(["--journal", str(journal), "add", "--title", "after freeing space", "--role", "maker"],
                           real=True)
        result.add_after_freeing = code
        if code:
            print(f"  add after freeing space: {err.strip()}; {shutil.disk_usage(disk)}; before: {sizes}", flush=True)
    return result


# --- the whole run -------------------------------------------------------------------------


_last_progress = [0.0]


def _progress(tally: Tally) -> None:
    if tally.total % 25 == 0 or time.monotonic() - _last_progress[0] > 15:
        _last_progress[0] = time.monotonic()
        print(f"  {tally.total} kills ({', '.join(f'{k} {v}' for k, v in tally.kills.items() if v)}); "
              f"{tally.acked} saves acknowledged, {tally.lost} lost, {tally.refused} refused, "
              f"{tally.integrity} integrity failures", flush=True)


def plan(total: int, with_backup: bool) -> dict[str, int]:
    """Kills per scenario: saves get the most, the rest share alike."""
    shares = {"save": 0.4, "import": 0.2, "sync": 0.2, "backup": 0.2} if with_backup else \
        {"save": 0.45, "import": 0.275, "sync": 0.275}
    counts = {name: int(total * share) for name, share in shares.items()}
    counts["save"] += total - sum(counts.values())
    return counts


def run(work: Path, kills: dict[str, int], seed: int, *, import_files: int = 300) -> Tally:
    rng = random.Random(seed)
    tally = Tally()
    for name in SCENARIOS:
        count = kills.get(name, 0)
        if not count and name != "backup":
            continue
        print(f"{name}: {count} kills", flush=True)
        folder = work / name
        folder.mkdir(parents=True, exist_ok=True)
        if name == "save":
            run_saves(folder, count, rng, tally)
        elif name == "import":
            run_imports(folder, count, rng, tally, import_files)
        elif name == "sync":
            run_syncs(folder, count, rng, tally)
        else:
            run_backups(folder, count, rng, tally)
    return tally


def write_results(path: Path, text: str) -> None:
    """Put the "## Crash test" section in RESULTS.md, in place of the one there."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    kept = re.sub(r"\n## Crash test\n.*?(?=\n## |\Z)", "", old, flags=re.S).rstrip("\n")
    path.write_text(kept + "\n\n" + text.rstrip("\n") + "\n", encoding="utf-8")


def report(tally: Tally, disks: list[FullDisk], seed: int, seconds: float, command: str) -> str:
    lines = [
        "## Crash test",
        "",
        f"Written by `{command}` (`benchmarks/crashtest.py`, seed {seed}), "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {seconds / 60:.1f} min on "
        f"{platform.platform()}, SQLite {sqlite3.sqlite_version}, with other work on the machine.",
        "Each kill is a SIGKILL at a random moment of the work, then `hindsight check` and "
        "`hindsight list --json` (the CLI's `main`; every tenth a fresh `hindsight` process).",
        "",
        "| figure | value |",
        "|---|---|",
        f"| kills | {tally.total} ({', '.join(f'{k} {v}' for k, v in tally.kills.items())}) |",
        f"| saves that returned success before a kill, each looked for after it | {tally.acked} |",
        f"| committed saves lost | {tally.lost} |",
        f"| journals refused | {tally.refused} |",
        f"| integrity failures (`hindsight check`) | {tally.integrity} |",
        f"| imports and syncs run again to the end after a kill that failed | {tally.reruns_failed} |",
        f"| checks in a fresh `hindsight` process | {tally.real_process_checks} |",
        f"| kills after which the file alone looked truncated (log beside it; refused before issue 14) | "
        f"{tally.looked_truncated} |",
        f"| runs that finished before their kill (not counted) | {tally.finished_first} |",
        f"| full-disk runs (2 MB tmpfs) | {len(disks)}, {sum(d.ok for d in disks)} as expected |",
        f"| saves acknowledged before the disk filled, lost after freeing space | "
        f"{sum(d.acked for d in disks)}, {sum(d.lost for d in disks)} |",
        f"| full-disk runs whose file alone looked truncated before opening | "
        f"{sum(d.truncated_before_open for d in disks)} |",
        "",
    ]
    if disks:
        lines.append(f"What `hindsight add` printed on the full disk (exit {disks[0].full_exit}): "
                     f"`{disks[0].full_message.strip()}`")
        lines.append("")
    lines += [f"- {note}" for note in tally.notes]
    if tally.problems:
        lines += ["", "Problems:"] + [f"- {p}" for p in tally.problems[:20]]
    return "\n".join(lines) + "\n"


def cli_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--full-disk-runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    start = time.monotonic()
    kills = plan(args.kills, has_command("backup"))
    with tempfile.TemporaryDirectory(prefix="hindsight-crash-") as where:
        work = Path(where)
        tally = run(work, kills, args.seed)
        disks: list[FullDisk] = []
        why_not = can_mount()
        if why_not:
            tally.notes.append(f"full disk: skipped, {why_not}")
            print(f"full disk: skipped, {why_not}", flush=True)
        for n in range(args.full_disk_runs if not why_not else 0):
            disk = full_disk_round(work, args.seed * 100 + n)
            disks.append(disk)
            print(f"full disk {n}: {disk}", flush=True)
    seconds = time.monotonic() - start
    text = report(tally, disks, args.seed, seconds, "make crashtest")
    print(text)
    write_results(args.out, text)
    bad = tally.lost or tally.refused or tally.integrity or tally.reruns_failed or not all(d.ok for d in disks)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(cli_main())
