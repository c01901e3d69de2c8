"""Recurring clients and accounts: the parties that keep coming back in the mistakes, made or received."""

from __future__ import annotations

from collections import Counter

from journal.insight.patterns.record import Pattern
from journal.insight.patterns.scope import Basics, Scope
from journal.insight.patterns.stats import (
    MIN_ENTRIES,
    MIN_SUPPORT,
    TESTED_FROM,
    count_strength,
    excess,
    strength,
    worth_counting,
)
from journal.insight.patterns.wording import COUNTED, TESTED, how_often, num, pct


def _top_cause(scope: Scope, column: str, name: str, role: str) -> tuple[str, int]:
    rows = scope.rows(
        # From the party's entries (the client index covers them) to their causes, not the other way round.
        f"SELECT c.name, count(DISTINCT c.entry) FROM entries e CROSS JOIN causes c ON c.entry = e.seq "
        f"WHERE {scope.live} AND e.{column} = ? COLLATE NOCASE AND e.deleted = 0 AND e.role = ? "
        "GROUP BY c.name COLLATE NOCASE ORDER BY 2 DESC LIMIT 1",
        (name, role),
    )
    return (rows[0][0], rows[0][1]) if rows else ("", 0)


def find_parties(scope: Scope, b: Basics) -> list[Pattern]:
    """Recurring clients and accounts, from one walk of the client index."""
    # A party is a client I let down (maker) or a provider who let me down (receiver): each is tested
    # against the others of its role, so ten equally busy providers are not each "recurring". A
    # party's role and account are those of its first entry (one row per party, cheap on big journals).
    # min() makes role and account_key those of the party's first entry; the index holds every column.
    counts = scope.rows(
        "SELECT e.client, count(*), min(e.occurred_on), e.role, e.account_key, sum(e.role = 'maker') "
        f"FROM entries e WHERE {scope.live} AND e.client != '' GROUP BY e.client COLLATE NOCASE"
    )
    by_role: dict[str, list[tuple[str, int]]] = {"maker": [], "receiver": []}
    accounts: dict[str, list[tuple[str, str, int]]] = {}
    own_by_role: dict[tuple[str, str], int] = {}
    for name, count, _, role, account, makers in counts:
        by_role[role].append((name, count))
        accounts.setdefault(account.casefold(), []).append((account, name, count))
        own_by_role[name, role] = makers if role == "maker" else count - makers
    out: list[Pattern] = []
    small = b.n < TESTED_FROM
    for role, parties in by_role.items():
        total = b.makers if role == "maker" else b.receivers
        k = len(parties)
        if total < MIN_SUPPORT or (not small and (k < 2 or total < MIN_ENTRIES)):
            continue
        p0 = 1.0 / max(k, 1)
        for name, count in sorted(parties, key=lambda x: -x[1])[:3]:
            own = own_by_role[name, role]
            if small:
                if not worth_counting(own, total):
                    continue
            elif not excess(count, total, p0, k) or not excess(own, total, p0, k):
                continue
            cause, with_cause = _top_cause(scope, "client", name, role)
            share = own / total
            if role == "maker":
                sentence = f"{name} is the client in {num(own)} of the {num(total)} mistakes you made{b.since} "
                sentence += f"({pct(own, total)}" + (")" if small else
                                                     f", against {pct(1, k)} if spread evenly over your {k} clients)")
            else:
                sentence = (
                    f"{name} let you down {how_often(own)}{b.since}: {pct(own, total)} of the {num(total)} "
                    "mistakes that landed on you"
                ) + ("" if small else f" (against {pct(1, k)} if spread evenly over {k} providers)")
            sentence += COUNTED if small else TESTED
            if cause and with_cause * 2 > own:
                sentence += f"; {num(with_cause)} of them involve {cause}"
            out.append(
                Pattern(
                    "recurring_client",
                    sentence + ".",
                    count_strength(0.9, share, own) if small else strength(0.9, 0.35 + (share / p0 - 1) / 3, own),
                    scope.ids("e.client = ? COLLATE NOCASE AND e.role = ?", (name, role)),
                )
            )
    out.extend(_accounts(scope, b, accounts, by_role))
    return out


def _accounts(
    scope: Scope,
    b: Basics,
    accounts: dict[str, list[tuple[str, str, int]]],
    by_role: dict[str, list[tuple[str, int]]],
) -> list[Pattern]:
    """Accounts that gather several clients, against the share their number of clients predicts."""
    role_of = {name.casefold(): role for role, parties in by_role.items() for name, _ in parties}
    out = []
    for members in accounts.values():
        if len(members) < 2:
            continue  # an account of one client says nothing the client pattern does not
        account = members[0][0]
        role = Counter(role_of[m[1].casefold()] for m in members).most_common(1)[0][0]
        total = b.makers if role == "maker" else b.receivers
        k = len(by_role[role])
        count = int(
            scope.rows(
                f"SELECT count(*) FROM entries e WHERE {scope.live} AND e.account_key = ? COLLATE NOCASE "
                "AND e.role = ?",
                (account, role),
            )[0][0]
        )
        p0 = len(members) / max(k, 1)
        if b.n < TESTED_FROM or k <= len(members) or not excess(count, total, p0, len(accounts)):
            continue
        names = [m[1] for m in sorted(members, key=lambda m: -m[2])]
        shown = " and ".join(names[:2]) + (f" and {len(names) - 2} more" if len(names) > 2 else "")
        whose = "mistakes you made" if role == "maker" else "mistakes that landed on you"
        out.append(
            Pattern(
                "recurring_account",
                f"The {account} account ({shown}) is behind {num(count)} of the {num(total)} {whose}{b.since} "
                f"({pct(count, total)}); its {len(members)} clients would account for {pct(len(members), k)} "
                f"if every client were alike{TESTED}.",
                strength(0.75, 0.35 + (count / total / p0 - 1) / 3, count),
                scope.ids("e.account_key = ? COLLATE NOCASE AND e.role = ?", (account, role)),
            )
        )
    return out
