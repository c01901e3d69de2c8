"""Export entries to Markdown: one file per entry in a folder, or all of them in one file to read.

A folder export remembers, per entry, what it wrote there (``sync_state``): the next
export to that folder leaves an unchanged file alone and never writes over one edited
since, and an import from it knows which side changed. A redacted export checks every
entry for names left in before it writes anything (fail closed).
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

from journal import atomic, safety
from journal import query as q
from journal.markdown import files as md_files
from journal.markdown import reader as md_reader
from journal.markdown import writer as md_writer
from journal.model import PostMortem, content_hash, utc_now
from journal.redact import Leak, LeakError, LeakScan, Pseudonyms
from journal.store import JournalError, Store
from journal.transfer import sync_state, workers
from journal.transfer.folder import NOT_UTF8_NAME, NameBook, make_folder, not_utf8, write_markdown
from journal.transfer.result import (
    CHUNK,
    Cancelled,
    Progress,
    TransferResult,
    entries_in_chunks,
    never,
    no_progress,
)


def select_ids(store: Store, query: str | None = None, ids: Sequence[str] | None = None) -> list[str]:
    """The entries to export: the given ids, else a query's results, else the whole journal (oldest first)."""
    if ids is not None:
        return list(ids)
    found = store.search_ids(q.parse(query or ""), order="occurred_on", descending=False)
    return found


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
    progress = progress or no_progress
    cancelled = cancelled or never
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
    for pm in entries_in_chunks(store, ids):
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
                atomic.write_new(new_path, data)
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
            file_hash = write_markdown(target, text if text is not None else md_writer.render(shown))
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
    progress = progress or no_progress
    cancelled = cancelled or never
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
            fd, bodies_path = atomic.temporary_beside(out)
            temporaries.append(bodies_path)
            with _Appender(fd) as bodies:
                for done, pm in enumerate(entries_in_chunks(store, ids, min(CHUNK, FILE_CHUNK)), start=1):
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
    fd, temporary = atomic.temporary_beside(out)
    temporaries.append(temporary)
    try:
        atomic.write_all(fd, head)
        with open(rest_path, "rb") as rest:
            while chunk := rest.read(1 << 20):
                atomic.write_all(fd, chunk)
        with contextlib.suppress(OSError):  # a file that was not there, or a mode we may not set
            os.chmod(temporary, stat.S_IMODE(os.stat(out).st_mode))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, out)
    temporaries.remove(temporary)


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
        atomic.write_all(self.fd, "".join(self.pending).encode("utf-8"))
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
