"""An entry to the journal's rows and back: every field exactly, and the stored fingerprint kept true."""

from __future__ import annotations

from dataclasses import replace

from journal import model, rows
from journal.model import Emotion, FollowUp, PostMortem, ReviewNote, content_hash
from journal.store import Store


def entry(title: str = "Sent the wrong invoice", **fields: object) -> PostMortem:
    return PostMortem.from_dict({"title": title, "role": "maker", **fields})

ODD_TEXT = (
    "Emoji 🍕🔥👩🏽‍💻, right-to-left שלום עליכם مرحبا, combining e\u0301 a\u0308, "
    "control \x01\x07\x1b chars, zero-width\u200bjoin, tab\tand\r\nCRLF"
)

def _stored_hashes(store: Store) -> dict[str, str | None]:
    return dict(store.conn.execute("SELECT id, content_hash FROM entries").fetchall())


def test_odd_unicode_is_stored_exactly_and_searchable(store: Store) -> None:
    saved, _ = store.save(entry("Ünïcødé 🍕 title", what_happened=ODD_TEXT, client="Société Générale"))
    assert store.get(saved.id).what_happened == ODD_TEXT
    assert [s.id for s in store.search("שלום")] == [saved.id]
    assert [s.id for s in store.search("🍕")] == [saved.id]
    assert [s.id for s in store.search("societe")] == [saved.id]


def test_a_five_megabyte_narrative_round_trips_and_is_searchable(store: Store) -> None:
    big = ("The courier waited at the wrong loading bay. " * 120_000)[:5_000_000] + " zanzibar"
    saved, _ = store.save(entry(what_happened=big))
    assert store.get(saved.id).what_happened == big
    assert [s.id for s in store.search("zanzibar")] == [saved.id]


def test_every_field_round_trips(store: Store) -> None:
    pm = entry(
        client="Acme",
        account="Acme Group",
        severity=4,
        status="open",
        detection="escalation",
        impact="Their launch slipped.",
        contributing_factors="No written hand-over.",
        causes=["handoff", "custom cause"],
        first_response_hours=26.5,
        response_style="owned",
        emotions=[Emotion("me", "embarrassed", 5, 2), Emotion("them", "angry", 4, None)],
        recovery={"apology": {"state": "done", "note": "same day"}, "compensation": {"state": "skipped"}},
        breadsticks={"offered": "10% off", "kind": "discount", "cost": 250.0, "currency": "EUR", "accepted": "yes"},
        follow_ups=[FollowUp(text="Template", owner="me", due_on="2024-02-01").__dict__],
        lessons=["Write it down", "Say the day"],
        reflection="private",
        tags=["launch"],
        review_notes=[ReviewNote(author="Ruth", text="Good write-up").__dict__],
        outcome={"client_retained": "yes", "satisfaction": 4},
    )
    saved, changes = store.save(pm)
    assert changes.created == (pm.id,)
    loaded = store.get(pm.id)
    assert loaded == saved
    assert loaded.recovery["apology"].note == "same day"
    assert loaded.follow_ups[0].text == "Template"
    assert loaded.first_response_hours == 26.5


def test_the_row_maps_every_single_valued_field_of_the_table_to_its_column() -> None:
    records = (list, dict, model.Breadsticks, model.Outcome)
    plain = [n for n in model.TABLE if not isinstance(model.field_default(n), records)]
    assert list(rows.SCALAR_FIELDS) == plain
    assert set(plain) <= set(rows.ENTRY_FIELDS) and rows.ENTRY_FIELDS[-1] == "content_hash"
    assert rows.ADDED_IN["first_response_hours"] == 9


def test_every_write_keeps_the_stored_fingerprint_true(store: Store) -> None:
    # Export and sync trust the stored fingerprint instead of working it out; a stale
    # one would make a sync take an old file for a newer edit.
    first, _ = store.save(entry("Wrong invoice", client="Acme"))
    second, _ = store.save(replace(first, impact="They paid twice.", lessons=["Check the PO"]))
    bulk = [entry(f"bulk {i}", tags=["pizza"]) for i in range(3)]
    store.insert_many(bulk)
    stored = _stored_hashes(store)
    assert stored[first.id] == content_hash(second) != content_hash(first)
    assert all(stored[pm.id] == content_hash(pm) for pm in bulk)
    store.trash([bulk[0].id])
    store.restore([bulk[1].id])  # not in the trash: nothing changes
    pairs = dict((pm.id, (pm, digest)) for pm, digest in store.get_many_hashed([*stored]))
    assert all(digest == content_hash(pm) for pm, digest in pairs.values())
    assert pairs[bulk[0].id][0].deleted and pairs[bulk[0].id][1] != stored[bulk[0].id]
