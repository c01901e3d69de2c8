"""``make bench``: run every ``benchmarks/bench_*.py`` and write ``benchmarks/RESULTS.md``.

Each module has ``run(bench: Bench) -> None`` and records figures with
``bench.time(...)``. Machines here are noisy, so every figure is quoted next to a
baseline measured in the same run, as a ratio.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass
class Row:
    section: str
    name: str
    figure: str
    target: str = ""
    ratio: str = ""


@dataclass
class Bench:
    workdir: Path
    quick: bool = False
    rows: list[Row] = field(default_factory=list)

    def measure(
        self, func: Callable[[], object], repeat: int = 5, setup: Callable[[], object] | None = None
    ) -> list[float]:
        """Seconds for each of ``repeat`` runs of ``func``; ``setup`` runs untimed before each."""
        times = []
        for _ in range(repeat):
            if setup is not None:
                setup()
            start = time.perf_counter()
            func()
            times.append(time.perf_counter() - start)
        return times

    def record(
        self,
        section: str,
        name: str,
        seconds: list[float],
        *,
        target_ms: float | None = None,
        baseline: tuple[str, list[float]] | None = None,
        p95: bool = False,
    ) -> None:
        """One line of RESULTS.md: median (and p95), the target, and the ratio to a baseline."""
        median = statistics.median(seconds) * 1000
        figure = f"median {median:.1f} ms"
        shown = median
        if p95 and len(seconds) >= 2:
            p = statistics.quantiles(seconds, n=20, method="inclusive")[18] * 1000
            figure += f", p95 {p:.1f} ms"
            shown = p
        figure += f" (n={len(seconds)})"
        target = ""
        if target_ms is not None:
            target = f"≤ {target_ms:g} ms {'✓' if shown <= target_ms else '✗'}"
        ratio = ""
        if baseline is not None:
            base_name, base_seconds = baseline
            base = statistics.median(base_seconds) * 1000
            ratio = f"{median / base:.2f}× {base_name} ({base:.1f} ms)" if base else ""
        self.rows.append(Row(section, name, figure, target, ratio))
        print(f"[{section}] {name}: {figure} {target} {ratio}", flush=True)

    def note(self, section: str, name: str, text: str) -> None:
        self.rows.append(Row(section, name, text))
        print(f"[{section}] {name}: {text}", flush=True)


def demo_journal(bench: Bench, entries: int) -> Path:
    """A demo journal of ``entries`` made once per run (seed 7) and shared by the benches that only read it.

    Callers that write to it copy it first.
    """
    path = bench.workdir / f"demo-{entries}.hindsight"
    if not path.exists():
        from journal import demo
        from journal.store import Store

        with Store.open(path) as store:
            demo.populate(store, entries=entries, seed=7)
    return path


def not_met_line(rows: list[Row]) -> str:
    """One line naming every goal this run missed (a ✗ in the target or the figure), so none hides in a table."""
    missed = [f"{row.section.split(':')[0]}: {row.name}" for row in rows if "✗" in row.target or "✗" in row.figure]
    if not missed:
        return "- Every goal was met in this run."
    return "- Goals not met in this run (✗ below): " + "; ".join(missed) + "."


def write_results(bench: Bench, path: Path) -> None:
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m benchmarks.run`). Each figure is quoted",
        "against a baseline measured in the same run, because these machines are noisy.",
        "",
        f"- Machine: {platform.platform()}, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        f"- Run at: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        not_met_line(bench.rows),
        "",
    ]
    section = None
    for row in bench.rows:
        if row.section != section:
            section = row.section
            lines += ["", f"## {section}", "", "| what | figure | target | against baseline |", "|---|---|---|---|"]
        lines.append(f"| {row.name} | {row.figure} | {row.target} | {row.ratio} |")
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if "\n## Crash test\n" in old:  # written by `make crashtest`, which this run does not repeat
        lines += ["", "## Crash test" + old.split("\n## Crash test", 1)[1].split("\n## ", 1)[0].rstrip("\n")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller journals, for a smoke run")
    parser.add_argument("--only", help="run only bench_<ONLY>.py")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args(argv)
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if args.only:
        modules = [m for m in modules if m == f"bench_{args.only}"]
    with tempfile.TemporaryDirectory(prefix="hindsight-bench-") as tmp:
        bench = Bench(Path(tmp), quick=args.quick)
        for name in modules:
            print(f"== {name}", flush=True)
            module = importlib.import_module(f"benchmarks.{name}")
            module.run(bench)
    write_results(bench, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
