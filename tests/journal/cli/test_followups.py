"""`hindsight followups` as a person uses it: listing, JSON, the verbs, calendars, bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import icalendar
import pytest

from journal.model import FollowUp, PostMortem
from journal.store import Store
from tests.journal.cli.running import run

ENTRY_A = "11111111-0000-4000-8000-000000000001"
ENTRY_B = "22222222-0000-4000-8000-000000000002"


def day(offset: int) -> str:
    return (dt.date.today() + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def jpath(tmp_path: Path) -> str:
    path = str(tmp_path / "cli.hindsight")
    a = PostMortem.from_dict({"title": "Invoice sent twice", "role": "maker", "client": "Acme Corp", "id": ENTRY_A})
    a.follow_ups = [
        FollowUp(id="aaaa1111", text="Call Dana at Acme Corp about billing", owner="Dana", due_on=day(-3)),
        FollowUp(id="bbbb2222", text="Add a duplicate check", owner="me", due_on=day(2)),
        FollowUp(id="cccc3333", text="Move the depot", status="done", done_on=day(-40), check_on=day(-1)),
    ]
    b = PostMortem.from_dict({"title": "Courier went astray", "role": "receiver", "client": "Globex", "id": ENTRY_B})
    b.follow_ups = [
        FollowUp(id="dddd4444", text="Update the address book", owner="Ana"),
        FollowUp(id="eeee5555", text="Ask about parking", status="dropped", note="They moved"),
        FollowUp(id="ffff6666", text="Check labels", status="done", done_on=day(-5), check_on=day(20)),
    ]
    with Store.open(path) as store:
        store.insert_many([a, b])
    return path


def test_lists_what_is_owed_by_group(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    code, out, err = run(capsys, "--journal", jpath, "followups")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Overdue (1)"
    assert "3 days overdue" in lines[1] and "Call Dana" in lines[1] and "Invoice sent twice [Acme Corp]" in lines[1]
    assert "Due this week (1)" in lines and "No date (1)" in lines and "Checks due (1)" in lines
    assert "Ask about parking" not in out  # dropped: only with --all
    code, out, _ = run(capsys, "--journal", jpath, "followups", "--all")
    assert "Done and dropped (2)" in out and "(They moved)" in out


def test_json_is_the_contract(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    code, out, _ = run(capsys, "--journal", jpath, "followups", "--json", "--owner", "dana")
    assert code == 0
    (item,) = json.loads(out)
    assert item == {
        "id": "aaaa1111", "entry_id": ENTRY_A, "entry_title": "Invoice sent twice", "client": "Acme Corp",
        "account": "Acme Corp", "text": "Call Dana at Acme Corp about billing", "owner": "Dana", "due_on": day(-3),
        "status": "open", "done_on": "", "check_on": "", "check_result": "", "overdue": True, "check_due": False,
        "note": "",
    }
    _, out, _ = run(capsys, "--journal", jpath, "followups", "--json", "--overdue")
    assert [i["id"] for i in json.loads(out)] == ["aaaa1111"]
    _, out, _ = run(capsys, "--journal", jpath, "followups", "--json", "--account", "globex")
    assert [i["id"] for i in json.loads(out)] == ["dddd4444"]
    _, out, _ = run(capsys, "--journal", jpath, "followups", "--json", "client:Globex", "address")
    assert [i["id"] for i in json.loads(out)] == ["dddd4444"]


def test_reading_never_creates_a_journal(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "typo.hindsight"
    code, _out, err = run(capsys, "--journal", str(missing), "followups")
    assert code == 1 and err.count("\n") == 1 and "no journal" in err
    assert not missing.exists()


def test_done_check_and_drop(capsys: pytest.CaptureFixture[str], jpath: str) -> None:
    code, out, err = run(capsys, "--journal", jpath, "followups", "done", "aaaa", "--on", day(-1))
    assert (code, out) == (0, "done: Call Dana at Acme Corp about billing\n"), err
    code, out, _ = run(capsys, "--journal", jpath, "followups", "check", "cccc3333", "--result", "recurred",
                       "--note", "Sent to the old depot again")
    assert code == 0 and out.startswith("checked: it happened again")
    code, _, _ = run(capsys, "--journal", jpath, "followups", "drop", f"{ENTRY_B[:8]}/dddd", "--reason", "Ana left")
    assert code == 0
    with Store.open(jpath, create=False) as store:
        a, b = store.get(ENTRY_A), store.get(ENTRY_B)
    assert (a.follow_ups[0].status, a.follow_ups[0].done_on) == ("done", day(-1))
    assert (a.follow_ups[2].check_result, a.follow_ups[2].note) == ("recurred", "Sent to the old depot again")
    assert (b.follow_ups[0].status, b.follow_ups[0].note) == ("dropped", "Ana left")
    assert a.revision == 3  # inserted at 1, then two saves


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("done", "aaaa", "--on", "next tue"), "must be a real date like 2024-05-01; got 'next tue'"),
        (("done", "zzzz"), "no follow-up has an id starting with 'zzzz'"),
        (("done",), "takes one follow-up ID"),
        (("check", "cccc"), "needs --result held or --result recurred"),
        (("check", "cccc", "--result", "maybe"), "invalid choice"),
        (("drop", "dddd"), "needs --reason"),
        (("drop", "dddd", "--reason", "  "), "say why"),
        (("done", "aaaa", "--reason", "x"), "--reason does not go with 'followups done'"),
        (("--on", "2025-01-01"), "--on goes with a verb"),
        (("check", "dddd", "--result", "held"), "mark it done before"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], jpath: str, args: tuple[str, ...], says: str
) -> None:
    with Store.open(jpath, create=False) as store:
        before = (store.get(ENTRY_A), store.get(ENTRY_B))
    code, out, err = run(capsys, "--journal", jpath, "followups", *args)
    assert code == 1 and out == ""
    assert says in err and err.count("\n") == 1 and "Traceback" not in err
    with Store.open(jpath, create=False) as store:
        assert (store.get(ENTRY_A), store.get(ENTRY_B)) == before


def test_the_same_id_in_two_entries_asks_for_entry_slash_followup(
    capsys: pytest.CaptureFixture[str], jpath: str
) -> None:
    copy = PostMortem.from_dict({"title": "Hand-written copy", "role": "maker"})
    copy.follow_ups = [FollowUp(id="aaaa1111", text="Call again")]
    with Store.open(jpath, create=False) as store:
        store.insert_many([copy])
    code, _, err = run(capsys, "--journal", jpath, "followups", "done", "aaaa1111")
    assert code == 1 and "give ENTRY/FOLLOWUP" in err and err.count("\n") == 1
    code, _, err = run(capsys, "--journal", jpath, "followups", "done", f"{copy.id[:8]}/aaaa1111")
    assert code == 0, err


# --- calendars ---------------------------------------------------------------------------------


def read_calendar(path: Path) -> dict[str, icalendar.Todo]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(todo["UID"]): todo for todo in cal.walk("VTODO")}


def test_ics_has_a_todo_per_dated_follow_up_and_unanswered_check(
    capsys: pytest.CaptureFixture[str], jpath: str, tmp_path: Path
) -> None:
    out = tmp_path / "followups.ics"
    code, said, err = run(capsys, "--journal", jpath, "followups", "--ics", str(out))
    assert (code, said) == (0, f"wrote 4 to-dos to {out}\n"), err
    todos = read_calendar(out)
    assert set(todos) == {
        f"aaaa1111.{ENTRY_A}@hindsight", f"bbbb2222.{ENTRY_A}@hindsight",
        f"cccc3333.{ENTRY_A}-check@hindsight", f"ffff6666.{ENTRY_B}-check@hindsight",
    }  # no date: no to-do; dropped: none
    overdue = todos[f"aaaa1111.{ENTRY_A}@hindsight"]
    assert overdue.decoded("DUE") == dt.date.fromisoformat(day(-3))
    assert str(overdue["SUMMARY"]) == "Call Dana at Acme Corp about billing"
    assert "Invoice sent twice (Acme Corp)" in str(overdue["DESCRIPTION"])
    check = todos[f"ffff6666.{ENTRY_B}-check@hindsight"]
    assert check.decoded("DUE") == dt.date.fromisoformat(day(20))
    assert str(check["SUMMARY"]).startswith("Check it held:")

    # Done since: the next export drops it, and the others keep their UIDs (the calendar updates).
    run(capsys, "--journal", jpath, "followups", "done", "bbbb2222")
    code, _, err = run(capsys, "--journal", jpath, "followups", "--ics", str(out))
    assert code == 0, err
    assert set(read_calendar(out)) == set(todos) - {f"bbbb2222.{ENTRY_A}@hindsight"}


def test_ics_redacted_names_no_one(capsys: pytest.CaptureFixture[str], jpath: str, tmp_path: Path) -> None:
    out = tmp_path / "shared.ics"
    code, _, err = run(capsys, "--journal", jpath, "followups", "--ics", str(out), "--redact")
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    for name in ("Acme", "Dana", "Globex"):
        assert name not in text
    todos = read_calendar(out)
    todo = todos[f"aaaa1111.{ENTRY_A}@hindsight"]
    assert "Client A" in str(todo["DESCRIPTION"]) and "Person A" in str(todo["SUMMARY"])
    assert "Owner: me" in str(todos[f"bbbb2222.{ENTRY_A}@hindsight"]["DESCRIPTION"])  # "me" is nobody's name


def test_ics_redacted_replaces_names_known_only_from_other_entries(
    capsys: pytest.CaptureFixture[str], jpath: str, tmp_path: Path
) -> None:
    with Store.open(jpath) as store:  # Ana owns nothing dated, so she is not in the calendar's own items
        pm = store.get(ENTRY_A)
        pm.follow_ups[1].text = "Add a duplicate check with Ana"
        store.save(pm)
    out = tmp_path / "shared.ics"
    code, _, err = run(capsys, "--journal", jpath, "followups", "--ics", str(out), "--redact")
    assert code == 0, err
    assert "Ana" not in out.read_text(encoding="utf-8")


def test_ics_bad_targets_are_one_line_and_nothing_written(
    capsys: pytest.CaptureFixture[str], jpath: str, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder" / "f.ics"
    code, _, err = run(capsys, "--journal", jpath, "followups", "--ics", str(missing))
    assert code == 1 and "does not exist" in err and err.count("\n") == 1
    assert not missing.parent.exists()
    code, _, err = run(capsys, "--journal", jpath, "followups", "--ics", jpath)
    assert code == 1 and "is the journal itself" in err
    notes = tmp_path / "notes.ics"
    notes.write_text("my own calendar\n", encoding="utf-8")
    code, _, err = run(capsys, "--journal", jpath, "followups", "--ics", str(notes))
    assert code == 1 and "already exists; add --force" in err
    assert notes.read_text(encoding="utf-8") == "my own calendar\n"


def test_ics_unwritable_is_one_line(
    capsys: pytest.CaptureFixture[str], jpath: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal import followups_ics

    def refuse(path: Path, data: bytes) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(followups_ics, "write_atomic", refuse)
    code, _, err = run(capsys, "--journal", jpath, "followups", "--ics", str(tmp_path / "f.ics"))
    assert code == 1 and err == f"hindsight: cannot write {tmp_path / 'f.ics'}: Permission denied\n"
