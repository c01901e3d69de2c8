"""Encryption at rest: a whole journal file encrypted with SQLCipher, optional.

A plain journal never loads SQLCipher (``Store.open`` comes here only for a file
without an SQLite header). An encrypted file is random bytes from its first byte:
only the key tells an encrypted journal from a file that is not a journal at all.
Temporary tables and sorts stay in memory (``temp_store = MEMORY``), so no plain
text reaches a temporary file. The passphrase is never written to disk: it is
given, remembered in this process (``remember``), or taken from
``HINDSIGHT_PASSPHRASE``; helper processes are handed it (``known_passphrases``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from journal.store import SQLITE_MAGIC, JournalError, NeedsPassphrase, Store, WrongPassphrase

PASSPHRASE_ENV = "HINDSIGHT_PASSPHRASE"

_known: dict[str, str] = {}
_bridged = False


def _key(path: Path | str) -> str:
    return str(Path(path).expanduser().resolve())


def remember(path: Path | str, passphrase: str) -> None:
    """Keep the passphrase of ``path`` in this process's memory, for every later ``Store.open``."""
    _known[_key(path)] = passphrase


def forget(path: Path | str) -> None:
    _known.pop(_key(path), None)


def known_passphrases() -> dict[str, str]:
    """Every passphrase remembered here, to hand to a helper process (through a pipe, never a file)."""
    return dict(_known)


def remember_all(passphrases: dict[str, str]) -> None:
    _known.update(passphrases)


def passphrase_for(path: Path, given: str | None = None) -> str:
    """The passphrase to try on the encrypted file ``path``, or ``NeedsPassphrase``."""
    found = given or _known.get(_key(path)) or os.environ.get(PASSPHRASE_ENV)
    if not found:
        raise NeedsPassphrase(
            f"{path} is encrypted, or is not a journal (it is not an SQLite database); "
            f"set {PASSPHRASE_ENV} or enter its passphrase"
        )
    return found


def is_encrypted(path: Path) -> bool:
    """The file exists and has no SQLite header: encrypted, if it is a journal at all."""
    try:
        with Path(path).open("rb") as handle:
            header = handle.read(16)
    except OSError:
        return False
    return len(header) == 16 and not header.startswith(SQLITE_MAGIC)


def _bridge(module: Any) -> None:
    """Make SQLCipher's errors also the standard ``sqlite3`` ones, so every ``except sqlite3.…`` in the core applies.

    Its own ``Error`` cannot take a second base (a different C layout), but every error SQLite
    raises is a ``DatabaseError`` subclass, and those can.
    """
    global _bridged
    if _bridged:
        return
    for name in ("DatabaseError", "OperationalError", "IntegrityError", "ProgrammingError",
                 "DataError", "InternalError", "NotSupportedError", "InterfaceError"):
        theirs, ours = getattr(module, name), getattr(sqlite3, name)
        if not issubclass(theirs, ours):
            with contextlib.suppress(TypeError):
                theirs.__bases__ = (*theirs.__bases__, ours)
    _bridged = True


def sqlcipher() -> Any:
    """The SQLCipher DB-API module, or a one-line ``JournalError`` if it is not installed."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError:
        raise JournalError(
            "encrypted journals need the sqlcipher3 package; install it with: pip install sqlcipher3"
        ) from None
    _bridge(dbapi2)
    return dbapi2


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect(path: Path, passphrase: str, *, timeout: float = 5.0, check: bool = True) -> Any:
    """A connection to the encrypted file ``path`` keyed with ``passphrase``; ``WrongPassphrase`` if it does not open.

    A wrong key fails on the first read of page 1, before anything could be written.
    """
    module = sqlcipher()
    try:
        conn = module.connect(str(path), timeout=timeout, isolation_level=None)
    except module.Error as error:
        raise JournalError(f"cannot open {path} ({error})") from None
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # a wrong key: our one line, no log on stderr
        conn.execute(f"PRAGMA key = {_literal(passphrase)}")
        conn.execute("PRAGMA temp_store = MEMORY")  # sorts and temporary tables never reach a file
        if check:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError:
        conn.close()
        raise WrongPassphrase(
            f"the passphrase does not open {path} (a wrong passphrase, or not a Hindsight journal); nothing was changed"
        ) from None
    return conn


# --- encrypting and decrypting in place ----------------------------------------------------------


def _entries(conn: Any) -> int:
    return int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])


def _check_copy(conn: Any, path: Path, expected: int) -> None:
    """The copy is whole (integrity check) and holds every entry, or ``JournalError``."""
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
    if problems != ["ok"]:
        raise JournalError(f"the converted copy of {path} failed its check ({problems[0]}); nothing was changed")
    got = _entries(conn)
    if got != expected:
        raise JournalError(f"the converted copy of {path} holds {got} of {expected} entries; nothing was changed")


def _swap(path: Path, new: Path, conn: Any) -> None:
    """Put ``new`` in place of the journal at once, while no other program has it open.

    ``conn`` is this process's only connection to it: leaving WAL folds the log into
    the file and needs every other connection closed (a ``-wal`` left beside the new file
    would be replayed into it).
    """
    try:
        conn.execute("PRAGMA journal_mode = DELETE").fetchone()
        conn.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError as error:
        raise JournalError(
            f"{path} is open in another window or program ({error}); close it there and retry; nothing was changed"
        ) from None
    os.replace(new, path)
    with contextlib.suppress(sqlite3.Error):
        conn.execute("ROLLBACK")


def _export(source: Path, source_key: str | None, target_key: str | None, expected: int | None) -> Path:
    """A verified copy of ``source`` beside it, encrypted with ``target_key`` (None: plain); its path.

    ``sqlcipher_export`` rewrites every page under the new key through one connection whose
    temporary storage is in memory. The copy must pass ``integrity_check`` and hold
    ``expected`` entries (None: as many as ``source``).
    """
    from journal.backup import _sweep

    module = sqlcipher()
    _sweep(source.parent, f".{glob.escape(source.name)}.*.converting")  # a killed conversion's copy
    fd, tmp_name = tempfile.mkstemp(dir=source.parent, prefix=f".{source.name}.{os.getpid()}-", suffix=".converting")
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if source_key is None:
            conn = module.connect(str(source), isolation_level=None)
            conn.execute("PRAGMA temp_store = MEMORY")
        else:
            conn = connect(source, source_key)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            expected = _entries(conn) if expected is None else expected
            conn.execute("ATTACH DATABASE ? AS converted KEY ?", (str(tmp), target_key or ""))
            # Freed pages go back to the file system (sqlcipher_export would leave it off), older journals too.
            conn.execute("PRAGMA converted.auto_vacuum = INCREMENTAL")
            conn.execute("SELECT sqlcipher_export('converted')")
            conn.execute(f"PRAGMA converted.user_version = {int(version)}")
            conn.execute(f"PRAGMA converted.application_id = {int(app_id)}")
            conn.execute("DETACH DATABASE converted")
        finally:
            conn.close()
        check = connect(tmp, target_key) if target_key else sqlite3.connect(str(tmp), isolation_level=None)
        try:
            _check_copy(check, source, expected)
        finally:
            check.close()
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def _encrypt_backups(path: Path, passphrase: str) -> int:
    """Encrypt, in place, every plain backup of the journal in its own backup folder: no plain copy is left."""
    from journal.backup import _write_sidecar, backup_dir, list_backups

    done = 0
    for info in list_backups(path):
        if is_encrypted(info.path):
            continue
        try:
            tmp = _export(info.path, None, passphrase, None)
        except (JournalError, sqlite3.Error):
            continue  # a damaged backup is left as it is; it is named by 'hindsight backups'
        os.replace(tmp, info.path)
        if info.verified:  # checked again just now, under its new size
            _write_sidecar(dataclasses.replace(info, size=info.path.stat().st_size))
        done += 1
    for leftover in backup_dir(path).glob("*-wal"):
        with contextlib.suppress(OSError):
            leftover.unlink()
    return done


def _convert(path: Path, passphrase: str, *, encrypting: bool) -> int:
    """Rewrite the journal at ``path`` encrypted (or plain), a verified backup first; its entry count."""
    from journal.backup import make_backup

    with Store.open(path, create=False, passphrase=None if encrypting else passphrase) as store:
        if encrypting and store.passphrase is not None:
            raise JournalError(f"{path} is already encrypted; to change its passphrase, decrypt it first")
        if not encrypting:
            make_backup(store, reason="before decrypt")  # encrypted with the same key, like the journal
        expected = store.entry_count()
        store.checkpoint()
    tmp = _export(path, None if encrypting else passphrase, passphrase if encrypting else None, expected)
    try:
        if encrypting:
            # The backup before encrypting is made from the verified encrypted copy: no new plain copy.
            copy = Store(connect(tmp, passphrase), path)
            copy.passphrase = passphrase
            try:
                make_backup(copy, reason="before encrypt")
            finally:
                copy.conn.close()
        module = sqlcipher()
        conn = connect(path, passphrase) if not encrypting else module.connect(str(path), isolation_level=None)
        try:
            _swap(path, tmp, conn)
        finally:
            conn.close()
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if encrypting:
        remember(path, passphrase)
        _encrypt_backups(path, passphrase)
    else:
        forget(path)
    return expected


def encrypt(path: Path, passphrase: str) -> int:
    """Encrypt the plain journal at ``path`` in place (a verified backup first); its entry count."""
    if not passphrase:
        raise JournalError("an empty passphrase would not protect anything; choose one")
    return _convert(Path(path), passphrase, encrypting=True)


def decrypt(path: Path, passphrase: str) -> int:
    """Turn the encrypted journal at ``path`` back into a plain one (a verified, encrypted backup first)."""
    path = Path(path)
    if not is_encrypted(path):
        raise JournalError(f"{path} is not encrypted")
    return _convert(path, passphrase, encrypting=False)
