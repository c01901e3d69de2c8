"""The one field table of ``journal.model``: each §2 field declared once, and what derives from it."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass, replace

import pytest

from journal import model
from journal.model import TABLE, PostMortem, content_hash
from tests.journal.pm_strategies import EVERY_FIELD, NUMBERS, simple, strategy_for

# Fingerprints stored for EVERY_FIELD (entries.content_hash, sync_state.hash) by the hand-written
# fingerprint before the table existed.
MINIMAL = {"id": "1b2d1d2e-6d1f-4d37-9a0e-3f8b3c0a1e5d", "title": "x", "role": "receiver", "occurred_on": "2023-01-02"}


def test_fingerprints_stored_before_the_table_stay_the_same() -> None:
    assert content_hash(PostMortem.from_dict(EVERY_FIELD)) == (
        "863842e518cc50e88c275b0bc3e86507dd55e56d422ea20cfcb9cdccd5fde54b"
    )
    assert content_hash(PostMortem.from_dict(MINIMAL)) == (
        "0f9f84139318fecdbc2f48a3e48de36b07aae5a467520955026918f53087d13a"
    )
    trashed = {**EVERY_FIELD, "deleted": True, "breadsticks": {"cost": 4, "hours": 1}}
    assert content_hash(PostMortem.from_dict(trashed)) == (
        "863db8e9f17bc73a59c5552c82e57b372715aae29df03e6124d9c1f30594514d"
    )


def test_every_field_is_declared_in_the_table() -> None:
    assert list(TABLE) == [f.name for f in fields(PostMortem)]
    for name, spec in TABLE.items():
        assert spec.label, name
        assert spec.since >= 1, name
        if spec.allowed:
            assert model.field_default(name) in spec.allowed, name


def test_what_derives_from_the_table_matches_design() -> None:
    assert set(model.PRIVATE_FIELDS) == {"emotions", "reflection", "response_style", "review_notes"}
    assert model.MD_FIELDS == ("what_happened", "impact", "contributing_factors", "reflection")
    assert {name for name, spec in TABLE.items() if spec.stamp} == {"created_at", "updated_at", "revision"}
    assert TABLE["role"].allowed == model.ROLES and TABLE["response_style"].allowed == model.RESPONSE_STYLES


def test_json_keeps_the_key_order_it_has_always_printed() -> None:
    keys = list(json.loads(json.dumps(PostMortem.from_dict(EVERY_FIELD).to_dict())))
    assert keys[:4] == ["title", "role", "id", "occurred_on"]
    assert sorted(keys) == sorted(TABLE)


def test_a_field_left_out_is_its_default_and_a_required_one_is_named() -> None:
    pm = PostMortem.from_dict({"title": "x", "role": "maker"})
    for name in TABLE:
        if name not in ("id", "occurred_on", "title", "role"):
            assert getattr(pm, name) == model.field_default(name), name
    for name in ("title", "role"):
        data = {"title": "x", "role": "maker"}
        del data[name]
        try:
            PostMortem.from_dict(data)
        except ValueError as error:
            assert str(error).startswith(name)
        else:
            raise AssertionError(f"{name} left out was accepted")


def test_hours_to_first_reply_count_in_the_fingerprint_only_when_known() -> None:
    pm = PostMortem.from_dict(EVERY_FIELD)
    unknown = content_hash(pm)
    assert pm.first_response_hours is None and unknown == content_hash(PostMortem.from_dict(EVERY_FIELD))
    assert content_hash(replace(pm, first_response_hours=4.0)) == content_hash(replace(pm, first_response_hours=4))
    assert len({unknown, content_hash(replace(pm, first_response_hours=0.0)),
                content_hash(replace(pm, first_response_hours=4.5))}) == 3


@pytest.mark.parametrize("bad", [-1, "soon", float("nan"), float("inf"), True, [3]])
def test_hours_to_first_reply_must_be_a_number_of_zero_or_more(bad: object) -> None:
    with pytest.raises(ValueError, match=r"^first_response_hours must be a number"):
        PostMortem.from_dict({"title": "x", "role": "maker", "first_response_hours": bad})


def test_every_plain_field_has_a_test_strategy() -> None:
    for name in TABLE:
        if isinstance(model.field_default(name), (str, int, float, bool, type(None))):
            assert strategy_for(name) is not None, name
    assert strategy_for("first_response_hours") is NUMBERS


# --- the content fingerprint behind sync ----------------------------------------------------------


def _changed_copies(pm: PostMortem) -> list[tuple[str, PostMortem]]:
    """One copy of ``pm`` per field (nested ones too) with only that field changed."""
    copies: list[tuple[str, PostMortem]] = []
    for f in fields(PostMortem):
        value = getattr(pm, f.name)
        if f.name in ("revision", "created_at", "updated_at"):
            continue
        if isinstance(value, str):
            copies.append((f.name, replace(pm, **{f.name: value + "x" if f.name != "occurred_on" else "2020-01-01"})))
        elif isinstance(value, bool):
            copies.append((f.name, replace(pm, **{f.name: not value})))
        elif isinstance(value, int):
            copies.append((f.name, replace(pm, **{f.name: value % 5 + 1})))
        elif value is None or isinstance(value, float):  # a number that may be unknown
            copies.append((f.name, replace(pm, **{f.name: _other(value)})))
        elif isinstance(value, list) and value and is_dataclass(value[0]):
            for sub in fields(value[0]):
                item = replace(value[0], **{sub.name: _other(getattr(value[0], sub.name))})
                copies.append((f"{f.name}.{sub.name}", replace(pm, **{f.name: [item, *value[1:]]})))
        elif isinstance(value, list):
            copies.append((f.name, replace(pm, **{f.name: [*value, "extra"]})))
        elif isinstance(value, dict):
            step = next(iter(value))
            for sub in fields(value[step]):
                changed = replace(value[step], **{sub.name: _other(getattr(value[step], sub.name))})
                copies.append((f"{f.name}.{sub.name}", replace(pm, **{f.name: {**value, step: changed}})))
        else:
            for sub in fields(value):
                changed = replace(value, **{sub.name: _other(getattr(value, sub.name))})
                copies.append((f"{f.name}.{sub.name}", replace(pm, **{f.name: changed})))
    return copies


def _other(value: object) -> object:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value % 5 + 1
    if value is None:
        return 3
    if isinstance(value, float):
        return value + 1
    return f"{value}x"


def test_the_fingerprint_sees_a_change_in_every_field_but_metadata() -> None:
    pm = simple(
        emotions=[{"name": "worried", "intensity": 2}],
        review_notes=[{"author": "Kim", "text": "ok", "written_at": "2024-05-02T10:00:00Z"}],
    )
    base = content_hash(pm)
    for name, copy in _changed_copies(pm):
        assert content_hash(copy) != base, name
    assert content_hash(replace(pm, revision=9, created_at="2020-01-01T00:00:00Z", updated_at="x")) == base
    assert content_hash(replace(pm, breadsticks=replace(pm.breadsticks, hours=4.0))) == content_hash(
        replace(pm, breadsticks=replace(pm.breadsticks, hours=4))
    )
