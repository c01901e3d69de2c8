"""The §3 search syntax: parsing, filters, and that no input can break the SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal import query
from journal.model import FollowUp, PostMortem
from journal.store import Store


def test_words_phrases_and_exclusions() -> None:
    q = query.parse('late "wrong address" -courier')
    assert [(t.text, t.negated, t.prefix) for t in q.terms] == [
        ("late", False, False),
        ("wrong address", False, False),
        ("courier", True, False),
    ]


def test_the_last_bare_word_is_a_prefix_while_typing() -> None:
    assert query.parse("wrong addr").terms[-1].prefix
    assert not query.parse("wrong addr ").terms[-1].prefix
    assert not query.parse('"wrong addr"').terms[-1].prefix


def test_field_filters_are_parsed() -> None:
    q = query.parse('client:"Acme Corp" role:receiver severity:>=3 after:2024-01 before:2025 has:overdue tag:x')
    assert q.terms == ()
    assert [(f.field, f.op, f.value) for f in q.filters] == [
        ("client", "=", "Acme Corp"),
        ("role", "=", "receiver"),
        ("severity", ">=", 3),
        ("occurred_on", ">=", "2024-01-01"),
        ("occurred_on", "<", "2025-01-01"),
        ("has", "=", "overdue"),
        ("tag", "=", "x"),
    ]


@pytest.mark.parametrize(
    ("text", "op", "hours"),
    [("response:>24h", ">", 24.0), ("response:<2h", "<", 2.0), ("response:>=24", ">=", 24.0),
     ("response:2.5", "=", 2.5), ("response:<=1,5h", "<=", 1.5), ("response:>2d", ">", 48.0)],
)
def test_hours_to_first_reply_are_parsed(text: str, op: str, hours: float) -> None:
    (f,) = query.parse(text).filters
    assert (f.field, f.op, f.value) == ("first_response_hours", op, hours)


@pytest.mark.parametrize("text", ["response:>-1h", "response:soon", "response:>24m", "response:", "response:>>2"])
def test_hours_that_are_not_syntax_are_searched_as_text(text: str) -> None:
    assert query.parse(text).filters == ()


@pytest.mark.parametrize("text", ["severity:9", "role:boss", "after:2024-13-45", "has:cake", "nofield:x", "client:"])
def test_what_is_not_syntax_is_searched_as_text(text: str) -> None:
    q = query.parse(text)
    assert q.filters == ()


def test_negated_filter() -> None:
    (f,) = query.parse("-status:draft").filters
    assert f.negated and f.value == "draft"


# --- against a journal -------------------------------------------------------------------


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Store]:
    past = (dt.date.today() - dt.timedelta(days=10)).isoformat()
    with Store.open(tmp_path / "q.hindsight") as store:
        rows = [
            dict(title="Cold pizza at the launch", client="Acme Corp", role="receiver", severity=2,
                 occurred_on="2024-03-01", tags=["launch"], causes=["external"], first_response_hours=30,
                 emotions=[{"who": "me", "name": "frustrated", "intensity": 4}]),
            dict(title="Wrong address on the invoice", client="Acme Corp", role="maker", severity=4,
                 occurred_on="2024-06-10", causes=["attention"], status="open", first_response_hours=2,
                 follow_ups=[FollowUp(text="fix template", due_on=past).__dict__]),
            dict(title="Courier lost the samples", client="Beta Labs", account="Beta Group", role="receiver",
                 severity=3, occurred_on="2025-01-05", what_happened="The courier went to the wrong address.",
                 detection="escalation"),
            dict(title="Late report", client="Gamma", role="maker", severity=1, occurred_on="2025-02-01",
                 first_response_hours=24,
                 status="resolved", what_happened="a \"quoted\" word and NEAR(x y) and col:val"),
        ]
        for row in rows:
            store.save(PostMortem.from_dict(row))
        yield store


def titles(store: Store, text: str) -> list[str]:
    return [s.title for s in store.search(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ["Late report", "Courier lost the samples", "Wrong address on the invoice", "Cold pizza at the launch"]),
        ('client:"acme corp"', ["Wrong address on the invoice", "Cold pizza at the launch"]),
        ("account:beta group", []),
        ('account:"Beta Group"', ["Courier lost the samples"]),
        ("account:Gamma", ["Late report"]),
        ("role:maker", ["Late report", "Wrong address on the invoice"]),
        ("severity:>=3", ["Courier lost the samples", "Wrong address on the invoice"]),
        ("severity:<2", ["Late report"]),
        ("after:2025-01-05", ["Late report", "Courier lost the samples"]),
        ("before:2024-06-10", ["Cold pizza at the launch"]),
        ("tag:LAUNCH", ["Cold pizza at the launch"]),
        ("cause:attention", ["Wrong address on the invoice"]),
        ("emotion:frustrated", ["Cold pizza at the launch"]),
        ("detection:escalation", ["Courier lost the samples"]),
        ("status:open", ["Wrong address on the invoice"]),
        ("has:overdue", ["Wrong address on the invoice"]),
        ("has:open-followups", ["Wrong address on the invoice"]),
        ("address -courier", ["Wrong address on the invoice"]),
        ('"wrong address"', ["Courier lost the samples", "Wrong address on the invoice"]),
        ("cour", ["Courier lost the samples"]),
        ("-status:draft", ["Late report", "Wrong address on the invoice"]),
        ("pizza role:receiver", ["Cold pizza at the launch"]),
        ("response:>24h", ["Cold pizza at the launch"]),
        ("response:>=24", ["Cold pizza at the launch", "Late report"]),
        ("response:<2h", []),
        ("response:<=2H", ["Wrong address on the invoice"]),
        ("response:>1d", ["Cold pizza at the launch"]),
        ("-response:>24h", ["Wrong address on the invoice", "Courier lost the samples", "Late report"]),
        ("has:response", ["Cold pizza at the launch", "Wrong address on the invoice", "Late report"]),
        ("-has:response", ["Courier lost the samples"]),
    ],
)
def test_search_finds_what_a_person_expects(journal: Store, text: str, expected: list[str]) -> None:
    assert sorted(titles(journal, text)) == sorted(expected)
    assert journal.count(text) == len(expected)


def test_without_text_results_are_newest_first(journal: Store) -> None:
    assert titles(journal, "")[0] == "Late report"


def test_with_text_the_title_match_ranks_first(journal: Store) -> None:
    assert titles(journal, "address")[0] == "Wrong address on the invoice"


def test_limit_and_offset(journal: Store) -> None:
    assert len(journal.search("", limit=2)) == 2
    assert journal.search("", limit=1, offset=1)[0].title == "Courier lost the samples"


@pytest.mark.parametrize(
    "text",
    ['"', '""', "AND", "OR", "NOT", "NEAR(", "NEAR(a b", "*", "^", "col:", "title:", "((", "))", "a OR",
     "-", "--", "-\"", 'client:"unterminated', "severity:>=", "'; DROP TABLE entries; --", "\\", "%", "_",
     "a*b", "{a b}", "+", ":", "🍕*", "\u202e", "a\x00b"],
)
def test_fts5_traps_never_raise(journal: Store, text: str) -> None:
    journal.search(text)
    journal.count(text)
    assert journal.count() == 4


@pytest.mark.parametrize("text", ['"((*', '"', "((", "-", "--", "*", "^ :", "- ((", '""'])
def test_a_query_with_nothing_searchable_finds_nothing_and_says_why(journal: Store, text: str) -> None:
    parsed = query.parse(text)
    assert parsed.nothing_to_search
    assert journal.search(text) == [] and journal.search_ids(text) == []
    assert journal.count(text) == 0
    reason = query.unsearchable_reason(parsed)
    assert reason is not None and text.strip() in reason and "nothing to search for" in reason


@pytest.mark.parametrize("text", ["", "   ", "pizza ((", "status:open ((", "-courier", "client:acme"])
def test_punctuation_beside_words_or_filters_is_ignored_as_before(journal: Store, text: str) -> None:
    parsed = query.parse(text)
    assert not parsed.nothing_to_search and query.unsearchable_reason(parsed) is None
    assert journal.count(text) == journal.count(text.replace("((", ""))


@pytest.mark.parametrize(
    ("raw", "last", "without"),
    [
        ("invoice status:open tag:billing", "tag:billing", "invoice status:open"),
        ('client:"Acme Corp" courier', 'client:"Acme Corp"', "courier"),
        ("severity:>=3", "severity:>=3", ""),
        ("a -tag:x b", "-tag:x", "a b"),
        ("invoice late", None, None),
        ("nosuch:field words", None, None),  # not a filter: searched as text, so nothing to drop
    ],
)
def test_the_last_filter_can_be_dropped(raw: str, last: str | None, without: str | None) -> None:
    assert query.last_filter_text(raw) == last
    assert query.without_last_filter(raw) == without


def test_quotes_inside_text_are_searched_literally(journal: Store) -> None:
    assert titles(journal, "quoted") == ["Late report"]
    assert titles(journal, "NEAR(x") == ["Late report"]
    assert titles(journal, "col:val") == ["Late report"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=60))
def test_any_input_is_valid(journal: Store, text: str) -> None:
    journal.search(text, limit=5)
    journal.count(text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(['"', "-", "(", ")", "*", "^", ":", "client:", "AND", "NEAR", " ", "a", "é", "🍕",
                                 "severity:>", "tag:", "'", ";"]), max_size=12).map("".join))
def test_syntax_soup_is_valid(journal: Store, text: str) -> None:
    journal.search(text, limit=5)


def test_ranking_window_keeps_every_match_once_and_pages_consistently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal import search

    monkeypatch.setattr(search, "RANK_WINDOW", 5)
    with Store.open(tmp_path / "w.hindsight") as store:
        entries = [
            PostMortem.from_dict({"title": f"courier {'courier ' * (i % 3)}note {i}", "role": "maker",
                                  "occurred_on": f"2024-01-{i + 1:02d}", "client": "Acme" if i % 2 else "Beta"})
            for i in range(17)
        ]
        store.insert_many(entries)
        every = store.search_ids("courier")
        assert sorted(every) == sorted(e.id for e in entries)
        pages = [s.id for start in range(0, 17, 4) for s in store.search("courier", limit=4, offset=start)]
        assert pages == every
        assert store.count("courier") == 17
        filtered = store.search_ids("courier client:acme")
        assert sorted(filtered) == sorted(e.id for e in entries if e.client == "Acme")
        store.trash([entries[0].id])
        assert store.count("courier") == 16 and store.count("courier", trash=True) == 1


def test_matches_older_than_the_ranking_window_follow_most_recently_written_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal import search

    monkeypatch.setattr(search, "RANK_WINDOW", 3)
    with Store.open(tmp_path / "w.hindsight") as store:
        # Written in an order unlike their dates, as an import of old notes would be.
        days = [5, 1, 9, 3, 7, 2, 8, 4, 6]
        entries = [PostMortem.from_dict({"title": f"courier note {d}", "role": "maker",
                                         "occurred_on": f"2024-01-0{d}"}) for d in days]
        for pm in entries:
            store.insert_many([pm])
        every = store.search_ids("cour")
        written_last_first = [pm.id for pm in reversed(entries)]
        assert sorted(every[:3]) == sorted(written_last_first[:3])  # the window, by relevance
        assert every[3:] == written_last_first[3:]
        assert [s.id for start in range(0, 9, 2) for s in store.search("cour", limit=2, offset=start)] == every
        assert store.search_ids("cour", limit=4) == every[:4]


def test_common_and_rare_filters_give_the_same_page_either_way(tmp_path: Path) -> None:
    with Store.open(tmp_path / "big.hindsight") as store:
        entries = [
            PostMortem.from_dict({
                "title": f"entry {i}", "role": "maker", "occurred_on": f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}",
                "tags": ["common"] + (["rare"] if i % 97 == 0 else []),
                "follow_ups": [{"text": "call", "due_on": "2020-01-01"}] if i % 3 == 0 else [],
            })
            for i in range(2200)
        ]
        store.insert_many(entries)
        for text in ("tag:common", "tag:rare", "has:overdue", "tag:common tag:rare", "tag:common -tag:rare",
                     "entry tag:common", "e tag:rare", "entr has:overdue tag:common", "en -tag:rare"):
            every = store.search_ids(text)
            assert [s.id for s in store.search(text, limit=50)] == every[:50], text
            assert [s.id for s in store.search(text, limit=50, offset=60)] == every[60:110], text
