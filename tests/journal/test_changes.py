"""What a write changed: ``Changes`` merges, names every id it touched, and is false when nothing changed."""

from __future__ import annotations

import pytest

from journal.changes import Changes


def test_nothing_changed_is_false_and_touches_no_id() -> None:
    assert not Changes()
    assert Changes().ids == frozenset()


@pytest.mark.parametrize("kind", ["created", "updated", "trashed", "restored", "purged"])
def test_any_one_kind_of_change_is_true_and_names_its_entry(kind: str) -> None:
    changes = Changes(**{kind: ("a",)})
    assert changes
    assert changes.ids == frozenset({"a"})


def test_merging_keeps_each_kind_in_order_and_ids_cover_them_all() -> None:
    first = Changes(created=("a",), trashed=("b",))
    second = Changes(created=("c",), updated=("a",), purged=("d",))
    merged = first | second
    assert merged == Changes(created=("a", "c"), updated=("a",), trashed=("b",), purged=("d",))
    assert merged.ids == frozenset({"a", "b", "c", "d"})  # an id touched twice counts once
    assert first | Changes() == first  # merging nothing changes nothing


def test_a_change_record_cannot_be_altered_after_the_write() -> None:
    changes = Changes(created=("a",))
    with pytest.raises(AttributeError):
        changes.created = ("b",)  # type: ignore[misc]
