"""Blameless-language hints: wording that blames people, and follow-ups nobody can act on.

A hint names a span of a field, says why it reads as blame (or as an action that
cannot be done) and suggests a blameless rewrite. Hints never block a save. Words
about systems ("the fault was in the config") and the word "blameless" itself
are left alone; only blame aimed at people, others or oneself, is flagged.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from journal.model import PostMortem

TEXT_FIELDS = ("title", "what_happened", "impact", "contributing_factors", "reflection")


@dataclass(frozen=True)
class Hint:
    """One flagged span: ``text[start:end]`` of ``field``."""

    field: str
    start: int
    end: int
    text: str
    kind: str  # blame_others | blame_self | followup_owner | followup_due | followup_vague
    message: str
    suggestion: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# Apostrophes come straight or curly; treat both the same.
_A = "['’]"
_PEOPLE = (
    r"(?:they|he|she|you|people|everyone|management|(?:the|our|their)\s+(?:client|customer|team|supplier|vendor|"
    r"contractor|courier|manager|developers?|designers?|staff|people|guys?|colleagues?))"
)
_INSULTS = r"(?:idiots?|morons?|imbeciles?|incompetent|clueless|useless|lazy|stupid|hopeless|careless|sloppy|dumb)"
# Words for people and teams ("the agent", "the ops team", "our night-shift courier").
_ROLE_NOUNS = (
    r"(?:team|agent|vendor|courier|supplier|contractor|subcontractor|manager|client|customer|developer|designer|"
    r"engineer|staff|guy|colleague|driver|department|dept|desk|support|ops|operator|intern|rep|representative|"
    r"provider|partner|crew|boss|lead|admin|accountant|planner|printers|caterers?|agency|freelancer|consultant|"
    r"technician|dispatcher|warehouse|office|shift|squad)s?"
)
# A capitalised name ("Priya", "Priya Shah", "Cloudharbor"): not a word that starts a sentence, and not a
# thing ("Documentation", "Tooling"); case-sensitive inside a case-insensitive pattern.
_NAME = (
    r"(?-i:(?=[A-Z])(?!(?:It|Its|This|That|These|Those|There|Here|The|A|An|And|But|So|Then|Also|What|Which|Who|"
    r"Everything|Nothing|Something|Anything|Nobody|Noone|Everyone|Everybody|Anyone|Anybody|Someone|Somebody|"
    r"Honestly|Frankly|Really|Today|Yesterday|Tomorrow|Nothing|None|One|We|I|You|They|He|She|My|Our|Their|His|"
    r"Her|Your|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)(?!\w*(?:tion|sion|ment|ing|ness|ity|ware|ance|ence|ure|ism)\b)[A-Z][\w-]*(?:\s+[A-Z][\w-]+)?)"
)
# Someone else: a named person or team, or "the/our/their … agent/vendor/team"; never "I", "we" or "nobody".
_GROUP = rf"(?:the|our|their|his|her|my|your|that|this)\s+(?:[\w-]+\s+){{0,2}}?{_ROLE_NOUNS}"
_WHO = rf"(?:{_NAME}|{_GROUP})"
# Not when the sentence says the opposite ("it wasn't Priya's fault", "not the vendor's fault").
_NOT_DENIED = rf"(?=[a-z])(?<!\bnot\s)(?<!n{_A}t\s)(?<!\bno\s)(?<!\bnever\s)"
_ABOUT_FAULT = r"(?!\s*(?:tolerance|tolerant|lines?|codes?|injection|detection|finding|reports?|logs?|alarms?)\b)"

_OTHERS: list[tuple[str, str, str]] = [
    (
        rf"\b(?:it\s+was\s+|it{_A}s\s+|all\s+)?(?:their|his|her|your)\s+(?:own\s+)?fault\b",
        "Names a culprit instead of what happened.",
        "Describe the action and the condition that made it likely, e.g. “the brief reached them a day late”.",
    ),
    (
        rf"{_NOT_DENIED}\b(?:it\s+was\s+|it{_A}s\s+|that\s+was\s+|all\s+)?{_WHO}{_A}s?\s+(?:own\s+)?fault\b"
        + _ABOUT_FAULT,
        "Names a culprit instead of what happened.",
        "Describe what was done and what made it likely, e.g. “the note left out the new date”.",
    ),
    (
        rf"{_NOT_DENIED}\b{_WHO}\s+(?:is|are|was|were)\s+(?:entirely\s+|completely\s+|really\s+|clearly\s+)?"
        r"(?:to\s+blame|at\s+fault)\b|\b(?:the\s+)?(?:fault|blame)\s+(?:lies|lay|is|was|rests?|goes)\s+"
        rf"(?:entirely\s+|squarely\s+|solely\s+|completely\s+)?(?:with|on|to)\s+{_WHO}",
        "Names a culprit instead of what happened.",
        "Describe the action and the condition that made it likely.",
    ),
    (
        r"\b(?:idiots?|morons?|imbeciles?|incompetent|clueless|amateurs)\b",
        "Labels people rather than describing what they did.",
        "Say what was done and its effect, e.g. “the order was sent without the second check”.",
    ),
    (
        rf"\b(?:{_PEOPLE}|{_WHO})\s+(?:is|are|was|were)\s+(?:so\s+|just\s+|completely\s+|totally\s+|really\s+|"
        rf"utterly\s+|being\s+)?{_INSULTS}\b",
        "Judges a person instead of the situation.",
        "Describe what happened and what made it likely, not who someone is.",
    ),
    (
        rf"\b(?:useless|incompetent|careless|lazy|clueless|hopeless|sloppy|stupid)\s+(?:[\w-]+\s+)?{_ROLE_NOUNS}\b",
        "Judges a person instead of the situation.",
        "Describe what happened and what made it likely, not who someone is.",
    ),
    (
        rf"\b(?:they|he|she|{_WHO})\s+(?:really\s+|totally\s+|completely\s+)?(?:dropped\s+the\s+ball|screwed\s+(?:up|it)|"
        r"messed\s+(?:up|it)|blew\s+it|botched\s+it|couldn['’]t\s+be\s+bothered|should\s+have\s+known(?:\s+better)?)\b",
        "Names a culprit instead of what happened.",
        "Say what was done, what was not, and what made it likely, e.g. “the reminder was never set”.",
    ),
    (
        r"\b(?:they|he|she)\s+(?:never|always)\s+(?:listens?|reads?|checks?|answers?|cares?|bothers?|learns?)\b",
        "“Never” and “always” turn one incident into a verdict on a person.",
        "Name the specific instance, e.g. “the change request of 3 May was not acknowledged”.",
    ),
    (
        rf"\b(?:they|he|she)\s+(?:don{_A}t|doesn{_A}t|didn{_A}t)\s+(?:even\s+)?care\b",
        "Guesses at motives; a post-mortem can only show actions.",
        "Describe what was done or not done and when.",
    ),
    (
        r"\b(?:should\s+have\s+known\s+better|can{_A}t\s+do\s+anything\s+right)\b".replace("{_A}", _A),
        "Hindsight blame: it was not obvious at the time, or it would not have happened.",
        "Ask what would have made it obvious then, and write that down.",
    ),
]

_SELF: list[tuple[str, str, str]] = [
    (
        rf"\b(?:i\s+am|i{_A}m|i\s+was|i\s+feel|i\s+felt)\s+(?:so\s+|such\s+an?\s+|an?\s+|just\s+|completely\s+|totally\s+)*"
        r"(?:stupid|idiot|useless|hopeless|incompetent|failure|moron|worthless|terrible|pathetic|an\s+idiot)\b",
        "Self-blame: it judges you instead of explaining the slip.",
        "Describe what you missed and what made it easy to miss, "
        "e.g. “I missed the date because it was only agreed by phone”.",
    ),
    (
        r"\bi\s+(?:always|never\s+stop|keep)\s+(?:ruin|mess|screw|break|forget|fail|get)\w*(?:\s+(?:up|it\s+wrong|everything))?",
        "“Always” turns one slip into a verdict on yourself.",
        "Count it instead: how often has this happened, and what was different this time?",
    ),
    (
        r"\b(?:what\s+an\s+idiot\s+i\s+am|how\s+stupid\s+(?:of\s+me|i\s+was)|stupid\s+me|i\s+hate\s+myself)\b",
        "Self-blame: it judges you instead of explaining the slip.",
        "Write what happened and what would have caught it.",
    ),
    (
        rf"\bi\s+(?:can{_A}t|cannot)\s+do\s+anything\s+right\b",
        "Self-blame: one slip is not everything.",
        "Name the one thing that went wrong and the condition behind it.",
    ),
]

_VAGUE = (
    r"\b(?:be\s+(?:more\s+|extra\s+)?(?:careful|diligent|thorough|attentive|vigilant|mindful)|try\s+harder|"
    r"do\s+better|pay\s+(?:more\s+|closer\s+)?attention|focus\s+more|don{_A}t\s+forget|remember\s+to|"
    r"communicate\s+better|improve\s+communication|double[-\s]check\s+everything|stay\s+on\s+top\s+of)\b".replace(
        "{_A}", _A
    )
)

# Rules that name someone are costly to try at every position of a long text, so they are tried only
# around their key (the fault words in place), from KEY_BEFORE characters before it to KEY_AFTER after.
KEY_BEFORE, KEY_AFTER = 80, 60
_KEYS = {
    1: rf"{_A}s?\s+(?:own\s+)?fault\b",
    2: r"\b(?:to\s+blame|at\s+fault)\b|\b(?:fault|blame)\s+(?:lies|lay|is|was|rests?|goes)\b",
    5: r"\b(?:useless|incompetent|careless|lazy|clueless|hopeless|sloppy|stupid)\s",
    4: rf"\b(?:is|are|was|were)\s+(?:\w+\s+)?{_INSULTS}\b",
    6: r"\b(?:dropped\s+the\s+ball|screwed\s+(?:up|it)|messed\s+(?:up|it)|blew\s+it|botched\s+it|"
    rf"couldn{_A}t\s+be\s+bothered|should\s+have\s+known)\b",
}
# Each rule needs one of its words (lower case, as substrings); a rule whose words are not in the text
# is not run, so most paragraphs cost one lower() and a few ``in`` tests. A new rule lists its words here.
_WORDS = {
    ("blame_others", 0): ("fault",),
    ("blame_others", 1): ("fault",),
    ("blame_others", 2): ("fault", "blame"),
    ("blame_others", 3): ("idiot", "moron", "imbecil", "incompet", "clueless", "amateur"),
    ("blame_others", 4): ("idiot", "moron", "imbecil", "incompet", "clueless", "useless", "lazy", "stupid",
                          "hopeless", "careless", "sloppy", "dumb"),
    ("blame_others", 5): ("useless", "incompet", "careless", "lazy", "clueless", "hopeless", "sloppy", "stupid"),
    ("blame_others", 6): ("ball", "screw", "mess", "blew", "botch", "bother", "known"),
    ("blame_others", 7): ("never", "always"),
    ("blame_others", 8): ("care",),
    ("blame_others", 9): ("known", "anything"),
    ("blame_self", 0): ("stupid", "idiot", "useless", "hopeless", "incompet", "failure", "moron", "worthless",
                        "terrible", "pathetic"),
    ("blame_self", 1): ("always", "never", "keep"),
    ("blame_self", 2): ("idiot", "stupid", "hate"),
    ("blame_self", 3): ("anything",),
}


@dataclass(frozen=True)
class _Rule:
    regex: re.Pattern[str]
    kind: str
    message: str
    suggestion: str
    words: tuple[str, ...]
    key: re.Pattern[str] | None  # tried only around this key's matches


@functools.cache
def _compiled() -> list[_Rule]:
    """The rules, compiled on first use: a tenth of a second the app's start need not wait for."""
    return [
        _Rule(re.compile(pattern, re.IGNORECASE), kind, message, suggestion, _WORDS[kind, index],
              re.compile(_KEYS[index], re.IGNORECASE) if kind == "blame_others" and index in _KEYS else None)
        for kind, table in (("blame_others", _OTHERS), ("blame_self", _SELF))
        for index, (pattern, message, suggestion) in enumerate(table)
    ]


@functools.cache
def _vague() -> re.Pattern[str]:
    """Follow-ups nobody can act on ("be more careful"), compiled on first use like the rules."""
    return re.compile(_VAGUE, re.IGNORECASE)


def _matches(rule: _Rule, text: str) -> Iterator[re.Match[str]]:
    """The rule's matches; a keyed rule's only around its key words (each match holds one)."""
    if rule.key is None:
        yield from rule.regex.finditer(text)
        return
    seen: set[tuple[int, int]] = set()
    for hit in rule.key.finditer(text):
        lo, hi = max(0, hit.start() - KEY_BEFORE), min(len(text), hit.end() + KEY_AFTER)
        for match in rule.regex.finditer(text, lo, hi):
            span = match.span()
            if span[0] <= hit.start() and hit.end() <= span[1] and span not in seen:
                seen.add(span)
                yield match


def text_hints(text: str, field: str = "text") -> list[Hint]:
    """Blaming wording in one piece of text, in reading order (overlaps keep the first, longest span)."""
    found: list[Hint] = []
    lower = text.lower()
    for rule in _compiled():
        if not any(word in lower for word in rule.words):
            continue
        for match in _matches(rule, text):
            if "blameless" in match.group(0).lower():
                continue
            found.append(Hint(field, match.start(), match.end(), match.group(0), rule.kind, rule.message,
                              rule.suggestion))
    found.sort(key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[Hint] = []
    for hint in found:
        if kept and hint.start < kept[-1].end:
            continue
        kept.append(hint)
    return kept


def follow_up_hints(text: str, owner: str, due_on: str, field: str) -> list[Hint]:
    """A follow-up nobody can act on: vague wording, no owner, no due date."""
    hints: list[Hint] = []
    match = _vague().search(text)
    if match:
        hints.append(
            Hint(
                field,
                match.start(),
                match.end(),
                match.group(0),
                "followup_vague",
                "Nobody can tell when this is done.",
                "Name a concrete change: a checklist line, a template field, a calendar reminder, a second reader.",
            )
        )
    whole = (0, len(text), text)
    if not owner.strip():
        hints.append(
            Hint(field, *whole, "followup_owner", "This follow-up has no owner.", "Name the one person who will do it.")
        )
    if not due_on.strip():
        hints.append(
            Hint(field, *whole, "followup_due", "This follow-up has no due date.", "Give it a date, even a rough one.")
        )
    return hints


def hints(pm_or_text: PostMortem | str) -> list[Hint]:
    """Every hint for an entry (or for a piece of text), field by field."""
    if isinstance(pm_or_text, str):
        return text_hints(pm_or_text)
    pm = pm_or_text
    out: list[Hint] = []
    for name in TEXT_FIELDS:
        out += text_hints(getattr(pm, name), name)
    for i, lesson in enumerate(pm.lessons):
        out += text_hints(lesson, f"lessons[{i}]")
    for step, state in pm.recovery.items():
        out += text_hints(state.note, f"recovery.{step}")
    for i, follow_up in enumerate(pm.follow_ups):
        field = f"follow_ups[{i}]"
        out += text_hints(follow_up.text, field)
        if follow_up.status == "open":
            out += follow_up_hints(follow_up.text, follow_up.owner, follow_up.due_on, field)
    return out
