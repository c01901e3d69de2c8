"""Follow-ups as an iCalendar file (RFC 5545) that a calendar or task app imports.

A VTODO with a DUE date for each open follow-up that has one, and one for each check
date not yet answered. UIDs come from the entry's and the follow-up's ids, so the
same follow-up has the same UID in every export and a calendar updates it instead
of adding a copy.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

import icalendar

from journal import safety
from journal.atomic import write_atomic
from journal.followups import Item
from journal.redact import LeakScan, Pseudonyms
from journal.store import JournalError, Store

PRODID = "-//Hindsight//Follow-ups//EN"


def uid(item: Item, check: bool = False) -> str:
    """Stable for one follow-up of one entry: ``FOLLOWUP.ENTRY@hindsight`` (``-check`` for its check)."""
    return f"{item.id}.{item.entry_id}{'-check' if check else ''}@hindsight"


def wanted(item: Item) -> tuple[bool, bool]:
    """(a to-do for its due date, a to-do for its check date)."""
    return (
        item.status == "open" and bool(item.due_on),
        item.status == "done" and bool(item.check_on) and not item.check_result,
    )


def calendar(items: Sequence[Item], *, names: Pseudonyms | None = None, now: dt.datetime | None = None) -> bytes:
    """The iCalendar bytes for ``items`` (those ``wanted`` says get a to-do); ``names``: redacted with these."""

    def shown(text: str, kind: str = "") -> str:
        # Names and free text alike go through ``text``: a word that is no name ("me") stays as it is.
        return text if names is None or not text.strip() else names.text(text)

    stamp = now or dt.datetime.now(dt.UTC).replace(microsecond=0)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Hindsight follow-ups")
    seen: set[str] = set()
    for item in items:
        due, check = wanted(item)
        for is_check, on in ((False, item.due_on if due else ""), (True, item.check_on if check else "")):
            if not on:
                continue
            key = uid(item, is_check)
            if key in seen:  # two follow-ups with one id in one entry (hand-written): keep both
                key = key.replace("@", f"-{item.pos}@")
            seen.add(key)
            todo = icalendar.Todo()
            todo.add("uid", key)
            todo.add("dtstamp", stamp)
            todo.add("due", dt.date.fromisoformat(on))
            text = shown(item.text)
            todo.add("summary", f"Check it held: {text}" if is_check else text)
            client = shown(item.client, "name")
            about = shown(item.entry_title) + (f" ({client})" if client else "")
            lines = [f"Follow-up of: {about}"]
            if item.owner:
                lines.append(f"Owner: {shown(item.owner, 'name')}")
            if is_check:
                lines.append(f"Done {item.done_on}; did the fix hold? Answer with: hindsight followups check "
                             f"{item.id} --result held|recurred")
            todo.add("description", "\n".join(lines))
            todo.add("status", "NEEDS-ACTION")
            todo.add("categories", ["Hindsight"])
            cal.add_component(todo)
    return bytes(cal.to_ical())


def made_by_hindsight(path: Path) -> bool:
    """A calendar this module wrote: replacing it with a newer export is the point."""
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    return head.startswith(b"BEGIN:VCALENDAR") and PRODID.encode() in head


def write(store: Store, items: Sequence[Item], path: Path, *, redact: bool = False, force: bool = False) -> int:
    """Write the calendar to ``path``; returns how many to-dos it holds. ``JournalError`` with one line if not."""
    path = Path(path)
    if not path.parent.is_dir():
        raise JournalError(f"cannot write {path}: the folder {path.parent} does not exist")
    reason = safety.refusal(path, store=store, force=force or made_by_hindsight(path))
    if reason is not None:
        raise JournalError(reason)
    if (path.exists() and not os.access(path, os.W_OK)) or not os.access(path.parent, os.W_OK):
        raise JournalError(f"cannot write {path}: permission denied")
    names = None
    if redact:  # every name the journal knows, as a redacted export learns them; then the same leak check
        names = Pseudonyms.for_export(store, list(dict.fromkeys(item.entry_id for item in items)))
    data = calendar(items, names=names)
    if names is not None:
        left = LeakScan(names.names())(data.decode("utf-8").replace("\r\n ", ""))  # lines unfolded
        if left:
            raise JournalError(f"redaction left {left[0]!r} in the calendar; nothing was written to {path}")
    try:
        write_atomic(path, data)
    except OSError as error:
        raise JournalError(f"cannot write {path}: {error.strerror or error}") from None
    return sum(a + b for a, b in map(wanted, items))
