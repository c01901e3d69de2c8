""""You have seen this before": the past entries most like a new one.

The draft's most informative words (the rarest in the journal, looked up in the
FTS5 vocabulary) are searched as an OR of quoted phrases and ranked by bm25; the
best few dozen are then re-ranked with what the words cannot say: the same
client and shared causes. Nothing is loaded but the candidates' ids, clients and
causes, so it stays fast on a 100,000-entry journal.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field

from journal.model import PostMortem, Summary
from journal.store import Store

SALIENT_TERMS = 12
TITLE_PHRASES = 3
CANDIDATES = 40
# The rare words searched may together match at most this share of the journal.
POSTINGS_SHARE = 0.03
TEXT_WEIGHT, CLIENT_WEIGHT, CAUSE_WEIGHT = 0.65, 0.25, 0.10

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOP_WORDS = """
the and for with from into onto about that this these those there their them they was were are been being have has
had not but you your our its his her him she who whom what which when while where how why all any some each every
can could should would will shall must may might did does done get got just only also too very than then again
more most less over under after before until because since out off per via
"""
_STOP = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True)
class Draft:
    """What is known about an entry while it is written (it may not be saved yet)."""

    title: str = ""
    text: str = ""
    client: str = ""
    causes: tuple[str, ...] = ()
    id: str = ""
    occurred_on: str = ""
    extra_words: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def of(cls, pm: PostMortem) -> Draft:
        text = "\n".join((pm.what_happened, pm.impact, pm.contributing_factors))
        return cls(pm.title, text, pm.client, tuple(pm.causes), pm.id, pm.occurred_on)


def words(text: str) -> list[str]:
    """Tokens as the journal's FTS5 tokenizer sees them: lower case, accents folded."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORD.findall(folded)


def _frequencies(conn: sqlite3.Connection, title: list[str], tokens: list[str]) -> dict[str, int]:
    """How many entries each word is in, from the FTS5 vocabulary: the title's words, then the longest others."""
    useful = {w for w in tokens if len(w) >= 3 and w not in _STOP}
    heading = {w for w in title if len(w) >= 3 and w not in _STOP}
    candidates = sorted(heading) + sorted(useful - heading, key=lambda w: (-len(w), w))[: max(0, 48 - len(heading))]
    if not candidates:
        return {}
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.hs_vocab USING fts5vocab(main, entries_fts, row)")
    marks = ", ".join("?" * len(candidates))
    return dict(conn.execute(f"SELECT term, doc FROM temp.hs_vocab WHERE term IN ({marks})", candidates).fetchall())


def _query_terms(draft: Draft, df: dict[str, int], total: int) -> tuple[list[str], list[str]]:
    """The rarest words (within a postings budget) and the most telling word pairs, as FTS5 phrases."""
    budget = max(400, int(total * POSTINGS_SHARE))
    chosen: list[str] = []
    spent = 0
    for term, docs in sorted(df.items(), key=lambda x: (x[1], x[0])):
        if len(chosen) >= SALIENT_TERMS or (len(chosen) >= 3 and spent + docs > budget):
            break
        chosen.append(term)
        spent += docs
    # Neighbouring words that are each fairly common can be rare together ("winter invoice").
    pairs: dict[str, float] = {}
    # The client's own name is weighed in the re-ranking; as a phrase it would only find the client again.
    client_words = set(words(draft.client))
    for text in (draft.title, draft.text):
        tokens = words(text)
        for first, second in itertools.pairwise(tokens):
            if first in client_words and second in client_words:
                continue
            if first in df and second in df and first not in chosen and second not in chosen:
                pairs[f"{first} {second}"] = df[first] * df[second]
    phrases = [p for p, _ in sorted(pairs.items(), key=lambda x: x[1])[:TITLE_PHRASES]]
    return chosen, phrases


def similar(store: Store, entry_or_text: PostMortem | Draft | str, limit: int = 3) -> list[tuple[Summary, float, str]]:
    """Up to ``limit`` past entries most like this one, each with a score in 0..1 and why."""
    if isinstance(entry_or_text, PostMortem):
        draft = Draft.of(entry_or_text)
    elif isinstance(entry_or_text, str):
        draft = Draft(text=entry_or_text)
    else:
        draft = entry_or_text
    conn = store.db.conn
    # max(seq) is a free stand-in for the size of the journal, good enough to budget the search.
    total = int(conn.execute("SELECT coalesce(max(seq), 0) FROM entries").fetchone()[0])
    if total == 0 or limit < 1:
        return []
    df = _frequencies(conn, words(draft.title), words(f"{draft.text} {draft.client}"))
    terms, phrases = _query_terms(draft, df, total)
    if not terms and not phrases:
        return []
    match = " OR ".join('"' + t.replace('"', '""') + '"' for t in [*terms, *phrases])
    conditions = ["e.deleted = 0"]
    params: list[object] = [match]
    if draft.id:
        conditions.append("e.id != ?")
        params.append(draft.id)
    if draft.occurred_on:
        conditions.append("e.occurred_on <= ?")
        params.append(draft.occurred_on)
    rows = conn.execute(
        "SELECT e.seq, e.id, e.client, bm25(entries_fts, 4.0, 1.0) AS rank FROM entries_fts "
        "JOIN entries e ON e.seq = entries_fts.rowid WHERE entries_fts MATCH ? AND "
        + " AND ".join(conditions)
        + f" ORDER BY rank LIMIT {CANDIDATES}",
        params,
    ).fetchall()
    if not rows:
        return []
    best = max(-r[3] for r in rows) or 1.0
    seqs = [r[0] for r in rows]
    marks = ", ".join("?" * len(seqs))
    causes: dict[int, set[str]] = {}
    for seq, name in conn.execute(f"SELECT entry, name FROM causes WHERE entry IN ({marks})", seqs):
        causes.setdefault(seq, set()).add(name.casefold())
    mine = {c.casefold() for c in draft.causes}
    client = draft.client.casefold().strip()
    scored = []
    for seq, entry_id, their_client, rank in rows:
        text = -rank / best
        same_client = bool(client) and their_client.casefold().strip() == client
        theirs = causes.get(seq, set())
        shared = mine & theirs
        overlap = len(shared) / len(mine | theirs) if mine and theirs else 0.0
        score = TEXT_WEIGHT * text + CLIENT_WEIGHT * same_client + CAUSE_WEIGHT * overlap
        scored.append((score, entry_id, seq, their_client if same_client else "", sorted(shared)))
    scored.sort(key=lambda s: -s[0])
    top = scored[:limit]
    summaries = store.summaries([s[1] for s in top])
    bodies = dict(
        conn.execute(
            f"SELECT rowid, title || ' ' || body FROM entries_fts WHERE rowid IN ({', '.join('?' * len(top))})",
            [s[2] for s in top],
        ).fetchall()
    )
    out = []
    for score, entry_id, seq, same, shared_causes in top:
        if entry_id not in summaries:
            continue
        theirs_words = set(words(bodies.get(seq, "")))
        common = [t for t in terms if t in theirs_words][:4]
        reasons = []
        if same:
            reasons.append(f"same client ({same})")
        if shared_causes:
            reasons.append("both " + " and ".join(shared_causes))
        if common:
            reasons.append("shares " + ", ".join(f"“{w}”" for w in common))
        out.append((summaries[entry_id], round(min(1.0, score), 3), "; ".join(reasons) or "similar wording"))
    return out
