"""The follow-ups desk's core: groups, filters, naming a follow-up, and the actions."""

from __future__ import annotations

import json
from typing import Any

import pytest

from journal import followups as fu
from journal.model import FollowUp, PostMortem
from journal.store import ConflictError, JournalError, Store

TODAY = "2025-06-10"  # a Tuesday


def entry(title: str, *follow_ups: FollowUp, **fields: object) -> PostMortem:
    pm = PostMortem.from_dict({"title": title, "role": "maker", **fields})
    pm.follow_ups = list(follow_ups)
    return pm


def fup(text: str, fid: str, **fields: str) -> FollowUp:
    return FollowUp(id=fid, text=text, **fields)


@pytest.fixture
def journal(store: Store) -> Store:
    store.insert_many([
        entry(
            "Invoice sent twice", fup("Call the billing team", "aaaa1111", owner="Sam", due_on="2025-06-01"),
            fup("Add a duplicate check", "bbbb2222", owner="me", due_on="2025-06-10"),
            fup("Review the template", "cccc3333", owner="me", due_on="2025-06-16"),
            fup("Write the runbook", "dddd4444", owner="me", due_on="2025-06-17"),
            client="Acme", id="11111111-0000-4000-8000-000000000001", occurred_on="2025-05-20",
        ),
        entry(
            "Courier went to the old office", fup("Update the address book", "eeee5555", owner="Ana"),
            fup("Move the depot", "ffff6666", status="done", done_on="2025-05-01", check_on="2025-06-10"),
            fup("Print labels", "gggg7777", status="done", done_on="2025-05-01", check_on="2025-06-11"),
            fup("Ask about parking", "hhhh8888", status="dropped", note="They moved"),
            fup("Train the new driver", "iiii9999", status="done", done_on="2025-05-02",
                check_on="2025-05-30", check_result="held"),
            client="Globex", account="Initech", id="22222222-0000-4000-8000-000000000002",
            occurred_on="2025-04-02", what_happened="The parcel went to the warehouse.",
        ),
    ])
    return store


def groups(items: list[fu.Item]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for item in items:
        out.setdefault(item.group, []).append(item.id)
    return out


def test_groups_have_exact_boundaries(journal: Store) -> None:
    items = fu.list_followups(journal, today=TODAY)
    assert groups(items) == {
        "overdue": ["aaaa1111"],  # due before today
        "this_week": ["bbbb2222", "cccc3333"],  # today … today + 6
        "later": ["dddd4444"],  # today + 7 onwards
        "no_date": ["eeee5555"],
        "checks_due": ["ffff6666"],  # check date reached, no answer yet; tomorrow's is not due
    }
    overdue = items[0]
    assert (overdue.entry_title, overdue.client, overdue.account, overdue.owner) == (
        "Invoice sent twice", "Acme", "Acme", "Sam"
    )
    assert overdue.overdue and not overdue.check_due
    assert items[-1].check_due and items[-1].account == "Initech"


def test_all_adds_done_and_dropped_and_overdue_only_narrows(journal: Store) -> None:
    closed = groups(fu.list_followups(journal, include_closed=True, today=TODAY))["closed"]
    assert set(closed) == {"gggg7777", "hhhh8888", "iiii9999"}
    assert [i.id for i in fu.list_followups(journal, overdue_only=True, today=TODAY)] == ["aaaa1111"]


def test_filters_by_owner_account_and_search_syntax(journal: Store) -> None:
    assert [i.id for i in fu.list_followups(journal, owner="sam", today=TODAY)] == ["aaaa1111"]
    assert [i.id for i in fu.list_followups(journal, account="initech", today=TODAY)] == ["eeee5555", "ffff6666"]
    assert {i.entry_title for i in fu.list_followups(journal, text="warehouse", today=TODAY)} == {
        "Courier went to the old office"
    }
    assert {i.id for i in fu.list_followups(journal, text='client:"Acme" has:overdue', today=TODAY)} == {
        "aaaa1111", "bbbb2222", "cccc3333", "dddd4444"
    }
    assert fu.list_followups(journal, text="client:nobody", today=TODAY) == []


def test_trashed_entries_are_left_out(journal: Store) -> None:
    journal.trash(["11111111-0000-4000-8000-000000000001"])
    assert {i.entry_title for i in fu.list_followups(journal, today=TODAY)} == {"Courier went to the old office"}
    assert fu.due_counts(journal, today=TODAY) == (0, 1)


def test_due_counts_say_what_the_reminder_says(journal: Store) -> None:
    assert fu.due_counts(journal, today=TODAY) == (1, 1)
    assert fu.due_counts(journal, today="2025-06-11") == (2, 2)
    assert fu.counts(fu.list_followups(journal, today=TODAY))["this_week"] == 2


def test_json_shape_is_the_contract(journal: Store) -> None:
    item = fu.list_followups(journal, today=TODAY)[0]
    assert list(item.to_json()) == [
        "id", "entry_id", "entry_title", "client", "account", "text", "owner", "due_on", "status",
        "done_on", "check_on", "check_result", "overdue", "check_due", "note",
    ]



@pytest.mark.parametrize("asked", [
    {}, {"include_closed": True}, {"overdue_only": True}, {"owner": "ME"}, {"owner": "nobody"},
    {"account": "initech"}, {"text": "warehouse"}, {"text": 'client:"Acme" has:overdue'},
])
@pytest.mark.parametrize("today", [TODAY, "2025-06-11"])
def test_json_text_is_the_items_as_json(journal: Store, asked: dict[str, Any], today: str) -> None:
    text = fu.json_text(journal, today=today, **asked)
    assert json.loads(text) == [i.to_json() for i in fu.list_followups(journal, today=today, **asked)]
    lines = text.splitlines()
    assert lines[0] in ("[", "[]") and all(line.startswith("  {") for line in lines[1:-1])  # one object a line


def test_json_text_keeps_every_character(journal: Store) -> None:
    awkward = 'Ask "Dana" about C:\\Temp\tthen naïve café 🍕 \u2028 </script>'
    pm = entry("Quotes, tabs & emoji", fup(awkward, "jjjj0000", owner="Zoë", due_on="2025-06-01"), client="Ünï")
    journal.insert_many([pm])
    (item,) = json.loads(fu.json_text(journal, owner="zoë", today=TODAY))
    assert (item["text"], item["owner"], item["client"], item["overdue"]) == (awkward, "Zoë", "Ünï", True)


def test_done_saves_the_entry_with_a_new_revision(journal: Store) -> None:
    before = journal.get("11111111-0000-4000-8000-000000000001")
    changes = fu.done(journal, "aaaa", on="2025-06-09", today=TODAY)
    assert changes.updated == ("11111111-0000-4000-8000-000000000001",)
    after = journal.get(before.id)
    assert after.revision == before.revision + 1
    assert (after.follow_ups[0].status, after.follow_ups[0].done_on) == ("done", "2025-06-09")
    assert after.follow_ups[1:] == before.follow_ups[1:]
    assert "aaaa1111" not in [i.id for i in fu.list_followups(journal, today=TODAY)]


@pytest.mark.parametrize("day", ["next tue", "2025-06-31", "tomorrow"])
def test_a_date_that_is_not_a_date_is_refused_and_nothing_changes(journal: Store, day: str) -> None:
    before = journal.get("11111111-0000-4000-8000-000000000001")
    with pytest.raises(ValueError, match="real date like"):
        fu.done(journal, "aaaa1111", on=day, today=TODAY)
    with pytest.raises(ValueError, match="real date like"):
        fu.new_date(journal, "aaaa1111", day)
    assert journal.get(before.id) == before


def test_done_in_the_future_is_refused(journal: Store) -> None:
    with pytest.raises(ValueError, match="in the future"):
        fu.done(journal, "aaaa1111", on="2025-06-11", today=TODAY)


def test_new_date_moves_it_between_groups(journal: Store) -> None:
    fu.new_date(journal, "aaaa1111", "2025-06-12")
    assert groups(fu.list_followups(journal, today=TODAY))["this_week"] == ["bbbb2222", "aaaa1111", "cccc3333"]
    with pytest.raises(JournalError, match="only an open one"):
        fu.new_date(journal, "ffff6666", "2025-07-01")


def test_drop_keeps_it_with_the_reason(journal: Store) -> None:
    with pytest.raises(ValueError, match="say why"):
        fu.drop(journal, "eeee5555", "  ")
    fu.drop(journal, "eeee5555", "Ana left; the address book is gone")
    (dropped,) = [i for i in fu.list_followups(journal, include_closed=True, today=TODAY) if i.id == "eeee5555"]
    assert (dropped.status, dropped.note, dropped.group) == ("dropped", "Ana left; the address book is gone", "closed")


def test_check_records_the_result_and_note(journal: Store) -> None:
    fu.check(journal, "ffff6666", "recurred", note="Sent to the old depot again in June")
    pm = journal.get("22222222-0000-4000-8000-000000000002")
    assert (pm.follow_ups[1].check_result, pm.follow_ups[1].note) == ("recurred", "Sent to the old depot again in June")
    assert fu.due_counts(journal, today=TODAY) == (1, 0)
    with pytest.raises(ValueError, match="held or recurred"):
        fu.check(journal, "gggg7777", "maybe")
    with pytest.raises(JournalError, match="mark it done"):
        fu.check(journal, "eeee5555", "held")


def test_a_stale_copy_is_a_conflict_not_an_overwrite(journal: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    real_get = journal.get

    def stale_get(entry_id: str) -> PostMortem:
        pm = real_get(entry_id)
        journal.save(pm)  # someone else saves between the load and the save
        return pm

    monkeypatch.setattr(journal, "get", stale_get)
    with pytest.raises(ConflictError):
        fu.done(journal, "aaaa1111", today=TODAY)
    monkeypatch.undo()
    assert journal.get("11111111-0000-4000-8000-000000000001").follow_ups[0].status == "open"


def test_unknown_and_ambiguous_ids_are_one_line(journal: Store) -> None:
    with pytest.raises(JournalError, match="no follow-up has an id starting with 'zzzz'"):
        fu.resolve(journal, "zzzz")
    journal.insert_many([entry("Hand-written copy", fup("Call the billing team", "aaaa1111"),
                               id="33333333-0000-4000-8000-000000000003")])
    with pytest.raises(JournalError, match="give ENTRY/FOLLOWUP") as error:
        fu.resolve(journal, "aaaa1111")
    assert "\n" not in str(error.value)
    assert fu.resolve(journal, "3333/aaaa") == ("33333333-0000-4000-8000-000000000003", 0, "aaaa1111")
    assert fu.resolve(journal, "11111111-0000-4000-8000-000000000001/aaaa1111")[1] == 0
    with pytest.raises(JournalError, match="after the entry"):
        fu.resolve(journal, "11111111/")


def test_an_exact_id_wins_over_longer_ids_it_starts(store: Store) -> None:
    store.insert_many([entry("Short ids", fup("One", "f1"), fup("Ten", "f10"))])
    assert fu.resolve(store, "f1")[2] == "f1"
    assert fu.resolve(store, "f10")[2] == "f10"
    with pytest.raises(JournalError, match="more than one follow-up has an id starting with 'f'; give more of it"):
        fu.resolve(store, "f")


@pytest.mark.parametrize("filters", [fu.Filters(), fu.Filters(owner="me"), fu.Filters(account="Initech")])
def test_group_counts_match_the_lists(journal: Store, filters: fu.Filters) -> None:
    if filters.owner:
        journal.trash(["11111111-0000-4000-8000-000000000001"])
    listed = fu.counts(fu.list_followups(
        journal, owner=filters.owner, account=filters.account, include_closed=True, today=TODAY
    ))
    assert fu.group_counts(journal, filters, today=TODAY, include_closed=True) == listed
    assert fu.group_counts(journal, filters, today=TODAY)["closed"] == 0


def test_a_page_of_a_group_is_its_most_pressing_first(journal: Store) -> None:
    assert [i.id for i in fu.list_group(journal, "this_week", today=TODAY, limit=1)] == ["bbbb2222"]


def test_when_says_it_as_a_person_would(journal: Store) -> None:
    said = {i.id: fu.when(i, TODAY) for i in fu.list_followups(journal, include_closed=True, today=TODAY)}
    assert said["aaaa1111"] == "9 days overdue"
    assert said["bbbb2222"] == "due today"
    assert said["cccc3333"] == "due in 6 days"
    assert said["eeee5555"] == "no date"
    assert said["ffff6666"] == "check due today"
    assert said["hhhh8888"] == "dropped"
    later = {i.id: fu.when(i, "2025-06-15") for i in fu.list_followups(journal, today="2025-06-15")}
    assert (later["bbbb2222"], later["cccc3333"]) == ("5 days overdue", "due tomorrow")
