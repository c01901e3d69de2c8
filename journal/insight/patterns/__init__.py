"""What keeps recurring in a journal: pattern records a person reads and nods at (DESIGN §6).

``analyse`` turns a journal (optionally narrowed by a §3 query and a period) into
``Pattern`` records: a sentence with real numbers, a strength from 0 to 1 and the
ids of the entries that are its evidence. Everything is aggregated in SQL over the
child tables, so a 100,000-entry journal is never loaded as objects; evidence
lists are capped (newest first) while the sentences keep the true counts.

A claim needs support. From ``TESTED_FROM`` entries, "recurring" means at least
``MIN_SUPPORT`` entries *and* a share that a binomial test (Bonferroni-corrected over
the candidates) finds clearly above what an even spread would give, and the sentence
says so ("more than chance would give"). A smaller journal cannot pass such a test, so
it gets plain counts instead (at least ``MIN_SUPPORT`` entries and ``OBSERVE_SHARE`` of
them), at a lower strength, and the sentence says that too ("a count, too few entries
yet to test").

The rooms: ``engine`` runs the finders and ranks; ``scope`` holds the entries a report
covers; one module per family of findings (``parties``, ``labels``, ``timing``,
``feelings``, ``response``, ``recovery``, ``followups``, ``lessons``); ``charts`` the numbers behind
the view's charts; ``stats`` and ``wording`` the shared tests and phrases; ``record``
the ``Pattern`` itself.
"""

from journal.insight.patterns.charts import Bar, Chart, charts
from journal.insight.patterns.engine import KINDS, analyse, entries_needed, waiting_text
from journal.insight.patterns.lessons import cluster_lessons, lesson_key, same_lesson
from journal.insight.patterns.record import Pattern
from journal.insight.patterns.scope import EVIDENCE_CAP, PERIODS
from journal.insight.patterns.stats import MIN_ENTRIES, MIN_SUPPORT, OBSERVED_STRENGTH, TESTED_FROM
from journal.insight.patterns.wording import COUNTED, TESTED

__all__ = [
    "COUNTED",
    "EVIDENCE_CAP",
    "KINDS",
    "MIN_ENTRIES",
    "MIN_SUPPORT",
    "OBSERVED_STRENGTH",
    "PERIODS",
    "TESTED",
    "TESTED_FROM",
    "Bar",
    "Chart",
    "Pattern",
    "analyse",
    "charts",
    "cluster_lessons",
    "entries_needed",
    "lesson_key",
    "same_lesson",
    "waiting_text",
]
