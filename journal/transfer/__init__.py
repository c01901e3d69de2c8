"""Export entries to Markdown files and import Markdown files into the journal.

Both remember, per entry and folder, what they exchanged (``sync_state``), so an
import updates an entry only when the file changed and the journal did not; when
both changed, the journal's copy is kept and the entry is marked as conflicted.
Long runs report ``progress(done, total)`` and stop cleanly between files when
``cancelled()`` says so. One bad file is reported by name and line; the rest go on.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from journal import query as q
from journal import safety
from journal.markdown import files as md_files
from journal.markdown import reader as md_reader
from journal.markdown import writer as md_writer
from journal.model import PostMortem, content_hash, mend_text, utc_now
from journal.redact import Leak, LeakError, LeakScan, Pseudonyms
from journal.rows import EntryRows, entry_rows
from journal.store import ConflictError, JournalError, Store
from journal.transfer import sync_state, workers

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
CHUNK = 1000


@dataclass
class TransferResult:
    """What an export, import or sync did; ``failed`` and ``warnings`` are ``(path, reason)``."""

    operation: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    cancelled: bool = False
    compared: int = 0  # sync: how many entries the journal and the folder were compared on

    def summary_line(self) -> str:
        """One line for a person, e.g. ``imported 10: 8 created, 1 updated, 1 unchanged, 0 failed``."""
        if self.operation == "export":
            head = f"exported {len(self.written) + len(self.unchanged)}: {len(self.written)} written, "
            head += f"{len(self.unchanged)} unchanged"
        else:
            total = len(self.created) + len(self.updated) + len(self.unchanged) + len(self.conflicts)
            if self.operation == "sync":
                total = self.compared
            verb = "imported" if self.operation == "import" else "synced"
            head = f"{verb} {total}: {len(self.created)} created, {len(self.updated)} updated, "
            head += f"{len(self.unchanged)} unchanged"
            if self.operation == "sync":
                head += f", {len(self.written)} written to the folder"
        head += f", {len(self.conflicts)} conflicts, {len(self.failed)} failed"
        return head + (" (cancelled)" if self.cancelled else "")


_INDEX = re.compile(r"\[\d+\]")
_KEPT = re.compile(r"kept (\d+) unknown sections? in (.+)")
WARNING_KINDS_SHOWN = 20


def _warning_kind(reason: str) -> str:
    """What warnings of one kind share: the text, less counts and list positions."""
    kept = _KEPT.fullmatch(reason)
    if kept:
        return f"kept unknown sections in {kept.group(2)}"
    return _INDEX.sub("[…]", reason) if "[" in reason else reason


def warning_lines(warnings: Sequence[tuple[str, str]], *, limit: int = WARNING_KINDS_SHOWN) -> list[str]:
    """The warnings summarised by kind, in the order first seen, for a big archive's short report.

    A kind one file has reads as before (``path: reason``); one many files have, as
    ``242 files: `url` kept in the text``. Past ``limit`` kinds, one line says how many more.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    for path, reason in warnings:
        groups.setdefault(_warning_kind(reason), []).append((path, reason))
    lines: list[str] = []
    for kind, found in list(groups.items())[:limit]:
        files = len({path for path, _ in found})
        if files == 1:
            lines.extend(f"{path}: {reason}" for path, reason in found)
            continue
        counts = [int(m.group(1)) for _, reason in found if (m := _KEPT.fullmatch(reason))]
        if counts:
            where = kind.removeprefix("kept unknown sections in ")
            lines.append(f"{files} files: kept {sum(counts):,} unknown sections in {where}")
        else:
            same = len({reason for _, reason in found}) == 1
            lines.append(f"{files} files: {found[0][1] if same else kind}")
    if len(groups) > limit:
        more = len(groups) - limit
        lines.append(f"… and {more} more kind{'' if more == 1 else 's'} of warning")
    return lines


def _never() -> bool:
    return False


def _no_progress(done: int, total: int) -> None:
    return None


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def write_atomic(path: Path, text: str | bytes, *, durable: bool = False) -> str:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to a temporary name beside ``path``, then rename it into place.

    A reader never sees half a file, and a failure (a full disk, no permission)
    leaves ``path`` as it was and no temporary file behind. ``durable`` flushes the
    bytes to the disk before the rename (one file, not thousands). A replaced file's
    permissions are kept. Returns the ``file_fingerprint`` of the bytes written.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd, temporary = _temporary_beside(path)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            with contextlib.suppress(OSError):  # a file that was not there, or a mode we may not set
                replaced = os.stat(path, follow_symlinks=False)  # a link's target's mode is not ours to copy
                if stat.S_ISREG(replaced.st_mode):
                    os.chmod(temporary, stat.S_IMODE(replaced.st_mode))
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return md_files.file_fingerprint(data)


def _temporary_beside(path: Path | str, mode: int = 0o666) -> tuple[int, str]:
    """A new hidden file next to ``path`` (created exclusively: a file already there is never reused)."""
    for attempt in range(100):
        temporary = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}-{attempt}.tmp")
        try:
            return os.open(temporary, _CREATE, mode), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name beside it", str(path))


def write_new(path: Path | str, data: bytes, mode: int = 0o666) -> None:
    """Create ``path`` holding ``data``, never following or replacing anything already there.

    ``mode`` as for ``os.open`` (the umask applies): 0o600 for a file only its owner may read.

    The bytes go to a temporary name first and are then hard-linked to ``path``
    (which fails if anything is there, as ``O_EXCL`` does), so even a crash leaves
    either the whole file or none. Where the file system has no hard links (FAT, some
    network shares) the file is created at ``path`` with ``O_EXCL`` and removed on failure.
    """
    fd, temporary = _temporary_beside(path, mode)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError:  # no hard links here (each system says so its own way): the plain exclusive create
            _write_exclusive(path, data, mode)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _write_exclusive(path: Path | str, data: bytes, mode: int = 0o666) -> None:
    fd = os.open(path, _CREATE, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise
    os.close(fd)


def make_folder(folder: Path, result: TransferResult) -> bool:
    """Create the target folder (and its parents); a failure is reported in ``result``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        result.failed.append((str(folder), f"cannot create the folder ({error.strerror or error})"))
        return False
    return True


def select_ids(store: Store, query: str | None = None, ids: Sequence[str] | None = None) -> list[str]:
    """The entries to export: the given ids, else a query's results, else the whole journal (oldest first)."""
    if ids is not None:
        return list(ids)
    found = store.search_ids(q.parse(query or ""), order="occurred_on", descending=False)
    return found


def _entries(store: Store, ids: Sequence[str], size: int = 0) -> Iterable[PostMortem]:
    size = size or CHUNK
    for start in range(0, len(ids), size):
        yield from store.get_many(ids[start : start + size])


# --- export --------------------------------------------------------------------------------


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


class _Planned(NamedTuple):
    """One entry of an export, decided before any file is written."""

    id: str
    name: str
    base_hash: str | None  # what was last exported to or imported from this folder
    taken: bool  # a file of this name was in the folder already
    base_file_hash: str = ""  # the bytes of the base's file as last written or read, if it is this one
    journal_as_base: bool = False  # the journal's entry is still what the base says


class _Exported(NamedTuple):
    id: str
    outcome: str  # written | unchanged | failed
    path: str
    reason: str = ""
    digest: str = ""
    name: str = ""
    file_hash: str = ""


def export_folder(
    store: Store,
    ids: Sequence[str],
    folder: Path,
    *,
    redact: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> TransferResult:
    """One file per entry in ``folder`` (created if needed). Never writes outside it.

    A file already there is replaced only if it still holds what was last exported
    (or is a redacted copy); one edited since is left alone and reported. File names
    are chosen first, here; the files are then written in chunks, spread over the
    machine's cores for a large export (``journal.transfer.workers``). A redacted export
    first redacts and checks every entry, and raises ``LeakError`` (writing nothing,
    not even the folder) if a known name is left in any.
    """
    progress = progress or _no_progress
    cancelled = cancelled or _never
    result = TransferResult("export")
    if not_utf8(folder.expanduser().absolute()):  # the journal remembers the folder by its name
        result.failed.append((str(folder), NOT_UTF8_NAME))
        return result
    redacted = None
    if redact:
        redacted = _redact_all(store, ids, progress, cancelled)  # LeakError: nothing written
        if redacted is None:
            result.cancelled = True
            return result
        progress = partial(_second_half, progress)  # the files are the second half of the work
    if not make_folder(folder, result):
        return result
    key = sync_state.folder_key(folder)
    if not redact:  # the pages of deleted folders' bases are reused for this folder's
        sync_state.prune_gone(store)
    with workers.Helpers(0 if redact else workers.helper_count(len(ids))) as helpers:
        plan = _plan_export(store, ids, folder, redacted)
        chunks = workers.cut(plan, EXPORT_CHUNK, helpers.count)
        agreed: list[tuple[str, str, str, str]] = []
        done = 0

        def take(index: int, exported: list[_Exported]) -> None:
            nonlocal done
            for item in exported:
                if item.outcome == "failed":
                    result.failed.append((item.path, item.reason))
                    continue
                if item.outcome == "written":
                    result.written.append(item.path)
                else:
                    result.unchanged.append(item.id)
                if not redact:
                    agreed.append((item.id, item.digest, item.name, item.file_hash))
            done += len(chunks[index])
            progress(done, len(plan))

        finished = helpers.run(
            chunks,
            partial(_export_in_helper, str(store.path), str(folder)),
            take,
            local=partial(_export_chunk, store, folder, redacted),
            cancelled=cancelled,
        )
    result.cancelled = not finished
    sync_state.set_bases(store, key, agreed)
    return result


EXPORT_CHUNK = 250


def _second_half(progress: Progress, done: int, total: int) -> None:
    progress((total + done) // 2, total)


class _Redacted(NamedTuple):
    """An entry as a redacted export writes it, checked for leaks before anything is written."""

    shown: PostMortem
    text: str  # the file
    digest: str  # content_hash(shown)


def _redact_all(
    store: Store, ids: Sequence[str], progress: Progress, cancelled: Cancelled
) -> dict[str, _Redacted] | None:
    """Every entry redacted and rendered, and the lot scanned for known names (None: cancelled).

    Raises ``LeakError`` naming each entry and field where a known name is left: the
    export then writes nothing at all (fail closed).
    """
    pseudonyms = Pseudonyms.for_export(store, ids)
    scan = LeakScan(pseudonyms.names())
    out: dict[str, _Redacted] = {}
    leaks: list[Leak] = []
    for pm in _entries(store, ids):
        if len(out) % EXPORT_CHUNK == 0:
            if cancelled():
                return None
            progress(len(out) // 2, len(ids))  # the first half of the work
        shown = pseudonyms.entry(pm)
        text = md_writer.render(shown, redacted=True)
        leaks += scan.entry(shown, text, md_files.file_name(shown), pm.title)
        out[pm.id] = _Redacted(shown, text, content_hash(shown))
    if leaks:
        raise LeakError(leaks)
    return out


def _plan_export(
    store: Store, ids: Sequence[str], folder: Path, redacted: dict[str, _Redacted] | None
) -> list[_Planned]:
    """Each entry's file name: the one it was exported under before, else a new unique one."""
    names = NameBook(folder)
    known = {} if redacted is not None else sync_state.bases(store, sync_state.folder_key(folder), ids)
    stored = store.fingerprints([i for i in ids if i in known]) if known else {}
    plan: list[_Planned] = []
    if redacted is not None:
        shown: Iterable[Any] = (redacted[i].shown for i in ids if i in redacted)
    else:
        labels = store.labels(ids)
        shown = (labels[i] for i in ids if i in labels)
    for entry in shown:
        base = known.get(entry.id)
        reuse = base is not None and base.path and "/" not in base.path and (folder / base.path).is_file()
        name = base.path if base is not None and reuse else names.name_for(entry)
        plan.append(
            _Planned(
                entry.id, name, base.hash if base else None, name.lower() in names.taken,
                base.file_hash if base is not None and reuse else "",
                base is not None and stored.get(entry.id) == base.hash,
            )
        )
    return plan


_HELPER_STORES: dict[str, Store] = {}


def _export_in_helper(journal: str, folder: str, plan: Sequence[_Planned]) -> list[_Exported]:
    """``_export_chunk`` in a helper process, which opens the journal once for all its chunks."""
    store = _HELPER_STORES.get(journal)
    if store is None:
        store = _HELPER_STORES[journal] = Store.open(journal, create=False)
    return _export_chunk(store, Path(folder), None, plan)


def _export_chunk(
    store: Store, folder: Path, redacted: dict[str, _Redacted] | None, plan: Sequence[_Planned]
) -> list[_Exported]:
    """Write the planned files; an entry gone since the plan is left out.

    An entry the journal holds as it was last exported here, whose file still holds the
    bytes written then, is not even loaded: nothing is to be done. ``redacted``: the
    entries as already redacted, rendered and checked (``_redact_all``).
    """
    out = [same for same in map(partial(_left_as_it_was, folder), plan) if same is not None]
    left = {same.id for same in out}
    if redacted is None:
        entries = {
            pm.id: (pm, digest)
            for pm, digest in store.get_many_hashed([item.id for item in plan if item.id not in left])
        }
    else:
        entries = {item.id: (redacted[item.id].shown, redacted[item.id].digest) for item in plan if item.id in redacted}
    base = os.path.join(folder, "")  # a new file's path as text: a Path per file costs 5% of an export
    for item in plan:
        found = entries.get(item.id)
        if found is None:
            continue
        pm, digest = found
        shown = pm
        text = redacted[item.id].text if redacted is not None else None
        name = item.name
        try:
            if not item.taken:
                new_path = base + md_files.safe_name(name)
                data = text.encode("utf-8") if text is not None else md_writer.render_bytes(shown)
                write_new(new_path, data)
                file_hash = md_files.file_fingerprint(data)
                out.append(_Exported(pm.id, "written", new_path, digest=digest, name=name, file_hash=file_hash))
                continue
            target = md_files.inside(folder, name)
            if target.is_file():
                verdict, file_hash = _existing(target, pm, digest, item)
                if verdict == "same":
                    out.append(
                        _Exported(pm.id, "unchanged", str(target), digest=digest, name=name, file_hash=file_hash)
                    )
                    continue
                if verdict == "edited":
                    reason = "was edited since it was exported; import it first, or export elsewhere"
                    out.append(_Exported(pm.id, "failed", str(target), reason))
                    continue
                if verdict == "stranger":
                    name = md_files.file_name(shown, id_chars=36)
                    target = md_files.inside(folder, name)
                    if target.exists():
                        out.append(_Exported(pm.id, "failed", str(target), "a different file already has this name"))
                        continue
            file_hash = write_atomic(target, text if text is not None else md_writer.render(shown))
        except (OSError, ValueError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            out.append(_Exported(pm.id, "failed", str(folder / name), f"cannot be written ({reason})"))
            continue
        out.append(_Exported(pm.id, "written", str(target), digest=digest, name=name, file_hash=file_hash))
    return out


def _left_as_it_was(folder: Path, item: _Planned) -> _Exported | None:
    """An "unchanged" outcome, if neither the entry nor its file changed since the last export here."""
    if not (item.journal_as_base and item.base_file_hash and item.taken and item.base_hash):
        return None
    try:
        target = md_files.inside(folder, item.name)
        data = md_files.read_bytes(target, str(target))[0]
    except ValueError:  # FormatError too: then the file is looked at as before
        return None
    if md_files.file_fingerprint(data) != item.base_file_hash:
        return None
    return _Exported(
        item.id, "unchanged", str(target), digest=item.base_hash, name=item.name, file_hash=item.base_file_hash
    )


def _existing(target: Path, pm: PostMortem, digest: str, item: _Planned) -> tuple[str, str]:
    """(same | replace | edited | stranger, fingerprint of its bytes): what the file at ``target`` is.

    A file still holding the bytes last written or read there holds the base, and is
    not read as Markdown.
    """
    shown = str(target)
    try:
        data = md_files.read_bytes(target, shown)[0]
    except md_reader.FormatError:
        return "stranger", ""
    file_hash = md_files.file_fingerprint(data)
    if item.base_file_hash == file_hash and item.base_hash is not None:
        return ("same" if item.base_hash == digest else "replace"), file_hash
    try:
        parsed = md_reader.parse_full(md_files.decode(data, shown), shown, identity=target.name)
    except md_reader.FormatError:
        return "stranger", file_hash
    if parsed.pm.id != pm.id:
        return "stranger", file_hash
    theirs = content_hash(parsed.pm)
    if theirs == digest:
        return "same", file_hash
    if parsed.redacted or item.base_hash == theirs:
        return "replace", file_hash
    return "edited", file_hash


def export_file(
    store: Store,
    ids: Sequence[str],
    out: Path,
    *,
    redact: bool = False,
    replace: bool = False,
    title: str = "Hindsight post-mortems",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> TransferResult:
    """All entries in one Markdown file for reading, with a table of contents (DESIGN §4).

    ``out`` must be a file Hindsight may write (``safety.refusal``): an existing one
    only with ``replace``, never a journal or a team folder's file (``ExportRefused``).
    The entries are written one by one to a hidden temporary file beside ``out`` (only
    the table of contents is held in memory), then the header and that file go to a
    second one, which is renamed into place. A redacted export scans each entry as it
    is written: a known name left anywhere raises ``LeakError`` before anything is
    renamed, and both temporary files are deleted (fail closed).
    """
    _may_write(store, out, replace)
    progress = progress or _no_progress
    cancelled = cancelled or _never
    result = TransferResult("export")
    pseudonyms = Pseudonyms.for_export(store, ids) if redact else None
    scan = LeakScan(pseudonyms.names()) if pseudonyms else None
    leaks: list[Leak] = []
    toc: list[str] = []
    temporaries: list[str] = []
    try:
        try:
            if out.parent and not out.parent.exists():
                out.parent.mkdir(parents=True, exist_ok=True)
            fd, bodies_path = _temporary_beside(out)
            temporaries.append(bodies_path)
            with _Appender(fd) as bodies:
                for done, pm in enumerate(_entries(store, ids, min(CHUNK, FILE_CHUNK)), start=1):
                    if cancelled():
                        result.cancelled = True
                        return result
                    shown = pseudonyms.entry(pm) if pseudonyms else pm
                    anchor = f"entry-{pm.id[:8]}"
                    heading = md_files.escape_inline(shown.title)
                    toc.append(f"{len(toc) + 1}. [{shown.occurred_on} — {heading}](#{anchor})")
                    body = md_writer.render_body(shown, redacted=redact)
                    if scan is not None:
                        leaks += scan.entry(shown, toc[-1] + body, title=pm.title)
                    if not leaks:  # once a leak is found nothing more is written; the scan goes on to name them all
                        bodies.write(f'\n---\n\n<a id="{anchor}"></a>\n\n{body}')
                    result.written.append(pm.id)
                    progress(done, len(ids))
            if scan is not None:
                leaks += [Leak("", "title of the file", part) for part in scan(title)]
            if leaks:
                raise LeakError(leaks)  # nothing renamed into place; the temporary file goes below
            header = [
                md_writer.COMBINED_MARKER,
                "",
                f"# {title}",
                "",
                f"{len(toc)} entries{' (redacted)' if redact else ''}, exported {utc_now()[:10]}.",
                "",
                "## Contents",
                "",
                *toc,
                "",
            ]
            _may_write(store, out, replace)  # again: the file may have appeared while the entries were read
            _write_joined(out, "\n".join(header).encode("utf-8"), bodies_path, temporaries)
        except OSError as error:
            result.failed.append(
                (str(out), f"cannot be written ({error.strerror or error}); nothing was changed there")
            )
            result.written.clear()
    finally:
        for temporary in temporaries:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    return result


FILE_CHUNK = 200  # entries read at a time by the one-file export: its peak memory stays below a folder export's


def _write_joined(out: Path, head: bytes, rest_path: str, temporaries: list[str]) -> None:
    """``head`` then the bytes of ``rest_path`` to a temporary file beside ``out``, flushed, renamed into place."""
    fd, temporary = _temporary_beside(out)
    temporaries.append(temporary)
    try:
        _write_all(fd, head)
        with open(rest_path, "rb") as rest:
            while chunk := rest.read(1 << 20):
                _write_all(fd, chunk)
        with contextlib.suppress(OSError):  # a file that was not there, or a mode we may not set
            os.chmod(temporary, stat.S_IMODE(os.stat(out).st_mode))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, out)
    temporaries.remove(temporary)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class _Appender:
    """Text appended to a file descriptor as UTF-8, a quarter megabyte at a time (``os.write``; closed on exit)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.pending: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.pending.append(text)
        self.size += len(text)
        if self.size >= 1 << 18:
            self.flush()

    def flush(self) -> None:
        _write_all(self.fd, "".join(self.pending).encode("utf-8"))
        self.pending, self.size = [], 0

    def __enter__(self) -> _Appender:
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        try:
            if kind is None:
                self.flush()
        finally:
            os.close(self.fd)


class ExportRefused(JournalError):
    """The export's target is a file Hindsight may not write over; ``str()`` says which and why."""


def _may_write(store: Store, out: Path, replace: bool) -> None:
    reason = safety.refusal(out, store=store, force=replace)
    if reason is not None:
        raise ExportRefused(reason)


# --- import --------------------------------------------------------------------------------------


class _Read(NamedTuple):
    """One file as read and parsed, here or in a helper process; nothing touches the journal.

    ``rows`` are what the journal stores for it if it is new (metadata filled in), so a
    helper does that work too. A helper leaves out ``parsed`` (building the entry again
    here would cost as much as the parse): ``Incoming.entry`` parses the file again in
    the rare case it is needed, an update of an entry already in the journal.
    """

    entry_id: str
    digest: str
    warnings: list[str]
    redacted: bool
    rows: EntryRows | None  # None only with a reason
    parsed: md_reader.Parsed | None
    reason: str = ""  # why the file could not be read; then everything else is empty
    file_hash: str = ""  # the file_fingerprint of its bytes


class Incoming(NamedTuple):
    path: Path
    key: str
    read: _Read

    def entry(self) -> PostMortem:
        """The file's entry: kept from the reading, or read again (``FormatError`` if it changed meanwhile)."""
        if self.read.parsed is not None:
            return self.read.parsed.pm
        return known_as(_parse(self.path), self.read.entry_id).pm


def is_conflict_copy(path: Path) -> bool:
    return ".conflict-" in path.name


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


def collect(paths: Sequence[Path], result: TransferResult) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if not_utf8(path):
            result.failed.append((str(path), NOT_UTF8_NAME))
        elif path.is_symlink():  # fail safe: name the file or folder itself, not a link to it
            result.failed.append((str(path), "is a symbolic link; not followed (give the file or folder it points to)"))
        elif path.is_dir():
            files.extend(markdown_files(path, result.failed))
        elif path.is_file():
            files.append(path)
        else:
            result.failed.append((str(path), "no such file or folder"))
    return files


def _resolved(path: Path) -> str:
    return str(path.resolve())


IMPORT_CHUNK = 200
TAIL_BATCH = 250  # files
CHECKPOINT_EVERY = 4000  # files


def _parse(path: Path) -> md_reader.Parsed:
    return _parse_printed(path)[0]


def _parse_printed(path: Path) -> tuple[md_reader.Parsed, str]:
    return md_files.parse_file_printed(path, str(path), identity=partial(_resolved, path))


class _Left(NamedTuple):
    """A file as it was last exported, imported or synced: its entry, base and bytes' fingerprint."""

    entry_id: str
    digest: str
    file_hash: str  # '' if not known
    held: bool  # the journal holds the entry


def _as_left(store: Store, files: Sequence[Path]) -> dict[Path, _Left]:
    """What the journal remembers of each file it exported, imported or synced before."""
    by_folder: dict[Path, list[Path]] = {}
    for path in files:
        by_folder.setdefault(path.parent, []).append(path)
    out: dict[Path, _Left] = {}
    for parent, paths in by_folder.items():
        names = {base.path: (entry_id, base) for entry_id, base in sync_state.bases(
            store, sync_state.folder_key(parent)).items()}
        if not names:
            continue
        held = store.fingerprints([entry_id for entry_id, _ in names.values()])
        for path in paths:
            found = names.get(path.name)
            if found is not None:
                out[path] = _Left(found[0], found[1].hash, found[1].file_hash, found[0] in held)
    return out


def known_as(parsed: md_reader.Parsed, entry_id: str | None) -> md_reader.Parsed:
    """A note without front matter keeps the id it was last exported, imported or synced under.

    Its id comes from where it is, and a team folder and an import name the same file
    differently (the path in the folder, the path on this machine): without this, a
    note imported first and synced later would become a second entry once edited.
    """
    if not parsed.plain_note or entry_id is None or parsed.pm.id == entry_id:
        return parsed
    return replace(parsed, pm=replace(parsed.pm, id=entry_id))


def _read_chunk(
    paths: Sequence[Path], now: str, keep: bool = True, left: Sequence[_Left | None] = ()
) -> list[_Read]:
    """Read and parse files, and build a new entry's rows; ``keep``: keep the parsed entries too.

    ``left``: for each path, what it held when last exported or imported, if known; a
    file that still holds those bytes is not parsed (its ``rows`` are then None).
    """
    out: list[_Read] = []
    for index, path in enumerate(paths):
        was = left[index] if left else None
        if was is not None:
            try:
                data = md_files.read_bytes(path, str(path))[0]
            except md_reader.FormatError:
                data = b""
            if was.held and data and md_files.file_fingerprint(data) == was.file_hash:
                out.append(_Read(was.entry_id, was.digest, [], False, None, None, file_hash=was.file_hash))
                continue
        try:
            parsed, file_hash = _parse_printed(path)
        except md_reader.FormatError as error:
            where = "" if error.line is None else f"line {error.line}: "
            out.append(_Read("", "", [], False, None, None, where + error.reason))
            continue
        parsed = known_as(parsed, was.entry_id if was is not None else None)
        pm = parsed.pm
        digest = content_hash(pm)
        if pm.revision < 1 or not pm.created_at or not pm.updated_at:  # a note, or a hand-made file
            pm = replace(pm, revision=max(pm.revision, 1), created_at=pm.created_at or now,
                         updated_at=pm.updated_at or now)
        rows = entry_rows(pm, digest)
        out.append(
            _Read(pm.id, digest, parsed.warnings, parsed.redacted, rows, parsed if keep else None, file_hash=file_hash)
        )
    return out


def import_paths(
    store: Store,
    paths: Sequence[Path],
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> TransferResult:
    """Import Markdown files and folders (recursively): idempotent by id (see the module docstring).

    Files are read and parsed in chunks, spread over the machine's cores for a large
    import (``journal.transfer.workers``), and applied to the journal here, in file order.
    """
    progress = progress or _no_progress
    cancelled = cancelled or _never
    result = TransferResult("import")
    files = collect(paths, result)
    helper_count = workers.helper_count(len(files), busy_here=False)
    size = IMPORT_CHUNK if helper_count else 1  # alone, Cancel and progress act file by file
    left = _as_left(store, files)
    chunks = workers.cut([(path, left.get(path)) for path in files], size, helper_count)
    seen: dict[str, Path] = {}
    batch: list[Incoming] = []
    keys: dict[Path, str] = {}
    done = 0
    written = 0  # files written to the journal
    now = utc_now()

    def take(index: int, reads: list[_Read]) -> None:
        nonlocal batch, done, written
        for (path, _), read in zip(chunks[index], reads, strict=True):
            if read.reason:
                result.failed.append((str(path), read.reason))
                continue
            result.warnings.extend((str(path), w) for w in read.warnings)
            if read.entry_id in seen:
                result.failed.append((str(path), f"has the same id as {seen[read.entry_id]}; skipped"))
                continue
            seen[read.entry_id] = path
            key = keys.get(path.parent) or keys.setdefault(path.parent, sync_state.folder_key(path.parent))
            batch.append(Incoming(path, key, read))
        done += len(reads)
        # Written a thousand at a time; the last thousand a few hundred at a time as they
        # come, so little is left to write once the helpers are done. Not smaller: every
        # write adds a segment to the full-text index, and sixteen make FTS5 merge them.
        if len(batch) >= CHUNK or (len(files) - done < CHUNK and (len(batch) >= TAIL_BATCH or done == len(files))):
            apply_incoming(store, batch, result)
            before, written = written, written + len(batch)
            batch = []
            if written // CHECKPOINT_EVERY > before // CHECKPOINT_EVERY:
                # While the helpers go on parsing: the final checkpoint then has less to
                # copy and flush to disk after the last file.
                store.checkpoint()
        progress(done, len(files))

    with workers.Helpers(helper_count) as helpers, store.bulk_load():
        # bulk_load: into an empty journal, indexes are built once at the end. The helpers
        # read and parse; this process writes what they read to the journal.
        work = partial(_read_pairs, now=now, keep=helper_count == 0)
        result.cancelled = not helpers.run(
            chunks, work, take, local=work, local_until_helped=True, cancelled=cancelled
        )
        apply_incoming(store, batch, result)
    return result


def _read_pairs(pairs: Sequence[tuple[Path, _Left | None]], now: str, keep: bool) -> list[_Read]:
    """``_read_chunk`` of (path, what it held when last seen) pairs."""
    return _read_chunk([path for path, _ in pairs], now, keep, [was for _, was in pairs])


def take_version(store: Store, mine: PostMortem, theirs: PostMortem) -> PostMortem:
    """Save a file's version of an entry over the journal's ``mine``; return what was saved.

    A file that another Hindsight wrote at a later revision keeps that revision and
    its ``updated_at``, so the journals of a team hold the same version and, should
    two of them write the file again, write the same bytes (not a git conflict over
    a time stamp). A file edited by hand becomes the next revision, stamped now.
    """
    if theirs.revision > mine.revision and theirs.updated_at:
        return store.save_version(theirs, mine.revision)[0]
    return store.save(replace(theirs, revision=mine.revision))[0]


def apply_incoming(store: Store, batch: list[Incoming], result: TransferResult) -> None:
    """Create, update or keep each parsed file's entry; mark conflicts; remember bases."""
    if not batch:
        return
    unread = [i.read.entry_id for i in batch if i.read.rows is None]  # files left as they were
    held = store.fingerprints(unread) if unread else {}
    local = {
        pm.id: (pm, digest)
        for pm, digest in store.get_many_hashed([i.read.entry_id for i in batch if i.read.rows is not None])
    }
    known: dict[tuple[str, str], sync_state.Base] = {}
    for key in {i.key for i in batch}:
        ids = [i.read.entry_id for i in batch if i.key == key]
        known.update({(entry_id, key): base for entry_id, base in sync_state.bases(store, key, ids).items()})
    new: list[EntryRows] = []
    agreed: dict[str, list[tuple[str, str, str, str]]] = {}
    for item in batch:
        read = item.read
        entry_id = read.entry_id
        found = local.get(entry_id)
        base = known.get((entry_id, item.key))
        name = item.path.name
        if read.rows is None and entry_id in held:
            # The bytes last exported or imported: the base itself. Whether the journal
            # moved on since or not, there is nothing to take from the file.
            result.unchanged.append(entry_id)
            continue
        if found is None:
            if read.rows is None:  # left unread as the base of an entry purged since: read it now
                (read,) = _read_chunk([item.path], utc_now())
                if read.reason or read.rows is None:
                    result.failed.append((str(item.path), read.reason or "changed while it was imported"))
                    continue
                entry_id = read.entry_id
                if store.exists(entry_id):
                    result.failed.append((str(item.path), "changed while it was imported; import it again"))
                    continue
            new.append(read.rows)
            agreed.setdefault(item.key, []).append((entry_id, read.digest, name, read.file_hash))
            continue
        mine, ours = found
        if ours == read.digest:
            result.unchanged.append(entry_id)
            if base is None or (base.hash, base.path, base.file_hash) != (ours, name, read.file_hash):
                agreed.setdefault(item.key, []).append((entry_id, ours, name, read.file_hash))
        elif read.redacted:
            result.unchanged.append(entry_id)
            result.warnings.append((str(item.path), "a redacted copy never replaces an entry; kept the journal's"))
        elif base is not None and base.hash == ours:
            try:
                take_version(store, mine, item.entry())
            except (ConflictError, md_reader.FormatError) as error:
                result.failed.append((str(item.path), str(error)))
                continue
            result.updated.append(entry_id)
            agreed.setdefault(item.key, []).append((entry_id, read.digest, name, read.file_hash))
        elif base is not None and base.hash == read.digest:
            result.unchanged.append(entry_id)  # the file is what was exported; the journal moved on
        else:
            sync_state.add_conflict(store, entry_id, item.key, str(item.path.resolve()), "", False)
            result.conflicts.append((entry_id, str(item.path)))
    if new:
        result.created.extend(store.insert_rows(new).created)
    for key, rows in agreed.items():
        sync_state.set_bases(store, key, rows)
