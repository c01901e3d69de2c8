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
    data = {
        "id": str(draw(st.uuids())),
        "title": draw(st.one_of(TEXT, st.text(_CHARS, min_size=150, max_size=200)).filter(_title)),
        "occurred_on": draw(DATES),
        "role": draw(st.sampled_from(model.ROLES)),
        "client": draw(TEXT),
        "account": draw(TEXT),
        "severity": draw(st.integers(1, 5)),
        "status": draw(st.sampled_from(model.STATUSES)),
        "detection": draw(st.sampled_from(model.DETECTIONS)),
        "what_happened": draw(MULTILINE),
        "impact": draw(MULTILINE),
        "contributing_factors": draw(MULTILINE),
        "causes": draw(st.lists(st.one_of(st.sampled_from(model.CAUSES), TEXT), max_size=4)),
        "response_style": draw(st.sampled_from(model.RESPONSE_STYLES)),
        "emotions": draw(st.lists(emotions, max_size=3)),
        "recovery": {
            step: {"state": draw(st.sampled_from(model.RECOVERY_STATES)), "note": draw(TEXT)}
            for step in model.RECOVERY_STEPS
        },
        "breadsticks": {
            "offered": draw(MULTILINE),
            "kind": draw(st.sampled_from(model.BREADSTICK_KINDS)),
            "cost": draw(NUMBERS),
            "currency": draw(TEXT),
            "hours": draw(NUMBERS),
            "accepted": draw(st.sampled_from(model.ACCEPTED)),
            "wished_for": draw(MULTILINE),
        },
        "follow_ups": draw(st.lists(follow_ups, max_size=3)),
        "lessons": draw(st.lists(MULTILINE, max_size=3)),
        "reflection": draw(MULTILINE),
        "tags": draw(st.lists(TEXT, max_size=4)),
        "review_notes": draw(st.lists(notes, max_size=2)),
        "outcome": {
            "client_retained": draw(st.sampled_from(model.RETAINED)),
            "satisfaction": draw(st.one_of(st.none(), st.integers(1, 5))),
        },
        "created_at": draw(st.one_of(st.just(""), STAMPS)),
        "updated_at": draw(st.one_of(st.just(""), STAMPS)),
        "revision": draw(st.integers(0, 10**6)),
        "deleted": draw(st.booleans()),
    }
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
