"""Every follow-up of the journal in one list, and the actions that close the loop.

The list is read with one SQL query over the ``follow_ups`` table joined to its
entries (no entry is loaded), so the desk and ``hindsight followups`` stay fast on
a 100,000-entry journal. An action loads the one entry, changes the one follow-up
and saves the entry through the store: revision +1, a stale copy is a conflict.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from journal import query as q
from journal.changes import Changes
from journal.model import CHECK_RESULTS, FollowUp, PostMortem, parse_date
from journal.model import today as _today
from journal.store import JournalError, Store

# The groups of the desk, in the order shown; "closed" only when done and dropped are asked for.
GROUPS = ("overdue", "this_week", "later", "no_date", "checks_due", "closed")
GROUP_LABELS = {
    "overdue": "Overdue",
    "this_week": "Due this week",
    "later": "Later",
    "no_date": "No date",
    "checks_due": "Checks due",
    "closed": "Done and dropped",
}
WEEK_DAYS = 7  # "this week": today and the 6 days after it
JSON_FIELDS = (
    "id", "entry_id", "entry_title", "client", "account", "text", "owner", "due_on", "status",
    "done_on", "check_on", "check_result", "overdue", "check_due", "note",
)


class Item(NamedTuple):
    """One follow-up as the desk and the CLI show it, with what it needs of its entry.

    A named tuple, not a frozen dataclass: made 13,000 at a time for ``--json``, 3× cheaper.
    """

    id: str
    entry_id: str
    entry_title: str
    client: str
    account: str  # the entry's account, or its client when the account is empty (DESIGN §2)
    text: str
    owner: str
    due_on: str
    status: str
    done_on: str
    check_on: str
    check_result: str
    note: str
    pos: int  # its place in the entry's list: tells apart two follow-ups with the same id
    occurred_on: str
    overdue: bool
    check_due: bool
    group: str

    @property
    def ref(self) -> str:
        """``ENTRY/FOLLOWUP``: names this follow-up even when its id is not unique."""
        return f"{self.entry_id}/{self.id}"

    def to_json(self) -> dict[str, Any]:
        return dict(zip(JSON_FIELDS, _JSON_VALUES(self), strict=True))


_JSON_VALUES = operator.itemgetter(*(Item._fields.index(name) for name in JSON_FIELDS))


def _shift(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


_CHECK_DUE = "f.status = 'done' AND f.check_result = '' AND f.check_on != '' AND f.check_on <= ?"
# Each group: its condition (with the dates it takes) and its order, so a page of it is one indexed query.
_GROUP_SQL: dict[str, tuple[str, str]] = {
    # By date alone, so a page walks the index and stops (a sort of every overdue row would not).
    "overdue": ("f.status = 'open' AND f.due_on != '' AND f.due_on < ?", "f.due_on"),
    "this_week": ("f.status = 'open' AND f.due_on >= ? AND f.due_on < ?", "f.due_on"),
    "later": ("f.status = 'open' AND f.due_on >= ?", "f.due_on"),
    "no_date": ("f.status = 'open' AND f.due_on = ''", "e.occurred_on DESC, e.title, f.pos, f.entry"),
    "checks_due": (_CHECK_DUE, "f.check_on"),
    # Most follow-ups are closed: one scan of the table in entry order ("+" keeps the index out), not an
    # index search and a lookup of each (136,000 on the 100,000-entry demo, twice the time).
    "closed": (
        f"+f.status IN ('done', 'dropped') AND NOT ({_CHECK_DUE})",
        "coalesce(nullif(f.done_on, ''), e.occurred_on) DESC, e.title, f.pos, f.entry",
    ),
}
# A group's whole order, for reading it all at once: what a page's order and ``_BY_DATE`` give together.
_FULL_ORDER = {
    **{group: order for group, (_, order) in _GROUP_SQL.items()},
    **{group: "f.due_on, e.title, f.pos, f.entry" for group in ("overdue", "this_week", "later")},
    "checks_due": "f.check_on, e.title, f.pos, f.entry",
}


def _group_dates(group: str, today: str) -> list[str]:
    if group == "this_week":
        return [today, _shift(today, WEEK_DAYS)]
    if group == "later":
        return [_shift(today, WEEK_DAYS)]
    return [] if group == "no_date" else [today]


_COLUMNS = (
    "f.id, e.id, e.title, e.client, e.account_key, f.text, f.owner, f.due_on, f.status, f.done_on, "
    "f.check_on, f.check_result, f.note, f.pos, e.occurred_on"
)


@dataclass(frozen=True)
class Filters:
    """What the desk and the CLI narrow the list by; empty shows everything."""

    text: str = ""  # the §3 search syntax, applied to the follow-ups' entries
    owner: str = ""
    account: str = ""

    def sql(self, today: str) -> tuple[list[str], list[Any]]:
        """Conditions on ``follow_ups f`` and ``entries e``, with their parameters."""
        query = q.parse(self.text)
        clauses, params = q.where(query, today)
        clauses.insert(0, "e.deleted = 0")
        match = q.fts_match(query)
        if match:
            clauses.insert(0, "e.seq IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)")
            params.insert(0, match)
        if self.owner.strip():
            clauses.append("f.owner = ? COLLATE NOCASE")
            params.append(self.owner.strip())
        if self.account.strip():
            clauses.append("e.account_key = ? COLLATE NOCASE")
            params.append(self.account.strip())
        return clauses, params


def list_group(
    store: Store, group: str, filters: Filters = Filters(), *, today: str | None = None, limit: int | None = None
) -> list[Item]:
    """One group's follow-ups in reading order: the most pressing first (``limit``: only the first ones)."""
    today = today or _today()
    clauses, params = filters.sql(today)
    condition, order = _GROUP_SQL[group]
    dates = _group_dates(group, today)
    if group == "closed":
        dates = [today]
    # CROSS JOIN: walk the follow-ups' index, then look each entry up (not every entry, then its follow-ups).
    sql = (
        f"SELECT {_COLUMNS} FROM follow_ups f CROSS JOIN entries e ON e.seq = f.entry "
        f"WHERE {condition} AND {' AND '.join(clauses)} ORDER BY {order}"
    )
    all_params = [*dates, *params]
    if limit is not None:
        sql += " LIMIT ?"
        all_params.append(limit)
    items = [_item(row, group) for row in store.read(sql, all_params)]
    if group in _BY_DATE:  # same day: by entry title (stable, so within what the page holds)
        items.sort(key=_BY_DATE[group])
    return items


def _item(row: Sequence[Any], group: str) -> Item:
    """An ``Item`` from a row of ``_COLUMNS``."""
    return Item._make((*row, group == "overdue", group == "checks_due", group))


_BY_DATE: dict[str, Callable[[Item], tuple[str, str, int]]] = {
    "overdue": lambda i: (i.due_on, i.entry_title, i.pos),
    "this_week": lambda i: (i.due_on, i.entry_title, i.pos),
    "later": lambda i: (i.due_on, i.entry_title, i.pos),
    "checks_due": lambda i: (i.check_on, i.entry_title, i.pos),
}


def list_followups(
    store: Store,
    *,
    text: str = "",
    owner: str = "",
    account: str = "",
    include_closed: bool = False,
    overdue_only: bool = False,
    today: str | None = None,
) -> list[Item]:
    """The follow-ups to show, in group order (``GROUPS``), each group in reading order.

    Without ``include_closed``: the open ones and the checks due. ``text`` is the §3
    search syntax, applied to the entries; ``owner`` and ``account`` match whole
    names, case aside.
    """
    filters = Filters(text, owner, account)
    shown = _shown(include_closed, overdue_only)
    return [item for group in shown for item in list_group(store, group, filters, today=today)]


def _shown(include_closed: bool, overdue_only: bool) -> list[str]:
    return ["overdue"] if overdue_only else [g for g in GROUPS if include_closed or g != "closed"]


# Each ``JSON_FIELDS`` name and its SQL; overdue and check_due are constant within a group.
_JSON_SQL = {
    "id": "f.id", "entry_id": "e.id", "entry_title": "e.title", "client": "e.client", "account": "e.account_key",
    "text": "f.text", "owner": "f.owner", "due_on": "f.due_on", "status": "f.status", "done_on": "f.done_on",
    "check_on": "f.check_on", "check_result": "f.check_result", "note": "f.note",
}


def json_text(
    store: Store,
    *,
    text: str = "",
    owner: str = "",
    account: str = "",
    include_closed: bool = False,
    overdue_only: bool = False,
    today: str | None = None,
) -> str:
    """``list_followups``' items as ``Item.to_json`` gives them, as JSON text: a list, one object a line.

    SQLite writes each object (``json_object``) in the group's whole order: no Item,
    dict or Python encoding per follow-up (13,500 of them on the 100,000-entry demo).
    """
    today = today or _today()
    clauses, params = Filters(text, owner, account).sql(today)
    lines: list[str] = []
    for group in _shown(include_closed, overdue_only):
        flags = {"overdue": group == "overdue", "check_due": group == "checks_due"}
        fields = ", ".join(
            f"'{name}', " + (f"json('{str(flags[name]).lower()}')" if name in flags else _JSON_SQL[name])
            for name in JSON_FIELDS
        )
        sql = (
            f"SELECT json_object({fields}) FROM follow_ups f CROSS JOIN entries e ON e.seq = f.entry "
            f"WHERE {_GROUP_SQL[group][0]} AND {' AND '.join(clauses)} ORDER BY {_FULL_ORDER[group]}"
        )
        lines += [row[0] for row in store.read(sql, [*_group_dates(group, today), *params])]
    return "[\n  " + ",\n  ".join(lines) + "\n]\n" if lines else "[]\n"


def calendar_items(
    store: Store, *, text: str = "", owner: str = "", account: str = "", today: str | None = None
) -> list[Item]:
    """What a calendar gets: open follow-ups with a due date, and every check date not yet answered."""
    today = today or _today()
    listed = list_followups(store, text=text, owner=owner, account=account, today=today)
    clauses, params = Filters(text, owner, account).sql(today)
    sql = (
        f"SELECT {_COLUMNS} FROM follow_ups f CROSS JOIN entries e ON e.seq = f.entry "
        f"WHERE f.status = 'done' AND f.check_result = '' AND f.check_on != '' AND f.check_on > ? "
        f"AND {' AND '.join(clauses)} ORDER BY f.check_on"
    )
    later_checks = [_item(row, "closed") for row in store.read(sql, [today, *params])]
    return [i for i in listed if i.due_on and i.status == "open"] + [
        i for i in listed if i.group == "checks_due"
    ] + later_checks


def counts(items: Sequence[Item]) -> dict[str, int]:
    """How many items each group holds (every group named, 0 when empty)."""
    out = dict.fromkeys(GROUPS, 0)
    for item in items:
        out[item.group] += 1
    return out


def group_counts(
    store: Store, filters: Filters = Filters(), *, today: str | None = None, include_closed: bool = False
) -> dict[str, int]:
    """How many follow-ups each group holds, without reading them (what the desk's headings say).

    "closed" is counted only with ``include_closed`` (it is most of a journal's follow-ups).
    """
    today = today or _today()
    open_groups = [g for g in GROUPS if g not in ("checks_due", "closed")]
    opened = "f.status = 'open' AND "
    sums = ", ".join(f"coalesce(sum({_GROUP_SQL[g][0].replace(opened, '')}), 0)" for g in open_groups)
    dates = [d for g in open_groups for d in _group_dates(g, today)]
    out = dict.fromkeys(GROUPS, 0)
    if filters == Filters():
        # Index only: the open follow-ups' index and the small index of checks due.
        trashed = "f.entry NOT IN (SELECT seq FROM entries WHERE deleted = 1)"
        row = store.read(f"SELECT {sums} FROM follow_ups f WHERE f.status = 'open' AND {trashed}", dates)[0]
        out.update(zip(open_groups, map(int, row), strict=True))
        out["checks_due"] = due_counts(store, today)[1]
        if include_closed:
            out["closed"] = int(store.read(
                f"SELECT count(*) FROM follow_ups f WHERE f.status IN ('done', 'dropped') AND {trashed}"
            )[0][0]) - out["checks_due"]
        return out
    clauses, params = filters.sql(today)
    join = f"FROM follow_ups f CROSS JOIN entries e ON e.seq = f.entry WHERE {' AND '.join(clauses)}"
    row = store.read(f"SELECT {sums} {join} AND f.status = 'open'", [*dates, *params])[0]
    out.update(zip(open_groups, map(int, row), strict=True))
    out["checks_due"] = int(store.read(f"SELECT count(*) {join} AND {_CHECK_DUE}", [*params, today])[0][0])
    if include_closed:
        closed = _GROUP_SQL["closed"][0]
        out["closed"] = int(store.read(f"SELECT count(*) {join} AND {closed}", [*params, today])[0][0])
    return out


def due_counts(store: Store, today: str | None = None) -> tuple[int, int]:
    """(overdue follow-ups, checks due) in the whole journal: what the reminder and the sidebar say."""
    today = today or _today()
    # Two small index searches; a trashed entry's follow-ups are left out by a (short) list of trashed seqs.
    trashed = "f.entry NOT IN (SELECT seq FROM entries WHERE deleted = 1)"
    overdue = store.read(
        f"SELECT count(*) FROM follow_ups f WHERE f.status = 'open' AND f.due_on != '' AND f.due_on < ? "
        f"AND {trashed}",
        (today,),
    )[0][0]
    checks = store.read(f"SELECT count(*) FROM follow_ups f WHERE {_CHECK_DUE} AND {trashed}", (today,))[0][0]
    return int(overdue), int(checks)


def owners(store: Store) -> list[str]:
    """Every owner named on a follow-up of a live entry, A to Z."""
    rows = store.read(
        "SELECT DISTINCT f.owner FROM follow_ups f JOIN entries e ON e.seq = f.entry "
        "WHERE e.deleted = 0 AND f.owner != '' ORDER BY f.owner COLLATE NOCASE"
    )
    return [r[0] for r in rows]


# --- naming one follow-up -----------------------------------------------------------------------


def _like(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def resolve(store: Store, ref: str) -> tuple[str, int, str]:
    """(entry id, position, follow-up id) for a follow-up id, a unique prefix of one, or ``ENTRY/FOLLOWUP``.

    An exact id wins over a longer id it is the prefix of. Unknown or ambiguous:
    ``JournalError`` with one line; two entries holding the same id ask for ``ENTRY/FOLLOWUP``.
    """
    ref = ref.strip()
    if not ref:
        raise JournalError("give a follow-up id (or ENTRY/FOLLOWUP)")
    entry_part, _, follow_part = ref.rpartition("/")
    if not follow_part:
        raise JournalError(f"give the follow-up's id after the entry's: {ref}FOLLOWUP")
    base = (
        "SELECT e.id, f.pos, f.id FROM follow_ups f JOIN entries e ON e.seq = f.entry "
        "WHERE e.deleted = 0 AND "
    )
    params: list[Any] = []
    if entry_part:
        base += "e.id LIKE ? ESCAPE '\\' AND "
        params.append(_like(entry_part.lower()))
    exact = store.read(base + "f.id = ? ORDER BY e.id, f.pos LIMIT 20", [*params, follow_part])
    rows = exact or store.read(
        base + "f.id LIKE ? ESCAPE '\\' ORDER BY e.id, f.pos LIMIT 20", [*params, _like(follow_part)]
    )
    if not rows:
        where = f" in an entry whose id starts with {entry_part!r}" if entry_part else ""
        raise JournalError(f"no follow-up has an id starting with {follow_part!r}{where}")
    if len(rows) == 1:
        return str(rows[0][0]), int(rows[0][1]), str(rows[0][2])
    entries = {r[0] for r in rows}
    if len(entries) > 1 and entry_part:
        raise JournalError(f"more than one entry has an id starting with {entry_part!r}; give more of it")
    if len(entries) > 1:
        example = f"{rows[0][0][:8]}/{follow_part}"
        raise JournalError(
            f"{len(rows)} follow-ups in {len(entries)} entries match {ref!r}; "
            f"give ENTRY/FOLLOWUP to pick one, e.g. {example}"
        )
    if len({r[2] for r in rows}) > 1:
        raise JournalError(f"more than one follow-up has an id starting with {follow_part!r}; give more of it")
    raise JournalError(
        f"entry {rows[0][0][:8]} holds {len(rows)} follow-ups with the id {rows[0][2]!r}; "
        "edit the entry to tell them apart"
    )


# --- actions --------------------------------------------------------------------------------------


def _change(store: Store, ref: str, change: Callable[[FollowUp], FollowUp]) -> tuple[PostMortem, Changes]:
    """Load the follow-up's entry, apply ``change`` to it, save (revision +1; a conflict if it moved on)."""
    entry_id, pos, follow_id = resolve(store, ref)
    pm = store.get(entry_id)
    if pos >= len(pm.follow_ups) or pm.follow_ups[pos].id != follow_id:
        raise JournalError(f"entry {entry_id[:8]} changed meanwhile; look again and retry")
    follow_ups = list(pm.follow_ups)
    follow_ups[pos] = change(follow_ups[pos])
    return store.save(replace(pm, follow_ups=follow_ups))


def _date(name: str, value: str | dt.date) -> str:
    return parse_date(name, value.isoformat() if isinstance(value, dt.date) else value.strip())


def done(store: Store, ref: str, on: str | dt.date | None = None, today: str | None = None) -> Changes:
    """Mark a follow-up done on ``on`` (default today); a date after today is refused."""
    day = _date("the done date", on) if on else (today or _today())
    if day > (today or _today()):
        raise ValueError(f"the done date {day} is in the future; give today or an earlier date")

    def change(f: FollowUp) -> FollowUp:
        return replace(f, status="done", done_on=day)

    return _change(store, ref, change)[1]


def new_date(store: Store, ref: str, due_on: str | dt.date) -> Changes:
    """Give an open follow-up a new due date."""
    day = _date("the new due date", due_on)

    def change(f: FollowUp) -> FollowUp:
        if f.status != "open":
            raise JournalError(f"follow-up {f.id[:8]} is {f.status}; only an open one gets a new date")
        return replace(f, due_on=day)

    return _change(store, ref, change)[1]


def drop(store: Store, ref: str, reason: str) -> Changes:
    """Drop a follow-up, keeping it and why (``reason`` goes into its note)."""
    if not reason.strip():
        raise ValueError("say why the follow-up is dropped (--reason); the reason is kept with it")

    def change(f: FollowUp) -> FollowUp:
        return replace(f, status="dropped", note=reason.strip())

    return _change(store, ref, change)[1]


def check(store: Store, ref: str, result: str, note: str = "", today: str | None = None) -> Changes:
    """Record whether a done fix held (``held``) or the mistake happened again (``recurred``)."""
    if result not in CHECK_RESULTS or not result:
        raise ValueError(f"the check result is held or recurred; got {result!r}")

    def change(f: FollowUp) -> FollowUp:
        if f.status != "done":
            raise JournalError(f"follow-up {f.id[:8]} is {f.status}; mark it done before checking that it held")
        return replace(
            f, check_result=result, check_on=f.check_on or today or _today(), note=note.strip() or f.note
        )

    return _change(store, ref, change)[1]



def _days(a: str, b: str) -> int:
    return (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def when(item: Item, today: str | None = None) -> str:
    """The due date as a person says it: "3 days overdue", "due tomorrow", "check due today"."""
    today = today or _today()
    if item.group == "checks_due":
        late = _days(item.check_on, today)
        return "check due today" if late == 0 else f"check due {_plural(late, 'day')} ago"
    if item.status == "done":
        return f"done {item.done_on}" if item.done_on else "done"
    if item.status == "dropped":
        return "dropped"
    if not item.due_on:
        return "no date"
    ahead = _days(today, item.due_on)
    if ahead < 0:
        return f"{_plural(-ahead, 'day')} overdue"
    if ahead == 0:
        return "due today"
    if ahead == 1:
        return "due tomorrow"
    if ahead < 14:
        return f"due in {ahead} days"
    return f"due {item.due_on}"
