"""Markdown in and out of the journal: export, import and team-folder sync.

- ``export``: entries to a folder (one file each) or to one file for reading.
- ``importer``: Markdown files and folders into the journal, idempotent by id.
- ``sync``: a team folder and the journal made to agree, both ways.
- ``sync_state``: what the journal last exchanged with each folder, and conflicts.
- ``conflict_diff``: what differs between the two versions of an entry in conflict.
- ``folder``: a folder's Markdown files, their names, writing one.
- ``result``: what a run reports (``TransferResult``), its progress and cancel hooks.
- ``workers``: a long export or import spread over the machine's cores.
- ``foreign``: other tools' Markdown (Obsidian, Jekyll…) read as entries.

Nothing is imported here: the window starts with ``sync_state`` alone, and a sync
does not load the export code.
"""
