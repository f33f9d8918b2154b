"""Benchmark: the three-year evaluation report on 100,000 and 200,000 synthetic complaints (SQLite), and in the same
run the signal report (per sector) for the same three years and for its usual period, one quarter.

    .venv/bin/python bench/bench_report.py [--fresh] [--repeat 3] [--only-100k]

Timings are the fastest of --repeat runs (the median is recorded too). Prints a table and the ratio 200k/100k (target <= 2.2: the report must scale linearly, SQL does the
counting) and writes bench/results/report.json. The synthetic databases are cached in var/bench/ (loading
them is not what is measured); --fresh rebuilds them.
"""
import argparse
import json
import platform
import resource
import shutil
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine, func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from services.analytics.domain.render import render  # noqa: E402
from services.analytics.tables import case_facts_table, erased_cases_table, metadata  # noqa: E402
from services.analytics.domain.render_signals import render_signals  # noqa: E402
from services.analytics.use_cases.reports import build_report  # noqa: E402
from services.analytics.use_cases.signal_reports import build_signal_report  # noqa: E402
from services.analytics.use_cases.synthetic import load_synthetic  # noqa: E402

CACHE = REPO / "var" / "bench"
RESULTS = REPO / "bench" / "results" / "report.json"
SIZES = (100_000, 200_000)
TARGET_RATIO = 2.2


def _cases_in(path: Path) -> int:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with Session(engine) as session:
            return (session.execute(select(func.count()).select_from(case_facts_table)).scalar()
                    + session.execute(select(func.count()).select_from(erased_cases_table)).scalar())
    except Exception:  # noqa: BLE001  (a half-written cache file: rebuild)
        return -1
    finally:
        engine.dispose()


def _add_cases(path: Path, n: int, seed: int) -> float:
    engine = create_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    started = time.perf_counter()
    with Session(engine) as session:
        load_synthetic(session, n, seed)
        session.commit()
    engine.dispose()
    return time.perf_counter() - started


def _print_signals(rows: dict) -> None:
    print(f"{'complaints':>10} {'signal report':>14} {'build s':>8} {'build+render s':>15} {'evaluation b+r s':>17}")
    for row in rows.values():
        for period, timing in row["signals"].items():
            print(f"{row['complaints']:>10} {period:>14} {timing['build_s']:>8.3f} {timing['build_and_render_s']:>15.3f} "
                  f"{row['build_and_render_s']:>17.3f}")


def prepare(fresh: bool, only_small: bool = False) -> dict:
    """{size: (path, load seconds or None when cached)}: 200k = the 100k cases plus 100k from another seed."""
    CACHE.mkdir(parents=True, exist_ok=True)
    small, large = CACHE / "analytics-100k.db", CACHE / "analytics-200k.db"
    loads = {}
    if fresh or _cases_in(small) != SIZES[0]:
        small.unlink(missing_ok=True)
        loads[SIZES[0]] = _add_cases(small, SIZES[0], seed=1)
    if only_small:
        return {SIZES[0]: (small, loads.get(SIZES[0]))}
    if fresh or _cases_in(large) != SIZES[1]:
        large.unlink(missing_ok=True)
        shutil.copyfile(small, large)
        loads[SIZES[1]] = _add_cases(large, SIZES[1] - SIZES[0], seed=2)
    return {SIZES[0]: (small, loads.get(SIZES[0])), SIZES[1]: (large, loads.get(SIZES[1]))}


def _one_report(session):
    report = build_report(session, "2026-01", "2028-12")
    bodies = {fmt: render(report, fmt)[1] for fmt in ("json", "csv", "html")}
    return report, bodies


def _signal_timings(session, period_from: str, period_to: str, repeat: int) -> dict:
    """Build and build + render (json, csv, html) of the signal report: fastest of `repeat` runs."""
    render_signals(build_signal_report(session, period_from, period_to), "html")  # warm-up
    builds, totals = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        report = build_signal_report(session, period_from, period_to)
        built = time.perf_counter()
        for fmt in ("json", "csv", "html"):
            render_signals(report, fmt)
        builds.append(built - started)
        totals.append(time.perf_counter() - started)
    return {"build_s": min(builds), "build_and_render_s": min(totals), "build_and_render_median_s":
            statistics.median(totals), "problems": len(report.problems)}


def measure(path: Path, repeat: int) -> dict:
    engine = create_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        _one_report(session)  # warm-up: imports (matplotlib), SQLite page cache
        builds, totals = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            report = build_report(session, "2026-01", "2028-12")
            built = time.perf_counter()
            for fmt in ("json", "csv", "html"):
                render(report, fmt)
            builds.append(built - started)
            totals.append(time.perf_counter() - started)
        tracemalloc.start()
        report, bodies = _one_report(session)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        signals = {"three_years": _signal_timings(session, "2026-01", "2028-12", repeat),
                   "one_quarter": _signal_timings(session, "2028-10", "2028-12", repeat)}
    engine.dispose()
    # min is the least-disturbed run (the box is shared); the median is kept to show the spread
    return {"build_s": min(builds), "build_and_render_s": min(totals),
            "build_median_s": statistics.median(builds), "build_and_render_median_s": statistics.median(totals),
            "peak_python_mib": peak / 2**20, "problems": len(report.problems),
            "bytes": {fmt: len(body) for fmt, body in bodies.items()}, "signals": signals}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fresh", action="store_true", help="rebuild the cached synthetic databases")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only-100k", action="store_true",
                        help="measure 100,000 complaints only (no ratio; a shared box, results not written)")
    args = parser.parse_args(argv)
    databases = prepare(args.fresh, only_small=args.only_100k)
    rows = {}
    for size, (path, load_s) in databases.items():
        rows[size] = {"complaints": size, "load_s": load_s, **measure(path, args.repeat)}
    _print_signals(rows)
    if args.only_100k:
        row = rows[SIZES[0]]
        print(f"{SIZES[0]} complaints, evaluation: build {row['build_s']:.3f} s, build+render "
              f"{row['build_and_render_s']:.3f} s")
        return 0
    ratio_build = rows[SIZES[1]]["build_s"] / rows[SIZES[0]]["build_s"]
    ratio_total = rows[SIZES[1]]["build_and_render_s"] / rows[SIZES[0]]["build_and_render_s"]

    print(f"{'complaints':>10} {'build s':>8} {'build+render s':>15} {'(median)':>9} {'peak MiB':>9} {'load s':>8}")
    for row in rows.values():
        load = "cached" if row["load_s"] is None else f"{row['load_s']:.1f}"
        print(f"{row['complaints']:>10} {row['build_s']:>8.3f} {row['build_and_render_s']:>15.3f} "
              f"{row['build_and_render_median_s']:>9.3f} {row['peak_python_mib']:>9.1f} {load:>8}")
    print(f"ratio 200k/100k: build {ratio_build:.2f}, build+render {ratio_total:.2f} (target <= {TARGET_RATIO})")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "benchmark": "three-year evaluation report (2026-01..2028-12) and the signal report (three years, one "
                     "quarter), SQLite",
        "python": platform.python_version(), "machine": platform.machine(),
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rows": list(rows.values()), "ratio_build": ratio_build, "ratio_build_and_render": ratio_total,
        "target_ratio": TARGET_RATIO, "within_target": ratio_total <= TARGET_RATIO,
    }, indent=2))
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0 if ratio_total <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
