"""The demo journal: valid, varied, deterministic, and carrying the patterns it promises."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from journal import demo
from journal.model import CAUSES, PostMortem
from journal.store import Store

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def entries() -> list[PostMortem]:
    return list(demo.generate(1500, seed=11, today=TODAY))


def test_same_seed_same_journal_other_seed_other_journal() -> None:
    first = [pm.to_dict() for pm in demo.generate(40, seed=5, today=TODAY)]
    assert first == [pm.to_dict() for pm in demo.generate(40, seed=5, today=TODAY)]
    assert first != [pm.to_dict() for pm in demo.generate(40, seed=6, today=TODAY)]


def test_every_entry_is_valid(entries: list[PostMortem]) -> None:
    for pm in entries:
        assert PostMortem.from_dict(pm.to_dict()) == pm
    assert len({pm.id for pm in entries}) == len(entries)


def test_the_journal_is_varied(entries: list[PostMortem]) -> None:
    assert {pm.role for pm in entries} == {"maker", "receiver"}
    assert {c for pm in entries for c in pm.causes} >= set(CAUSES)
    assert len({pm.client for pm in entries}) >= 25
    assert len({pm.effective_account for pm in entries}) < len({pm.client for pm in entries})
    assert {pm.breadsticks.accepted for pm in entries} >= {"yes", "no"}
    statuses = Counter(f.status for pm in entries for f in pm.follow_ups)
    assert statuses["open"] and statuses["done"] and statuses["dropped"]
    assert any(f.is_overdue(TODAY.isoformat()) for pm in entries for f in pm.follow_ups)
    assert any(e.intensity_now is not None and e.intensity_now < e.intensity for pm in entries for e in pm.emotions)
    assert all(pm.occurred_on <= TODAY.isoformat() for pm in entries)


def test_planted_patterns_are_there(entries: list[PostMortem]) -> None:
    days = [dt.date.fromisoformat(pm.occurred_on) for pm in entries]
    assert Counter(d.weekday() for d in days)[0] / len(days) > 0.2
    assert not [d for d in days if (d.month == 12 and d.day >= 22) or (d.month == 1 and d.day <= 2)]
    makers = [pm for pm in entries if pm.role == "maker"]
    assert Counter(pm.client for pm in makers).most_common(1)[0][0] == "Brightwater Clinics"
    skipped = Counter(step for pm in makers for step, s in pm.recovery.items() if s.state == "skipped")
    assert skipped.most_common(1)[0][0] == "satisfaction_check"
    assert Counter(pm.response_style for pm in makers).most_common(1)[0][0] == "over_apologized"
    assert sum(any(lesson in demo.LESSONS_PLANTED for lesson in pm.lessons) for pm in entries) >= 5
    tags = Counter(tag for pm in entries for tag in pm.tags)
    [(top, count), (_, second)] = tags.most_common(2)
    assert top == "reporting" and 0.2 < count / len(entries) < 0.3 and count > 1.5 * second
    assert set(demo.PLANTED) >= {"recurring_client", "relearned_lesson", "weekday_cluster", "after_break"}


def test_near_repeats_share_client_and_causes(entries: list[PostMortem]) -> None:
    pairs = demo.near_repeats(1500, seed=11, today=TODAY)
    by_id = {pm.id: pm for pm in entries}
    assert len(pairs) >= 50
    for original, repeat in pairs:
        assert by_id[original].client == by_id[repeat].client
        assert by_id[original].causes == by_id[repeat].causes
        assert by_id[original].occurred_on <= by_id[repeat].occurred_on


def test_populate_fills_a_store_that_checks_clean(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    with Store.open(tmp_path / "demo.hindsight") as store:
        written = demo.populate(store, entries=2100, seed=2, progress=lambda done, total: seen.append((done, total)))
        assert written == 2100
        assert store.entry_count() == 2100
        assert store.check() == []
        assert store.count("client:\"Brightwater Clinics\"") > 50
    assert seen[-1] == (2100, 2100) and len(seen) >= 2


def test_a_cancelled_demo_leaves_every_index_in_place(tmp_path: Path) -> None:
    class Cancel(Exception):
        pass

    def cancel(done: int, total: int) -> None:
        raise Cancel

    with Store.open(tmp_path / "c.hindsight") as store:
        before = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        with pytest.raises(Cancel):
            demo.populate(store, entries=4100, seed=1, progress=cancel)
        after = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert after == before and len(before) > 10
        assert store.check() == []
        # and the write-ahead log is checkpointed as usual again, so it does not grow without end
        assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000
        # and the full-text index merges its segments again, or searching would slow down for good
        config = dict(store.conn.execute("SELECT k, v FROM entries_fts_config"))
        assert config.get("automerge", 4) == 4 and config.get("hashsize", 1 << 20) == 1 << 20
        # and it is back in WAL mode, synchronous NORMAL, as every journal is
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 1


def test_hours_to_first_reply_are_realistic(entries: list[PostMortem]) -> None:
    hours = [pm.first_response_hours for pm in entries]
    known = [h for h in hours if h is not None]
    assert 0.08 < hours.count(None) / len(hours) < 0.25  # some not known
    assert sum(1 <= h <= 30 for h in known) / len(known) > 0.7  # mostly a day or so
    assert all(h >= 0 and h * 2 == int(h * 2) for h in known)  # to the half hour

    def median(style: str) -> float:
        found = sorted(pm.first_response_hours for pm in entries
                       if pm.role == "maker" and pm.response_style == style and pm.first_response_hours is not None)
        return found[len(found) // 2]

    assert median("deflected") > 3 * median("owned")  # who points elsewhere answers later


def test_the_hours_leave_every_other_value_of_a_seed_as_it_was() -> None:
    # Drawn from a stream of their own: the rest of a demo journal is what the seed gave before the field
    # (this digest was taken from the generator before first_response_hours existed).
    items = []
    for pm in demo.generate(60, seed=5, today=TODAY):
        data = pm.to_dict()
        del data["first_response_hours"]
        items.append(data)
    digest = hashlib.sha256(json.dumps(items, sort_keys=True).encode()).hexdigest()
    assert digest == "fc187ad10b0081528e91bc5cd20484e1d957b14ff1ac17cfc160096688093339"
