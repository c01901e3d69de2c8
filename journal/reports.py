"""Account review packets: one account's post-mortems over a period, summarised and in order.

``account_review`` gathers an account's entries (matched case-insensitively on
the effective account: ``account``, or ``client`` when that is empty) and works
out the summary an account team reads first; ``render_markdown`` writes the
packet. What belongs to the author alone (feelings, reflection, response style,
first response time) is left out unless ``private`` is asked for; ``redact``
pseudonymises as a redacted export does and always leaves the private fields out.
The PDF form of a packet is drawn by the app (``ui/review/packet_pdf.py``) from this Markdown.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from journal import query as q
from journal import redact
from journal.insight import patterns as pt
from journal.model import RECOVERY_STEPS, PostMortem, today
from journal.redact import Pseudonyms
from journal.store import Store

# Pattern kinds read from the author's own feelings and responses: private like those fields.
PRIVATE_KINDS = frozenset({"emotions_by_role", "emotion_fade", "response_style"})
# Follow-up and entry fields that may not exist in every version of the model.
_PRIVATE_EXTRAS = ("first_response_hours",)

ROLE_NAMES = {"maker": "We made the mistake", "receiver": "It landed on us (received)"}
SEVERITY_NAMES = {1: "small slip", 2: "minor", 3: "client upset", 4: "serious", 5: "relationship lost"}
STEP_LABELS = {
    "responsibility": "Taking responsibility",
    "apology": "Apology",
    "correction": "Correction",
    "compensation": "Compensation",
    "satisfaction_check": "Satisfaction check",
    "acceptance": "Acceptance",
}
RESPONSE_NAMES = {
    "owned": "owned it",
    "over_apologized": "over-apologized",
    "deflected": "deflected",
    "self_blamed": "blamed myself",
}


class UnknownAccount(ValueError):
    """No entry has this account (or client); the message names the closest known ones."""


@dataclass
class FixNotHeld:
    entry_id: str
    entry_title: str
    text: str
    note: str = ""


@dataclass
class Review:
    """What an account review shows: the summary the core computed, then the entries oldest first."""

    account: str
    after: str | None
    before: str | None
    private: bool
    redact: bool
    prepared_on: str
    entries: list[PostMortem] = field(default_factory=list)
    by_severity: dict[int, int] = field(default_factory=dict)
    by_role: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)
    recurring_causes: list[tuple[str, int]] = field(default_factory=list)
    skipped_steps: list[tuple[str, int]] = field(default_factory=list)
    make_goods_offered: int = 0
    make_goods_accepted: int = 0
    make_goods_refused: int = 0
    cost_offered: dict[str, float] = field(default_factory=dict)
    cost_accepted: dict[str, float] = field(default_factory=dict)
    hours_offered: float = 0.0
    followups_open: int = 0
    followups_overdue: int = 0
    followups_done: int = 0
    followups_dropped: int = 0
    fixes_not_held: list[FixNotHeld] = field(default_factory=list)
    patterns: list[pt.Pattern] = field(default_factory=list)
    patterns_looked_for: bool = True  # False when the account's name cannot be written as a §3 query
    leak_names: list[str] = field(default_factory=list, repr=False)  # the real names a redacted packet must not hold

    @property
    def most_skipped_step(self) -> tuple[str, int] | None:
        return self.skipped_steps[0] if self.skipped_steps else None

    @property
    def reviewed(self) -> int:
        return sum(1 for pm in self.entries if pm.status == "reviewed")

    @property
    def period_text(self) -> str:
        """The period in words; ``before`` is exclusive, so the last day shown is the day before it."""
        last = None
        if self.before:
            last = (dt.date.fromisoformat(self.before) - dt.timedelta(days=1)).isoformat()
        if self.after and last:
            return f"{self.after} to {last}"
        if self.after:
            return f"from {self.after}"
        if last:
            return f"up to {last}"
        return "all dates"


def date_bound(value: str, name: str) -> str:
    """``--after``/``--before`` read as the search syntax reads them (``2024``, ``2024-05``, ``2024-05-01``)."""
    parsed = q.parse(f"{name}:{value.strip()}")
    if len(parsed.filters) != 1 or parsed.terms:
        raise ValueError(f"--{name} takes a date like 2024-05-01 (or 2024-05, or 2024); got {value!r}")
    return str(parsed.filters[0].value)


def known_accounts(store: Store) -> list[tuple[str, int]]:
    """Effective accounts in use, with how many live entries each has (most first)."""
    return store.names("account_key")


def resolve_account(store: Store, name: str) -> str:
    """The account as the journal spells it; ``UnknownAccount`` with suggestions when there is none."""
    wanted = name.strip()
    known = [n for n, _ in known_accounts(store)]
    for candidate in known:
        if candidate.casefold() == wanted.casefold():
            return candidate
    if not wanted:
        raise UnknownAccount("give an account (or client) name")
    by_fold = {k.casefold(): k for k in known}
    close = difflib.get_close_matches(wanted.casefold(), list(by_fold), n=3, cutoff=0.6)
    close += [f for f in by_fold if wanted.casefold() in f and f not in close][: 3 - len(close)]
    if close:
        names = ", ".join(f'"{by_fold[c]}"' for c in close)
        raise UnknownAccount(f'no account or client "{wanted}" in this journal; did you mean {names}?')
    if not known:
        raise UnknownAccount(f'no account or client "{wanted}": this journal has no entries with a client yet')
    raise UnknownAccount(f'no account or client "{wanted}" in this journal; see the clients with \'hindsight list\'')


def _entries(store: Store, account: str, after: str | None, before: str | None) -> list[PostMortem]:
    clauses = ["e.deleted = 0", "e.account_key = ? COLLATE NOCASE"]
    params: list[Any] = [account]
    if after:
        clauses.append("e.occurred_on >= ?")
        params.append(after)
    if before:
        clauses.append("e.occurred_on < ?")
        params.append(before)
    rows = store.conn.execute(
        f"SELECT e.id FROM entries e WHERE {' AND '.join(clauses)} ORDER BY e.occurred_on, e.created_at, e.seq",
        params,
    ).fetchall()
    return store.get_many([row[0] for row in rows])


def _pattern_query(account: str, after: str | None, before: str | None) -> str | None:
    """The §3 query for the same scope; None when the name cannot be written in the syntax (a double quote)."""
    if '"' in account:
        return None
    parts = [f'account:"{account}"']
    if after:
        parts.append(f"after:{after}")
    if before:
        parts.append(f"before:{before}")
    return " ".join(parts)


def account_review(
    store: Store,
    account: str,
    after: str | None = None,
    before: str | None = None,
    *,
    private: bool = False,
    redact: bool = False,
    today_is: str | None = None,
) -> Review:
    """The review of ``account`` for entries on or after ``after`` and before ``before`` (ISO dates).

    Raises ``UnknownAccount`` when no live entry has that account or client at all;
    an account with no entries in the period gives a review with no entries.
    """
    if private and redact:
        raise ValueError("--private and --redact contradict each other: a redacted packet never holds private notes")
    for value in (after, before):
        if value is not None:
            dt.date.fromisoformat(value)  # a programming error, not a user one: the CLI checked the text
    if after and before and after >= before:
        raise ValueError(f"the period is empty: --after {after} is not before --before {before}")
    today_is = today_is or today()
    name = resolve_account(store, account)
    entries = _entries(store, name, after, before)
    found: list[pt.Pattern] = []
    scope = _pattern_query(name, after, before)
    if scope is not None and entries:
        found = pt.analyse(store, scope, "all", today=today_is)
        # The engine names its scope by the query; a reader of the packet knows it by the account.
        for p in found:
            p.sentence = p.sentence.replace(f"matching “{scope}”", f"for {name}")
    if not private or redact:
        found = [p for p in found if p.kind not in PRIVATE_KINDS]
    shown_name = name
    leak_names: list[str] = []
    if redact:
        pseudonyms = Pseudonyms()
        pseudonyms.add(name, "Client")  # the account the packet is about is always Client A
        # As a redacted export: every name the journal knows when redact offers that list, else the packet's.
        known = getattr(redact, "known_names", None)
        for kind, known_name in known(store, [pm.id for pm in entries]) if known else []:
            pseudonyms.add(known_name, kind)
        pseudonyms.learn(entries)
        names = getattr(pseudonyms, "names", None)
        leak_names = list(names()) if names else [name] + [
            n for pm in entries for n in (pm.client, pm.account, *(f.owner for f in pm.follow_ups),
                                          *(r.author for r in pm.review_notes)) if n.strip()
        ]
        entries = [pseudonyms.entry(pm) for pm in entries]
        found = [pt.Pattern(p.kind, pseudonyms.text(p.sentence), p.strength, list(p.evidence)) for p in found]
        shown_name = pseudonyms[name]
    review = Review(shown_name, after, before, private and not redact, redact, today_is, entries, patterns=found,
                    patterns_looked_for=scope is not None, leak_names=leak_names)
    _summarise(review, today_is)
    return review


def _summarise(review: Review, today_is: str) -> None:
    entries = review.entries
    review.by_severity = {level: 0 for level in range(1, 6)}
    review.by_role = {"maker": 0, "receiver": 0}
    review.by_status = {}
    causes: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    for pm in entries:
        review.by_severity[pm.severity] = review.by_severity.get(pm.severity, 0) + 1
        review.by_role[pm.role] = review.by_role.get(pm.role, 0) + 1
        review.by_status[pm.status] = review.by_status.get(pm.status, 0) + 1
        causes.update({c.casefold(): 1 for c in pm.causes})
        for step, state in pm.recovery.items():
            if state.state == "skipped":
                skipped[step] += 1
        b = pm.breadsticks
        if (b.kind and b.kind != "none") or b.offered.strip():
            review.make_goods_offered += 1
            if b.cost is not None:
                review.cost_offered[b.currency] = review.cost_offered.get(b.currency, 0.0) + b.cost
            review.hours_offered += b.hours or 0.0
            if b.accepted == "yes":
                review.make_goods_accepted += 1
                if b.cost is not None:
                    review.cost_accepted[b.currency] = review.cost_accepted.get(b.currency, 0.0) + b.cost
            elif b.accepted == "no":
                review.make_goods_refused += 1
        for f in pm.follow_ups:
            if f.status == "open":
                review.followups_open += 1
                if f.due_on and f.due_on < today_is:
                    review.followups_overdue += 1
            elif f.status == "done":
                review.followups_done += 1
            else:
                review.followups_dropped += 1
            if f.check_result == "recurred":
                note = str(getattr(f, "note", "") or "")
                review.fixes_not_held.append(FixNotHeld(pm.id, pm.title, f.text, note))
    spelled = {c.casefold(): c for pm in entries for c in pm.causes}
    review.recurring_causes = [(spelled[c], n) for c, n in causes.most_common() if n >= 2]
    order = {step: i for i, step in enumerate(RECOVERY_STEPS)}
    review.skipped_steps = sorted(skipped.items(), key=lambda item: (-item[1], order.get(item[0], 99)))


# --- Markdown ------------------------------------------------------------------------------------------

_INLINE_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def _inline(text: str) -> str:
    """A name or title as literal text inside a Markdown line or table cell."""
    return " ".join(text.split()).translate(_INLINE_SPECIAL)


def _amount(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _table(head: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _block(text: str) -> str:
    """Markdown the author wrote, kept as written; a heading in it may not outrank the packet's own."""
    lines = []
    for line in text.strip().splitlines():
        stripped = line.lstrip()
        if stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            if level <= 6 and stripped[level:level + 1] in (" ", ""):
                line = "##### " + stripped[level:].strip()
        lines.append(line)
    return "\n".join(lines)


def render_markdown(review: Review) -> str:
    """The packet as one readable Markdown file: title, period, summary, then every entry oldest first.

    A redacted packet is scanned for the names it replaced, as a redacted export is
    (``redact.LeakScan``, where redact has it); one found is a ``ValueError`` and
    nothing should be written.
    """
    text = _render(review)
    scan = getattr(redact, "LeakScan", None)
    if review.redact and review.leak_names and scan is not None:
        found = scan(review.leak_names)(text)
        if found:
            raise ValueError(f"redaction left {found[0]!r} in the packet; nothing was written")
    return text


def _render(review: Review) -> str:
    out: list[str] = [f"# Account review: {_inline(review.account)}", ""]
    out.append(f"**Period:** {review.period_text}  ")
    out.append(f"**Prepared:** {review.prepared_on}  ")
    out.append(f"**Entries:** {len(review.entries)}, {review.reviewed} reviewed  ")
    if review.redact:
        out.append("**Redacted:** clients and people are pseudonyms; the author's private notes are left out.")
    elif review.private:
        out.append("**Private:** this packet holds the author's own feelings, responses and reflections.")
    else:
        out.append("The author's private notes (feelings, response, reflection) are left out.")
    out.append("")
    if not review.entries:
        out += ["## Summary", "", f"No entries for {_inline(review.account)} in this period.", ""]
        return "\n".join(out)
    out += summary_markdown(review)
    out += ["## Entries", ""]
    for number, pm in enumerate(review.entries, 1):
        out += entry_markdown(review, number, pm)
    return "\n".join(out).rstrip("\n") + "\n"


def summary_markdown(review: Review) -> list[str]:
    n = len(review.entries)
    out = ["## Summary", "", "### Entries by severity", ""]
    out += _table(
        ("Severity", "Entries"),
        [(f"{level} — {SEVERITY_NAMES[level]}", str(count)) for level, count in sorted(review.by_severity.items())],
    )
    out += ["### Entries by role", ""]
    out += _table(("Role", "Entries"), [(ROLE_NAMES.get(r, r), str(c)) for r, c in review.by_role.items()])
    out += ["### Causes that recur", ""]
    if review.recurring_causes:
        out += _table(("Cause", "Entries"), [(_inline(c), str(k)) for c, k in review.recurring_causes])
    else:
        out += ["No cause appears in more than one entry.", ""]
    out += ["### Recovery", ""]
    most = review.most_skipped_step
    if most:
        out.append(
            f"The step most often skipped: **{STEP_LABELS.get(most[0], most[0]).lower()}**, "
            f"in {most[1]} of {_plural(n, 'entry', 'entries')}."
        )
        others = [f"{STEP_LABELS.get(s, s).lower()} ({k})" for s, k in review.skipped_steps[1:]]
        if others:
            out.append(f"Also skipped: {', '.join(others)}.")
    else:
        out.append("No recovery step was skipped.")
    out += ["", "### Make-goods", ""]
    if review.make_goods_offered:
        pending = review.make_goods_offered - review.make_goods_accepted - review.make_goods_refused
        out.append(
            f"Offered in {_plural(review.make_goods_offered, 'entry', 'entries')}: "
            f"{review.make_goods_accepted} accepted, {review.make_goods_refused} refused, {pending} not settled."
        )
        if review.hours_offered:
            out.append(f"Extra hours offered: {_amount(review.hours_offered)}.")
        out.append("")
        currencies = sorted(set(review.cost_offered) | set(review.cost_accepted))
        if currencies:
            out += _table(
                ("Currency", "Cost offered", "Cost accepted"),
                [
                    (_inline(c) or "(none given)", _amount(review.cost_offered.get(c, 0.0)),
                     _amount(review.cost_accepted.get(c, 0.0)))
                    for c in currencies
                ],
            )
    else:
        out += ["No make-good was offered.", ""]
    out += ["### Follow-ups", ""]
    out += _table(
        ("Open", "Overdue", "Done", "Dropped", "Fixes that did not hold"),
        [tuple(str(v) for v in (review.followups_open, review.followups_overdue, review.followups_done,
                                review.followups_dropped, len(review.fixes_not_held)))],
    )
    for fix in review.fixes_not_held:
        note = f" — {_inline(fix.note)}" if fix.note else ""
        out.append(f"- Did not hold: {_inline(fix.text)} (in “{_inline(fix.entry_title)}”){note}")
    if review.fixes_not_held:
        out.append("")
    out += ["### Patterns", ""]
    if review.patterns:
        for p in review.patterns:
            out.append(f"- {_inline(p.sentence)} ({_plural(len(p.evidence), 'entry', 'entries')} as evidence)")
    elif not review.patterns_looked_for:
        out.append("Patterns are not looked for when the account's name holds a double quote.")
    elif n < pt.MIN_ENTRIES:
        out.append(f"Too few entries ({n}) to look for patterns; Hindsight needs {pt.MIN_ENTRIES}.")
    else:
        out.append("Nothing recurs clearly enough to be worth saying.")
    return [*out, ""]


def entry_markdown(review: Review, number: int, pm: PostMortem) -> list[str]:
    out = [f"### {number}. {_inline(pm.title)}", ""]
    facts = [
        pm.occurred_on,
        f"severity {pm.severity} ({SEVERITY_NAMES.get(pm.severity, '')})",
        "we made it" if pm.role == "maker" else "it landed on us",
    ]
    if pm.client:
        facts.append(f"client {_inline(pm.client)}")
    facts += [f"status {pm.status}", f"surfaced by {pm.detection}"]
    out += ["*" + " · ".join(facts) + "*", ""]
    for label, text in (("What happened", pm.what_happened), ("Impact", pm.impact),
                        ("Contributing factors", pm.contributing_factors)):
        if text.strip():
            out += [f"#### {label}", "", _block(text), ""]
    if pm.causes:
        out += [f"**Causes:** {', '.join(_inline(c) for c in pm.causes)}", ""]
    steps = [(s, pm.recovery[s]) for s in RECOVERY_STEPS if s in pm.recovery]
    if any(step.state != "pending" or step.note for _, step in steps):
        out += ["#### Recovery", ""]
        for s, step in steps:
            note = f" — {_inline(step.note)}" if step.note.strip() else ""
            out.append(f"- {STEP_LABELS[s]}: {step.state}{note}")
        out.append("")
    b = pm.breadsticks
    if b.offered.strip() or (b.kind and b.kind != "none") or b.wished_for.strip():
        out += ["#### Make-good", ""]
        bits = []
        if b.kind:
            bits.append(b.kind.replace("_", " "))
        if b.cost is not None:
            bits.append(f"{_amount(b.cost)} {_inline(b.currency)}".strip())
        if b.hours:
            bits.append(f"{_amount(b.hours)} hour{'' if b.hours == 1 else 's'}")
        if b.accepted:
            bits.append(f"accepted: {b.accepted}")
        if bits:
            out += [" · ".join(bits), ""]
        if b.offered.strip():
            out += [_block(b.offered), ""]
        if b.wished_for.strip():
            out += ["What would have made it right:", "", _block(b.wished_for), ""]
    if pm.follow_ups:
        out += ["#### Follow-ups", ""]
        for f in pm.follow_ups:
            box = "x" if f.status == "done" else " "
            text = _inline(f.text)
            if f.status == "dropped":
                text = f"~~{text}~~ (dropped)"
            bits = [b_ for b_ in (_inline(f.owner), f"due {f.due_on}" if f.due_on else "") if b_]
            if f.done_on:
                bits.append(f"done {f.done_on}")
            if f.check_result:
                bits.append("the fix held" if f.check_result == "held" else "the fix did not hold")
            elif f.check_on:
                bits.append(f"check {f.check_on}")
            note = str(getattr(f, "note", "") or "")
            if note.strip():
                bits.append(_inline(note))
            out.append(f"- [{box}] {text}" + (f" — {', '.join(bits)}" if bits else ""))
        out.append("")
    if pm.lessons:
        out += ["#### Lessons", ""] + [f"- {_inline(lesson)}" for lesson in pm.lessons] + [""]
    if pm.outcome.client_retained != "unknown" or pm.outcome.satisfaction is not None:
        bits = [f"client retained: {pm.outcome.client_retained}"]
        if pm.outcome.satisfaction is not None:
            bits.append(f"satisfaction {pm.outcome.satisfaction} of 5")
        out += [f"**Outcome:** {', '.join(bits)}", ""]
    if pm.review_notes:
        out += ["#### Review notes", ""]
        for n in pm.review_notes:
            author = _inline(n.author) or "Someone"
            out.append(f"- **{author}**, {n.written_at[:10]}: {_inline(n.text)}")
        out.append("")
    if review.private:
        out += _private_markdown(pm)
    return out


def _private_markdown(pm: PostMortem) -> list[str]:
    out: list[str] = []
    if pm.emotions:
        out += ["#### Feelings (private)", ""]
        for e in pm.emotions:
            who = "me" if e.who == "me" else "them"
            now = f", now {e.intensity_now}" if e.intensity_now is not None else ""
            out.append(f"- {who}: {_inline(e.name)} {e.intensity} of 5{now}")
        out.append("")
    bits = []
    if pm.response_style:
        bits.append(f"how I first responded: {RESPONSE_NAMES.get(pm.response_style, pm.response_style)}")
    for extra in _PRIVATE_EXTRAS:
        value = getattr(pm, extra, None)
        if value is not None:
            bits.append(f"first response after {_amount(float(value))} hours")
    if bits:
        out += ["**Response (private):** " + "; ".join(bits), ""]
    if pm.reflection.strip():
        out += ["#### Reflection (private)", "", _block(pm.reflection), ""]
    return out
