"""The patterns, similar and hints commands, as a person at a terminal meets them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from journal import demo
from journal.cli import main
from journal.model import FollowUp, PostMortem
from journal.store import Store


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.hindsight"
    with Store.open(path) as store:
        demo.populate(store, entries=400, seed=5, today=dt.date.today())
    return path


def test_patterns_on_an_empty_journal_is_friendly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Store.open(tmp_path / "j.hindsight").close()
    assert main(["--journal", str(tmp_path / "j.hindsight"), "patterns"]) == 0
    assert "Not enough entries yet to see patterns — 5 more entries" in capsys.readouterr().out


def test_patterns_json_is_a_list_of_records(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--journal", str(demo_path), "patterns", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert records and all(set(r) == {"kind", "sentence", "strength", "evidence"} for r in records)
    assert any(r["kind"] == "recurring_cause" for r in records)


def test_patterns_text_and_narrowing(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--journal", str(demo_path), "patterns", "role:maker", "--period", "year"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("• ") and "matching “role:maker” in the last 12 months" in out


def test_bad_period_is_one_line_and_exit_1(demo_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--journal", str(demo_path), "patterns", "--period", "weekly"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("hindsight:") and "Traceback" not in err


def test_similar_and_hints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "j.hindsight"
    with Store.open(path) as store:
        first, _ = store.save(PostMortem(
            title="Wrong date on the badges", what_happened="Badges printed with the wrong date.",
            occurred_on="2025-01-01", client="Lantern AV", causes=["attention"],
        ))
        second, _ = store.save(PostMortem(
            title="Badges again", what_happened="The badges had the wrong date, their fault.",
            occurred_on="2025-02-01", follow_ups=[FollowUp(text="Try harder")], client="Lantern AV",
            causes=["attention"],
        ))
    assert main(["--journal", str(path), "similar", second.id[:8], "--json"]) == 0
    [match] = json.loads(capsys.readouterr().out)
    assert match["id"] == first.id and match["why"] == "same client Lantern AV; both caused by attention"
    assert main(["--journal", str(path), "hints", second.id[:8]]) == 0
    out = capsys.readouterr().out
    assert "“their fault”" in out and "no owner" in out and "no due date" in out
    assert main(["--journal", str(path), "hints", second.id[:8], "--json"]) == 0
    assert {h["kind"] for h in json.loads(capsys.readouterr().out)} == {
        "blame_others", "followup_vague", "followup_owner", "followup_due"}
    assert main(["--journal", str(path), "similar", first.id[:8]]) == 0
    assert "Nothing in the journal resembles this entry yet: a match needs two things" in capsys.readouterr().out
    assert main(["--journal", str(path), "similar", "zzzz"]) == 1
