"""Recovery and make-goods: the steps you skip, apologies without a remedy, make-goods accepted or refused."""

from __future__ import annotations

from collections import Counter

from journal.insight.patterns.record import Pattern
from journal.insight.patterns.scope import EVIDENCE_CAP, Basics, Scope
from journal.insight.patterns.stats import (
    MIN_ENTRIES,
    MIN_SUPPORT,
    OBSERVED_STRENGTH,
    TESTED_FROM,
    excess,
    strength,
)
from journal.insight.patterns.wording import COUNTED, num, pct
from journal.model import RECOVERY_STEPS

STEP_NAMES = {
    "responsibility": "taking responsibility",
    "apology": "the apology",
    "correction": "the correction",
    "compensation": "the compensation",
    "satisfaction_check": "the satisfaction check",
    "acceptance": "acceptance",
}
KIND_NAMES = {
    "refund": "refunds",
    "discount": "discounts",
    "freebie": "freebies",
    "extra_work": "extra work",
    "personal_visit": "personal visits",
    "gesture": "gestures",
}


def find_skipped_steps(scope: Scope, b: Basics) -> list[Pattern]:
    """The recovery step you skip most in the mistakes you made."""
    if b.makers < MIN_ENTRIES:
        return []
    row = skipped_counts(scope)
    rows = sorted(((step, c) for step, c in zip(RECOVERY_STEPS, row, strict=True) if c), key=lambda r: -r[1])
    if not rows:
        return []
    step, count = rows[0]
    rate = count / b.makers
    if count < MIN_SUPPORT or rate < 0.15:
        return []
    mean = sum(r[1] for r in rows) / len(RECOVERY_STEPS)
    ahead = len(rows) == 1 or excess(count, sum(r[1] for r in rows), 1.0 / len(RECOVERY_STEPS), len(RECOVERY_STEPS))
    sentence = (
        f"You skipped {STEP_NAMES.get(step, step)} in {num(count)} of the {num(b.makers)} mistakes you made{b.since} "
        f"({pct(count, b.makers)})"
    )
    if ahead and len(rows) > 1:
        sentence += (
            f" — the step you skip most; next is {STEP_NAMES.get(rows[1][0], rows[1][0])} "
            f"({pct(rows[1][1], b.makers)})."
        )
    else:
        sentence += "."
    return [
        Pattern(
            "skipped_recovery_step",
            sentence,
            strength(0.85, rate * 1.2 + (0.2 if count > 2 * mean else 0), count),
            scope.ids(f"e.role = 'maker' AND e.rec_{step} = 'skipped'"),
        )
    ]


def skipped_counts(scope: Scope) -> list[int]:
    """How many of the mistakes I made skipped each step of RECOVERY_STEPS."""
    counts = [0] * len(RECOVERY_STEPS)
    for states, count in scope.recovery():
        for i, state in enumerate(states):
            if state == "skipped":
                counts[i] += count
    return counts


_NO_REMEDY = "e.rec_apology = 'done' AND e.rec_correction = 'skipped' AND e.rec_compensation = 'skipped'"


def find_apology_without_remedy(scope: Scope, b: Basics) -> list[Pattern]:
    """Apologies with nothing put right, given (as maker) and received (as receiver), said separately."""
    sides = {role: _bare_apologies(scope, role) for role in ("maker", "receiver")}
    bare = sum(s[1] for s in sides.values())
    apologies = sum(s[0] for s in sides.values())
    if bare < MIN_SUPPORT or bare / max(1, apologies) < 0.05:
        return []
    (gave, gave_bare), (got, got_bare) = sides["maker"], sides["receiver"]
    parts = []
    if gave_bare:
        parts.append(f"{num(gave_bare)} of the {num(gave)} times you apologized{b.since} ({pct(gave_bare, gave)}), "
                     "nothing was put right: correction and compensation were both skipped")
    if got_bare:
        parts.append(f"{num(got_bare)} of the {num(got)} apologies made to you{'' if parts else b.since} "
                     f"({pct(got_bare, got)}) came with no correction and no compensation")
    elif got:
        parts.append(f"every one of the {num(got)} apologies made to you came with a correction or compensation")
    sentence = "; as receiver, ".join(parts) if gave_bare else parts[0][0].upper() + parts[0][1:]
    small = b.n < TESTED_FROM
    score = strength(1.0, 0.45 + bare / apologies * 2, bare)
    roles = [role for role, (_, count) in sides.items() if count]
    marks = ", ".join("?" * len(roles))
    return [
        Pattern(
            "apology_without_remedy",
            sentence + (COUNTED if small else "") + ".",
            min(OBSERVED_STRENGTH, score * 0.5) if small else score,
            scope.ids(f"e.role IN ({marks}) AND {_NO_REMEDY}", roles),
        )
    ]


def _bare_apologies(scope: Scope, role: str) -> tuple[int, int]:
    """(apologies, apologies with correction and compensation both skipped) in the entries of ``role``."""
    if role == "maker":
        step = {name: i for i, name in enumerate(RECOVERY_STEPS)}
        apologies = bare = 0
        for states, count in scope.recovery():
            if states[step["apology"]] == "done":
                apologies += count
                if states[step["correction"]] == states[step["compensation"]] == "skipped":
                    bare += count
        return apologies, bare
    apologies, bare = scope.rows(
        "SELECT count(*), coalesce(sum(e.rec_correction = 'skipped' AND e.rec_compensation = 'skipped'), 0) "
        f"FROM entries e WHERE e.deleted = 0 AND e.role = ? AND e.rec_apology = 'done' AND {scope.live}",
        (role,),
    )[0]
    return int(apologies), int(bare)


def find_breadsticks(scope: Scope, b: Basics) -> list[Pattern]:
    """Which make-goods of the mistakes you made were accepted and which refused, and what they cost."""
    if b.makers < MIN_ENTRIES:
        return []
    kinds: dict[str, list[float]] = {}
    currencies: Counter[str] = Counter()
    for choice in scope.choices():
        kind, accepted, currency, count = choice.kind, choice.accepted, choice.currency, choice.count
        cost, hours = choice.cost, choice.hours
        if kind in ("", "none") or accepted not in ("yes", "no"):
            continue
        slot = kinds.setdefault(kind, [0, 0, 0.0, 0.0])
        slot[0 if accepted == "yes" else 1] += count
        if accepted == "yes":
            slot[2] += cost or 0.0
            slot[3] += hours or 0.0
            if currency:
                currencies[currency] += count
    judged = {k: v for k, v in kinds.items() if v[0] + v[1] >= MIN_SUPPORT}
    if not judged:
        return []
    total = int(sum(v[0] + v[1] for v in judged.values()))
    rates = {k: v[0] / (v[0] + v[1]) for k, v in judged.items()}
    most = max(judged, key=lambda k: (rates[k], judged[k][0] + judged[k][1]))
    least = min(judged, key=lambda k: (rates[k], -(judged[k][0] + judged[k][1])))
    if least == most or rates[most] < 0.6 or rates[least] > 0.5 or rates[most] - rates[least] < 0.25:
        return []
    yes, no = int(judged[most][0]), int(judged[most][1])
    sentence = f"{KIND_NAMES.get(most, most).capitalize()} were accepted {num(yes)} of {num(yes + no)} times; "
    yes, no = int(judged[least][0]), int(judged[least][1])
    sentence += f"{KIND_NAMES.get(least, least)} were refused {num(no)} of {num(yes + no)} times."
    cost = sum(v[2] for v in judged.values())
    hours = sum(v[3] for v in judged.values())
    extras = []
    if cost:
        currency = currencies.most_common(1)[0][0] if len(currencies) == 1 else ""
        extras.append(f"{currency} {num(cost)}".strip() if currency else f"{num(cost)} (mixed currencies)")
    if hours:
        extras.append(f"{num(hours)} hours")
    if extras:
        sentence += f" The make-goods that were accepted cost you {' and '.join(extras)}."
    return [
        Pattern(
            "breadsticks_outcome",
            sentence,
            strength(0.6, (rates[most] - rates[least]) * 1.3, total),
            scope.ids("e.role = 'maker' AND e.bs_kind = ? AND e.bs_accepted = 'no'", (least,), cap=EVIDENCE_CAP // 2)
            + scope.ids("e.role = 'maker' AND e.bs_kind = ? AND e.bs_accepted = 'yes'", (most,), cap=EVIDENCE_CAP // 2),
        )
    ]
