"""`voorportaal-mediators`: manage the mediator registry (the desk coordinator's tool), and the translations.

    voorportaal-mediators list
    voorportaal-mediators import mediators.yaml      # add or update; same format as data/mediators.demo.yaml
    voorportaal-mediators deactivate med-amsterdam-1
    voorportaal-mediators activate med-amsterdam-1
    voorportaal-mediators translations sync          # or: python -m services.notification.cli translations sync

The registry commands work on NOTIFICATION_DATABASE_URL / DATABASE_URL, like the service. Access to them is
access to the database: run them only where the database credentials are.

`translations sync` (a developer's command; no database) extracts every msgid marked with `N_` in this package
into the catalogues under translations/: new msgids are added empty, for a translator, unused ones dropped.
tests/unit/notification/test_notification_translations.py fails while any language lacks a translation.
"""
import argparse
import json
import sys
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from marshmallow import ValidationError

from libs.kit.config import database_url
from libs.kit.db import make_engine, make_session_factory
from libs.kit.migrations import upgrade
from services.notification.domain.complainant_texts import CATALOGUES
from services.notification.use_cases import registry

PACKAGE_DIR = Path(__file__).parent
HEADER_COMMENT = (
    "# Voorportaal notification: status e-mails to the person who filed (domain/complainant_texts.py).\n"
    "# Source strings (msgids) are English, written in plain language (B1). Every string must be translated;\n"
    "# the tests fail otherwise. Keep the tone respectful and non-judgemental, and the placeholders (%(ref)s,\n"
    "# %(date)s) as they are. The first translations were written by the engineering team; they await review by\n"
    "# native speakers, ideally from the community.")


def extract_template() -> Catalog:
    """A Catalog of every msgid marked with `N_` in this package, with where it is used and its translator note."""
    template = Catalog(project="voorportaal-notification", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE_DIR, [("**.py", "python")], keywords={"N_": None}, comment_tags=("translators:",),
            strip_comment_tags=True):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def sync_translations() -> int:
    count = CATALOGUES.sync(extract_template(), "Voorportaal notification", HEADER_COMMENT)
    print(f"{count} messages synced into the catalogues under {CATALOGUES.directory}")
    return 0


def manage_registry(args) -> int:
    engine = make_engine(database_url("notification"))
    upgrade("notification", engine)
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
    translations = sub.add_parser("translations", help="the catalogues of the status e-mails to the person")
    translations.add_subparsers(dest="action", required=True).add_parser(
        "sync", help="add new msgids (empty) to every language, drop unused ones")
    secret = sub.add_parser("webhook-secret", help="print one receiver's webhook secret (whsec_…) to hand over")
    secret.add_argument("mediator_id")
    args = parser.parse_args(argv)
    if args.command == "translations":
        return sync_translations()
    if args.command == "webhook-secret":
        return print_receiver_secret(args.mediator_id)
    return manage_registry(args)


def print_receiver_secret(mediator_id: str) -> int:
    """The receiver's own key, derived from NOTIFICATION_WEBHOOK_SECRET: give it to that receiver only."""
    from libs.kit.secrets_store import load_secret
    from services.notification.domain.webhooks import receiver_secret, standard_secret_text

    print(standard_secret_text(receiver_secret(load_secret("NOTIFICATION_WEBHOOK_SECRET"), mediator_id)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
