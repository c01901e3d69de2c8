"""How it felt and how you responded: the feelings of each role, how they faded, your first response."""

from __future__ import annotations

from collections import Counter

from journal.insight.patterns.record import Pattern
from journal.insight.patterns.scope import Basics, Scope
from journal.insight.patterns.stats import MIN_ENTRIES, MIN_SUPPORT, excess, strength
from journal.insight.patterns.wording import num, pct

STYLE_NAMES = {
    "owned": "owned it",
    "over_apologized": "over-apologized",
    "deflected": "deflected",
    "self_blamed": "blamed yourself",
}


def find_feelings(scope: Scope, b: Basics) -> list[Pattern]:
    """The feeling each role felt most often, and how much feelings faded by review."""
    rows = scope.emotions()
    out: list[Pattern] = []
    parts = []
    best_support = 0
    for role, total in (("maker", b.makers), ("receiver", b.receivers)):
        mine = sorted((r for r in rows if r[0] == role), key=lambda r: -r[2])
        if not mine or total < MIN_ENTRIES:
            continue
        top = mine[0]
        if top[2] < MIN_SUPPORT or top[2] / total < 0.2:
            continue
        who = "When you made the mistake" if role == "maker" else "When it landed on you"
        text = f"{who} you most often felt {top[1]} ({num(top[2])} of {num(total)}, {pct(top[2], total)}"
        if len(mine) > 1 and mine[1][2] >= MIN_SUPPORT and mine[1][2] / total >= 0.2:
            text += f"; then {mine[1][1]}, {pct(mine[1][2], total)}"
        parts.append(text + ")")
        best_support = max(best_support, top[2])
    if parts:
        top_role = "maker" if b.makers >= b.receivers else "receiver"
        names = [r[1] for r in rows if r[0] == top_role]
        marks = ", ".join("?" * len(names)) or "''"
        out.append(
            Pattern(
                "emotions_by_role",
                "; ".join(parts) + ".",
                strength(0.45, 0.7, best_support),
                scope.ids(
                    f"e.role = ? AND EXISTS (SELECT 1 FROM emotions x WHERE x.entry = e.seq AND x.who = 'me' "
                    f"AND x.name IN ({marks}))",
                    (top_role, *names),
                ),
            )
        )
    # Fade: how much lower the same feelings were when re-rated at review.
    for role in ("maker", "receiver"):
        mine = [r for r in rows if r[0] == role and r[4] > 0]
        rerated = sum(r[4] for r in mine)
        if rerated < MIN_SUPPORT:
            continue
        before = sum(r[3] * r[2] for r in mine) / max(1, sum(r[2] for r in mine))
        drop = sum(r[5] * r[4] for r in mine) / rerated
        if abs(drop) < 0.5:
            continue
        most = max(mine, key=lambda r: r[5] if drop > 0 else -r[5])
        who = "mistakes you made" if role == "maker" else "mistakes that landed on you"
        verb = "faded" if drop > 0 else "grew"
        out.append(
            Pattern(
                "emotion_fade",
                f"By the time you reviewed them, your feelings about {who} had {verb} by {abs(drop):.1f} points "
                f"on a 1–5 scale ({num(rerated)} feelings re-rated, from about {before:.1f}); "
                f"{most[1]} {verb} the most ({abs(most[5]):.1f}).",
                strength(0.5 if role == "maker" else 0.4, abs(drop) / 2.5, rerated),
                scope.ids(
                    "e.role = ? AND EXISTS (SELECT 1 FROM emotions x WHERE x.entry = e.seq AND x.who = 'me' "
                    "AND x.intensity_now IS NOT NULL AND x.intensity_now != x.intensity)",
                    (role,),
                ),
            )
        )
    return out


def find_response_style(scope: Scope, b: Basics) -> list[Pattern]:
    """How you first responded to the mistakes you made, from the scope's one pass over them."""
    if b.makers < MIN_ENTRIES:
        return []
    styles: Counter[str] = Counter()
    for choice in scope.choices():
        if choice.style:
            styles[choice.style] += choice.count
    total = sum(styles.values())
    if total < MIN_ENTRIES:
        return []
    ranked = styles.most_common()
    style, count = ranked[0]
    k = len(STYLE_NAMES)
    if not excess(count, total, 1.0 / k, k):
        return []
    others = ", ".join(f"{STYLE_NAMES.get(s, s)} {num(c)}" for s, c in ranked[1:3])
    sentence = (
        f"When the mistake was yours, your first response was most often that you {STYLE_NAMES.get(style, style)}: "
        f"{num(count)} of {num(total)} times ({pct(count, total)})" + (f"; {others}." if others else ".")
    )
    weight = 0.5 if style == "owned" else 0.75
    return [
        Pattern(
            "response_style",
            sentence,
            strength(weight, count / total * 1.6, count),
            scope.ids("e.role = 'maker' AND e.response_style = ?", (style,)),
        )
    ]
