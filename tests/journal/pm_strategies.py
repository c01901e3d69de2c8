"""Hypothesis strategies for post-mortems, shared by the Markdown, import and sync tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from journal import model
from journal.model import PostMortem

# Strings that a naive YAML or Markdown writer turns into something else.
HOSTILE = [
    "yes", "no", "null", "~", "1e3", "2024-05-01", ": # -", " lead", "trail ", "'", '"', "- item", "? q",
    "!tag", "&anchor", "*alias", "@at", "`tick", "%pct", "{a: 1}", "[1, 2]", "0x1F", "0o17", "+1", "-1", ".inf",
    ".nan", "1_000", "12:30:00", "<<", "=", "#", "---", "...", "## Impact", "### Offered", "\\## Impact",
    "## what HAPPENED  ", "\t", "\r\n", "\r", "\x85", "\u2028", "\u2029", "\ufeff", "\x7f", "\x1b[31m", "", " ",
    "\n", "\n\n", "true", "False", "Null", "NO", "on", "off", "y", "n", "👩\u200d💻🍕", "مرحبا بالعالم",
    "שלום", "e\u0301\u0302", "Zoë Ørsted", "<script>", "a: b", "x #y", "|", ">", "- [ ] task", "> quote",
]
_CHARS = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
_PIECE = st.one_of(st.sampled_from(HOSTILE), st.text(_CHARS, max_size=12))
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(_CHARS, max_size=40), st.lists(_PIECE, max_size=6).map("".join))
MULTILINE = st.one_of(TEXT, st.lists(TEXT, max_size=6).map("\n".join))
DATES = st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31)).map(dt.date.isoformat)
OPTIONAL_DATES = st.one_of(st.just(""), DATES)
STAMPS = st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0).isoformat() + "Z"
)
NUMBERS = st.one_of(st.none(), st.floats(min_value=0, max_value=1e18, allow_nan=False, allow_infinity=False))


def _title(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and "\n" not in text and "\r" not in text and len(stripped) <= model.TITLE_MAX


# Values for a field of the table, by what its parser takes (as Django picks a form field by model field).
_BY_PARSER: dict[Any, st.SearchStrategy[Any]] = {
    model._text: MULTILINE,
    model._parse_line: TEXT,
    model._parse_day: DATES,
    model._labels: st.lists(TEXT, max_size=4),
    model._parse_lessons: st.lists(MULTILINE, max_size=3),
    model._timestamp: st.one_of(st.just(""), STAMPS),
    model._parse_flag: st.booleans(),
    model._number: NUMBERS,
}
# Fields whose values need more than their parser says.
_BY_NAME: dict[str, st.SearchStrategy[Any]] = {
    "id": st.uuids().map(str),
    "title": st.one_of(TEXT, st.text(_CHARS, min_size=150, max_size=200)).filter(_title),
    "severity": st.integers(1, 5),
    "revision": st.integers(0, 10**6),
    "causes": st.lists(st.one_of(st.sampled_from(model.CAUSES), TEXT), max_size=4),
}


def strategy_for(name: str) -> st.SearchStrategy[Any]:
    """Valid values of one plain field of the table; a new field without one fails here, by name."""
    spec = model.TABLE[name]
    if name in _BY_NAME:
        return _BY_NAME[name]
    if spec.allowed:
        return st.sampled_from(spec.allowed)
    if spec.parse in _BY_PARSER:
        return _BY_PARSER[spec.parse]
    raise LookupError(f"no hypothesis strategy for the field {name!r}: add one to tests/journal/pm_strategies.py")


@st.composite
def post_mortems(draw: Any) -> PostMortem:
    """Valid post-mortems covering every enum value, empty and Unicode-heavy fields."""
    emotions = st.fixed_dictionaries(
        {
            "who": st.sampled_from(model.EMOTION_WHO),
            "name": TEXT.filter(lambda t: bool(t.strip())),
            "intensity": st.integers(1, 5),
            "intensity_now": st.one_of(st.none(), st.integers(1, 5)),
        }
    )
    follow_ups = st.fixed_dictionaries(
        {
            "id": st.uuids().map(str),
            "text": MULTILINE.filter(lambda t: bool(t.strip())),
            "owner": TEXT,
            "due_on": OPTIONAL_DATES,
            "status": st.sampled_from(model.FOLLOW_UP_STATUSES),
            "done_on": OPTIONAL_DATES,
            "check_on": OPTIONAL_DATES,
            "check_result": st.sampled_from(model.CHECK_RESULTS),
            "note": MULTILINE,
        }
    )
    notes = st.fixed_dictionaries(
        {"id": st.uuids().map(str), "author": TEXT, "written_at": STAMPS, "text": MULTILINE}
    )
    records = {
        "emotions": st.lists(emotions, max_size=3),
        "recovery": st.fixed_dictionaries(
            {
                step: st.fixed_dictionaries({"state": st.sampled_from(model.RECOVERY_STATES), "note": TEXT})
                for step in model.RECOVERY_STEPS
            }
        ),
        "breadsticks": st.fixed_dictionaries(
            {
                "offered": MULTILINE,
                "kind": st.sampled_from(model.BREADSTICK_KINDS),
                "cost": NUMBERS,
                "currency": TEXT,
                "hours": NUMBERS,
                "accepted": st.sampled_from(model.ACCEPTED),
                "wished_for": MULTILINE,
            }
        ),
        "follow_ups": st.lists(follow_ups, max_size=3),
        "review_notes": st.lists(notes, max_size=2),
        "outcome": st.fixed_dictionaries(
            {
                "client_retained": st.sampled_from(model.RETAINED),
                "satisfaction": st.one_of(st.none(), st.integers(1, 5)),
            }
        ),
    }
    data = {name: draw(records[name] if name in records else strategy_for(name)) for name in model.TABLE}
    return PostMortem.from_dict(data)


def simple(title: str = "Sent the wrong file", **changes: Any) -> PostMortem:
    """A small valid entry for example-based tests."""
    data: dict[str, Any] = {
        "title": title,
        "role": "maker",
        "client": "Acme Corp",
        "occurred_on": "2024-05-01",
        "status": "open",
        "what_happened": "We sent last month's file.\n",
        "follow_ups": [{"text": "Check attachments", "owner": "Sam", "due_on": "2024-05-10"}],
        "lessons": ["Preview before sending"],
    }
    data.update(changes)
    return PostMortem.from_dict(data)


# An entry with every field set to something other than its default.
EVERY_FIELD: dict[str, Any] = {
    "id": "0b2d1d2e-6d1f-4d37-9a0e-3f8b3c0a1e5d", "title": "Sent the wrong rate card", "occurred_on": "2024-05-01",
    "role": "maker", "client": "Acme Corp", "account": "Acme Group", "severity": 4, "status": "resolved",
    "detection": "client", "what_happened": "We sent last year's card.\n", "impact": "A day of confusion.",
    "contributing_factors": "Two templates, same name.", "causes": ["handoff", "tooling"], "response_style": "owned",
    "emotions": [{"who": "me", "name": "embarrassed", "intensity": 4, "intensity_now": 2}],
    "recovery": {"apology": {"state": "done", "note": "called"}, "compensation": {"state": "skipped"}},
    "breadsticks": {"offered": "A discount", "kind": "discount", "cost": 120.0, "currency": "EUR", "hours": 2.5,
                    "accepted": "yes", "wished_for": ""},
    "follow_ups": [{"id": "f0000000-0000-4000-8000-000000000001", "text": "Rename templates", "owner": "Sam",
                    "due_on": "2024-05-10", "status": "done", "done_on": "2024-05-09", "check_on": "2024-06-01",
                    "check_result": "held", "note": "checked in June"},
                   {"id": "f0000000-0000-4000-8000-000000000002", "text": "Tell the team", "status": "open"}],
    "lessons": ["Preview before sending"], "reflection": "I rushed.", "tags": ["rates", "email"],
    "review_notes": [{"id": "a0000000-0000-4000-8000-000000000003", "author": "Lee",
                      "written_at": "2024-05-12T09:00:00Z", "text": "Good catch"}],
    "outcome": {"client_retained": "yes", "satisfaction": 4},
    "created_at": "2024-05-01T10:00:00Z", "updated_at": "2024-05-02T10:00:00Z", "revision": 3, "deleted": False,
}
