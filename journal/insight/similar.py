""""You have seen this before": the past entries most like a new one.

The draft's most informative words (its title's first, then its narrative's; the rarest
in the journal, counted in the FTS5 vocabulary and remembered per journal size) and its
rarest word pairs are searched as an OR of quoted phrases, within a budget of matching
entries, and ranked by bm25 in one pass in which an entry with the same client counts
as a better match. The best few dozen are then re-ranked with what the words cannot
say: the same client and shared causes. Only the ranked candidates are looked up in
``entries``, so it stays within tens of milliseconds on a 100,000-entry journal.

A suggestion must be believable: it needs two independent signals (``SIGNALS``) out of
distinctive shared wording, the same client or account, a shared cause and a shared tag, one of
them the wording or the client, and it says which in words. The panel and ``hindsight similar``
both look an entry up as ``Draft.of(entry)``, so they agree.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from journal.model import PostMortem, Summary
from journal.store import Store

SALIENT_TERMS = 12
MIN_TERMS = 3
TERMS_CAP = 4  # × the budget: even the three rarest words may not match more than this
TITLE_PHRASES = 3
CANDIDATES = 40
CLIENT_BOOST = 1.5
# The rare words searched may together match at most this share of the journal.
POSTINGS_SHARE = 0.025
TEXT_WEIGHT, CLIENT_WEIGHT, CAUSE_WEIGHT, TAG_WEIGHT = 0.65, 0.25, 0.10, 0.05
TEXT_CAP = 20_000  # characters of the narrative looked at (the rare words come early)
# Wording counts as a signal with two distinctive shared words, or one shared rare pair of words.
# Distinctive: in at most DISTINCT_SHARE of the journal's entries (at least DISTINCT_FLOOR entries,
# so a small journal has some), not a common word and not a word of the client's name.
SHARED_WORDS = 2
DISTINCT_SHARE = 0.05
DISTINCT_FLOOR = 3
SIGNALS = 2  # independent signals a suggestion needs, one of them the wording or the client

_STOP_WORDS = """
the and for with from into onto about that this these those there their them they was were are been being have has
had not but you your our its his her him she who whom what which when while where how why all any some each every
can could should would will shall must may might did does done get got just only also too very than then again
more most less over under after before until because since out off per via
"""
_STOP = frozenset(_STOP_WORDS.split())
# Words nearly every post-mortem uses: one of them shared says nothing ("lost", "late", "client").
_COMMON_WORDS = """
again late lost wrong missed miss sent send client clients customer customers day days week weeks time times
email emails call called team work worked file files date dates problem issue mistake happened order ordered
delivered delivery asked told said made make needed people thing things today yesterday morning afternoon
"""
_COMMON = frozenset(_COMMON_WORDS.split())


@dataclass(frozen=True)
class Draft:
    """What is known about an entry while it is written (it may not be saved yet)."""

    title: str = ""
    text: str = ""  # the narrative: what happened
    client: str = ""
    causes: tuple[str, ...] = ()
    id: str = ""
    occurred_on: str = ""
    extra_words: tuple[str, ...] = field(default_factory=tuple)
    context: str = ""  # impact and contributing factors: searched only when the narrative says little
    account: str = ""  # empty means the client's own account
    tags: tuple[str, ...] = ()

    @classmethod
    def of(cls, pm: PostMortem) -> Draft:
        """The one way an entry is looked up, saved (CLI) or being written (the editor's panel)."""
        context = "\n".join((pm.impact[:TEXT_CAP], pm.contributing_factors[:TEXT_CAP]))
        return cls(pm.title, pm.what_happened[:TEXT_CAP], pm.client.strip(), tuple(pm.causes), pm.id,
                   pm.occurred_on, context=context, account=pm.account.strip(), tags=tuple(pm.tags))


def words(text: str) -> list[str]:
    """Tokens as the journal's FTS5 tokenizer sees them: lower case, accents folded."""
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _word().findall(folded)


@functools.cache
def _word() -> re.Pattern[str]:
    """A token as the journal's full-text index cuts it (compiled on first use, not at the app's start)."""
    return re.compile(r"[^\W_]+", re.UNICODE)


_DF_CACHE: dict[tuple[str, int], dict[str, int]] = {}
_DF_CACHE_TERMS = 50_000
VOCAB_CANDIDATES = 14
TITLE_WORDS = 10


def _frequencies(store: Store, size: int, title: list[str], tokens: list[str], more: list[str]) -> dict[str, int]:
    """How many entries each word is in, from the FTS5 vocabulary: the title's words, then the longest others.

    FTS5 counts a word's entries by walking its whole posting list, so a common word costs
    milliseconds; the counts are remembered per journal file and size (a new entry starts afresh),
    which is what makes repeated look-ups while someone types cheap. The vocabulary table is
    created once per connection.
    """
    heading = {w for w in title if len(w) >= 3 and w not in _STOP}
    useful = {w for w in tokens if len(w) >= 3 and w not in _STOP} - heading
    extra = {w for w in more if len(w) >= 3 and w not in _STOP} - heading - useful
    candidates = (
        sorted(heading, key=lambda w: (-len(w), w))[:TITLE_WORDS]
        + sorted(useful, key=lambda w: (-len(w), w))
        + sorted(extra, key=lambda w: (-len(w), w))
    )[:VOCAB_CANDIDATES]
    if not candidates:
        return {}
    key = (str(store.path), size)
    cache = _DF_CACHE.get(key)
    if cache is None or len(cache) > _DF_CACHE_TERMS:
        _DF_CACHE.clear()  # one journal at a time is what the app has open
        cache = _DF_CACHE[key] = {}
    missing = [w for w in candidates if w not in cache]
    if missing:
        # The vocabulary table is this connection's own (temp): creating it leaves the journal as it is.
        store.read("CREATE VIRTUAL TABLE IF NOT EXISTS temp.hs_vocab USING fts5vocab(main, entries_fts, row)")
        for term in missing:
            cache[term] = 0
        marks = ", ".join("?" * len(missing))
        cache.update(store.read(f"SELECT term, doc FROM temp.hs_vocab WHERE term IN ({marks})", missing))
    return {w: cache[w] for w in candidates if cache[w]}


def _phrase_counts(store: Store, size: int, phrases: list[str], cap: int) -> dict[str, int]:
    """How many entries hold each phrase, counted up to ``cap`` (remembered like the word counts)."""
    key = (str(store.path), size)
    cache = _DF_CACHE.setdefault(key, {})
    out = {}
    for phrase in phrases:
        cached = cache.get(phrase)
        if cached is None or (cached >= cap > 0 and cached < size):
            cached = cache[phrase] = int(
                store.read(
                    "SELECT count(*) FROM (SELECT 1 FROM entries_fts WHERE entries_fts MATCH ? LIMIT ?)",
                    (f'"{phrase}"', cap + 1),
                )[0][0]
            )
        out[phrase] = cached
    return out


def _query_terms(store: Store, draft: Draft, df: dict[str, int], total: int) -> tuple[list[str], list[str]]:
    """The rarest words and word pairs, as FTS5 phrases, within a budget of matching entries.

    bm25 costs a few microseconds per matching entry, so the words and pairs searched may
    together match at most POSTINGS_SHARE of the journal. The client's own words are left out:
    they would only find the client again, which the re-ranking weighs anyway.
    """
    budget = max(400, int(total * POSTINGS_SHARE))
    client_words = set(words(draft.client))
    chosen: list[str] = []
    spent = 0
    for term, docs in sorted(df.items(), key=lambda x: (x[1], x[0])):
        if len(chosen) >= SALIENT_TERMS or (len(chosen) >= MIN_TERMS and spent + docs > budget) or (
            chosen and spent + docs > TERMS_CAP * budget
        ):
            break
        chosen.append(term)
        spent += docs
    # Neighbouring words that are each fairly common can be rare together ("winter invoice").
    pairs: dict[str, float] = {}
    for text in (draft.title, draft.text):
        tokens = words(text)
        for first, second in itertools.pairwise(tokens):
            if first in client_words and second in client_words:
                continue
            if first in df and second in df and first not in chosen and second not in chosen:
                pairs[f"{first} {second}"] = df[first] * df[second]
    likely = [p for p, _ in sorted(pairs.items(), key=lambda x: x[1])[: 2 * TITLE_PHRASES]]
    counts = _phrase_counts(store, total, likely, budget)
    phrases: list[str] = []
    for phrase in sorted(likely, key=lambda p: counts[p]):
        if len(phrases) >= TITLE_PHRASES or (phrases and spent + counts[phrase] > 2 * budget):
            break
        if counts[phrase]:
            phrases.append(phrase)
            spent += counts[phrase]
    return chosen, phrases


def _candidates(store: Store, draft: Draft, match: str) -> list[tuple[int, str, str, float]]:
    """(seq, id, client, bm25) of the best-ranked past entries: overall, and among the client's own.

    bm25 is ranked by FTS5 alone; only the few ranked rows are then looked up in ``entries``
    (to leave out the trash, the entry itself and its future), rather than every match.
    """
    client = draft.client.strip()
    # One pass over the matches: an entry with the same client is ranked as if its text matched
    # CLIENT_BOOST times better, so a near-repeat with the same client is in the running.
    # "+rowid": offered to FTS5 as a rowid constraint, the list would re-run the MATCH once per entry.
    ranked = store.read(
        "SELECT rowid, bm25(entries_fts, 4.0, 1.0) AS rank FROM entries_fts WHERE entries_fts MATCH ? "
        "ORDER BY rank * (CASE WHEN +rowid IN (SELECT seq FROM entries WHERE client = ? COLLATE NOCASE) "
        "THEN ? ELSE 1.0 END) LIMIT ?",
        (match, client, CLIENT_BOOST if client else 1.0, 3 * CANDIDATES),
    )
    rank_of = dict(sorted(ranked, key=lambda r: -r[1]))
    if not rank_of:
        return []
    marks = ", ".join("?" * len(rank_of))
    rows = []
    for seq, entry_id, client, day, deleted in store.read(
        f"SELECT seq, id, client, occurred_on, deleted FROM entries WHERE seq IN ({marks})", list(rank_of)
    ):
        if deleted or (draft.id and entry_id == draft.id) or (draft.occurred_on and day > draft.occurred_on):
            continue
        rows.append((seq, entry_id, client, rank_of[seq]))
    if len(rows) < CANDIDATES and len(ranked) == 3 * CANDIDATES:
        # Most of the best matches are in the trash or the draft's future: rank only the allowed ones.
        conditions, params = ["e.deleted = 0"], [match]
        if draft.id:
            conditions.append("e.id != ?")
            params.append(draft.id)
        if draft.occurred_on:
            conditions.append("e.occurred_on <= ?")
            params.append(draft.occurred_on)
        return store.read(
            "SELECT e.seq, e.id, e.client, bm25(entries_fts, 4.0, 1.0) AS rank FROM entries_fts "
            f"JOIN entries e ON e.seq = entries_fts.rowid WHERE entries_fts MATCH ? AND {' AND '.join(conditions)} "
            f"ORDER BY rank LIMIT {CANDIDATES}",
            params,
        )
    rows.sort(key=lambda r: r[3])
    return rows[:CANDIDATES]


def similar(store: Store, entry_or_text: PostMortem | Draft | str, limit: int = 3) -> list[tuple[Summary, float, str]]:
    """Up to ``limit`` past entries most like this one, each with a score in 0..1 and why."""
    if isinstance(entry_or_text, PostMortem):
        draft = Draft.of(entry_or_text)
    elif isinstance(entry_or_text, str):
        draft = Draft(text=entry_or_text)
    else:
        draft = entry_or_text
    # max(seq) is a free stand-in for the size of the journal, good enough to budget the search.
    total = int(store.read("SELECT coalesce(max(seq), 0) FROM entries")[0][0])
    if total == 0 or limit < 1:
        return []
    df = _frequencies(
        store, total, words(draft.title), words(f"{draft.text} {draft.client} {' '.join(draft.extra_words)}"),
        words(draft.context),
    )
    terms, phrases = _query_terms(store, draft, df, total)
    if not terms and not phrases:
        return []
    match = " OR ".join('"' + t.replace('"', '""') + '"' for t in [*terms, *phrases])
    rows = _candidates(store, draft, match)
    if not rows:
        return []
    best = max(-r[3] for r in rows) or 1.0
    seqs = [r[0] for r in rows]
    marks = ", ".join("?" * len(seqs))
    causes = _labels(store, "causes", seqs)
    tags = _labels(store, "tags", seqs)
    accounts = dict(store.read(f"SELECT seq, account_key FROM entries WHERE seq IN ({marks})", seqs))
    holding = _holding(store, total, draft, df, terms, phrases, set(seqs))
    mine = {c.casefold() for c in draft.causes}
    my_tags = {t.casefold() for t in draft.tags}
    client = draft.client.casefold()
    account = (draft.account or draft.client).casefold()
    scored = []
    for seq, entry_id, their_client, rank in rows:
        text = -rank / best
        same_client = bool(client) and their_client.casefold().strip() == client
        their_account = str(accounts.get(seq) or "")
        same_account = not same_client and bool(account) and their_account.casefold() == account
        theirs = causes.get(seq, {})
        shared = [theirs[c] for c in sorted(mine & set(theirs))]
        overlap = len(shared) / len(mine | set(theirs)) if mine and theirs else 0.0
        their_tags = tags.get(seq, {})
        shared_tags = [their_tags[t] for t in sorted(my_tags & set(their_tags))]
        tag_overlap = len(shared_tags) / len(my_tags | set(their_tags)) if my_tags and their_tags else 0.0
        wording = holding.get(seq, [])
        words_shared = [w for w in wording if " " not in w]
        worded = len(words_shared) >= SHARED_WORDS or len(wording) > len(words_shared)
        party = same_client or same_account
        signals = worded + party + bool(shared) + bool(shared_tags)
        if signals < SIGNALS or not (worded or party):
            continue
        score = (TEXT_WEIGHT * text + CLIENT_WEIGHT * same_client + 0.8 * CLIENT_WEIGHT * same_account
                 + CAUSE_WEIGHT * overlap + TAG_WEIGHT * tag_overlap)
        reasons = []
        if same_client:
            reasons.append(f"same client {their_client.strip()}")
        elif same_account:
            reasons.append(f"same account {their_account}")
        if worded:
            reasons.append("both mention " + _and([f"“{w}”" for w in wording[:3]]))
        if shared:
            reasons.append("both caused by " + _and(shared))
        if shared_tags:
            reasons.append("both tagged " + _and([f"“{t}”" for t in shared_tags]))
        scored.append((score, entry_id, "; ".join(reasons)))
    scored.sort(key=lambda s: -s[0])
    top = scored[:limit]
    summaries = store.summaries([s[1] for s in top])
    return [(summaries[entry_id], round(min(1.0, score), 3), why) for score, entry_id, why in top
            if entry_id in summaries]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _labels(store: Store, table: str, seqs: list[int]) -> dict[int, dict[str, str]]:
    """Each entry's causes or tags, folded for comparing → as written."""
    out: dict[int, dict[str, str]] = {}
    marks = ", ".join("?" * len(seqs))
    for seq, name in store.read(f"SELECT entry, name FROM {table} WHERE entry IN ({marks})", seqs):
        out.setdefault(seq, {})[name.casefold()] = name
    return out


def _holding(
    store: Store, total: int, draft: Draft, df: dict[str, int], terms: list[str], phrases: list[str], seqs: set[int]
) -> dict[int, list[str]]:
    """The distinctive words and word pairs each candidate shares with the draft, rarest first.

    Each is looked up in the full-text index once (their postings are within the search budget),
    so no candidate's text is read.
    """
    limit = max(DISTINCT_FLOOR, int(total * DISTINCT_SHARE))
    client_words = set(words(draft.client)) | set(words(draft.account))
    counts = _phrase_counts(store, total, phrases, max(400, int(total * POSTINGS_SHARE))) if phrases else {}
    looked: list[str] = [
        p for p in phrases
        if counts.get(p, 0) <= limit and not client_words & set(p.split()) and not set(p.split()) <= _COMMON
    ]
    looked += [t for t in terms if df.get(t, 0) <= limit and t not in _COMMON and t not in client_words]
    out: dict[int, list[str]] = {}
    for term in sorted(looked, key=lambda t: (counts.get(t) or df.get(t, 0), t)):
        for (seq,) in store.read("SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?", (f'"{term}"',)):
            if seq in seqs:
                out.setdefault(seq, []).append(term)
    # A pair says its words already: list it, not them again.
    for seq, found in out.items():
        pairs = [p for p in found if " " in p]
        inside = {w for p in pairs for w in p.split()}
        out[seq] = pairs + [w for w in found if " " not in w and w not in inside]
    return out
