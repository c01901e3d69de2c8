"""The Markdown format of DESIGN §4: one post-mortem as one ``.md`` file, and back.

What lives where (so that ``parse(render(pm)) == pm`` exactly):

* **Front matter** (YAML between ``---`` lines) holds every structured field of §2
  (every field of ``journal.model.TABLE`` that is not ``md``) under its §2 name, in
  the table's order: ``id``, ``title``, ``occurred_on``, ``role``, ``client``, ...,
  ``breadsticks`` (but for ``offered`` and ``wished_for``), ..., ``revision``,
  ``deleted``. Every top-level key is always written, in block
  style; each record is one JSON-style flow line (``- {"name": "angry",
  "intensity": 4}``, ``apology: {"state": "done"}``), which YAML reads too. Inside the
  records (an emotion, a recovery step, a follow-up, ...) a sub-field left at its
  default is left out, and ``recovery`` lists only the steps that are not a bare
  ``pending``. A missing key or sub-field means its default.
* **Body** holds the six Markdown (``md``) fields, each the exact text between
  its heading line (the field's label in the table) and the next: ``## What happened``, ``## Impact``,
  ``## Contributing factors``, ``## Reflection``, and ``### Offered`` and
  ``### Wished for`` under ``## Breadsticks``. A body section is read back into
  its field. A section written as ``\\n{text}\\n\\n`` gives ``text`` back exactly.
* **Views**: the ``# title`` line, the summary line, and the sections
  ``## Recovery``, ``## Follow-ups`` (task lists), ``## Lessons`` and
  ``## Review notes`` are written for readers from the front matter. The front
  matter wins: edits to a view are not read back, and the parser warns about them.
* Text that is in none of these places (prose before the first heading, a section
  under another heading after a view, another tool's front-matter values) is kept
  in *What happened* under its own heading and counted in a warning
  ("kept N unknown sections"); see ``journal.transfer.foreign`` and docs/design-notes.md.
* A text line that would read as one of the structural headings above (also when
  it already starts with backslashes) gets one more leading ``\\`` on the way out
  and loses it on the way in, so ``## Impact`` inside *What happened* survives.
* A Markdown field the body cannot hold exactly (one with a ``\\r``) is written
  into the front matter instead, where it wins over the body.
* Redacted files (``redacted: true``) leave out the private fields and their
  sections.

Rooms: ``writer`` (render), ``reader`` (parse), ``frontmatter`` (the YAML in both
directions), ``files`` (reading files safely, naming them, path safety).
"""
