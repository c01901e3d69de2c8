"""Verified backups of a journal: make one, list them, rotate them, restore one.

A backup is copied with SQLite's online backup API (so another window or the CLI
may keep writing), written under a temporary name, then opened and checked
(``integrity_check``, Hindsight's ``application_id``, the entry count) before it
is renamed into place. A copy that fails the check is deleted and reported.
Each backup has a small JSON sidecar holding what the check found, so listing
fifty backups reads fifty small files, not fifty databases.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import json
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from hashlib import sha1
from pathlib import Path

from journal import safety
from journal.schema import APPLICATION_ID, SCHEMA_VERSION
from journal.store import SQLITE_MAGIC, JournalError, NotAJournal, Store

ENV_VAR = "HINDSIGHT_BACKUP_DIR"  # the folder that holds every journal's backup folder
SUFFIX = ".hindsight"
SIDECAR = ".json"
DUE_AFTER = timedelta(days=1)
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
STALE_AFTER_S = 3600.0
BUSY_WAIT_S = 30.0  # how long a backup waits for another program's lock before it gives up
DISK_FULL = "the disk is full; no backup was made; free space and retry"
_STAMP = "%Y-%m-%dT%H-%M-%SZ"
_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)-([a-z0-9-]*[a-z])(?:-(\d+))?\.hindsight$")
_BUSY_CODES = (5, 6)  # SQLITE_BUSY, SQLITE_LOCKED: the backup step retries after these


@dataclass(frozen=True)
class BackupInfo:
    """One backup file and what its check found."""

    path: Path
    made_at: str  # ISO-8601 UTC
    entries: int
    size: int
    verified: bool
    reason: str  # "manual", "daily", "before import", ...

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "path": str(self.path)}


class _GaveUp(Exception):
    """Raised from the backup's progress callback: another program held the lock too long."""


def _now() -> datetime:
    """The current time (tests move it)."""
    return datetime.now(UTC)


_ISO = "%Y-%m-%dT%H:%M:%SZ"


def _iso(moment: datetime) -> str:
    return moment.strftime(_ISO)


def local_time(made_at: str) -> str:
    """A backup's ``made_at`` (UTC) as the reader's local time, ``YYYY-MM-DD HH:MM:SS``; as given if unreadable."""
    try:
        moment = datetime.strptime(made_at, _ISO).replace(tzinfo=UTC)
    except ValueError:
        return made_at
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


# --- where backups live ---------------------------------------------------------------------


def backups_root() -> Path:
    """``$HINDSIGHT_BACKUP_DIR``, else ``backups/`` in the user data folder."""
    given = os.environ.get(ENV_VAR)
    if given:
        return Path(given).expanduser()
    import platformdirs  # here: only a backup needs it

    return Path(platformdirs.user_data_dir("Hindsight", appauthor=False)) / "backups"


def backup_dir(journal_path: Path) -> Path:
    """This journal's backup folder: its name, and 8 hex of its resolved path (two ``journal.hindsight`` differ)."""
    resolved = Path(journal_path).expanduser().resolve()
    key = sha1(str(resolved).encode("utf-8")).hexdigest()[:8]
    return backups_root() / f"{resolved.stem}-{key}"


def _slug(reason: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")
    return re.sub(r"[-0-9]+$", "", slug) or "backup"  # a trailing number would read as a collision counter


def _stamp_of(name: str) -> datetime | None:
    match = _NAME.match(name)
    if match is None:
        return None
    n = match.group(1)  # by slices: strptime costs 20 µs a name, and listing reads every name
    return datetime(int(n[0:4]), int(n[5:7]), int(n[8:10]), int(n[11:13]), int(n[14:16]), int(n[17:19]), tzinfo=UTC)


def _describe(error: BaseException) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    return str(error)


def _is_disk_full(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return True
    return isinstance(error, sqlite3.Error) and "full" in str(error).lower()


def _unwritable(folder: Path, error: OSError) -> JournalError:
    return JournalError(f"cannot write to the backup folder {folder} ({_describe(error)}); no backup was made")


def _prepare_folder(folder: Path, *, managed: bool) -> None:
    """Make the journal's own backup folder (owner only); a ``--to`` folder must exist already."""
    if managed:
        try:
            folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # backups/ itself, when new
            folder.mkdir(exist_ok=True, mode=0o700)
            folder.chmod(0o700)
        except OSError as error:
            raise JournalError(
                f"cannot use the backup folder {folder} ({_describe(error)}); no backup was made"
            ) from None
    elif not folder.is_dir():
        raise JournalError(f"{folder} is not a folder; create it or pick another; no backup was made")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise JournalError(f"the backup folder {folder} is read-only; no backup was made")


# --- checking a copy ---------------------------------------------------------------------------


def _check_header(path: Path, label: Path, encrypted: bool = False) -> None:
    """Refuse what is plainly not an SQLite file before SQLite is asked about it (an encrypted one has no header)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise NotAJournal(f"{label} cannot be read ({_describe(error)})") from None
    if not header.startswith(SQLITE_MAGIC) and not encrypted:
        raise NotAJournal(f"{label} is not a Hindsight backup (it is not an SQLite database)")
    if len(header) < 100:
        raise NotAJournal(f"{label} is not a good Hindsight backup (it is truncated)")


def _connect(path: Path, passphrase: str | None) -> sqlite3.Connection:
    """A plain connection, or one keyed with the journal's passphrase (a backup is encrypted like its journal)."""
    if passphrase is None:
        return sqlite3.connect(str(path), isolation_level=None)
    from journal import crypto

    conn: sqlite3.Connection = crypto.connect(path, passphrase, check=False)
    return conn


def verify(path: Path, label: Path | None = None, passphrase: str | None = None) -> int:
    """Check the copy at ``path`` is a whole Hindsight journal; its number of entries, or ``NotAJournal``."""
    label = label or path
    _check_header(path, label, encrypted=passphrase is not None)
    conn = _connect(path, passphrase)
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise NotAJournal(f"{label} is an SQLite database but not a Hindsight journal")
        if version > SCHEMA_VERSION:
            raise NotAJournal(f"{label} was made by a newer Hindsight (schema {version}); update Hindsight first")
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
        if problems != ["ok"]:
            raise NotAJournal(f"{label} is damaged (SQLite's integrity check says: {problems[0]})")
        return int(conn.execute("SELECT count(*) FROM entries WHERE deleted = 0").fetchone()[0])
    except sqlite3.Error as error:
        if _is_disk_full(error):
            raise JournalError(DISK_FULL) from None
        raise NotAJournal(f"{label} is not a good Hindsight backup (SQLite says: {error})") from None
    finally:
        conn.close()


# --- making one ------------------------------------------------------------------------------------


def _copy(source: sqlite3.Connection, target: Path, wait_s: float, passphrase: str | None = None) -> None:
    """Copy the journal into the empty file ``target`` in one step, waiting at most ``wait_s`` for locks.

    One step reads one snapshot: in steps of a few pages, every save from another
    window would start the copy over, and a busy journal might never be copied.
    """
    deadline = time.monotonic() + wait_s

    def progress(status: int, remaining: int, total: int) -> None:
        if status in _BUSY_CODES and time.monotonic() > deadline:
            raise _GaveUp

    dst = _connect(target, passphrase)
    try:
        source.backup(dst, pages=-1, progress=progress, sleep=0.05)
        dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no -wal beside it
    finally:
        dst.close()


def _write_sidecar(info: BackupInfo) -> None:
    """What the check found, next to the backup, written whole or not at all."""
    data = json.dumps({k: v for k, v in info.to_dict().items() if k != "path"}, indent=1)
    fd, tmp = tempfile.mkstemp(dir=info.path.parent, prefix=".", suffix=".json.partial")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(data)
        os.replace(tmp, info.path.with_name(info.path.name + SIDECAR))
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _gone(pid_text: str) -> bool:
    """The process that wrote a temporary file has ended (POSIX; elsewhere only age tells)."""
    if os.name != "posix" or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _sweep(folder: Path, pattern: str) -> None:
    """Remove temporary files a killed backup or restore left behind: its process is gone, or it is an hour old."""
    cutoff = time.time() - STALE_AFTER_S
    for leftover in folder.glob(pattern):
        with contextlib.suppress(OSError):
            if _gone(leftover.name.rsplit(".", 2)[-2].split("-")[0]) or leftover.stat().st_mtime < cutoff:
                leftover.unlink()


def _free_name(folder: Path, stamp: str, slug: str) -> Path:
    path = folder / f"{stamp}-{slug}{SUFFIX}"
    number = 2
    while path.exists() or path.with_name(path.name + SIDECAR).exists():
        path = folder / f"{stamp}-{slug}-{number}{SUFFIX}"
        number += 1
    return path


def make_backup(store: Store, *, to: Path | None = None, reason: str = "manual") -> BackupInfo:
    """Copy the journal into a new, verified backup; ``JournalError`` (and nothing left behind) if it fails.

    ``to``: a folder of the user's choosing, never rotated; else the journal's own backup folder.
    """
    managed = to is None
    folder = backup_dir(store.path) if to is None else Path(to).expanduser()
    _prepare_folder(folder, managed=managed)
    _sweep(folder, ".*.partial")
    moment = _now()
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{os.getpid()}-", suffix=".partial")  # 0600
    except OSError as error:
        if _is_disk_full(error):
            raise JournalError(DISK_FULL) from None
        raise _unwritable(folder, error) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            if store.passphrase is None:  # the plain call, as before encryption existed
                _copy(store.conn, tmp, BUSY_WAIT_S)
            else:
                _copy(store.conn, tmp, BUSY_WAIT_S, store.passphrase)
        except _GaveUp:
            raise JournalError(
                f"{store.path} stayed busy (another program is writing to it) for {BUSY_WAIT_S:.0f} s; "
                "no backup was made; try again when it is done"
            ) from None
        except (sqlite3.Error, OSError) as error:
            if _is_disk_full(error):
                raise JournalError(DISK_FULL) from None
            raise JournalError(f"the backup of {store.path} failed ({_describe(error)}); no backup was made") from None
        try:
            entries = verify(tmp, label=store.path, passphrase=store.passphrase)
        except NotAJournal as error:
            raise JournalError(f"the copy failed its check and was deleted: {error}") from None
        path = _free_name(folder, moment.strftime(_STAMP), _slug(reason))
        info = BackupInfo(path, _iso(moment), entries, tmp.stat().st_size, True, reason)
        try:
            _write_sidecar(info)
            os.replace(tmp, path)
        except OSError as error:
            with contextlib.suppress(OSError):
                path.with_name(path.name + SIDECAR).unlink()
            if _is_disk_full(error):
                raise JournalError(DISK_FULL) from None
            raise _unwritable(folder, error) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if managed:
        rotate(folder)
    return info


def has_entries(store: Store) -> bool:
    """Anything to lose, the trash included (an empty journal is not backed up automatically)."""
    return bool(store.conn.execute("SELECT 1 FROM entries LIMIT 1").fetchone())


def backup_before(store: Store, what: str) -> BackupInfo | None:
    """The backup made before ``what`` (an import, a sync, an upgrade…); None for an empty journal.

    Raises ``JournalError`` saying that ``what`` was not done when no backup could be made.
    """
    if not has_entries(store):
        return None
    try:
        return make_backup(store, reason=f"before {what}")
    except JournalError as error:
        raise JournalError(f"{error} (so the {what} was not started)") from None


def newest_made_at(journal_path: Path) -> datetime | None:
    """When the newest backup in the journal's folder was made, from file names alone (cheap)."""
    try:
        names = os.listdir(backup_dir(journal_path))
    except OSError:
        return None
    newest = max((name for name in names if _NAME.match(name)), default=None)  # names sort by time
    return None if newest is None else _stamp_of(newest)


def backup_if_due(store: Store) -> BackupInfo | None:
    """The daily backup: made when the newest is over a day old (or there is none) and there is something to keep."""
    newest = newest_made_at(store.path)
    if newest is not None and _now() - newest < DUE_AFTER:
        return None
    if not has_entries(store):
        return None
    return make_backup(store, reason="daily")


# --- listing and rotating ---------------------------------------------------------------------------


def _read_info(path: Path, stamp: datetime) -> BackupInfo:
    """From the sidecar; a backup without one is shown as not checked."""
    size = path.stat().st_size
    try:
        data = json.loads(path.with_name(path.name + SIDECAR).read_text(encoding="utf-8"))
        return BackupInfo(
            path, str(data["made_at"]), int(data["entries"]), size,
            bool(data["verified"]) and int(data["size"]) == size, str(data["reason"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        match = _NAME.match(path.name)
        reason = match.group(2).replace("-", " ") if match else ""
        return BackupInfo(path, _iso(stamp), -1, size, False, reason)


def _backups_in(folder: Path) -> Iterator[tuple[Path, datetime]]:
    try:
        names = os.listdir(folder)
    except FileNotFoundError:
        return
    except OSError as error:
        raise JournalError(f"cannot read the backup folder {folder} ({_describe(error)})") from None
    for name in names:
        stamp = _stamp_of(name)
        if stamp is not None:
            yield folder / name, stamp


def list_backups(journal_path: Path, folder: Path | None = None) -> list[BackupInfo]:
    """The backups of this journal (or in ``folder``), newest first."""
    found: list[tuple[datetime, int, BackupInfo]] = []
    for path, stamp in _backups_in(folder or backup_dir(journal_path)):
        with contextlib.suppress(FileNotFoundError):  # rotated by another process meanwhile
            # Two backups in one second (the daily one, then one before a restore) keep their order.
            found.append((stamp, path.stat().st_mtime_ns, _read_info(path, stamp)))
    return [info for _, _, info in sorted(found, key=lambda item: item[:2], reverse=True)]


def newest_good(journal_path: Path) -> BackupInfo | None:
    """The newest verified backup of this journal, for "restore it with …" messages."""
    try:
        return next((info for info in list_backups(journal_path) if info.verified), None)
    except JournalError:
        return None


def _kept(stamps: list[datetime], now: datetime) -> set[int]:
    """Indexes (into ``stamps``, newest first) that rotation keeps: the last day, 7 daily, 4 weekly, 12 monthly."""
    keep = {i for i, stamp in enumerate(stamps) if now - stamp < DUE_AFTER}
    periods: tuple[tuple[Callable[[datetime], object], int], ...] = (
        (lambda t: t.date(), KEEP_DAILY),
        (lambda t: t.isocalendar()[:2], KEEP_WEEKLY),
        (lambda t: (t.year, t.month), KEEP_MONTHLY),
    )
    for period_of, count in periods:
        seen: set[object] = set()
        for i, stamp in enumerate(stamps):
            period = period_of(stamp)
            if period in seen:
                continue
            if len(seen) == count:
                break
            seen.add(period)
            keep.add(i)
    return keep


def rotate(folder: Path, now: datetime | None = None) -> list[Path]:
    """Delete the backups the schedule no longer keeps, never the newest good one; the paths deleted."""
    infos = list_backups(folder, folder)
    stamps = [_stamp_of(info.path.name) for info in infos]
    ordered = [(info, stamp) for info, stamp in zip(infos, stamps, strict=True) if stamp is not None]
    keep = _kept([stamp for _, stamp in ordered], now or _now())
    good = next((i for i, (info, _) in enumerate(ordered) if info.verified), None)
    if good is not None:
        keep.add(good)
    deleted: list[Path] = []
    for i, (info, _) in enumerate(ordered):
        if i in keep:
            continue
        with contextlib.suppress(FileNotFoundError):
            info.path.unlink()
            deleted.append(info.path)
        with contextlib.suppress(FileNotFoundError):
            info.path.with_name(info.path.name + SIDECAR).unlink()
    return deleted


# --- restoring -----------------------------------------------------------------------------------------


def _keep_damaged(journal_path: Path) -> BackupInfo:
    """A journal too damaged to open is kept byte for byte (with its -wal) before it is replaced."""
    folder = backup_dir(journal_path)
    _prepare_folder(folder, managed=True)
    moment = _now()
    path = _free_name(folder, moment.strftime(_STAMP), "before-restore-unchecked")
    try:
        shutil.copyfile(journal_path, path)
        path.chmod(0o600)
        wal = journal_path.with_name(journal_path.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, path.with_name(path.name + "-wal"))
    except OSError as error:
        with contextlib.suppress(OSError):
            path.unlink()
        if _is_disk_full(error):
            raise JournalError(DISK_FULL) from None
        raise JournalError(f"cannot keep a copy of {journal_path} ({_describe(error)}); nothing was restored") from None
    info = BackupInfo(path, _iso(moment), -1, path.stat().st_size, False, "before restore (damaged journal)")
    _write_sidecar(info)
    return info


def _backup_current(journal_path: Path, passphrase: str | None = None) -> BackupInfo | None:
    """Keep the journal about to be replaced; refuse to replace a file Hindsight did not make."""
    if not journal_path.exists() or journal_path.stat().st_size == 0:
        return None
    try:
        with Store.open(journal_path, create=False, passphrase=passphrase) as store:
            return make_backup(store, reason="before restore")
    except NotAJournal:
        if not safety.is_hindsight_journal(journal_path):
            raise JournalError(
                f"{journal_path} is not a Hindsight journal; restore will not replace it (pick another --journal)"
            ) from None
        return _keep_damaged(journal_path)


def _replace(journal_path: Path, new: Path, passphrase: str | None = None) -> None:
    """Put ``new`` in place of the journal at once, while no other program has the journal open."""
    if not journal_path.exists():
        os.replace(new, journal_path)
        return
    if passphrase is None:
        conn = sqlite3.connect(str(journal_path), timeout=2.0, isolation_level=None)
    else:
        from journal import crypto

        conn = crypto.connect(journal_path, passphrase, timeout=2.0)
    try:
        try:
            # Leaving WAL folds the log into the file and needs every other connection closed:
            # a -wal left beside the new file would be replayed into it.
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
            conn.execute("BEGIN EXCLUSIVE")  # nobody opens the old file while it is swapped
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise JournalError(
                    f"{journal_path} is open in another window or program; close it there and retry; "
                    "nothing was restored"
                ) from None
            mode = "damaged"
        except sqlite3.DatabaseError:
            mode = "damaged"
        if mode == "damaged":
            # Its -wal and -shm were kept with the copy of the damaged file.
            for extra in safety.SIDE_SUFFIXES:
                with contextlib.suppress(FileNotFoundError):
                    journal_path.with_name(journal_path.name + extra).unlink()
        os.replace(new, journal_path)
    finally:
        conn.close()


def _encrypted(path: Path) -> bool:
    from journal.store import _looks_encrypted

    return _looks_encrypted(path)


def check_restorable(backup: Path) -> None:
    """Refuse, before anything is touched, a file that is plainly not a backup."""
    if not backup.exists():
        raise JournalError(f"{backup} does not exist; nothing was restored")
    if not backup.is_file():
        raise JournalError(f"{backup} is not a file; nothing was restored")
    try:
        _check_header(backup, backup, encrypted=_encrypted(backup))
    except NotAJournal as error:
        raise NotAJournal(f"{error}; nothing was restored") from None


def restore(journal_path: Path, backup: Path, passphrase: str | None = None) -> BackupInfo | None:
    """Replace the journal with a good backup; returns the backup kept of the journal it replaced.

    The backup is copied beside the journal and verified first: a file that is not
    a good Hindsight journal is refused, and nothing is touched. None is returned
    when there was no journal to keep.
    """
    journal_path, backup = Path(journal_path), Path(backup)
    check_restorable(backup)
    key: str | None = None  # an encrypted backup or journal: one passphrase opens both
    if _encrypted(backup) or _encrypted(journal_path):
        from journal import crypto

        key = crypto.passphrase_for(journal_path, passphrase)
    if journal_path.exists() and backup.resolve() == journal_path.resolve():
        raise JournalError(f"{backup} is the journal itself; pick a backup; nothing was restored")
    folder = journal_path.parent
    if not folder.is_dir():
        raise JournalError(f"{folder} does not exist; nothing was restored")
    _sweep(folder, f".{glob.escape(journal_path.name)}.*.restoring")
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{journal_path.name}.{os.getpid()}-", suffix=".restoring")
    except OSError as error:
        raise JournalError(f"cannot write to {folder} ({_describe(error)}); nothing was restored") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        try:
            shutil.copyfile(backup, tmp)
        except OSError as error:
            if _is_disk_full(error):
                raise JournalError("the disk is full; nothing was restored; free space and retry") from None
            raise JournalError(f"cannot copy {backup} ({_describe(error)}); nothing was restored") from None
        try:
            verify(tmp, label=backup, passphrase=key if _encrypted(backup) else None)
        except NotAJournal as error:
            raise NotAJournal(f"{error}; nothing was restored") from None
        try:
            kept = _backup_current(journal_path, key)
        except JournalError as error:
            raise JournalError(f"{error}; so nothing was restored") from None
        _replace(journal_path, tmp, key if _encrypted(journal_path) else None)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return kept
