"""Lessons written more than once: the same lesson found under different wordings, and how often it was relearned."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from journal.insight.patterns.record import Pattern
from journal.insight.patterns.scope import Basics, Scope
from journal.insight.patterns.stats import strength
from journal.insight.patterns.wording import how_often, month_of, short_day

_STOP_WORDS = """
a an the and or but if then than so to of in on at by for with from into onto about as is are was were be been
being it its this that these those there their them they we you your our i me my he she his her not no nor just
only also too very can could should would will shall must may might do does did done have has had get got
always never ever every each all any some before after when while until again more most less what which who
whom how why where up down out over under off
"""
_STOP = frozenset(_STOP_WORDS.split())
_IRREGULAR = {"written": "write", "wrote": "write", "made": "make", "took": "take", "taken": "take", "sent": "send"}


@functools.cache
def _word() -> re.Pattern[str]:
    """A word as the lessons are compared: letters and digits (compiled on first use, not at start)."""
    return re.compile(r"[^\W_]+", re.UNICODE)


def _stem(word: str) -> str:
    word = _IRREGULAR.get(word, word)
    for suffix in ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            break
    return word.rstrip("ey") if len(word) > 4 else word


def lesson_key(text: str) -> frozenset[str]:
    """The informative word stems of a lesson: what two wordings of it share."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return frozenset(_stem(w) for w in _word().findall(folded) if w not in _STOP and len(w) > 1)


def same_lesson(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two lessons say the same thing when most of the shorter one's stems are in the longer one.

    Two shared stems are not enough on their own ("check … before sending" says nothing about
    *what* is checked): then one lesson must contain the other.
    """
    shared = len(a & b)
    smaller = min(len(a), len(b))
    if not shared:
        return False
    if shared == smaller and shared >= 2:
        return True
    return (shared >= 3 and shared / smaller >= 0.6) or shared / len(a | b) >= 0.67


def cluster_lessons(texts: Iterable[str]) -> list[list[str]]:
    """Group lesson wordings that say the same thing (single link over ``same_lesson``)."""
    keyed = [(t, lesson_key(t)) for t in dict.fromkeys(texts)]
    parent = list(range(len(keyed)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_stem: dict[str, list[int]] = {}
    for i, (_, key) in enumerate(keyed):
        for stem in key:
            by_stem.setdefault(stem, []).append(i)
    for i, (_, key) in enumerate(keyed):
        candidates: Counter[int] = Counter()
        for stem in key:
            candidates.update(j for j in by_stem[stem] if j > i)
        for j, shared in candidates.items():
            if shared >= 2 and same_lesson(key, keyed[j][1]):
                parent[find(j)] = find(i)
    groups: dict[int, list[str]] = {}
    for i, (text, _) in enumerate(keyed):
        groups.setdefault(find(i), []).append(text)
    return list(groups.values())


def _lesson_span(scope: Scope, group: list[str], common: bool) -> tuple[str, str, str]:
    """The first and last day a lesson of ``group`` was written, and its newest wording.

    A common lesson is met within a few entries of either end of the journal, so the entries are
    walked from each end in date order; a rare one is looked up from its (few) lesson rows.
    """
    marks = ", ".join("?" * len(group))
    if common:
        ends = []
        for direction in ("ASC", "DESC"):
            ends += scope.rows(
                f"SELECT e.occurred_on, x.text FROM entries e CROSS JOIN lessons x ON x.entry = e.seq "
                f"WHERE e.deleted = 0 AND {scope.live} AND x.text IN ({marks}) "
                f"ORDER BY e.occurred_on {direction}, e.seq {direction} LIMIT 1",
                group,
            )
        (first, _), (last, newest) = ends
        return first, last, newest
    spans = scope.rows(
        f"SELECT x.text, min(e.occurred_on), max(e.occurred_on) FROM lessons x JOIN entries e ON e.seq = x.entry "
        f"WHERE {scope.of('x')} AND x.text IN ({marks}) GROUP BY x.text",
        group,
    )
    newest, _, last = max(spans, key=lambda span: span[2])
    return min(span[1] for span in spans), last, newest


def find_relearned_lessons(scope: Scope, b: Basics) -> list[Pattern]:
    """Up to three lessons written more than once, varied wordings first."""
    rows = scope.rows(f"SELECT x.text, count(*) FROM lessons x WHERE {scope.of('x')} GROUP BY x.text")
    counts = {r[0]: r[1] for r in rows}
    found = []
    for group in cluster_lessons(counts):
        written = sum(counts[t] for t in group)
        if written >= 2:
            found.append((len(group) >= 2, written, group))
    # Wording that changes each time is the sign of a lesson relearned rather than remembered.
    found.sort(key=lambda f: (not f[0], -f[1]))
    out = []
    for varied, _, group in found[:3]:
        marks = ", ".join("?" * len(group))
        times = scope.rows(
            f"SELECT count(DISTINCT x.entry) FROM lessons x WHERE {scope.of('x')} AND x.text IN ({marks})", group
        )[0][0]
        if times < 2:
            continue
        # A narrowed scope may start anywhere in the journal, so only the whole journal is walked from its ends.
        first, last, newest = _lesson_span(scope, group, times * 50 >= b.n and not scope.narrowed)
        wordings = f", in {len(group)} different wordings" if varied else ", each time in the same words"
        out.append(
            Pattern(
                "relearned_lesson",
                f"You have written this lesson {how_often(times)} since {month_of(first)}{wordings}: "
                f"“{newest.strip()}” (most recently {short_day(last)}).",
                strength(0.95 if varied else 0.6, 0.45 + 0.1 * len(group) + 0.05 * min(times, 6), times),
                scope.ids(f"EXISTS (SELECT 1 FROM lessons x WHERE x.entry = e.seq AND x.text IN ({marks}))", group),
            )
        )
    return out
