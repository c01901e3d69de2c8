"""Validation of the post-mortem: every bad value names its field."""

from __future__ import annotations

import copy
from dataclasses import fields, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal import model
from journal.model import Breadsticks, Emotion, FollowUp, Outcome, PostMortem, RecoveryStep
from tests.journal.pm_strategies import post_mortems


def make(**fields: object) -> dict[str, object]:
    data: dict[str, object] = {"title": "Sent the wrong invoice", "role": "maker"}
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"role": "bystander"}, "role"),
        ({"severity": 9}, "severity"),
        ({"severity": 0}, "severity"),
        ({"severity": "high"}, "severity"),
        ({"severity": 2.5}, "severity"),
        ({"occurred_on": "2025-13-45"}, "occurred_on"),
        ({"occurred_on": "yesterday"}, "occurred_on"),
        ({"status": "done"}, "status"),
        ({"detection": "radar"}, "detection"),
        ({"response_style": "shrugged"}, "response_style"),
        ({"emotions": [{"who": "me", "name": "angry", "intensity": 7}]}, "emotions[0].intensity"),
        ({"emotions": [{"who": "boss", "name": "angry", "intensity": 3}]}, "emotions[0].who"),
        ({"recovery": {"apology": {"state": "maybe"}}}, "recovery.apology.state"),
        ({"recovery": {"bribe": {"state": "done"}}}, "recovery"),
        ({"breadsticks": {"kind": "pizza"}}, "breadsticks.kind"),
        ({"breadsticks": {"cost": -5}}, "breadsticks.cost"),
        ({"follow_ups": [{"text": "call", "due_on": "2024-02-30"}]}, "follow_ups[0].due_on"),
        ({"follow_ups": [{"text": ""}]}, "follow_ups[0].text"),
        ({"outcome": {"satisfaction": 6}}, "outcome.satisfaction"),
        ({"id": "not-a-uuid"}, "id"),
        ({"surprise": 1}, "surprise"),
        ({"what_happened": "a\x00b"}, "what_happened"),
    ],
)
def test_bad_values_raise_naming_the_field(fields: dict[str, object], named: str) -> None:
    with pytest.raises(ValueError, match=named.replace("[", r"\[").replace("]", r"\]")):
        PostMortem.from_dict(make(**fields))


def test_error_lists_the_allowed_values() -> None:
    with pytest.raises(ValueError) as caught:
        PostMortem.from_dict(make(role="bystander"))
    assert "maker" in str(caught.value) and "receiver" in str(caught.value)


def test_defaults_give_a_complete_entry() -> None:
    pm = PostMortem.from_dict(make())
    assert pm.status == "draft"
    assert set(pm.recovery) == {
        "responsibility", "apology", "correction", "compensation", "satisfaction_check", "acceptance"
    }
    assert all(step.state == "pending" for step in pm.recovery.values())
    assert len(pm.occurred_on) == 10


def test_dict_round_trip_is_exact() -> None:
    data = make(
        client="Café Ümlaut",
        causes=["handoff", "my own cause"],
        tags=["🍕", "launch"],
        emotions=[{"who": "them", "name": "angry", "intensity": 5, "intensity_now": 2}],
        breadsticks={"offered": "A refund", "kind": "refund", "cost": 120.5, "currency": "EUR", "accepted": "yes"},
        follow_ups=[{"text": "Call back", "owner": "me", "due_on": "2024-05-01", "status": "open"}],
        lessons=["Say the day, not 'next week'"],
    )
    pm = PostMortem.from_dict(data)
    assert PostMortem.from_dict(pm.to_dict()) == pm


def test_labels_are_trimmed_and_deduplicated() -> None:
    pm = PostMortem.from_dict(make(tags=[" launch ", "launch", "", "print"]))
    assert pm.tags == ["launch", "print"]


def test_account_falls_back_to_client() -> None:
    assert PostMortem.from_dict(make(client="Acme")).effective_account == "Acme"
    assert PostMortem.from_dict(make(client="Acme", account="Acme Group")).effective_account == "Acme Group"


# --- the fast path for clean records is exactly the full validation -----------------------------

_ODD = st.one_of(
    st.sampled_from(
        ["", " ", "me", "them", "x", " angry ", "angry", "a\x00b", "done", "pending", "n/a", "open", "dropped",
         "held", "recurred", "2024-05-01", "2024-02-30", "2024-W01-1", "20240501", "2024-5-1", "yes",
         "refund", "gesture", "unknown", "no", "EUR", " EUR"]
    ),
    st.none(), st.booleans(), st.integers(-1, 7), st.floats(0, 6), st.floats(), st.just(-0.0),
    st.just([]), st.just({}),
)


def _record_dicts(keys: tuple[str, ...]) -> st.SearchStrategy[dict[str, object]]:
    return st.dictionaries(st.sampled_from((*keys, "extra")), _ODD, max_size=len(keys) + 1)


def _outcome(cls: type, data: dict[str, object]) -> object:
    try:
        made = cls.from_dict(dict(data), "x")
    except ValueError as error:
        return ("error", str(error))
    if isinstance(made, FollowUp) and not (isinstance(data.get("id"), str) and data.get("id")):
        made = replace(made, id="generated")
    return made


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from([Emotion, RecoveryStep, FollowUp, Breadsticks, Outcome]).flatmap(
        lambda cls: st.tuples(st.just(cls), _record_dicts(tuple(f.name for f in fields(cls))))
    )
)
def test_clean_records_take_a_fast_path_with_exactly_the_same_result(case: tuple[type, dict[str, object]]) -> None:
    cls, data = case
    model.parse_date("warm", "2024-05-01")  # a date the fast path knows
    fast = _outcome(cls, data)
    model._FAST_RECORDS = False
    try:
        slow = _outcome(cls, data)
    finally:
        model._FAST_RECORDS = True
    assert fast == slow


_FIELD_NAMES = tuple(f.name for f in fields(PostMortem))
_ODD_FIELD = st.one_of(
    _ODD, st.sampled_from(["maker", "receiver", "reviewed", "escalation", "owned", " Acme", "Acme"]),
    st.just(["a", "a"]), st.just(["a", " b"]), st.just([" "]), st.just(["x\x00"]),
    st.just({"apology": {"state": "done"}}), st.just({"nope": None}), st.just([{"name": "angry"}]),
    st.just("2024-05-01T09:30:00Z"), st.just("0b2d1d2e-6d1f-4d37-9a0e-3f8b3c0a1e5d"),
    st.just("0B2D1D2E-6D1F-4D37-9A0E-3F8B3C0A1E5D"), st.just(2**63), st.text(max_size=3),
)


@settings(max_examples=300, deadline=None)
@given(post_mortems(), st.dictionaries(st.sampled_from((*_FIELD_NAMES, "extra")), _ODD_FIELD, max_size=3))
def test_a_clean_entry_takes_a_fast_path_with_exactly_the_same_result(
    pm: PostMortem, changes: dict[str, object]
) -> None:
    data = {**pm.to_dict(), **changes}
    model.parse_date("warm", pm.occurred_on)  # a date the fast path knows

    def outcome() -> object:
        try:
            return PostMortem.from_dict(json_copy(data))
        except ValueError as error:
            return ("error", str(error))

    fast = outcome()
    model._FAST_RECORDS = False
    try:
        slow = outcome()
    finally:
        model._FAST_RECORDS = True
    if isinstance(fast, PostMortem) and isinstance(slow, PostMortem) and not str(data.get("id") or "").strip():
        slow = replace(slow, id=fast.id)  # a missing id is made up anew each time
    assert fast == slow


def json_copy(data: dict[str, object]) -> dict[str, object]:
    """A deep copy, as our readers give: every call gets fresh dicts and lists."""
    return copy.deepcopy(data)


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_an_infinite_number_is_a_clear_error(value: float) -> None:
    with pytest.raises(ValueError, match="revision must be a whole number"):
        PostMortem.from_dict({"title": "x", "role": "maker", "revision": value})
