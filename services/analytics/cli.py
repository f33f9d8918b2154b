"""Analytics' command line: the evaluation report and the synthetic data loader.

    voorportaal-report [--kind evaluation|signals] --from 2026-01 --to 2028-12 --format html|csv|json|pdf --out FILE
                       [--database-url URL] [--threshold N] [--announce]
        build, audit, render and log the evaluation report or the signal report (per sector); --announce (signals,
        one quarter) also queues its announcement to the subscribed partners. Exit codes: 0 published, 2 bad
        arguments, 1 database problem, 3 refused by the disclosure audit, 4 nothing to report (no complaints).
    voorportaal-synthetic --complaints 100000 [--seed N] [--database-url sqlite:///var/analytics.db]
        load seeded synthetic cases into a fact store (demos, tests, benchmarks; distributions: docs/analytics.md)

Without the installed scripts: `python -m services.analytics.cli report|synthetic ...`.
"""
import argparse
import os
import sys
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from libs.kit.db import make_engine, make_session_factory  # only SQLAlchemy, no framework
from libs.kit.migrations import upgrade
from services.analytics.domain.disclosure import DEFAULT_THRESHOLD
from services.analytics.domain.periods import PeriodError, quarters_between
from services.analytics.domain.render import FORMATS
from services.analytics.domain.render_signals import SIGNAL_FORMATS
from services.analytics.domain.signal_report import NothingToReport
from services.analytics.tables import case_facts_table
from services.analytics.use_cases.reports import ReleaseRefused, release_report
from services.analytics.use_cases.signal_reports import release_signals
from services.analytics.use_cases.synthetic import load_synthetic

DEFAULT_DATABASE_URL = "sqlite:///var/analytics.db"
KINDS = ("evaluation", "signals")


# -- voorportaal-report -------------------------------------------------------------------------------------------
def _report_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="voorportaal-report",
                                     description="Evaluation or signal report from the analytics fact store.")
    parser.add_argument("--kind", choices=KINDS, default="evaluation",
                        help="evaluation (default) or signals (per sector, for the institutions)")
    parser.add_argument("--from", dest="period_from", required=True, help="first month, YYYY-MM (start of a quarter)")
    parser.add_argument("--to", dest="period_to", required=True, help="last month, YYYY-MM (end of a quarter)")
    parser.add_argument("--format", choices=SIGNAL_FORMATS, default="html",
                        help=f"{', '.join(FORMATS)}; the signal report also pdf")
    parser.add_argument("--database-url", default=None, help="default: $DATABASE_URL or " + DEFAULT_DATABASE_URL)
    parser.add_argument("--out", default=None, help="file to write (default: standard output)")
    parser.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD,
                        help=f"smallest publishable count (default {DEFAULT_THRESHOLD})")
    parser.add_argument("--announce", action="store_true",
                        help="signals, one quarter: also announce the release to the subscribed partners")
    return parser


def _database_url(given: str | None) -> str:
    url = given or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if not url.startswith(("sqlite", "postgresql")):
        raise ValueError("the database URL must start with sqlite:// or postgresql://")
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        raise ValueError(f"no database file at {url[len('sqlite:///'):]}")
    return url


def _fail(message: str, code: int) -> int:
    print(f"voorportaal-report: {message}", file=sys.stderr)
    return code


def report(argv=None) -> int:
    parser = _report_parser()
    args = parser.parse_args(argv)
    if args.threshold < 2:
        parser.error("--threshold must be at least 2")
    try:
        quarters = quarters_between(args.period_from, args.period_to)
    except PeriodError as error:
        parser.error(str(error))
    if args.format not in FORMATS and args.kind != "signals":
        parser.error(f"--format {args.format} is for the signal report only (--kind signals)")
    if args.announce and (args.kind != "signals" or len(quarters) != 1):
        parser.error("--announce is for the signal report of one quarter (--kind signals, --from and --to in one "
                     "quarter)")
    try:
        url = _database_url(args.database_url)
    except ValueError as error:
        return _fail(str(error), 1)

    engine = make_engine(url)
    try:
        if not inspect(engine).has_table(case_facts_table.name):
            return _fail("this database has no analytics fact store (table analytics_case_facts)", 1)
        upgrade("analytics", engine)  # the release logs and publication tables, from analytics' migrations
        with make_session_factory(engine)() as session:
            if args.kind == "signals":
                _content_type, content = release_signals(session, args.period_from, args.period_to, args.format,
                                                         args.threshold, announce=args.announce)
            else:
                _content_type, content = release_report(session, args.period_from, args.period_to, args.format,
                                                        args.threshold)
            if args.out:
                Path(args.out).write_bytes(content)
            else:
                sys.stdout.buffer.write(content)
                sys.stdout.flush()
            session.commit()  # logged only once the content is out
    except ReleaseRefused as refused:
        for problem in refused.problems:
            print(f"  {problem}", file=sys.stderr)
        return _fail("release refused by the disclosure audit (nothing published)", 3)
    except NothingToReport as nothing:
        return _fail(f"{nothing} (nothing published)", 4)
    except SQLAlchemyError as error:
        return _fail(f"database error: {type(error).__name__}", 1)
    except OSError as error:
        return _fail(f"cannot write {args.out}: {error.strerror}", 1)
    finally:
        engine.dispose()
    if args.out:
        announced = " and queued its announcement to the subscribed partners" if args.announce else ""
        print(f"wrote {args.format} {args.kind} report {args.period_from}..{args.period_to} to {args.out}{announced}",
              file=sys.stderr)
    return 0


# -- voorportaal-synthetic ----------------------------------------------------------------------------------------
def synthetic(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="voorportaal-synthetic",
                                     description="Seeded synthetic activity for demos, tests and benchmarks.")
    parser.add_argument("--complaints", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    args = parser.parse_args(argv)
    if args.complaints < 1:
        parser.error("--complaints must be at least 1")
    engine = make_engine(args.database_url)
    upgrade("analytics", engine)  # the fact store's schema, from analytics' migrations
    with make_session_factory(engine)() as session:
        written = load_synthetic(session, args.complaints, args.seed)
        session.commit()
    print(f"loaded {written} cases ({args.complaints - written} withdrawn) into {engine.url.render_as_string()}")
    return 0


COMMANDS = {"report": report, "synthetic": synthetic}


def main(argv=None) -> int:
    """`python -m services.analytics.cli report|synthetic ...`: the same commands without the installed scripts."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] not in COMMANDS:
        print(f"usage: python -m services.analytics.cli {{{'|'.join(COMMANDS)}}} ...", file=sys.stderr)
        return 2
    return COMMANDS[argv[0]](argv[1:])


if __name__ == "__main__":
    sys.exit(main())
