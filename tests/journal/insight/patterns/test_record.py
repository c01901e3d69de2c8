"""The pattern record as DESIGN §5/§6 give it: ``{kind, sentence, strength, evidence}``, a JSON-ready dict."""

from __future__ import annotations

import json

from journal.insight.patterns.record import Pattern


def test_a_pattern_becomes_the_four_keys_of_the_design_and_is_json() -> None:
    found = Pattern("recurring_cause", "Handoffs recur.", 0.6666666, ["b", "a"])
    data = found.to_dict()
    assert data == {"kind": "recurring_cause", "sentence": "Handoffs recur.", "strength": 0.667, "evidence": ["b", "a"]}
    assert json.loads(json.dumps(data)) == data  # what `hindsight patterns --json` prints


def test_the_evidence_given_out_is_a_copy_the_reader_cannot_change_the_pattern_through() -> None:
    found = Pattern("recurring_client", "Acme again.", 0.5, ["a"])
    found.to_dict()["evidence"].append("x")
    assert found.evidence == ["a"]


def test_a_pattern_without_evidence_has_an_empty_list() -> None:
    assert Pattern("role_balance", "Mostly yours.", 1.0).to_dict()["evidence"] == []
