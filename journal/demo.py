"""A realistic demo journal, deterministic for a seed (and a day).

It is what a new user explores, the fixture the patterns work is tested on and
what the benchmarks measure, so it plants real recurring patterns (``PLANTED``)
and near-repeats of earlier entries (``near_repeats``). Every sentence here was
written for Hindsight; the people and companies are invented.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from journal.model import (
    Breadsticks,
    Emotion,
    FollowUp,
    Outcome,
    PostMortem,
    RecoveryStep,
    ReviewNote,
)
from journal.store import Store

# What a pattern engine should find in any demo journal of a few hundred entries or more.
PLANTED: dict[str, str] = {
    "recurring_client": "Brightwater Clinics is the client in about 10% of 'I made it' entries, mostly handoffs",
    "recurring_account": "the Brightwater Health account (Clinics + Labs) gathers about 14% of all entries",
    "recurring_cause": "handoff is the most frequent cause, in about a third of entries",
    "recurring_tag": "the tag 'reporting' is on about 25% of entries, twice as often as any other tag",
    "role_balance": "the share of 'I made it' entries rises from about 45% to about 70% over the span",
    "emotions_by_role": "makers mostly feel embarrassed or anxious; receivers mostly frustrated or angry",
    "emotion_fade": "in reviewed entries, 'me' emotions are re-rated 1 to 3 points lower",
    "response_style": "over_apologized is the most common first response among makers (about 40%)",
    "response_speed": "makers who deflected first replied after a median of about 35 h; who owned it, about 4 h",
    "skipped_recovery_step": "satisfaction_check is skipped in about 55% of maker entries, more than any step",
    "apology_without_remedy": "about 15% of maker entries: apology done, correction and compensation skipped",
    "breadsticks_outcome": "discounts are mostly accepted (about 80%); gestures are mostly refused (about 65%)",
    "followups_overdue": "recent open follow-ups past their due date exist (about a quarter of open ones)",
    "followup_completion": "older follow-ups are mostly done, a few dropped; days to done vary 1 to 40",
    "fix_did_not_hold": "checked fixes recur about half the time on entries tagged 'reporting', rarely elsewhere",
    "relearned_lesson": "a lesson about confirming the delivery date in writing recurs in varied wording",
    "weekday_cluster": "Mondays carry about a quarter of all entries",
    "after_break": "no entries from 22 Dec to 2 Jan; a cluster in the two weeks after the new-year break",
}

NEAR_REPEAT_EVERY = 25


@dataclass(frozen=True)
class Party:
    name: str
    account: str


CLIENTS = [
    Party("Brightwater Clinics", "Brightwater Health"),
    Party("Brightwater Labs", "Brightwater Health"),
    Party("Kestrel Freight", "Kestrel Group"),
    Party("Kestrel Air Cargo", "Kestrel Group"),
    Party("Oakhollow Bakery", ""),
    Party("Marlowe & Finch Solicitors", ""),
    Party("Tidewater Hotels", "Tidewater Hospitality"),
    Party("Tidewater Events", "Tidewater Hospitality"),
    Party("Quillon Software", ""),
    Party("Ferncastle Council", ""),
    Party("Ardent Dental Group", ""),
    Party("Nordvik Shipping", ""),
    Party("Sable Street Studios", ""),
    Party("Copperline Energy", ""),
    Party("Greenmantle Schools Trust", ""),
    Party("Halvorsen Architects", ""),
    Party("Lumen Opticians", ""),
    Party("Pike & Rowan Retail", ""),
    Party("Vantage Fitness", ""),
    Party("Château Lumière Wines", ""),
    Party("Østfold Timber", ""),
    Party("Saffron Table Restaurants", ""),
]
PROVIDERS = [
    "Swiftline Couriers", "Cloudharbor Hosting", "Inkwell Print Shop", "Parsley & Thyme Catering",
    "Northgate Subcontracting", "Bluepeak Telecom", "Metro Van Hire", "Keystone Payroll",
    "Lantern AV Hire", "Crestview Office Supplies",
]
PEOPLE = ["Priya", "Tomás", "Mei", "Jonah", "Aisha", "Lars", "Fatima", "Ben", "Noa", "Kwame", "Ines", "Dmitri"]
TEAM = ["Ruth (account lead)", "Sam (delivery)", "Oluwaseun (ops)", "Hana (quality)"]
DELIVERABLES = [
    "quarterly board pack", "patient newsletter", "shipment manifest", "menu cards", "payroll run",
    "launch microsite", "site survey report", "training schedule", "stock forecast", "contract bundle",
    "invoice batch", "rota spreadsheet", "brand guidelines", "migration plan", "catering order",
    "conference badges", "safety audit", "price list", "onboarding pack", "monthly KPI report",
]
QUALIFIERS = [
    "amber", "northern", "revised", "spring", "Lisbon", "winter", "pilot", "second-wave", "regional",
    "Friday", "bilingual", "annual", "emergency", "partner", "weekend", "Tallinn", "harbour", "cedar",
]

# cause → (weight, what happened, contributing factors). {d} deliverable, {c} client, {p} person, {n} number.
CAUSE_TEXT: dict[str, tuple[int, list[str], list[str]]] = {
    "handoff": (34, [
        "{p} passed the {d} (ref {n}) to me on a Friday and the note left out that {c} had moved the deadline.",
        "The {d} for {c} changed hands twice in one week; the second hand-over lost the list of agreed changes.",
        "I took over the {d} (ref {n}) from {p} mid-stream and sent the old version to {c}.",
    ], [
        "The hand-over happened in a corridor conversation, with nothing written down.",
        "Two people each thought the other had confirmed the date with the client.",
        "The hand-over template has no line for promises already made to the client.",
    ]),
    "communication": (22, [
        "I told {c} the {d} would be ready 'early next week'; they heard Monday morning, I meant Wednesday.",
        "{c} asked a question about the {d} (ref {n}) by phone and my answer never reached {p}.",
        "An email about the {d} went to an old address at {c}, so nobody there saw it in time.",
    ], [
        "We agree dates by phone and rarely confirm them in writing.",
        "The client's contact changed and our address book did not.",
    ]),
    "expectations": (16, [
        "{c} expected the {d} to include printed copies; our quote only covered the digital file.",
        "The {d} (ref {n}) was delivered to scope, but {c} had pictured something far more polished.",
    ], [
        "The statement of work was written in our words, not the client's.",
        "Nobody showed {c} an example before we started.",
    ]),
    "capacity": (12, [
        "Three deadlines landed in the same week and the {d} for {c} slipped by two days.",
        "With {p} off sick, the {d} (ref {n}) waited in a queue nobody was watching.",
    ], [
        "We said yes to a rush job without moving anything else.",
        "There is no cover plan when one person is away.",
    ]),
    "process": (10, [
        "The {d} (ref {n}) skipped the second check because the checklist lived in someone's inbox.",
        "We invoiced {c} twice for the {d}; the billing step ran from two different spreadsheets.",
    ], [
        "The checklist is optional in practice.",
        "Two versions of the same spreadsheet were both treated as the master.",
    ]),
    "tooling": (8, [
        "The scheduling tool silently dropped the reminder for the {d} with {c}.",
        "An export from our system garbled the accents in the {d} (ref {n}) for {c}.",
    ], [
        "We trusted a reminder system we had never tested after its update.",
        "Nobody previews exports on real client data.",
    ]),
    "attention": (8, [
        "I attached last month's {d} instead of this month's when writing to {c}.",
        "I misread {n} as the due date for the {d} and booked the courier a day late.",
    ], [
        "It was the last task on a long day, done between two calls.",
        "Both files had nearly the same name.",
    ]),
    "knowledge": (6, [
        "I did not know {c} needs a purchase order number on every {d}, so their finance team rejected it.",
        "The {d} (ref {n}) used a format {c}'s regulator no longer accepts.",
    ], [
        "The client's rules were known to one colleague who had left.",
    ]),
    "external": (6, [
        "A storm closed the motorway and the {d} for {c} arrived a day late.",
        "A supplier ran out of stock for the {d} (ref {n}) two days before the event.",
    ], [
        "We had no second supplier lined up.",
    ]),
}
RECEIVER_TEXT = [
    "{c} delivered the {d} (ref {n}) two days late and only told us when we chased.",
    "{c} sent the wrong version of the {d}; we found out in front of our own client.",
    "The order from {c} for the {d} (ref {n}) arrived incomplete, with no note about the missing part.",
    "{c} promised a call-back about the {d} and never made it.",
]
IMPACTS = [
    "{c} had to postpone a meeting with their own customers.",
    "Two people at {c} spent an afternoon redoing work.",
    "{c}'s manager escalated to our director, and trust took a visible knock.",
    "A small delay, noticed by {c} but without lasting harm.",
    "We lost half a day and had to apologise to our own client in turn.",
]
LESSONS_PLANTED = [
    "Confirm the delivery date in writing before starting.",
    "Always confirm delivery dates in writing before work starts.",
    "Get the delivery date confirmed in writing, not just agreed on the phone.",
    "Put the agreed delivery date in an email and ask for a written confirmation.",
    "Confirm deadlines in writing before starting the work.",
]
LESSONS_OTHER = [
    "A hand-over is not done until the notes are written down.",
    "Ask the client to show an example of what good looks like.",
    "Check attachments against the date in the file name before sending.",
    "Keep one master copy of every billing sheet.",
    "Line up a second supplier for anything time-critical.",
    "Say the day, not 'early next week'.",
    "Test reminders after every tool update.",
    "When someone is away, name who watches their queue.",
    "Write down the promises made to the client before passing work on.",
    "Preview every export on real client data.",
    "Call before the client has to chase.",
    "A fix is not done until someone checks it held a month later.",
]
FOLLOW_UP_TEXT = [
    "Add a 'promises made' line to the hand-over template",
    "Send {c} a written summary of the agreed dates",
    "Set up a shared calendar for {c} deadlines",
    "Review the billing sheet with finance",
    "Test the reminder system end to end",
    "Book a short retrospective with {p}",
    "Ask {c} for a named backup contact",
    "Be more careful with attachments",
    "Find a second supplier for the {d}",
    "Check the {d} process with the team",
]
OFFERS = {
    "refund": "A refund of the {d} fee.",
    "discount": "A discount on next month's invoice.",
    "freebie": "The next {d} at no charge.",
    "extra_work": "Extra hours to polish the {d}.",
    "personal_visit": "I visited {c} in person to talk it through.",
    "gesture": "A handwritten note and a box of pastries.",
    "none": "",
}
WISHED = [
    "A quick call the moment they knew it would be late.",
    "An honest date, even a later one, instead of a hopeful one.",
    "A credit on the invoice and a named person to call next time.",
    "Just an acknowledgement that it cost us a day.",
]
TAGS = ["reporting", "launch", "invoice", "onsite", "weekend", "migration", "print", "events", "renewal", "urgent"]
MAKER_EMOTIONS = [("embarrassed", 5), ("anxious", 4), ("guilty", 2), ("frustrated", 2)]
RECEIVER_EMOTIONS = [("frustrated", 5), ("angry", 3), ("let down", 2), ("anxious", 1)]
THEIR_EMOTIONS = [("angry", 3), ("disappointed", 4), ("worried", 2)]
REFLECTIONS = [
    "I went quiet for an hour before calling. Next time I call first and think after.",
    "Honestly I was more worried about looking bad than about their launch.",
    "The call went better than I feared once I stopped explaining and started fixing.",
    "I want to be the person who rings before the client notices.",
    "",
]
REVIEW_NOTES = [
    "Good, honest write-up. The hand-over gap is showing up across the team, not just here.",
    "Agree with the follow-ups; let's check in a month whether the fix held.",
    "This one belongs in the next account review with the client.",
]


class _Weighted:
    """A weighted choice with its cumulative weights computed once (the demo draws millions)."""

    def __init__(self, weighted: list[tuple[Any, int]]) -> None:
        self.source = weighted
        self.values = [w[0] for w in weighted]
        self.cum = list(itertools.accumulate(w[1] for w in weighted))
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total)]


_WEIGHTED_CACHE: dict[int, _Weighted] = {}


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    table = _WEIGHTED_CACHE.get(id(weighted))
    if table is None or table.source is not weighted:  # ids are reused once a list is freed
        table = _WEIGHTED_CACHE[id(weighted)] = _Weighted(weighted)
    return table(rng)


def _w(values: list[Any], weights: list[int]) -> list[tuple[Any, int]]:
    return list(zip(values, weights, strict=True))


def _chance(rng: random.Random, p: float) -> bool:
    return rng.random() < p


# Weighted choices used per entry, with their weights.
_SEVERITY = _w([1, 2, 3, 4, 5], [24, 30, 26, 13, 7])
_DETECTION = _w(["client", "self", "colleague", "escalation", "public", "other"], [40, 25, 15, 10, 3, 7])
_STATUS_FRESH = _w(["draft", "open", "resolved"], [3, 5, 2])
_STATUS_RECENT = _w(["open", "resolved", "reviewed"], [3, 5, 2])
_STATUS_OLD = _w(["open", "resolved", "reviewed"], [1, 4, 5])
_RECEIVER_STYLE = _w(["", "owned"], [4, 1])
_FOLLOW_UP_OLD = _w(["done", "dropped", "open"], [85, 8, 7])
_FOLLOW_UP_PAST_DUE = _w(["done", "open"], [55, 45])
_FOLLOW_UP_FUTURE = _w(["done", "open"], [20, 80])

# Hours to the first reply (low, high), by the maker's response style; as receiver, until they replied.
_REPLY_HOURS = {
    "owned": (0.5, 8.0), "over_apologized": (1.0, 12.0), "self_blamed": (2.0, 30.0), "deflected": (12.0, 72.0),
    "receiver": (2.0, 48.0),
}
_MAKER_STYLE = [("over_apologized", 40), ("owned", 30), ("self_blamed", 19), ("deflected", 11)]
_MAKE_GOOD_KIND = [
    ("discount", 30), ("gesture", 22), ("refund", 10), ("freebie", 10), ("extra_work", 12), ("personal_visit", 6),
    ("none", 10),
]
_CAUSE_WEIGHTS = [(k, v[0]) for k, v in CAUSE_TEXT.items()]


class _Generator:
    def __init__(self, seed: int, today: dt.date, days: int) -> None:
        self.rng = random.Random(seed)
        # Its own stream: the field came later, and every other value stays what the seed always gave.
        self.reply_rng = random.Random(f"{seed}:first_response_hours")
        self.today = today
        self.start = today - dt.timedelta(days=days)
        self.days = days

    def uid(self) -> str:
        bits = (self.rng.getrandbits(128) & ~(0xF000 << 64) | (0x4000 << 64)) & ~(0xC000 << 48) | (0x8000 << 48)
        text = f"{bits:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def date(self) -> tuple[dt.date, float]:
        """A day in the span, with Mondays and the new-year return over-represented."""
        rng = self.rng
        day = self.start + dt.timedelta(days=rng.randrange(self.days + 1))
        if _chance(rng, 0.14):
            day -= dt.timedelta(days=day.weekday())
        if (day.month == 12 and day.day >= 22) or (day.month == 1 and day.day <= 2) or _chance(rng, 0.04):
            year = day.year + 1 if day.month == 12 else day.year
            day = dt.date(year, 1, 3) + dt.timedelta(days=rng.randrange(14))
        day = min(max(day, self.start), self.today)
        if (day.month == 12 and day.day >= 22) or (day.month == 1 and day.day <= 2):
            day = dt.date(day.year if day.month == 1 else day.year + 1, 1, 3)
            day = min(day, self.today)
        return day, (day - self.start).days / max(self.days, 1)

    def fill(self, template: str, client: str, detail: dict[str, str]) -> str:
        return template.format(c=client, **detail)

    def entry(self) -> PostMortem:
        rng = self.rng
        day, progress = self.date()
        role = "maker" if _chance(rng, 0.45 + 0.25 * progress) else "receiver"
        detail = {
            "d": f"{rng.choice(QUALIFIERS)} {rng.choice(DELIVERABLES)}",
            "p": rng.choice(PEOPLE),
            "n": str(rng.randrange(1000, 99999)),
        }
        causes = [_pick(rng, _CAUSE_WEIGHTS)]
        if _chance(rng, 0.35):
            extra = _pick(rng, _CAUSE_WEIGHTS)
            if extra not in causes:
                causes.append(extra)
        if role == "maker":
            if _chance(rng, 0.10):
                party = CLIENTS[0]
                if _chance(rng, 0.75) and "handoff" not in causes:
                    causes[0] = "handoff"
            elif _chance(rng, 0.05):
                party = CLIENTS[1]
            else:
                party = rng.choice(CLIENTS[2:])
            client, account = party.name, party.account
            what = self.fill(rng.choice(CAUSE_TEXT[causes[0]][1]), client, detail)
        else:
            client, account = rng.choice(PROVIDERS), ""
            what = self.fill(rng.choice(RECEIVER_TEXT), client, detail)
        factors = " ".join(
            self.fill(rng.choice(CAUSE_TEXT[c][2]), client, detail) for c in causes
        )
        age_days = (self.today - day).days
        status = self._status(age_days)
        severity = _pick(rng, _SEVERITY)
        tags = rng.sample(TAGS[1:], k=rng.choice([0, 1, 1, 2]))
        if _chance(rng, 0.25):
            tags.insert(0, "reporting")
        title = self._title(role, client, detail, causes[0])
        pm = PostMortem(
            id=self.uid(),
            title=title,
            occurred_on=day.isoformat(),
            role=role,
            client=client,
            account=account,
            severity=severity,
            status=status,
            detection=_pick(rng, _DETECTION),
            what_happened=what,
            impact=self.fill(rng.choice(IMPACTS), client, detail),
            contributing_factors=factors,
            causes=causes,
            response_style=self._response_style(role),
            emotions=self._emotions(role, status),
            recovery=self._recovery(role, status),
            breadsticks=self._breadsticks(role, client, detail),
            follow_ups=self._follow_ups(day, age_days, client, detail, "reporting" in tags),
            lessons=self._lessons(),
            reflection=rng.choice(REFLECTIONS),
            tags=tags,
            review_notes=self._review_notes(day, status),
            outcome=Outcome(
                client_retained="unknown" if age_days < 30
                else ("no" if severity == 5 and _chance(rng, 0.5) else "yes"),
                satisfaction=None if status in ("draft", "open") else rng.choice([2, 3, 3, 4, 4, 5]),
            ),
        )
        pm.first_response_hours = self._first_response_hours(role, pm.response_style)
        return pm

    def _title(self, role: str, client: str, detail: dict[str, str], cause: str) -> str:
        rng = self.rng
        if role == "receiver":
            options = [f"{client}: {detail['d']} late", f"{client} sent the wrong {detail['d']}",
                       f"No call-back from {client} about the {detail['d']}"]
        else:
            options = [f"{detail['d'].capitalize()} for {client} went out wrong",
                       f"Missed date on the {detail['d']} ({client})",
                       f"{client} chased us about the {detail['d']}",
                       f"{cause.capitalize()} slip on the {detail['d']}"]
        return rng.choice(options)[:200]

    def _status(self, age_days: int) -> str:
        rng = self.rng
        if age_days < 14:
            return _pick(rng, _STATUS_FRESH)
        if age_days < 90:
            return _pick(rng, _STATUS_RECENT)
        return _pick(rng, _STATUS_OLD)

    def _response_style(self, role: str) -> str:
        if role == "receiver":
            return _pick(self.rng, _RECEIVER_STYLE)
        return _pick(self.rng, _MAKER_STYLE)

    def _first_response_hours(self, role: str, style: str) -> float | None:
        """Mostly 1-30 h, to the half hour; one in seven not known; makers who deflected reply a day later."""
        rng = self.reply_rng
        if _chance(rng, 0.14):
            return None
        low, high = _REPLY_HOURS.get(style if role == "maker" else "receiver", (1.0, 12.0))
        return round(rng.triangular(low, high, low + (high - low) / 4) * 2) / 2

    def _emotions(self, role: str, status: str) -> list[Emotion]:
        rng = self.rng
        pool = MAKER_EMOTIONS if role == "maker" else RECEIVER_EMOTIONS
        out = []
        names = {_pick(rng, pool) for _ in range(rng.choice([1, 2]))}
        for name in sorted(names):
            intensity = rng.choice([3, 4, 4, 5, 5])
            now = max(1, intensity - rng.choice([1, 2, 2, 3])) if status == "reviewed" else None
            out.append(Emotion("me", name, intensity, now))
        if role == "maker" and _chance(rng, 0.6):
            out.append(Emotion("them", _pick(rng, THEIR_EMOTIONS), rng.choice([2, 3, 4, 5]), None))
        return out

    def _recovery(self, role: str, status: str) -> dict[str, RecoveryStep]:
        rng = self.rng
        early = status == "draft"

        def state(p_done: float, p_skip: float) -> str:
            if early:
                return "pending"
            r = rng.random()
            return "done" if r < p_done else "skipped" if r < p_done + p_skip else "pending"

        if role == "receiver":
            steps = {s: RecoveryStep(state(0.45, 0.35)) for s in
                     ("responsibility", "apology", "correction", "compensation", "satisfaction_check", "acceptance")}
            return steps
        no_remedy = _chance(rng, 0.15) and not early
        steps = {
            "responsibility": RecoveryStep(state(0.9, 0.05)),
            "apology": RecoveryStep("done" if no_remedy else state(0.85, 0.05)),
            "correction": RecoveryStep("skipped" if no_remedy else state(0.75, 0.08)),
            "compensation": RecoveryStep("skipped" if no_remedy else state(0.45, 0.3)),
            "satisfaction_check": RecoveryStep(state(0.3, 0.55)),
            "acceptance": RecoveryStep(state(0.5, 0.1)),
        }
        if steps["apology"].state == "done" and _chance(rng, 0.3):
            steps["apology"] = RecoveryStep("done", "Called them the same afternoon.")
        return steps

    def _breadsticks(self, role: str, client: str, detail: dict[str, str]) -> Breadsticks:
        rng = self.rng
        if role == "receiver":
            if _chance(rng, 0.4):
                return Breadsticks(wished_for=rng.choice(WISHED))
            kind = rng.choice(["discount", "gesture", "none"])
            return Breadsticks(offered=self.fill(OFFERS[kind], client, detail), kind=kind,
                               accepted=rng.choice(["yes", "no", ""]), wished_for=rng.choice(WISHED))
        kind = _pick(rng, _MAKE_GOOD_KIND)
        accept_p = {"discount": 0.8, "gesture": 0.35, "refund": 0.9, "freebie": 0.7,
                    "extra_work": 0.6, "personal_visit": 0.75, "none": 0.0}[kind]
        accepted = "" if kind == "none" else ("yes" if _chance(rng, accept_p) else "no")
        if accepted and _chance(rng, 0.08):
            accepted = "pending"
        cost = float(rng.choice([50, 120, 250, 400, 800, 1500])) if kind in ("discount", "refund", "freebie") else None
        hours = float(rng.choice([1, 2, 4, 8])) if kind in ("extra_work", "personal_visit") else None
        return Breadsticks(
            offered=self.fill(OFFERS[kind], client, detail), kind=kind, cost=cost,
            currency="EUR" if cost is not None else "", hours=hours, accepted=accepted,
        )

    def _follow_ups(
        self, day: dt.date, age_days: int, client: str, detail: dict[str, str], reporting: bool
    ) -> list[FollowUp]:
        rng = self.rng
        out = []
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
            due = day + dt.timedelta(days=rng.randrange(5, 35))
            owner = rng.choice(["me", "me", rng.choice(PEOPLE), ""])
            text = self.fill(rng.choice(FOLLOW_UP_TEXT), client, detail)
            if due < self.today and age_days > 45:
                status = _pick(rng, _FOLLOW_UP_OLD)
            elif due < self.today:
                status = _pick(rng, _FOLLOW_UP_PAST_DUE)
            else:
                status = _pick(rng, _FOLLOW_UP_FUTURE)
            done_on = check_on = check_result = ""
            if status == "done":
                done = min(day + dt.timedelta(days=rng.randrange(1, 41)), self.today)
                done_on = done.isoformat()
                check = done + dt.timedelta(days=30)
                check_on = check.isoformat()
                if check <= self.today:
                    check_result = "recurred" if _chance(rng, 0.5 if reporting else 0.05) else "held"
            out.append(FollowUp(self.uid(), text, owner, due.isoformat() if owner or _chance(rng, 0.5) else "",
                                status, done_on, check_on, check_result))
        return out

    def _lessons(self) -> list[str]:
        rng = self.rng
        lessons = []
        if _chance(rng, 0.06):
            lessons.append(rng.choice(LESSONS_PLANTED))
        lessons += rng.sample(LESSONS_OTHER, k=rng.choice([0, 1, 1, 2]))
        return lessons

    def _review_notes(self, day: dt.date, status: str) -> list[ReviewNote]:
        rng = self.rng
        if status != "reviewed":
            return []
        written = dt.datetime.combine(day + dt.timedelta(days=rng.randrange(7, 40)), dt.time(10, 0))
        return [ReviewNote(self.uid(), rng.choice(TEAM), written.isoformat() + "Z", rng.choice(REVIEW_NOTES))]

    def near_repeat(self, original: PostMortem) -> PostMortem:
        """The same kind of slip again, later: same client and causes, retold in other words."""
        entry = self.entry()
        later = max(dt.date.fromisoformat(original.occurred_on), dt.date.fromisoformat(entry.occurred_on))
        sentences = [s.strip() for s in original.what_happened.split(". ") if s.strip()]
        retold = "It happened again. " + " ".join(reversed(sentences))
        entry.client, entry.account = original.client, original.account
        entry.role, entry.causes = original.role, list(original.causes)
        entry.title = ("Again: " + original.title)[:200]
        entry.what_happened = retold
        entry.contributing_factors = original.contributing_factors
        entry.occurred_on = later.isoformat()
        entry.tags = list(dict.fromkeys([*original.tags, *entry.tags]))
        return entry


def _walk(
    entries: int, seed: int, today: dt.date | None, on_repeat: Callable[[str, str], None]
) -> Iterator[PostMortem]:
    day = today or dt.date.today()
    gen = _Generator(seed, day, days=3 * 365)
    made: list[PostMortem] = []
    for index in range(entries):
        if index >= 2 * NEAR_REPEAT_EVERY and index % NEAR_REPEAT_EVERY == NEAR_REPEAT_EVERY - 1:
            original = made[gen.rng.randrange(len(made))]
            pm = gen.near_repeat(original)
            on_repeat(original.id, pm.id)
        else:
            pm = gen.entry()
            if len(made) < 5000:
                made.append(pm)
            else:
                made[gen.rng.randrange(len(made))] = pm
        yield pm


def generate(entries: int, seed: int = 7, today: dt.date | None = None) -> Iterator[PostMortem]:
    """``entries`` post-mortems; the same ones for the same seed and day."""
    yield from _walk(entries, seed, today, lambda original, repeat: None)


def near_repeats(entries: int, seed: int = 7, today: dt.date | None = None) -> list[tuple[str, str]]:
    """(original id, near-repeat id) pairs planted in ``generate(entries, seed, today)``."""
    pairs: list[tuple[str, str]] = []
    for _ in _walk(entries, seed, today, lambda original, repeat: pairs.append((original, repeat))):
        pass
    return pairs


def populate(store: Store, *, entries: int, seed: int = 7, today: dt.date | None = None,
             progress: Callable[[int, int], None] | None = None) -> int:
    """Fill ``store`` with a demo journal; returns how many entries were written.

    ``progress(done, total)`` is called after each batch; an exception raised from it
    (the app's Cancel) stops the run, with the journal left consistent.
    """
    written = 0
    batch: list[PostMortem] = []
    with store.bulk_load():
        for pm in generate(entries, seed, today):
            batch.append(pm)
            if len(batch) == 2000:
                store.insert_many(batch, batch=len(batch))
                written += len(batch)
                batch = []
                if progress:
                    progress(written, entries)
        if batch:
            store.insert_many(batch, batch=len(batch))
            written += len(batch)
    if progress:
        progress(written, entries)
    return written
