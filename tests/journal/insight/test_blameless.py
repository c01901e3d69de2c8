"""Blameless hints: blame is flagged with a rewrite; neutral wording is left alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from journal.insight.blameless import hints, text_hints
from journal.model import FollowUp, PostMortem, RecoveryStep
from journal.store import Store


@pytest.mark.parametrize(
    ("text", "flagged", "kind"),
    [
        ("Honestly it was their fault from the start.", "it was their fault", "blame_others"),
        ("The people at the depot are idiots.", "idiots", "blame_others"),
        ("Their new account manager is incompetent.", "Their new account manager is incompetent", "blame_others"),
        ("They never listen to what we ask.", "They never listen", "blame_others"),
        ("The client is so clueless about print.", "The client is so clueless", "blame_others"),
        ("I'm so stupid, I sent the old file.", "I'm so stupid", "blame_self"),
        ("I’m such an idiot.", "I’m such an idiot", "blame_self"),
        ("I always ruin the big launches.", "I always ruin", "blame_self"),
        ("Honestly I feel useless after this one.", "I feel useless", "blame_self"),
        ("🍕 Après le déjeuner, I'm so stupid 🙈", "I'm so stupid", "blame_self"),
    ],
)
def test_blaming_wording_is_flagged_with_its_exact_span(text: str, flagged: str, kind: str) -> None:
    [hint] = text_hints(text, "what_happened")
    assert hint.text == flagged and text[hint.start : hint.end] == flagged
    assert hint.kind == kind and hint.field == "what_happened"
    assert hint.message and hint.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "We run blameless post-mortems; blameless means facts first.",
        "The fault was in the config, not in anyone's work.",
        "The error message was useless for diagnosing the outage.",
        "It was my fault: I missed the date and I have called them to fix it.",
        "The stupid printer jammed twice.",
        "They never received the second email because the address was old.",
        "",
    ],
)
def test_neutral_wording_is_not_flagged(text: str) -> None:
    assert text_hints(text) == []


# Blame aimed at someone named: a person, a team, "the agent", "the vendor", "the courier".
MUST_FLAG = [
    ("It was Priya's fault.", "It was Priya's fault"),
    ("It was the ops team's fault really.", "It was the ops team's fault"),
    ("It was the ops team’s fault, as usual.", "It was the ops team’s fault"),
    ("Honestly, all Cloudharbor's fault.", "all Cloudharbor's fault"),
    ("the agent was useless", "the agent was useless"),
    ("The vendor was completely incompetent.", "The vendor was completely incompetent"),
    ("Our courier was careless with the pallets.", "Our courier was careless"),
    ("Priya was lazy about the handover notes.", "Priya was lazy"),
    ("The night shift team were sloppy again.", "The night shift team were sloppy"),
    ("We were let down by a useless agent.", "useless agent"),
    ("Priya should have known the date had moved.", "Priya should have known"),
    ("The vendor should have known better.", "The vendor should have known better"),
    ("Tomás dropped the ball on the handoff.", "Tomás dropped the ball"),
    ("The courier screwed up the delivery.", "The courier screwed up"),
    ("The fault lies squarely with the vendor.", "The fault lies squarely with the vendor"),
    ("The ops team is to blame for the outage.", "The ops team is to blame"),
    ("The agent was at fault.", "The agent was at fault"),
]
MUST_NOT_FLAG = [
    "No fault was found in the build.",
    "The agent escalated quickly and kept us informed.",
    "It wasn't Priya's fault: the note never reached her.",
    "It was nobody's fault; the form had no field for it.",
    "Nobody's fault, really.",
    "It was my fault, and I said so on the call.",
    "It was our fault: we sent the old file.",
    "The vendor's fault tolerance held up during the outage.",
    "The fault report came from the courier's scanner.",
    "Documentation was useless for this case.",
    "Friday was useless for deliveries because of the storm.",
    "We dropped the ball on the follow-up.",
    "I screwed up the date.",
    "I should have known the date had moved.",
    "The courier was late because the motorway was closed.",
    "The vendor sent the wrong version of the file.",
    "Priya caught the mistake before it reached the client.",
    "The ops team fixed the alarm within an hour.",
    "The printer was useless after the update.",
]


@pytest.mark.parametrize(("text", "flagged"), MUST_FLAG)
def test_blame_aimed_at_someone_named_is_flagged(text: str, flagged: str) -> None:
    [hint] = text_hints(text, "what_happened")
    assert hint.text == flagged and text[hint.start : hint.end] == flagged
    assert hint.kind == "blame_others" and hint.suggestion


@pytest.mark.parametrize("text", MUST_NOT_FLAG)
def test_facts_about_people_and_owning_a_mistake_are_not_flagged(text: str) -> None:
    assert text_hints(text) == []


def test_blame_is_found_anywhere_in_a_long_field() -> None:
    filler = "The van left at nine and the pallets arrived at the north gate. " * 400
    text = filler + "It was the ops team's fault really. " + filler + "Priya was careless."
    assert [h.text for h in text_hints(text)] == ["It was the ops team's fault", "Priya was careless"]


def test_hints_stay_hints_an_entry_with_blame_still_saves(tmp_path: Path) -> None:
    with Store.open(tmp_path / "j.hindsight") as store:
        saved, _ = store.save(PostMortem(title="Late pallets", what_happened="It was Priya's fault."))
        assert store.get(saved.id).what_happened == "It was Priya's fault."
    assert [h.kind for h in hints(saved)] == ["blame_others"]


def test_follow_ups_that_cannot_be_acted_on() -> None:
    pm = PostMortem(
        title="Late report",
        follow_ups=[
            FollowUp(text="Be more careful with attachments", owner="me", due_on="2025-05-01"),
            FollowUp(text="Add a preview step to the export checklist"),
            FollowUp(text="Pay more attention", status="done", owner="", due_on=""),
        ],
    )
    found = {(h.field, h.kind) for h in hints(pm)}
    assert found == {
        ("follow_ups[0]", "followup_vague"),
        ("follow_ups[1]", "followup_owner"),
        ("follow_ups[1]", "followup_due"),
    }


def test_hints_cover_every_text_field() -> None:
    pm = PostMortem(
        title="Their fault again",
        reflection="I'm useless at this.",
        lessons=["Don't hire idiots"],
        recovery={"apology": RecoveryStep("done", "They are lazy, but I apologized anyway")},
    )
    fields = {h.field for h in hints(pm)}
    assert {"title", "reflection", "lessons[0]", "recovery.apology"} <= fields
    assert hints("Nothing to see here.") == []
