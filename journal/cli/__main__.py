"""``python -m journal.cli``: the command line without the desktop app."""

import sys

from journal.cli import main

sys.exit(main())
