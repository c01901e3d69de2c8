"""The follow-ups calendar, built directly: one to-do per date owed, stable UIDs, only its own file replaced.

The command line's ``followups --ics`` (redaction, refusals, one-line errors) is tested in test_cli_followups.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from journal.followups import Item
from journal.followups_ics import PRODID, calendar, made_by_hindsight, uid, wanted, write
from journal.store import JournalError, Store

NOW = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC)


def item(id: str = "aaaa1111", *, status: str = "open", due_on: str = "2024-05-10", check_on: str = "",
         check_result: str = "", pos: int = 0, owner: str = "Sam") -> Item:
    return Item(
        id=id, entry_id="e1", entry_title="Invoice sent twice", client="Acme", account="Acme", text="Call the client",
        owner=owner, due_on=due_on, status=status, done_on="2024-04-20" if status == "done" else "",
        check_on=check_on, check_result=check_result, note="", pos=pos, occurred_on="2024-04-18",
        overdue=False, check_due=False, group="upcoming",
    )


def todos(data: bytes) -> list[icalendar.Todo]:
    return list(icalendar.Calendar.from_ical(data).walk("VTODO"))


def test_what_gets_a_to_do() -> None:
    assert wanted(item()) == (True, False)
    assert wanted(item(due_on="")) == (False, False)  # no date, nothing to put in a calendar
    assert wanted(item(status="dropped")) == (False, False)
    assert wanted(item(status="done", check_on="2024-06-01")) == (False, True)
    assert wanted(item(status="done", check_on="2024-06-01", check_result="held")) == (False, False)


def test_each_to_do_is_dated_named_and_keeps_its_uid_from_one_export_to_the_next() -> None:
    items = [item(), item("bbbb2222", status="done", check_on="2024-06-01"), item("cccc3333", due_on="")]
    data = calendar(items, now=NOW)
    assert data == calendar(items, now=NOW)  # the same follow-ups give the same file: a calendar updates them
    assert data.startswith(b"BEGIN:VCALENDAR") and PRODID.encode() in data
    due, check = todos(data)
    assert str(due["UID"]) == uid(items[0]) == "aaaa1111.e1@hindsight"
    assert due.decoded("DUE") == dt.date(2024, 5, 10) and str(due["SUMMARY"]) == "Call the client"
    described = str(due["DESCRIPTION"])
    assert "Follow-up of: Invoice sent twice (Acme)" in described and "Owner: Sam" in described
    assert str(check["UID"]) == uid(items[1], check=True) == "bbbb2222.e1-check@hindsight"
    assert str(check["SUMMARY"]) == "Check it held: Call the client"
    assert "hindsight followups check bbbb2222 --result held|recurred" in str(check["DESCRIPTION"])


def test_two_follow_ups_with_one_id_in_one_entry_both_get_a_to_do() -> None:
    data = calendar([item(pos=0), item(pos=3, owner="Ana")], now=NOW)
    assert [str(t["UID"]) for t in todos(data)] == ["aaaa1111.e1@hindsight", "aaaa1111.e1-3@hindsight"]


def test_only_a_calendar_hindsight_wrote_is_replaced_without_asking(tmp_path: Path) -> None:
    ours, theirs = tmp_path / "followups.ics", tmp_path / "team.ics"
    ours.write_bytes(calendar([item()], now=NOW))
    theirs.write_bytes(b"BEGIN:VCALENDAR\r\nPRODID:-//Someone else//EN\r\nEND:VCALENDAR\r\n")
    assert made_by_hindsight(ours) and not made_by_hindsight(theirs) and not made_by_hindsight(tmp_path / "none.ics")
    with Store.open(tmp_path / "j.hindsight") as store:
        assert write(store, [item(), item("bbbb2222")], ours) == 2
        assert len(todos(ours.read_bytes())) == 2
        with pytest.raises(JournalError, match="already exists"):
            write(store, [item()], theirs)
        assert b"Someone else" in theirs.read_bytes()
        assert write(store, [item()], theirs, force=True) == 1
