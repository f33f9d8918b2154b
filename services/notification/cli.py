"""`voorportaal-mediators`: manage the mediator registry (the desk coordinator's tool).

    voorportaal-mediators list
    voorportaal-mediators import mediators.yaml      # add or update; same format as data/mediators.demo.yaml
    voorportaal-mediators deactivate med-amsterdam-1
    voorportaal-mediators activate med-amsterdam-1

Works on NOTIFICATION_DATABASE_URL / DATABASE_URL, like the service. Access to this command is access to the
database: run it only where the database credentials are.
"""
import argparse
import json
import sys
from pathlib import Path

import yaml
from marshmallow import ValidationError

from libs.kit.config import database_url
from libs.kit.db import make_engine, make_session_factory
from services.notification.tables import metadata
from services.notification.use_cases import registry


def manage_registry(args) -> int:
    engine = make_engine(database_url("notification"))
    metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        if args.command == "list":
            for mediator in registry.all_mediators(session):
                print(json.dumps({"id": mediator.id, "name": mediator.name, "languages": mediator.languages,
                                  "provinces": mediator.provinces, "capacity": mediator.capacity,
                                  "active": mediator.active, "conflicts": mediator.conflicts,
                                  "channel": mediator.channel}))
        elif args.command == "import":
            try:
                count = registry.import_document(session, yaml.safe_load(Path(args.file).read_text()))
            except (ValidationError, ValueError) as exc:
                print(f"not imported: {getattr(exc, 'messages', exc)}", file=sys.stderr)
                return 2
            print(f"imported {count} mediator(s)")
        else:
            if not registry.set_active(session, args.mediator_id, args.command == "activate"):
                print("no such mediator", file=sys.stderr)
                return 1
            print(f"{args.mediator_id}: {args.command}d")
    engine.dispose()
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="voorportaal-mediators", description="Manage the mediator registry")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list")
    importing = sub.add_parser("import")
    importing.add_argument("file")
    for name in ("activate", "deactivate"):
        sub.add_parser(name).add_argument("mediator_id")
    args = parser.parse_args(argv)
    return manage_registry(args)


if __name__ == "__main__":
    sys.exit(main())
