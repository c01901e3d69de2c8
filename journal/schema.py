"""What tells a Hindsight journal and its schema version, without loading the migrations.

Opening a journal that is already current needs only these two numbers; the
migrations (and sqlite-utils, which runs them) are imported only when a journal
is new or older. ``journal.migrations`` checks that it has exactly
``SCHEMA_VERSION`` steps.
"""

# 'HSGT' — tells a Hindsight journal from any other SQLite file.
APPLICATION_ID = 0x48534754

# The number of steps in journal.migrations; a journal's user_version after all of them.
SCHEMA_VERSION = 10
