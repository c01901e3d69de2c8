"""The ``hindsight`` command line (DESIGN.md §5). Runs without Qt.

Every command exits 0 on success and 1 on a user error, with one clear line on
stderr and never a traceback. This package never imports the desktop app:
``hindsight`` / ``hindsight gui`` runs the ``gui`` function that ``main`` is
given (``hindsight_cli.start_app``, outside the core).

Here: the parser and ``main``. The commands live by kind: ``entries`` (add, list,
search, show, demo), ``transfer`` (export, import, sync, conflicts), ``insight``
(patterns, similar, hints, review), ``care`` (check, backups, restore, encryption)
and ``followups``; what they share is in ``common``. Each imports what only it needs
when it runs, so the command line starts light.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from journal.cli import care, entries, followups, insight, transfer
from journal.cli.common import EXIT_OK, EXIT_USER_ERROR, UserError
from journal.model import CAUSES, ROLES, mend_text
from journal.store import JournalError


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage mistake in one line and exits 1, not 2."""

    def error(self, message: str) -> NoReturn:
        raise UserError(f"{message} (see '{self.prog} --help')")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of 1 or more, got {value}")
    return value


def cmd_gui(args: argparse.Namespace) -> int:
    if args.gui is None:
        raise UserError("the desktop app is not part of this command; run 'hindsight' to open it")
    return int(args.gui(args.journal))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="hindsight",
        description="A journal of blameless post-mortems. With no command, opens the desktop app.",
    )
    parser.add_argument(
        "--journal",
        metavar="PATH",
        default=None,
        help="the journal file (default: $HINDSIGHT_JOURNAL, else the user data folder)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands: dict[str, Callable[[argparse.Namespace], int]] = {}

    def command(name: str, func: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        commands[name] = func
        return sub.add_parser(name, help=help_text, description=help_text)

    command("gui", cmd_gui, "open the desktop app")

    p = command("add", entries.cmd_add, "add a post-mortem; prints its id")
    p.add_argument("--title", required=True)
    p.add_argument("--role", required=True, help=" or ".join(ROLES))
    p.add_argument("--client")
    p.add_argument("--account")
    p.add_argument("--what", metavar="MD", help="what happened (Markdown)")
    p.add_argument("--occurred-on", metavar="DATE", help="YYYY-MM-DD, default today")
    p.add_argument("--severity", default=2, help="1 small slip … 5 relationship lost (default 2)")
    p.add_argument("--status", default="open", help="draft, open, resolved or reviewed (default open)")
    p.add_argument("--tag", action="append", default=[], metavar="X")
    p.add_argument("--cause", action="append", default=[], metavar="X", help=", ".join(CAUSES) + " or your own")
    p.add_argument("--emotion", action="append", default=[], metavar="WHO:NAME:N", help="e.g. me:angry:4")

    p = command("list", entries.cmd_list, "the newest post-mortems")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=_positive, default=50)
    p.add_argument("--trash", action="store_true", help="list the trash instead")

    p = command("search", entries.cmd_search, "search with the query syntax (see README)")
    p.add_argument("query", nargs="+")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=_positive, default=50)

    p = command("show", entries.cmd_show, "one post-mortem; ID may be a unique prefix")
    p.add_argument("id")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--markdown", action="store_true")

    p = command("check", care.cmd_check, "check the journal's integrity and search index")
    p.add_argument("--compact", action="store_true",
                   help="then, after a verified backup, rewrite it without its free pages (VACUUM); "
                        "from then on it gives freed pages back by itself")

    p = command("export", transfer.cmd_export, "export entries to Markdown (DESIGN §4): all, or those matching QUERY")
    p.add_argument("query", nargs="*", help="search syntax, as for 'search'; none exports every entry")
    out = p.add_mutually_exclusive_group(required=True)
    out.add_argument("--out", metavar="FILE.md", help="one file with a table of contents, for reading")
    out.add_argument("--out-dir", metavar="DIR", help="one file per entry, for importing or a team folder")
    p.add_argument(
        "--redact", action="store_true", help="leave out private fields; clients and people become pseudonyms"
    )
    p.add_argument(
        "--force", action="store_true", help="replace FILE.md if it exists (never a journal or a team folder's file)"
    )
    p.epilog = "A file in DIR edited since it was exported is left alone and reported (exit 1)."

    p = command(
        "import",
        transfer.cmd_import,
        "import Markdown files and folders (recursively); idempotent by id",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--verbose", action="store_true", help="list every warning of every file, not grouped by kind")
    p.epilog = (
        "Good files are imported even when others fail; each failure is named on stderr "
        "and the exit status is then 1. An entry changed both here and in the file keeps "
        "the journal's version and is marked as a conflict. Files over 20 MB are refused."
    )

    p = command("sync", transfer.cmd_sync, "two-way sync with a team folder (share it with git)")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--verbose", action="store_true", help="list every warning of every file, not grouped by kind")
    p.epilog = (
        "Changes travel both ways; a file missing from DIR is not a deletion (deletions travel as "
        "'deleted: true'). Changed on both sides: the journal's version is kept and the folder's is "
        "written next to it as NAME.conflict-HASH.md. Exit 1 if a file could not be read; otherwise "
        "exit 2 when conflicts with DIR remain to be settled after the sync (see 'hindsight conflicts')."
    )

    p = command("conflicts", transfer.cmd_conflicts, "entries changed both here and in a team folder: what differs")
    p.add_argument("--json", action="store_true")
    p.set_defaults(verb=None)
    verbs = p.add_subparsers(dest="verb", metavar="settle", parser_class=_Parser)
    settle = verbs.add_parser("settle", help="keep one version and remove the conflict copy",
                              description="Keep the journal's or the folder's version of an entry in conflict.")
    settle.add_argument("id", metavar="ID", help="the entry's id or a unique prefix of it (4 characters or more)")
    settle.add_argument("--keep", required=True, choices=("journal", "folder"))
    settle.epilog = (
        "The conflict copy (NAME.conflict-HASH.md) is removed only if Hindsight wrote it and nobody changed it "
        "since; otherwise it is left in place and named on stderr. --keep folder saves the folder's version as "
        "the newest revision and writes it to the folder file."
    )
    p.epilog = (
        "Read-only without 'settle': lists each conflict with the fields that differ (a line diff for text). "
        "'hindsight sync' exits 2 while conflicts with its folder remain."
    )

    p = command("demo", entries.cmd_demo, "write a realistic demo journal to a new file")
    p.add_argument("path")
    p.add_argument("--entries", type=_positive, default=300)
    p.add_argument("--seed", type=int, default=7)

    p = command("patterns", insight.cmd_patterns, "what keeps recurring in your post-mortems")
    p.add_argument("query", nargs="*", help="narrow the entries analysed (search syntax)")
    p.add_argument("--period", choices=("all", "90d", "year"), default="all")
    p.add_argument("--json", action="store_true")

    p = command("similar", insight.cmd_similar, "past entries like this one (\"you have seen this before\")")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=_positive, default=3)

    p = command("hints", insight.cmd_hints, "blameless-language and follow-up hints for one entry")
    p.add_argument("id")
    p.add_argument("--json", action="store_true")

    p = command("review", insight.cmd_review, "an account review packet: summary and entries, as Markdown or PDF")
    p.add_argument("account", metavar="ACCOUNT", help="the account, or the client when entries have no account")
    p.add_argument("--after", metavar="DATE", help="entries on or after DATE (2024-05-01, 2024-05 or 2024)")
    p.add_argument("--before", metavar="DATE", help="entries before DATE (that day not included)")
    p.add_argument("--out", required=True, metavar="FILE.md|FILE.pdf")
    p.add_argument("--redact", action="store_true", help="clients and people become pseudonyms")
    p.add_argument("--private", action="store_true", help="include the author's feelings, response and reflection")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists (never a journal)")

    p = command("backup", care.cmd_backup, "make a verified backup of the journal; prints its path")
    p.add_argument("--to", metavar="DIR", help="an existing folder of your choosing (never rotated)")
    p.epilog = "Without --to the backup goes to the journal's own folder under 'backups' in the user data folder."

    p = command("encrypt", care.cmd_encrypt, "encrypt the journal in place (SQLCipher); a verified backup first")
    p.epilog = "The passphrase comes from HINDSIGHT_PASSPHRASE, or is asked twice without echo. Keep it safe."
    p = command("decrypt", care.cmd_decrypt, "remove the journal's encryption in place; a verified backup first")
    p.epilog = "The passphrase comes from HINDSIGHT_PASSPHRASE, or is asked without echo."

    p = command("backups", care.cmd_backups, "list the journal's backups, newest first")
    p.add_argument("--json", action="store_true")

    p = command("restore", care.cmd_restore, "replace the journal with a backup; the current one is backed up first")
    p.add_argument("backup", metavar="BACKUP", help="a backup file (see 'hindsight backups')")
    p.epilog = (
        "Prints the path of the backup kept of the journal it replaced. "
        "A file that is not a good backup is refused, and nothing is changed."
    )

    p = command(
        "followups", followups.cmd_followups, "what is owed: open follow-ups and checks due, across the journal"
    )
    p.add_argument(
        "query", nargs="*", metavar="QUERY | done|check|drop ID",
        help="narrow to entries matching QUERY (search syntax); or a verb and a follow-up ID",
    )
    p.add_argument("--overdue", action="store_true", help="only follow-ups past their due date")
    p.add_argument("--all", action="store_true", help="add done and dropped follow-ups")
    p.add_argument("--owner", metavar="NAME", help="only this owner's follow-ups")
    p.add_argument("--account", metavar="A", help="only this account's (or client's) follow-ups")
    p.add_argument("--json", action="store_true")
    p.add_argument("--ics", metavar="FILE", help="write open follow-ups and checks as calendar to-dos (iCalendar)")
    p.add_argument("--redact", action="store_true", help="with --ics: clients and people become pseudonyms")
    p.add_argument("--force", action="store_true", help="with --ics: replace a file Hindsight did not write")
    p.add_argument("--on", metavar="DATE", help="done: the day it was done (YYYY-MM-DD, default today)")
    p.add_argument("--result", choices=("held", "recurred"), help="check: did the fix hold?")
    p.add_argument("--note", metavar="T", help="check: what the check found")
    p.add_argument("--reason", metavar="T", help="drop: why it is dropped (kept with it)")
    p.epilog = (
        "ID is a follow-up's id, a unique prefix of one, or ENTRY/FOLLOWUP when two entries hold the "
        "same id. Examples: 'hindsight followups --owner me', 'hindsight followups done 3f2a --on 2025-06-01', "
        "'hindsight followups check 3f2a --result recurred --note \"late again\"'."
    )

    parser.set_defaults(_commands=commands)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    gui: Callable[[str | None], int] | None = None,
    pdf: Callable[[str, str], bytes] | None = None,
) -> int:
    """Run one command; ``gui(journal)`` opens the app, ``pdf(markdown, title)`` draws a PDF (none: CLI alone)."""
    parser = build_parser()
    parser.set_defaults(gui=gui, pdf=pdf)
    for stream in (sys.stdout, sys.stderr):  # a title or path that is not UTF-8 is shown escaped, never a crash
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    try:
        args = parser.parse_args(argv)
        if isinstance(getattr(args, "id", None), str):
            args.id = mend_text(args.id)  # looked up in SQLite, which cannot hold a lone surrogate
        command = args.command or "gui"
        care.unlock(args, command)
        return args._commands[command](args)
    except UserError as error:
        print(f"hindsight: {error}", file=sys.stderr)
    except JournalError as error:
        print(f"hindsight: {error}", file=sys.stderr)
    except ValueError as error:
        print(f"hindsight: {error}", file=sys.stderr)
    except sqlite3.DatabaseError as error:
        # Known SQLite failures become JournalError in the store; this is the last line of defence.
        print(f"hindsight: the journal could not be read or written ({error}); try 'hindsight check'",
              file=sys.stderr)
    except KeyboardInterrupt:
        print("hindsight: interrupted", file=sys.stderr)
    except BrokenPipeError:
        # Output piped to `head` that closed early: not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    return EXIT_USER_ERROR
