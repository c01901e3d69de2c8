"""What a person sees before settling a sync conflict: each field that differs, and how."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from journal.model import FollowUp
from journal.store import Store
from journal.transfer import conflict_diff, sync
from journal.transfer.conflict_diff import differences
from tests.journal.pm_strategies import simple
from tests.journal.team_conflict import make_conflict


def test_the_conflict_shows_each_changed_field_with_both_versions(tmp_path: Path) -> None:
    team = make_conflict(tmp_path)
    with Store.open(team.mine) as store:
        (conflict,) = sync.list_conflicts(store)
        found = conflict_diff.conflict_diff(store, conflict)
    assert found.changed == ("severity", "what_happened", "tags")
    severity, what, tags = found.fields
    assert severity.summary == "journal: 2 / folder: 3"
    assert tags.summary == "journal: quotes, pricing / folder: quotes"
    assert what.kind == "text"
    assert what.lines[:2] == ("--- journal", "+++ folder")
    assert "-It had the 2023 rates." in what.lines and "+I sent the quote on Friday." in what.lines
    assert found.journal.what_happened.startswith("I sent the quote.\n")
    assert found.folder.what_happened.startswith("I sent the quote on Friday.")


def test_identical_versions_have_no_differences() -> None:
    pm = simple("Same")
    assert differences(pm, replace(pm, revision=pm.revision + 3, updated_at="2030-01-01T00:00:00Z")) == ()


def test_records_and_nested_fields_are_compared_readably() -> None:
    pm = simple("Records")
    other = replace(
        pm,
        follow_ups=[*pm.follow_ups, FollowUp(text="Archive the old rate card", owner="Ana", due_on="2024-06-01")],
        breadsticks=replace(pm.breadsticks, kind="discount", cost=120.0, currency="EUR"),
    )
    other.recovery = {**pm.recovery, "apology": replace(pm.recovery["apology"], state="done", note="by phone")}
    by_name = {f.name: f for f in differences(pm, other)}
    assert set(by_name) == {"follow_ups", "breadsticks.kind", "breadsticks.cost", "recovery.apology"}
    assert "+Archive the old rate card — Ana, due 2024-06-01, open" in by_name["follow_ups"].lines
    assert by_name["breadsticks.cost"].summary == "journal: (empty) / folder: 120 EUR"
    assert by_name["recovery.apology"].summary == "journal: pending / folder: done — by phone"


def test_side_by_side_lines_up_the_two_texts() -> None:
    rows = conflict_diff.side_by_side("same\nmine\nlast", "same\ntheirs\nextra\nlast")
    assert [(r.tag, r.journal, r.folder) for r in rows] == [
        ("equal", "same", "same"),
        ("replace", "mine", "theirs"),
        ("insert", "", "extra"),
        ("equal", "last", "last"),
    ]


def test_every_field_of_the_table_is_compared_hours_to_first_reply_too() -> None:
    pm = simple()
    (diff,) = differences(pm, replace(pm, first_response_hours=26.5))
    assert (diff.name, diff.label, diff.journal, diff.folder) == (
        "first_response_hours", "Hours to first reply", "", "26.5"
    )
