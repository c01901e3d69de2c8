"""Spread a long export or import over the machine's cores.

The work is cut into chunks. Helper processes take chunks while this process
works through chunks of its own, so nothing waits for a helper to start, and a
machine with one core simply runs every chunk here. Results are handed back in
chunk order, whichever process finished first, so a run in parallel reports
exactly what the same run in one process would.

Helpers are fresh interpreters (``spawn``) that open the journal themselves;
they ignore Ctrl-C, and the main process stops them. A helper that dies (killed,
out of memory) ends the job with ``HelperStopped``, never a wait that lasts forever.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from journal.store import JournalError

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a helper's start-up (about 0.3 s to spawn) is not worth it.
PARALLEL_FROM = 2000
MAX_HELPERS = 3


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def helper_count(items: int, *, busy_here: bool = True) -> int:
    """How many helper processes a job of ``items`` files or entries should get (0: none).

    ``busy_here``: this process takes chunks too, so it needs a core of its own. An
    import leaves every chunk to the helpers (one of their results arriving while this
    process parses would wait for it to let go of the interpreter) and only writes to
    the journal, mostly inside SQLite, so it gets a helper per core.
    """
    if items < PARALLEL_FROM or cores() < 2:
        return 0
    return max(0, min(cores() - (1 if busy_here else 0), MAX_HELPERS))


# A long job makes millions of small objects, nearly all freed at once by reference
# counting; at the default threshold (700) the cycle collector runs thousands of times
# and walks every object the process holds each time it reaches the oldest generation.
GC_THRESHOLD = 50_000


def _start_helper(passphrases: dict[str, str] | None = None) -> None:
    if passphrases:  # the encrypted journals' keys, through the pipe that starts the helper, never a file
        from journal import crypto

        crypto.remember_all(passphrases)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])


def _passphrases() -> dict[str, str]:
    """The passphrases this process knows, if it ever loaded encryption (a plain journal never does)."""
    crypto = sys.modules.get("journal.crypto")
    return dict(crypto.known_passphrases()) if crypto is not None else {}


def _ready() -> None:
    """Nothing: sent to each helper as it is made, so it starts up while the job is planned."""


class HelperStopped(JournalError):
    """A helper process ended before its work was done."""

    def __init__(self) -> None:
        super().__init__(
            "a helper process stopped before the work was done (was the computer out of memory?); "
            "what was finished is kept: run it again to do the rest"
        )


def cut(items: Sequence[T], size: int, helpers: int) -> list[Sequence[T]]:
    """``items`` in chunks of ``size``; with helpers, the last few chunks a fifth of that.

    Every helper holds up to two chunks in hand, so when the work runs out one process
    may still have two to go while the others wait: small last chunks make them all
    finish at nearly the same time.
    """
    if helpers == 0 or len(items) <= size:
        return [items[start : start + size] for start in range(0, len(items), size)]
    small = max(1, size // 5)
    tail = min(len(items), small * 4 * (helpers + 1))
    head = len(items) - tail
    return [items[start : min(start + size, head)] for start in range(0, head, size)] + [
        items[start : start + small] for start in range(head, len(items), small)
    ]


class Helpers:
    """Helper processes for one job; start them first, plan the work while they start up.

    ``with Helpers(n) as helpers: ... helpers.run(...)``. With ``n`` = 0 there are
    none and ``run`` works through every chunk in this process.
    """

    def __init__(self, count: int) -> None:
        self.count = count
        self.pool: ProcessPoolExecutor | None = None
        self.helped = 0  # chunks the helpers did
        self._threshold = gc.get_threshold()

    def __enter__(self) -> Helpers:
        if self.count > 0:
            # spawn: a fresh interpreter that never inherits an open journal (a forked copy of a
            # live SQLite connection and of its lock bookkeeping is unsafe).
            context = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(
                self.count, mp_context=context, initializer=_start_helper, initargs=(_passphrases(),)
            )
            for _ in range(self.count):  # the pool makes a helper per task it has no idle one for
                self.pool.submit(_ready)
        self._threshold = gc.get_threshold()
        gc.set_threshold(max(GC_THRESHOLD, self._threshold[0]), *self._threshold[1:])
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        gc.set_threshold(*self._threshold)
        if self.pool is not None:
            # Not waiting for the helpers to exit (a tenth of a second): the job is done, or
            # stopped, and they end on their own once the chunks under way are finished.
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    def run(
        self,
        chunks: Sequence[T],
        work: Callable[[T], R],
        on_result: Callable[[int, R], None],
        *,
        local: Callable[[T], R] | None = None,
        local_until_helped: bool = False,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> bool:
        """Run ``work`` on every chunk and call ``on_result(index, result)`` in chunk order.

        ``work`` must be picklable (a module-level function or a ``functools.partial`` of
        one). With helpers, this process also takes chunks only if given ``local`` (what
        it runs instead, e.g. the same work on the journal it already has open); an
        ``on_result`` with much work of its own (an import writing to the journal) is
        better left without, so the helpers do all the chunks, or given it with
        ``local_until_helped``: this process then takes chunks only until the first
        helper's result arrives, which puts to use the time the helpers take to start
        (about 0.3 s). Once ``cancelled()`` says
        so, no new chunk starts; the ones under way finish and are reported. Returns
        False if cancelled.
        """
        run_here = local or work
        todo: Iterator[tuple[int, T]] = iter(enumerate(chunks))
        if self.pool is None:
            for index, chunk in todo:
                if cancelled():
                    return False
                on_result(index, run_here(chunk))
            return True
        try:
            return self._run_pooled(self.pool, todo, len(chunks), work, on_result, local, local_until_helped, cancelled)
        except BrokenProcessPool as error:  # from submit() or a result: a helper died
            raise HelperStopped() from error

    def _run_pooled(
        self,
        pool: ProcessPoolExecutor,
        todo: Iterator[tuple[int, T]],
        count: int,
        work: Callable[[T], R],
        on_result: Callable[[int, R], None],
        local: Callable[[T], R] | None,
        local_until_helped: bool,
        cancelled: Callable[[], bool],
    ) -> bool:
        """``run`` with helpers: ``count`` chunks from ``todo``."""
        done: dict[int, R] = {}
        following = 0
        pending: dict[int, Future[R]] = {}
        starting = True  # until cancelled, or every chunk has started
        while True:
            for index in [i for i, f in pending.items() if f.done()]:
                done[index] = pending.pop(index).result()
                self.helped += 1
            while following in done:
                on_result(following, done.pop(following))
                following += 1
            starting = starting and not cancelled()
            while starting and len(pending) < 2 * self.count:
                item = next(todo, None)
                if item is None:
                    starting = False
                else:
                    pending[item[0]] = pool.submit(work, item[1])
            if starting and local is not None and not (local_until_helped and self.helped):
                # Every helper has work queued: do the next chunk here.
                item = next(todo, None)
                if item is None:
                    starting = False
                else:
                    done[item[0]] = local(item[1])
                continue
            if not pending:
                break
            wait(pending.values(), timeout=0.2, return_when=FIRST_COMPLETED)
        while following in done:
            on_result(following, done.pop(following))
            following += 1
        return following == count
