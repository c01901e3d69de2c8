"""Entry files on disk: reading them safely, naming them, keeping paths inside their folder.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from journal.markdown import reader
from journal.markdown.reader import FormatError, Parsed
from journal.model import CANONICAL_UUID as _UUID
from journal.model import content_hash as content_hash  # the sync base; its home is the model

MAX_FILE_BYTES = 20 * 1024 * 1024
SLUG_MAX = 60

# --- files ------------------------------------------------------------------------------------


def read_text(path: Path | str, shown: str | None = None) -> str:
    """A file's text, or ``FormatError``: too large, not UTF-8, or unreadable."""
    shown = shown or str(path)
    return decode(read_bytes(path, shown)[0], shown)


def file_fingerprint(data: bytes) -> str:
    """A fingerprint of a file's bytes (not of what they say, as ``content_hash`` is)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _too_big(size: int) -> str:
    """Why a file of ``size`` bytes is refused, in sizes that never read as equal to the limit."""
    limit = MAX_FILE_BYTES // 2**20
    megabytes = f"{size / 2**20:.1f}".removesuffix(".0")
    if float(megabytes) <= limit:  # 20.03 MB would round to the limit itself
        return f"is just over {limit} MB, the most one entry may hold"
    return f"is {megabytes} MB; one entry may be at most {limit} MB"


# Never through a link, never blocking on a FIFO: a shared folder's files cannot reach outside it.
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_READ_ONLY_HERE = os.O_RDONLY | getattr(os, "O_BINARY", 0) | _NO_FOLLOW | getattr(os, "O_NONBLOCK", 0)


def read_bytes(path: Path | str, shown: str) -> tuple[bytes, float]:
    """(bytes, modification time) of a regular file that is not too large, or ``FormatError``.

    A symbolic link is refused, not followed, and so is anything but a regular file.
    """
    try:
        try:
            if not _NO_FOLLOW and os.path.islink(path):  # no O_NOFOLLOW here (Windows): ask first
                raise OSError(errno.ELOOP, "is a symbolic link")
            fd = os.open(path, _READ_ONLY_HERE)
        except OSError as error:
            if error.errno == errno.ELOOP or os.path.islink(path):  # O_NOFOLLOW refused a link
                raise FormatError(shown, None, "is a symbolic link; not followed") from None
            raise
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):  # a FIFO would block, a device would never end
                raise FormatError(shown, None, "is not a regular file (a pipe, device or socket); not read")
            size = info.st_size
            if size > MAX_FILE_BYTES:
                raise FormatError(shown, None, _too_big(size))
            chunks = []
            total = 0
            wanted = max(size + 1, 65536)
            while True:  # read to the end, even if the file grew since fstat
                chunk = os.read(fd, wanted)
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if len(chunk) < wanted and total >= size:  # all of it: no second read for the usual file
                    break
                if total > MAX_FILE_BYTES:
                    raise FormatError(shown, None, f"is over {MAX_FILE_BYTES // 2**20} MB, the most one entry may be")
            data = chunks[0] if len(chunks) == 1 else b"".join(chunks)  # b"" for an empty file
        finally:
            os.close(fd)
    except OSError as error:
        raise FormatError(shown, None, f"cannot be read ({error.strerror or error})") from None
    return data, info.st_mtime


def decode(data: bytes, shown: str) -> str:
    """A file's bytes as text, or ``FormatError``: binary, or not UTF-8."""
    if b"\x00" in data:
        raise FormatError(shown, None, "is not a text file (it contains NUL bytes)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FormatError(shown, line, "is not UTF-8 text; save it as UTF-8 and import it again") from None


def parse_file(
    path: Path, shown: str | None = None, *, identity: str | Callable[[], str] | None = None
) -> Parsed:
    """Read and parse one file; the date of a plain note falls back to the file's date."""
    return parse_file_printed(path, shown, identity=identity)[0]


def parse_file_printed(
    path: Path, shown: str | None = None, *, identity: str | Callable[[], str] | None = None
) -> tuple[Parsed, str]:
    """``parse_file``, and the ``file_fingerprint`` of the bytes it read."""
    shown = shown or str(path)
    data, mtime = read_bytes(path, shown)
    parsed = reader.parse_full(decode(data, shown), shown, identity=identity or path.name, fallback_date=_day_of(mtime))
    return parsed, file_fingerprint(data)


def _day_of(mtime: float) -> str:
    """The day of a file's modification time ('' if the time is out of range)."""
    try:
        return dt.date.fromtimestamp(mtime).isoformat()
    except (OverflowError, OSError, ValueError):
        return ""


def file_date(path: Path) -> str:
    """The day a file was last changed: the date of a note that gives none."""
    try:
        return dt.date.fromtimestamp(path.stat().st_mtime).isoformat()
    except OSError:
        return ""


# --- names -------------------------------------------------------------------------------------

_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))]
)


_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOT_HEX = re.compile(r"[^0-9a-f]")


def slugify(text: str, limit: int = SLUG_MAX) -> str:
    """ASCII, lowercase, dashes; never empty, never a reserved device name."""
    if text.isascii():  # NFKD leaves ASCII as it is
        ascii_text = text
    else:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        cut = slug[:limit]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut[limit // 2 :] else cut).strip("-")
    if not slug or slug in _WINDOWS_RESERVED:
        slug = f"entry-{slug}" if slug else "entry"
    return slug


class Named(Protocol):
    """What a file name is made of: an entry or its summary."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def occurred_on(self) -> str: ...


def file_name(pm: Named, *, id_chars: int = 8) -> str:
    """``YYYY-MM-DD-<slug>-<first 8 of id>.md`` — safe on Windows, macOS and Linux."""
    entry_id = pm.id
    hex_id = entry_id.replace("-", "") if _UUID.fullmatch(entry_id) else _NOT_HEX.sub("", entry_id.lower())
    short = hex_id[:id_chars] or "noid"
    date = pm.occurred_on if _DATE.fullmatch(pm.occurred_on) else "0000-00-00"
    return f"{date}-{slugify(pm.title)}-{short}.md"


def inside(folder: Path, name: str) -> Path:
    """``folder/name``, refusing any name that could lead outside ``folder``.

    A plain name (no separator, not ``.``/``..``, no drive colon) cannot leave the
    folder; a symlink planted under that name is not followed, because new files
    are created exclusively and existing ones are replaced by ``os.replace``.
    """
    return folder / safe_name(name)


def safe_name(name: str) -> str:
    """``name`` if it is a plain file name (see ``inside``), else ``ValueError``."""
    if not name or name in (".", "..") or any(c in name for c in "/\\:\x00") or name != name.strip():
        raise ValueError(f"unsafe file name {name!r}")
    return name


def escape_inline(text: str) -> str:
    """Text safe inside a Markdown link label."""
    return re.sub(r"([\\\[\]*_`<>])", r"\\\1", text)
