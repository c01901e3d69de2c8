"""The demo journal: valid, varied, deterministic, and carrying the patterns it promises."""

from __future__ import annotations

import datetime as dt
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
