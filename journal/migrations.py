"""Schema steps. Each runs once, inside a transaction, and bumps ``user_version``.

Append new steps at the end, and count them in ``journal.schema.SCHEMA_VERSION``;
never edit a step that has shipped. A journal whose ``user_version`` is larger was
written by a newer Hindsight and is refused before anything is written to it.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from journal.schema import APPLICATION_ID, SCHEMA_VERSION

migrations = Migrations("hindsight")

# unicode61 with symbols (emoji) and combining marks kept as token characters,
# so "🍕" and decomposed accents are searchable; diacritics still fold.
FTS_TOKENIZE = "unicode61 remove_diacritics 2 categories 'L* N* Co So Mn Mc Me'"

# prefix='2 3' indexes 2- and 3-character prefixes: the last word typed is searched as a
# prefix, and without these a short prefix like "th" merges thousands of doclists.



def run_script(db: Database, script: str) -> None:
    """Run ``;``-separated statements inside the caller's transaction.

    ``sqlite3.executescript`` would COMMIT first and break the migration's atomicity.
    """
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m001_initial(db: Database) -> None:
    script = f"""
        -- Small, fixed-size columns first and long text last: an aggregate that reads role,
        -- deleted or a recovery state stops decoding the record before the narrative, and
        -- never follows a long narrative onto its overflow pages. The six recovery steps are
        -- a fixed enum, so they are columns (rec_<step> state, rec_<step>_note) rather than
        -- six child rows per entry.
        CREATE TABLE entries (
            seq INTEGER PRIMARY KEY,
            deleted INTEGER NOT NULL DEFAULT 0,
            role TEXT NOT NULL,
            occurred_on TEXT NOT NULL,
            severity INTEGER NOT NULL,
            status TEXT NOT NULL,
            detection TEXT NOT NULL,
            response_style TEXT NOT NULL DEFAULT '',
            rec_responsibility TEXT NOT NULL DEFAULT 'pending',
            rec_apology TEXT NOT NULL DEFAULT 'pending',
            rec_correction TEXT NOT NULL DEFAULT 'pending',
            rec_compensation TEXT NOT NULL DEFAULT 'pending',
            rec_satisfaction_check TEXT NOT NULL DEFAULT 'pending',
            rec_acceptance TEXT NOT NULL DEFAULT 'pending',
            bs_kind TEXT NOT NULL DEFAULT '',
            bs_accepted TEXT NOT NULL DEFAULT '',
            bs_cost REAL,
            bs_currency TEXT NOT NULL DEFAULT '',
            bs_hours REAL,
            client_retained TEXT NOT NULL DEFAULT 'unknown',
            satisfaction INTEGER,
            revision INTEGER NOT NULL,
            id TEXT NOT NULL UNIQUE,
            client TEXT NOT NULL DEFAULT '',
            account TEXT NOT NULL DEFAULT '',
            account_key TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            title TEXT NOT NULL,
            rec_responsibility_note TEXT NOT NULL DEFAULT '',
            rec_apology_note TEXT NOT NULL DEFAULT '',
            rec_correction_note TEXT NOT NULL DEFAULT '',
            rec_compensation_note TEXT NOT NULL DEFAULT '',
            rec_satisfaction_check_note TEXT NOT NULL DEFAULT '',
            rec_acceptance_note TEXT NOT NULL DEFAULT '',
            bs_offered TEXT NOT NULL DEFAULT '',
            bs_wished_for TEXT NOT NULL DEFAULT '',
            what_happened TEXT NOT NULL DEFAULT '',
            impact TEXT NOT NULL DEFAULT '',
            contributing_factors TEXT NOT NULL DEFAULT '',
            reflection TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX entries_newest ON entries(deleted, occurred_on DESC, seq DESC, id);
        -- role and account_key ride along so per-client and per-account counts by role never read the table.
        CREATE INDEX entries_client ON entries(client COLLATE NOCASE, deleted, occurred_on, role, account_key);
        CREATE INDEX entries_account ON entries(account_key COLLATE NOCASE, deleted, occurred_on, role);
        CREATE INDEX entries_status ON entries(deleted, status, occurred_on);
        CREATE INDEX entries_role ON entries(role, occurred_on);
        CREATE INDEX entries_severity ON entries(severity, occurred_on);
        CREATE INDEX entries_detection ON entries(detection, occurred_on);
        -- What the pattern report counts about each mistake (response, make-good, recovery steps), in the
        -- order it groups them, so each count is one walk of a small index.
        CREATE INDEX entries_choices ON entries(
            deleted, role, response_style, bs_kind, bs_accepted, bs_currency, bs_cost, bs_hours
        );
        CREATE INDEX entries_recovery ON entries(
            deleted, role, rec_responsibility, rec_apology, rec_correction, rec_compensation,
            rec_satisfaction_check, rec_acceptance
        );

        CREATE TABLE causes (
            entry INTEGER NOT NULL REFERENCES entries(seq) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (entry, pos)
        ) WITHOUT ROWID;
        CREATE INDEX causes_name ON causes(name COLLATE NOCASE, entry);

        CREATE TABLE tags (
            entry INTEGER NOT NULL REFERENCES entries(seq) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            name TEXT NOT NULL,
            PRIMARY KEY (entry, pos)
        ) WITHOUT ROWID;
        CREATE INDEX tags_name ON tags(name COLLATE NOCASE, entry);

        -- role repeats the entry's role (rewritten with the entry on every save) so feelings by
        -- role are counted from one index, without looking up 100,000 entry rows.
        CREATE TABLE emotions (
            entry INTEGER NOT NULL REFERENCES entries(seq) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            role TEXT NOT NULL,
            who TEXT NOT NULL,
            name TEXT NOT NULL,
            intensity INTEGER NOT NULL,
            intensity_now INTEGER,
            PRIMARY KEY (entry, pos)
        ) WITHOUT ROWID;
        CREATE INDEX emotions_name ON emotions(name COLLATE NOCASE, entry);
        CREATE INDEX emotions_by_role ON emotions(who, role, name COLLATE NOCASE, intensity, intensity_now);

        CREATE TABLE follow_ups (
            entry INTEGER NOT NULL REFERENCES entries(seq) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            id TEXT NOT NULL,
            text TEXT NOT NULL,
            owner TEXT NOT NULL DEFAULT '',
            due_on TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL,
            done_on TEXT NOT NULL DEFAULT '',
            check_on TEXT NOT NULL DEFAULT '',
            check_result TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (entry, pos)
        ) WITHOUT ROWID;
        CREATE INDEX follow_ups_open ON follow_ups(status, due_on, check_result, entry);
        CREATE INDEX follow_ups_checked ON follow_ups(check_result, entry) WHERE check_result != '';

        CREATE TABLE lessons (
            entry INTEGER NOT NULL REFERENCES entries(seq) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (entry, pos)
        ) WITHOUT ROWID;
        CREATE INDEX lessons_text ON lessons(text, entry);

        CREATE TABLE review_notes (
            entry INTEGER NOT NULL REFERENCES entries(seq) ON DELETE CASCADE,
            pos INTEGER NOT NULL,
            id TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            written_at TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (entry, pos)
        ) WITHOUT ROWID;

        CREATE VIRTUAL TABLE entries_fts USING fts5(
            title, body, tokenize="{FTS_TOKENIZE}", prefix='2 3'
        );

        PRAGMA application_id = {APPLICATION_ID};
        PRAGMA user_version = 1;
        """
    run_script(db, script)


@migrations()
def m002_sync(db: Database) -> None:
    """What was last exchanged with each Markdown folder, and the conflicts found there.

    Keyed by the entry's id (not ``seq``) and kept after an entry is purged, so a
    sync can tell "purged here" from "new in the folder".
    """
    script = """
        CREATE TABLE sync_state (
            entry_id TEXT NOT NULL,
            folder TEXT NOT NULL,
            hash TEXT NOT NULL,
            path TEXT NOT NULL DEFAULT '',
            synced_at TEXT NOT NULL,
            PRIMARY KEY (entry_id, folder)
        ) WITHOUT ROWID;

        CREATE TABLE conflicts (
            entry_id TEXT NOT NULL,
            folder TEXT NOT NULL,
            path TEXT NOT NULL,
            main_path TEXT NOT NULL DEFAULT '',
            is_copy INTEGER NOT NULL DEFAULT 0,
            found_at TEXT NOT NULL,
            PRIMARY KEY (entry_id, folder)
        ) WITHOUT ROWID;

        PRAGMA user_version = 2;
        """
    run_script(db, script)


@migrations()
def m003_sync_state_by_folder(db: Database) -> None:
    """Key the sync state by folder first, so one folder's rows sit together.

    Keyed by entry first, an export of 10,000 entries to a new folder wrote rows
    into 10,000 different pages of the table (0.2-0.6 s); by folder first they
    fill pages one after another. Nothing else changes: every query names a folder.
    """
    script = """
        CREATE TABLE sync_state_new (
            folder TEXT NOT NULL,
            entry_id TEXT NOT NULL,
            hash TEXT NOT NULL,
            path TEXT NOT NULL DEFAULT '',
            synced_at TEXT NOT NULL,
            PRIMARY KEY (folder, entry_id)
        ) WITHOUT ROWID;

        INSERT INTO sync_state_new (folder, entry_id, hash, path, synced_at)
            SELECT folder, entry_id, hash, path, synced_at FROM sync_state ORDER BY folder, entry_id;

        DROP TABLE sync_state;

        ALTER TABLE sync_state_new RENAME TO sync_state;

        PRAGMA user_version = 3;
        """
    run_script(db, script)


@migrations()
def m004_content_hash(db: Database) -> None:
    """Each entry's fingerprint (``model.content_hash``), kept with it.

    An export and a sync compare fingerprints of thousands of entries; working one
    out costs about as much as writing the entry's file. Written with every save;
    NULL (for every entry of an older journal, and after a trash or restore) means
    "not known", and it is worked out from the entry when needed. At the end of the
    row, where it goes without rebuilding the table.
    """
    script = """
        ALTER TABLE entries ADD COLUMN content_hash TEXT;

        PRAGMA user_version = 4;
        """
    run_script(db, script)


@migrations()
def m005_sync_file_hash(db: Database) -> None:
    """The fingerprint of each folder file's bytes as last written or read, beside its base.

    A file whose bytes are what the last sync left holds the base, so a sync need
    not read it as Markdown: parsing every file was nine tenths of a sync with
    nothing new. '' (every row of an older journal) means "not known": the file is
    parsed, as before.
    """
    script = """
        ALTER TABLE sync_state ADD COLUMN file_hash TEXT NOT NULL DEFAULT '';

        PRAGMA user_version = 5;
        """
    run_script(db, script)


@migrations()
def m006_follow_up_note(db: Database) -> None:
    """A follow-up's note (DESIGN §2): why it was dropped, or what its check found.

    '' for every follow-up of an older journal, so the stored fingerprints stay true
    (``model._fingerprint`` counts a note only when there is one). The partial index
    finds the checks due (a done fix whose check is not answered) without reading
    every done follow-up: the reminder asks at every start.
    """
    script = """
        ALTER TABLE follow_ups ADD COLUMN note TEXT NOT NULL DEFAULT '';
        CREATE INDEX follow_ups_checks_due ON follow_ups(check_on, entry)
            WHERE status = 'done' AND check_result = '' AND check_on != '';

        PRAGMA user_version = 6;
        """
    run_script(db, script)



# Correct whether m006 ran before it or not (sqlite-utils runs the steps it has not recorded, by
# name): the two were written side by side.
@migrations()
def m007_fts_one_letter_prefix(db: Database) -> None:
    """Rebuild the full-text index with a 1-character prefix index as well (``prefix='1 2 3'``).

    Search-as-you-type sends the last word as a prefix: without this, a one-letter
    word (``contract s``) merges the doclists of every word starting with that letter,
    50-130 ms on 100,000 entries. FTS5 cannot add a prefix index to a table, so the
    rows are copied into a new one; the options set by ``_fts_config`` are set again.
    """
    automerge = db.execute("SELECT v FROM entries_fts_config WHERE k = 'automerge'").fetchone()
    hashsize = db.execute("SELECT v FROM entries_fts_config WHERE k = 'hashsize'").fetchone()
    script = f"""
        CREATE VIRTUAL TABLE entries_fts_rebuilt USING fts5(
            title, body, tokenize="{FTS_TOKENIZE}", prefix='1 2 3'
        );
        INSERT INTO entries_fts_rebuilt (rowid, title, body) SELECT rowid, title, body FROM entries_fts;
        INSERT INTO entries_fts_rebuilt (entries_fts_rebuilt) VALUES ('optimize');
        DROP TABLE entries_fts;
        ALTER TABLE entries_fts_rebuilt RENAME TO entries_fts;
        PRAGMA user_version = 7;
        """
    run_script(db, script)
    for key, row in (("automerge", automerge), ("hashsize", hashsize)):
        if row is not None:
            db.execute("INSERT INTO entries_fts (entries_fts, rank) VALUES (?, ?)", (key, row[0]))


@migrations()
def m008_follow_ups_open_rows(db: Database) -> None:
    """The open follow-ups, every column, in one small index: what the desk and ``followups --json`` read.

    ``follow_ups_open`` finds them, but each row was then looked up in the table
    (13,500 lookups on the 100,000-entry demo, a quarter of ``--json``). A partial
    index of the open ones alone stays small (a tenth of the follow-ups); ``status``
    leads because SQLite 3.40 counts a partial index as covering only for the
    columns it holds (without it, every row was looked up again).
    """
    script = """
        CREATE INDEX follow_ups_open_rows ON follow_ups(
            status, due_on, entry, pos, id, text, owner, done_on, check_on, check_result, note
        ) WHERE status = 'open';

        PRAGMA user_version = 8;
        """
    run_script(db, script)


@migrations()
def m009_first_response_hours(db: Database) -> None:
    """Hours from learning of the mistake to the first reply (DESIGN §2 ``first_response_hours``).

    NULL, "not known", for every entry of an older journal. The stored fingerprints stay
    true: ``model._fingerprint`` counts a field added after the first schema only when set.
    """
    script = """
        ALTER TABLE entries ADD COLUMN first_response_hours REAL;

        PRAGMA user_version = 9;
        """
    run_script(db, script)


@migrations()
def m010_reply_hours_index(db: Database) -> None:
    """The hours to first reply by role and response style, with the client kept or lost, in one covering index.

    ``first_response_hours`` is the last column of a row that usually spills over into
    overflow pages; reading it for each of 50,000 mistakes cost a 100,000-entry report
    about 230 ms. The index answers the patterns on it (``patterns.response``) without a table row.
    """
    script = """
        CREATE INDEX entries_reply ON entries(deleted, role, response_style, first_response_hours, client_retained);

        PRAGMA user_version = 10;
        """
    run_script(db, script)
    # Among indexes with statistics, one without looks selective to the planner: every "deleted = 0 AND
    # role = ?" query then took it and read the table rows (the 100,000-entry report 20 times slower).
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        db.execute("ANALYZE entries_reply")


# Steps are numbered m001, m002, … with none missing, and the last one's number is the schema version.
if [int(m.name[1:4]) for m in migrations._migrations] != list(range(1, SCHEMA_VERSION + 1)):
    raise RuntimeError("a migration was added or removed: update journal.schema.SCHEMA_VERSION")

__all__ = ["APPLICATION_ID", "SCHEMA_VERSION", "migrations"]
