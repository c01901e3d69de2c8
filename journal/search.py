"""Finding entries: the §3 query run against the journal, ranked, paged, counted and listed."""

from __future__ import annotations

import dataclasses
import math
import re
import sqlite3
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from journal import query as q
from journal.model import (
    Summary,
)

if TYPE_CHECKING:
    pass


LABEL_SCAN_FROM = 2000
RANK_WINDOW = 500
# Text matching this share of the journal or more is counted by walking its matches (``_count_from_text``).
BROAD_TEXT = 0.4
BROAD_SAMPLE = 2000
# A child-table filter of ``query.where``, maybe negated: (``NOT (`` or None, table, condition).
_CHILD_FILTER = re.compile(r"(NOT \()?e\.seq IN \(SELECT entry FROM (\w+) WHERE (.*)\)(?(1)\))", re.DOTALL)
_TRASHED = "(SELECT seq FROM entries INDEXED BY entries_newest WHERE deleted = 1)"
_SEVERITY_RANGE = re.compile(r"e\.severity (<|<=|>|>=|=) \?")
STEER_PROBE = 20_000  # index entries a count reads to tell which of two filters is narrower
COLUMN_SET = 1  # a column filter is tested as a set when it holds fewer rows than this many times the child filter
# A filter on one of the entries' own columns that an index of its own covers (``q.where``'s wording).
_INDEXED_COLUMN = re.compile(
    r"e\.(?:role|detection) = \?|(?:e\.deleted IN \(0, 1\) AND )?e\.status = \?|\+?e\.severity (?:<|<=|>|>=|=) \?"
    r"|e\.(?:client|account_key) = \? COLLATE NOCASE"
)

_SUMMARY_COLUMNS = "e.id, e.title, e.occurred_on, e.role, e.client, e.severity, e.status"
SORT_COLUMNS = {
    "occurred_on": "e.occurred_on",
    "title": "e.title COLLATE NOCASE",
    "client": "e.client COLLATE NOCASE",
    "role": "e.role",
    "severity": "e.severity",
    "status": "e.status",
}


def _probed(clauses: list[str]) -> list[str]:
    """Child-table filters ``e.seq IN (SELECT entry FROM t WHERE …)`` as a lookup for each entry.

    For the few hundred rows a ranking or a page looks at, probing ``t`` by entry
    is cheaper than gathering every entry of a common tag (tens of thousands) first.
    """
    out = []
    for clause in clauses:
        found = re.fullmatch(r"e\.seq IN \(SELECT entry FROM (\w+) WHERE (.*)\)", clause, re.DOTALL)
        out.append(f"EXISTS (SELECT 1 FROM {found[1]} WHERE entry = e.seq AND {found[2]})" if found else clause)
    return out


def _spans(clauses: list[str], params: list[Any]) -> list[list[Any]]:
    """Each clause's own parameters (``q.where`` gives them in clause order, one per ``?``)."""
    spans, start = [], 0
    for clause in clauses:
        spans.append(params[start : start + clause.count("?")])
        start += clause.count("?")
    return spans


class Label(NamedTuple):
    """What a file name is made of (``journal.markdown.files.Named``)."""

    id: str
    title: str
    occurred_on: str


class Searching:
    """The ``Store`` methods that find and list entries."""

    conn: sqlite3.Connection

    if TYPE_CHECKING:

        def read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]: ...
        def _chunks_by_id(
            self, sql: str, entry_ids: Sequence[str], before: Sequence[Any] = ()
        ) -> Iterator[list[Any]]: ...


    def _select(
        self,
        query: q.Query,
        columns: str,
        *,
        trash: bool,
        order: str | None,
        descending: bool,
        limit: int | None = None,
        offset: int = 0,
        after: str | None = None,
    ) -> list[Any]:
        """Rows for a §3 query, by relevance when there is text, else newest first.

        Ranking every match of a common word costs ~2 µs a match, so relevance is
        computed among the RANK_WINDOW most recently written matches; older matches
        follow, most recently written first. A search of 100,000 entries stays within a few ms.

        ``after``: the rows that follow this entry's row (``offset`` is then not used) where
        the order can seek to it in an index — newest first, or the older matches of a text
        search; a page deep down then costs what the first page costs. Elsewhere (sorted by
        a column, the ranked window) and when the entry is gone, ``offset`` is used.
        """
        clauses, params = q.where(query)
        clauses.insert(0, "e.deleted = ?")
        params.insert(0, int(trash))
        match = q.fts_match(query)
        offset = max(0, offset)
        mark = None
        if after is not None and order not in SORT_COLUMNS:
            found = self.read("SELECT occurred_on, seq FROM entries WHERE id = ?", (after,))
            mark = (str(found[0][0]), int(found[0][1])) if found else None
        if mark is not None and not match:
            clauses.append("(e.occurred_on, e.seq) < (?, ?)")  # a range of the newest-first index
            params += list(mark)
            offset = 0
        if order in SORT_COLUMNS:
            direction = "DESC" if descending else "ASC"
            order_by = f"{SORT_COLUMNS[order]} {direction}, e.occurred_on DESC, e.seq DESC"
        else:
            order_by = "e.occurred_on DESC, e.seq DESC"
        if not match or order is not None:
            return self._plain(columns, clauses, params, match, order_by, limit, offset)

        floor = self._rank_floor(match)
        ranked_sql = (
            f"SELECT {columns} FROM entries_fts JOIN entries e ON e.seq = entries_fts.rowid "
            f"WHERE entries_fts MATCH ? {'AND entries_fts.rowid >= ?' if floor else ''} "
            f"AND {' AND '.join(_probed(clauses))} ORDER BY bm25(entries_fts, 4.0, 1.0), e.occurred_on DESC, e.seq DESC"
        )
        ranked_params = [match, *([floor] if floor else []), *params]
        if floor is not None and mark is not None and mark[1] < floor:
            ranked, offset = [], 0  # ``after`` is among the older matches: seek past it by rowid
            floor = mark[1]
        elif floor is None:
            if limit is not None or offset:
                ranked_sql += " LIMIT ? OFFSET ?"
                ranked_params += [-1 if limit is None else limit, offset]
            return self.read(ranked_sql, ranked_params)
        else:
            ranked = self.read(ranked_sql, ranked_params)
        if limit is not None and offset + limit <= len(ranked):
            return ranked[offset : offset + limit]
        taken = ranked[offset:]
        rest_limit = None if limit is None else limit - len(taken)
        # The older matches, most recently written first: the full-text index yields them in that
        # order, so a page stops after its rows instead of gathering and sorting every match (a
        # short prefix typed, like ``contract s``, matches most of the journal).
        rest_sql = (
            f"SELECT {columns} FROM entries_fts JOIN entries e ON e.seq = entries_fts.rowid "
            f"WHERE entries_fts MATCH ? AND entries_fts.rowid < ? AND {' AND '.join(_probed(clauses))} "
            "ORDER BY entries_fts.rowid DESC"
        )
        rest_params = [match, floor, *params]
        if rest_limit is not None or offset > len(ranked):
            rest_sql += " LIMIT ? OFFSET ?"
            rest_params += [-1 if rest_limit is None else rest_limit, max(0, offset - len(ranked))]
        return taken + self.read(rest_sql, rest_params)

    def _rank_floor(self, match: str) -> int | None:
        """The lowest seq among the RANK_WINDOW newest-written matches; None when fewer match."""
        rows = self.read(
            "SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
            (match, RANK_WINDOW - 1),
        )
        return int(rows[0][0]) if rows else None

    def _plain(
        self,
        columns: str,
        clauses: list[str],
        params: list[Any],
        match: str | None,
        order_by: str,
        limit: int | None,
        offset: int,
        below: int | None = None,
    ) -> list[Any]:
        clauses, params = list(clauses), list(params)
        if limit is not None and not match:
            self._walk_common_filters(clauses, params, offset + max(0, limit))
        if match:
            bound = "AND rowid < ?" if below is not None else ""
            clauses.insert(0, f"e.seq IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? {bound})")
            params[0:0] = [match, *([below] if below is not None else [])]
        sql = f"SELECT {columns} FROM entries e WHERE {' AND '.join(clauses)} ORDER BY {order_by}"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"  # LIMIT -1: every row from the offset on
            params += [-1 if limit is None else max(0, limit), offset]
        return self.read(sql, params)

    def _walk_common_filters(self, clauses: list[str], params: list[Any], wanted: int) -> None:
        """Let a page of results walk the newest-first index past common child-table filters.

        SQLite drives an ``e.seq IN (subquery)`` filter from the subquery: right for a
        rare tag, but for one on a quarter of the journal it fetches and sorts 25,000
        rows to show 50. Walking the date index instead reads about ``wanted × all /
        matched`` rows, gathering reads ``matched``: a filter is marked for walking when
        it matches at least 1 entry in 20 and at least √(wanted × all) entries, so a page
        deep down (``wanted`` = its offset + its length) gathers unless the filter is broad.
        """
        top = self.read("SELECT coalesce(max(seq), 0) FROM entries")[0][0]
        enough = max(top // 20, math.isqrt(max(0, wanted) * top))
        start = 0
        for index, clause in enumerate(clauses):
            count = clause.count("?")
            if clause.startswith("e.seq IN (SELECT") and top >= 2000:
                subquery = clause[len("e.seq IN (") : -1]
                # Counting stops at ``enough``: a filter on a third of the journal need not be counted whole.
                matched = self.read(
                    f"SELECT count(*) FROM ({subquery} LIMIT ?)", [*params[start : start + count], enough]
                )[0][0]
                if matched >= enough:
                    # Looked up per entry walked (a point lookup) rather than gathered whole first.
                    clauses[index] = _probed([clause])[0]
            start += count

    def search(
        self,
        text: str | q.Query = "",
        *,
        limit: int | None = None,
        offset: int = 0,
        trash: bool = False,
        order: str | None = None,
        descending: bool = True,
    ) -> list[Summary]:
        """Summaries matching the §3 query: by relevance when there is text, else newest first.

        ``order`` names a column of ``SORT_COLUMNS`` to sort by instead.
        """
        query = text if isinstance(text, q.Query) else q.parse(text)
        rows = self._select(
            query, _SUMMARY_COLUMNS, trash=trash, order=order, descending=descending, limit=limit, offset=offset
        )
        return [Summary(*row) for row in rows]

    def search_ids(
        self,
        text: str | q.Query = "",
        *,
        trash: bool = False,
        order: str | None = None,
        descending: bool = True,
        limit: int | None = None,
        offset: int = 0,
        after: str | None = None,
    ) -> list[str]:
        """Only the ids, in result order: ``limit`` of them from ``offset`` (or after ``after``), a page of the list."""
        query = text if isinstance(text, q.Query) else q.parse(text)
        rows = self._select(
            query, "e.id", trash=trash, order=order, descending=descending, limit=limit, offset=offset, after=after
        )
        return [row[0] for row in rows]

    def order_ids(
        self,
        entry_ids: Sequence[str],
        *,
        trash: bool = False,
        order: str | None = None,
        descending: bool = True,
    ) -> list[str]:
        """Exactly these ids (those that exist, in or out of the trash), in list order: newest first by default."""
        if order in SORT_COLUMNS:
            order_by = f"{SORT_COLUMNS[order]} {'DESC' if descending else 'ASC'}, e.occurred_on DESC, e.seq DESC"
        else:
            order_by = "e.occurred_on DESC, e.seq DESC"
        # One JSON parameter instead of one per id: no limit on how many ids a pattern's evidence holds.
        import json  # only here: not loaded for the window's first paint

        rows = self.read(
            f"SELECT e.id FROM entries e WHERE e.id IN (SELECT value FROM json_each(?)) AND e.deleted = ? "
            f"ORDER BY {order_by}",
            (json.dumps(list(entry_ids)), int(trash)),
        )
        return [row[0] for row in rows]

    def count(self, text: str | q.Query = "", *, trash: bool = False) -> int:
        """How many entries match the §3 query (in the trash or out of it): the list's length."""
        query = text if isinstance(text, q.Query) else q.parse(text)
        match = q.fts_match(query)
        excluded = q.fts_match(query, negated=True)
        if match and excluded:
            # FTS5 leaves the excluded words out itself (``a NOT b``), without a set of every entry holding them.
            match = f"({match}) NOT ({excluded})"
            query = dataclasses.replace(query, terms=tuple(t for t in query.terms if not t.negated))
        clauses, params = q.where(query)
        self._steer_severity(clauses, params)
        children = [_CHILD_FILTER.fullmatch(clause) for clause in clauses]
        spans = _spans(clauses, params)
        if match and not clauses:
            # Text alone: FTS5 counts its own matches fast; subtract (or keep) the trashed ones.
            total = self.read("SELECT count(*) FROM entries_fts WHERE entries_fts MATCH ?", (match,))[0][0]
            trashed = self.read(
                "SELECT count(*) FROM entries_fts WHERE entries_fts MATCH ? "
                "AND rowid IN (SELECT seq FROM entries WHERE deleted = 1)",
                (match,),
            )[0][0]
            return int(trashed if trash else total - trashed)
        if match and self._text_is_broad(match):
            return self._count_from_text(match, clauses, params, children, trash=trash)
        if clauses and all(children) and any(found and not found[1] for found in children):
            return self._count_children(children, spans, match, trash=trash)
        column = self._column_beside_children(clauses, spans, children)
        if column is not None:
            return self._count_children(children, spans, match, trash=trash, column=column)
        if match:
            clauses.insert(0, "e.seq IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)")
            params.insert(0, match)
        where = " AND ".join(clauses) or "1"
        # The few trashed entries are walked from the index that starts with ``deleted``; the
        # live ones are every match less those, counted from the filter's own (covering) index,
        # since asking ``deleted = 0`` there reads the table row of each match (250 ms, not 5).
        trashed = int(self.read(
            f"SELECT count(*) FROM entries e INDEXED BY entries_newest WHERE e.deleted = 1 AND {where}", params
        )[0][0])
        if trash:
            return trashed
        return int(self.read(f"SELECT count(*) FROM entries e WHERE {where}", params)[0][0]) - trashed

    def _steer_severity(self, clauses: list[str], params: list[Any]) -> None:
        """With a status and a severity filter, count from the narrower one's index (in place).

        SQLite, knowing nothing of the data, walks the severity index and reads each entry's row for
        its status: ``severity:>1 status:draft`` read 76,000 rows for 284 (130 ms). Each filter's own
        (covering) index tells how many it holds, up to STEER_PROBE entries, in about a millisecond;
        the wider one is then only tested on the rows the narrower one finds (``+`` keeps it off its index).
        Naming both values of ``deleted`` lets the status index be used without statistics of the file.
        """
        if "e.status = ?" not in clauses:
            return
        found = [(i, m[1]) for i, m in enumerate(map(_SEVERITY_RANGE.fullmatch, clauses)) if m]
        if not found:
            return
        status = clauses.index("e.status = ?")
        spans = _spans(clauses, params)
        by_status = self._held("SELECT 1 FROM entries INDEXED BY entries_status WHERE deleted IN (0, 1) AND status = ?",
                               spans[status])
        by_severity = self._held(
            "SELECT 1 FROM entries INDEXED BY entries_severity WHERE "
            + " AND ".join(f"severity {op} ?" for _, op in found),
            [spans[i][0] for i, _ in found],  # a range typed as two bounds is probed as one
        )
        if by_status < by_severity:
            for i, _ in found:
                clauses[i] = "+" + clauses[i]
            clauses[status] = "e.deleted IN (0, 1) AND e.status = ?"  # its index starts with ``deleted``

    def _text_is_broad(self, match: str) -> bool:
        """True when the text matches at least BROAD_TEXT of the journal's newest-written entries.

        A sample (the newest tenth, at least BROAD_SAMPLE) costs a tenth of counting up to
        that share of the whole journal; only which way ``count`` goes depends on it.
        """
        top = int(self.read("SELECT coalesce(max(seq), 0) FROM entries")[0][0])
        window = min(top, max(BROAD_SAMPLE, top // 10))
        enough = max(1, int(window * BROAD_TEXT))
        found = self.read(
            "SELECT count(*) FROM (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? AND rowid > ? LIMIT ?)",
            (match, top - window, enough),
        )[0][0]
        return int(found) >= enough

    def _count_from_text(
        self, match: str, clauses: list[str], params: list[Any], children: list[re.Match[str] | None], *, trash: bool
    ) -> int:
        """Count text matches by walking the full-text index and testing each against the filters' set.

        Used when the text matches most of the journal (a one-letter last word): walking its
        matches costs ~0.05 µs each, while gathering them into a set for the filters to test,
        as the other way round does, costs ~0.5 µs each (a 100,000-entry journal: 50 ms).
        The filters' set is gathered once; ``+rowid`` keeps SQLite from asking the full-text
        index once per member. Child-table filters alone are tested as their own sets, without
        looking up the entries (``children``: each clause's ``_CHILD_FILTER`` match, or None).
        """
        if all(children):
            tests = [
                f"{'NOT ' if found[1] else ''}+entries_fts.rowid IN (SELECT entry FROM {found[2]} WHERE {found[3]})"
                for found in children
                if found
            ]
        else:
            tests = [f"+entries_fts.rowid IN (SELECT e.seq FROM entries e WHERE {' AND '.join(clauses)})"]
        # The trashed matches in the same walk: the trash's few entries are a set of their own.
        total, trashed = self.read(
            f"SELECT count(*), coalesce(sum(entries_fts.rowid IN {_TRASHED}), 0) "
            f"FROM entries_fts WHERE entries_fts MATCH ? AND {' AND '.join(tests)}",
            [match, *params],
        )[0]
        return int(trashed) if trash else int(total) - int(trashed)

    def _held(self, sql: str, values: list[Any]) -> int:
        """How many rows ``sql`` gives, counted up to STEER_PROBE (a filter read from its covering index)."""
        return int(self.read(f"SELECT count(*) FROM ({sql} LIMIT ?)", (*values, STEER_PROBE))[0][0])

    def _column_beside_children(
        self, clauses: list[str], spans: list[list[Any]], children: list[re.Match[str] | None]
    ) -> tuple[str, list[Any]] | None:
        """The one column filter beside child filters, when testing it as a set beats reading rows.

        ``status:draft has:overdue`` was counted by reading the row of each of the 10,000 entries
        with an overdue follow-up for its status (≈ 2 µs each: the narrative pushes the later columns
        into overflow pages; 19-29 ms); the status index gives its 377 drafts as a set that the
        follow-ups' index rows are tested against (4-7 ms; ``client:Kestrel tag:invoice`` 27 -> 3 ms).
        Gathering a set costs more a row than testing it, so only a column filter smaller than the
        child filter goes this way (both probed from covering indexes, up to STEER_PROBE rows each:
        two broad filters, both at the cap, are counted as before).
        """
        others = [i for i, found in enumerate(children) if not found]
        if len(others) != 1 or not any(found and not found[1] for found in children):
            return None
        clause = clauses[others[0]]
        if not _INDEXED_COLUMN.fullmatch(clause):
            return None
        if clause == "e.status = ?":
            clause = "e.deleted IN (0, 1) AND e.status = ?"  # the status index starts with ``deleted``
        values = spans[others[0]]
        drive, table, condition = next((i, found[2], found[3]) for i, found in enumerate(children)
                                       if found and not found[1])

        in_column = self._held(f"SELECT 1 FROM entries e WHERE {clause}", values)
        in_child = self._held(f"SELECT 1 FROM {table} WHERE {condition}", spans[drive])
        return (clause, values) if in_column < COLUMN_SET * in_child else None

    def _count_children(
        self, matches: list[re.Match[str] | None], spans: list[list[Any]], match: str | None, *, trash: bool,
        column: tuple[str, list[Any]] | None = None,
    ) -> int:
        """Count child-table filters (tags, causes, feelings, follow-ups) from their own indexes.

        Entries are not looked up: ``e.seq IN (SELECT entry FROM tags …)`` reads an entry's
        row for each of a common tag's tens of thousands of entries (~1 µs each); here the
        first wanted filter's index rows are walked and the other filters (and the text,
        not broad here) tested as sets. Child rows only exist for entries (a foreign key).
        ``matches``: each clause's ``_CHILD_FILTER`` match (None for the one ``column`` filter), with its
        parameters in ``spans``.
        """
        children = [found for found in matches if found]
        spans = [span for found, span in zip(matches, spans, strict=True) if found]
        drive = next(i for i, found in enumerate(children) if not found[1])
        tests, test_params = [], []
        for i, found in enumerate(children):
            if i != drive:
                tests.append(f"{'NOT ' if found[1] else ''}+entry IN (SELECT entry FROM {found[2]} WHERE {found[3]})")
                test_params += spans[i]
        if column is not None:  # one of the entries' own columns, gathered from its index (see above)
            tests.append(f"+entry IN (SELECT e.seq FROM entries e WHERE {column[0]})")
            test_params += column[1]
        if match:
            tests.append("+entry IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)")
            test_params.append(match)
        table, condition = children[drive][2], children[drive][3]
        total, trashed = self.read(
            f"SELECT count(*), coalesce(sum(entry IN {_TRASHED}), 0) FROM "
            f"(SELECT DISTINCT entry FROM {table} WHERE ({condition}) {''.join(f' AND {t}' for t in tests)})",
            [*spans[drive], *test_params],
        )[0]
        return int(trashed) if trash else int(total) - int(trashed)

    def labels(self, entry_ids: Sequence[str]) -> dict[str, Label]:
        """(id, title, occurred_on) by id: what a file name is made of.

        For many ids, one pass over the table beats looking each one up (10,000 of a
        10,000-entry journal: 0.02 s instead of 0.1 s).
        """
        if len(entry_ids) > LABEL_SCAN_FROM:
            wanted = set(entry_ids)
            rows = self.read("SELECT id, title, occurred_on FROM entries")
            return {row[0]: Label(*row) for row in rows if row[0] in wanted}
        sql = "SELECT id, title, occurred_on FROM entries WHERE id IN ({marks})"
        return {row[0]: Label(*row) for rows in self._chunks_by_id(sql, entry_ids) for row in rows}

    def summaries(self, entry_ids: Sequence[str]) -> dict[str, Summary]:
        """Summaries by id, for the rows a table is about to show."""
        sql = f"SELECT {_SUMMARY_COLUMNS} FROM entries e WHERE e.id IN ({{marks}})"
        return {row[0]: Summary(*row) for rows in self._chunks_by_id(sql, entry_ids) for row in rows}

    def names(self, column: str) -> list[tuple[str, int]]:
        """Clients or accounts (or tags, causes) in use, with how many live entries have each."""
        if column in ("client", "account_key"):
            # Covered by the (name, deleted, …) indexes: no table rows are read.
            sql = (
                f"SELECT name, n FROM (SELECT min({column}) AS name, count(*) AS n FROM entries "
                f"WHERE {column} != '' AND deleted = 0 GROUP BY {column} COLLATE NOCASE) "
                "ORDER BY n DESC, name COLLATE NOCASE"
            )
        elif column in ("tags", "causes"):
            # Count every row from the name index, then take away the (few) trashed ones.
            sql = (
                "SELECT min(name), sum(n) FROM ("
                f"SELECT min(name) AS name, count(*) AS n FROM {column} GROUP BY name COLLATE NOCASE "
                f"UNION ALL SELECT min(x.name), -count(*) FROM entries e JOIN {column} x ON x.entry = e.seq "
                "WHERE e.deleted = 1 GROUP BY x.name COLLATE NOCASE"
                ") GROUP BY name COLLATE NOCASE HAVING sum(n) > 0 ORDER BY sum(n) DESC, min(name) COLLATE NOCASE"
            )
        return [(r[0], r[1]) for r in self.read(sql)]

    def status_counts(self) -> dict[str, int]:
        rows = self.read("SELECT status, count(*) FROM entries WHERE deleted = 0 GROUP BY status")
        counts = {str(r[0]): int(r[1]) for r in rows}
        counts["all"] = sum(counts.values())
        counts["trash"] = int(self.read("SELECT count(*) FROM entries WHERE deleted = 1")[0][0])
        return counts
