"""The §3 search syntax: parsing, filters, and that no input can break the SQL."""

from __future__ import annotations

import pytest

from journal import query


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
