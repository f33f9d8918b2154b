"""`voorportaal-migrate`: bring one service's schema (or every service's) to the newest revision, show where a
database stands, or write a new revision (`make migration SERVICE=x MESSAGE="..."`).

    voorportaal-migrate intake            # upgrade head (adopts a database made by create_all: stamps the baseline)
    voorportaal-migrate all
    voorportaal-migrate intake --status   # current and newest revision, changes nothing
    voorportaal-migrate intake --to 0001  # up or down to that revision (a downgrade may drop data: see its file)
    voorportaal-migrate new routing -m "index open plans"   # autogenerate services/routing/migrations/versions/

Each service reads its own database URL (INTAKE_DATABASE_URL, DATABASE_URL, or the SQLite file var/<service>.db),
the same as the service itself. The output names revisions only: never a URL (it may hold a password).
"""
import argparse
import json
import re
import sys
import tempfile
from pathlib import Path

from alembic import command

from libs.kit import config
from libs.kit.db import make_engine
from libs.kit.migrations import (
    MigrationError, alembic_config, current, downgrade, head, is_at_head, script_directory, upgrade,
)

SLUG = re.compile(r"[^a-z0-9]+")


def _engine(service):
    return make_engine(config.database_url(service))


def migrate(service, target=None) -> str:
    engine = _engine(service)
    try:
        if target is None or target == "head":
            done = upgrade(service, engine)
        else:
            now = _current(service, engine)
            ordered = [s.revision for s in reversed(list(script_directory(service).walk_revisions()))]
            if target not in ordered:
                raise MigrationError(f"{service}: no revision {target!r} (known: {', '.join(ordered)})")
            if now is not None and ordered.index(target) < ordered.index(now):
                done = downgrade(service, engine, target)
            else:
                done = upgrade(service, engine, target)
    finally:
        engine.dispose()
    adopted = f" (adopted a create_all database: stamped at {done['stamped']} first)" if done.get("stamped") else ""
    return f"{service}: {done['from'] or 'empty'} -> {done['to']}{adopted}"


def on_start(service, check_only=False) -> dict:
    """A service's start: upgrade to head (what `upgrade` returns), or with `check_only` refuse an older schema."""
    engine = _engine(service)
    try:
        if not check_only:
            return upgrade(service, engine)
        if not is_at_head(service, engine):
            raise MigrationError(f"{service}: the database is not at revision {head(service)}; run "
                                 f"`voorportaal-migrate {service}` first (docs/operations.md, \"Schema migrations\")")
        return {"at_head": True}
    finally:
        engine.dispose()


def _current(service, engine):
    with engine.connect() as connection:
        return current(service, connection)


def status(service) -> str:
    engine = _engine(service)
    try:
        now = _current(service, engine)
    finally:
        engine.dispose()
    newest = head(service)
    state = "up to date" if now == newest else "behind: run voorportaal-migrate " + service
    return f"{service}: at {now or 'nothing (no version table)'}, newest {newest}: {state}"


def next_revision_id(service) -> str:
    """Revisions are numbered 0001, 0002, ... per service: readable, ordered, and a clash between two branches that
    both add one shows as two files with the same number."""
    numbers = [int(s.revision) for s in script_directory(service).walk_revisions() if s.revision.isdigit()]
    return f"{max(numbers, default=0) + 1:04d}"


def new_revision(service, message) -> Path:
    """Autogenerate a revision: compare the service's tables.py with a scratch SQLite database upgraded to the
    newest revision, and write the difference. Needs no running database."""
    if not message or not SLUG.sub("", message.lower()):
        raise MigrationError("give the revision a message (what changes), e.g. MESSAGE=\"index open plans\"")
    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / (service + '.db')}")
        try:
            upgrade(service, engine)
            with engine.begin() as connection:
                script = command.revision(alembic_config(service, connection), message=message, autogenerate=True,
                                          rev_id=next_revision_id(service))
        finally:
            engine.dispose()
    return Path(script.path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="voorportaal-migrate", description=__doc__.split("\n\n")[0])
    parser.add_argument("service", help=f"one of {', '.join(config.SERVICES)}, `all`, or `new` (then a service)")
    parser.add_argument("new_service", nargs="?", help="with `new`: the service to write a revision for")
    parser.add_argument("--status", action="store_true", help="show the current and newest revision only")
    parser.add_argument("--to", dest="target", help="a revision to go to, up or down (default: head)")
    parser.add_argument("-m", "--message", help="with `new`: what the revision changes")
    # a service's start (libs/kit/dependencies.py) runs one of these in a child process and reads the last line
    parser.add_argument("--on-start", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        if args.service == "new":
            if args.new_service not in config.SERVICES:
                parser.error(f"`new` needs a service: one of {', '.join(config.SERVICES)}")
            path = new_revision(args.new_service, args.message)
            print(f"wrote {path}: review it (docs/storage.md, \"How the schema changes\"), then run the tests")
            return 0
        if args.service != "all" and args.service not in config.SERVICES:
            parser.error(f"unknown service {args.service!r}: one of {', '.join(config.SERVICES)} or all")
        if args.on_start or args.check:
            if args.service not in config.SERVICES:
                parser.error("--on-start and --check need one service")
            print(json.dumps(on_start(args.service, check_only=args.check)), flush=True)
            return 0
        if args.service == "all" and args.target:
            parser.error("--to needs one service (revision ids are per service)")
        for service in (config.SERVICES if args.service == "all" else [args.service]):
            print(status(service) if args.status else migrate(service, args.target), flush=True)
    except MigrationError as exc:
        print(f"voorportaal-migrate: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
