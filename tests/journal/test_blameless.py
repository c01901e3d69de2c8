"""Blameless hints: blame is flagged with a rewrite; neutral wording is left alone."""

from __future__ import annotations

import pytest

from journal.blameless import hints, text_hints
from journal.model import FollowUp, PostMortem, RecoveryStep


@pytest.mark.parametrize(
    ("text", "flagged", "kind"),
    [
        ("Honestly it was their fault from the start.", "it was their fault", "blame_others"),
        ("The people at the depot are idiots.", "idiots", "blame_others"),
        ("Their new account manager is incompetent.", "incompetent", "blame_others"),
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
