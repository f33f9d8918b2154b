"""`voorportaal-casework`: the desk's administration from a terminal with database access.

    voorportaal-casework accounts add EMAIL --name NAME --role case_handler|coordinator|mediator|administrator
                                      [--mediator-id ID]      # prints a one-time setup code
    voorportaal-casework accounts list
    voorportaal-casework accounts disable EMAIL
    voorportaal-casework accounts reset-second-factor EMAIL
    voorportaal-casework accounts setup-code EMAIL             # a forgotten password: a new setup code
    voorportaal-casework audit verify [--anchors FILE]          # exit 1 when the chain is broken
    voorportaal-casework audit head                             # the entry to record outside, daily
    voorportaal-casework recovery keygen --out DIR              # the desk's recovery pair (ceremony: docs/keys.md)
    voorportaal-casework recovery share --recovery-key FILE --to EMAIL [--case REF]
                                                              # open cases with the recovery key for an account
    voorportaal-casework demo-code EMAIL                        # local runs: the demo account's current code
    voorportaal-casework translations sync                      # the workspace's catalogues after a wording change

The database is read from CASEWORK_DATABASE_URL / DATABASE_URL, as the service does.
"""
import argparse
import base64
import json
import os
import sys
import time
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from nacl.public import PrivateKey
from sqlalchemy import select

from libs.contracts.sealing import Unreadable, key_id, unwrap_case_key, wrap_case_key
from libs.kit.config import ConfigError, database_url
from libs.kit.db import make_engine, make_session_factory
from libs.kit.migrations import upgrade
from services.casework import settings
from services.casework.domain.second_factor import code_at
from services.casework.domain.server_keys import ServerKeys
from services.casework.tables import key_wraps
from services.casework.use_cases import accounts, audit, demo
from services.casework.domain import standard_texts
from services.casework.web.rendering import CATALOGUES, STANDARD_TEXTS

SYSTEM = "system:cli"
HEADER = ("# Voorportaal workspace: messages for staff (Dutch and English).\n"
          "# Source strings (msgids) are English. Every string must be translated; the tests fail otherwise.")
STANDARD_TEXTS_HEADER = (
    "# Voorportaal: the desk's standard texts to the person, in the six languages (B1, respectful).\n"
    "# The first translations were written by the engineering team and await review by native speakers, ideally\n"
    "# from the community; until then the Dutch and English are authoritative.")


def _sessions():
    engine = make_engine(database_url("casework"))
    upgrade("casework", engine)
    return make_session_factory(engine)


def _account(session, email):
    account = accounts.find_by_email(session, email)
    if account is None:
        raise SystemExit("no account with that e-mail")
    return account


def cmd_accounts(args):
    current = settings.load()
    with _sessions()() as session:
        if args.action == "add":
            setup = accounts.add(session, args.email, args.name or args.email, args.role, SYSTEM, args.mediator_id)
            print(f"account {setup.account_id} added; give the person this setup code (valid 7 days, once): "
                  f"{setup.setup_code}")
        elif args.action == "list":
            for row in accounts.listing(session):
                state = "disabled" if not row.active else ("active" if row.second_factor_confirmed else "setup")
                print(f"{row.id}\t{row.email}\t{row.role}\t{state}\t{row.key_id or '-'}")
        elif args.action == "disable":
            accounts.disable(session, _account(session, args.email).id, SYSTEM, current)
            print("disabled; every session ended; the key directory no longer lists the account")
        elif args.action == "reset-second-factor":
            accounts.reset_second_factor(session, ServerKeys(current.secret), _account(session, args.email).id,
                                         SYSTEM)
            print("second factor reset: the person sets up a new one at their next sign-in")
        elif args.action == "setup-code":
            setup = accounts.new_setup_code(session, _account(session, args.email).id, SYSTEM)
            print(f"new setup code (valid 7 days, once): {setup.setup_code}")
    return 0


def cmd_audit(args):
    with _sessions()() as session:
        if args.action == "head":
            seq, head = audit.head(session)
            print(json.dumps({"seq": seq, "hash": head}))
            return 0
        anchors = [(a["seq"], a["hash"]) for a in json.loads(Path(args.anchors).read_text())] if args.anchors else ()
        result = audit.verify_log(session, anchors)
    print(f"{'intact' if result.ok else 'BROKEN'}: {result.entries} entries, head {result.head}"
          + (f"; {result.problem}" if result.problem else ""))
    return 0 if result.ok else 1


def cmd_recovery(args):
    if args.action == "keygen":
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        private_key = PrivateKey.generate()
        path = out / "desk-recovery.key"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.b64encode(bytes(private_key)).decode())
        print(f"private key: {path} (keep it offline, see docs/keys.md)\n"
              f"DESK_RECOVERY_PUBLIC_KEY={base64.b64encode(bytes(private_key.public_key)).decode()}")
        return 0
    recovery = PrivateKey(base64.b64decode(Path(args.recovery_key).read_text().strip()))
    recovery_id = key_id(bytes(recovery.public_key))
    with _sessions()() as session:
        target = _account(session, args.to)
        if target.public_key is None:
            raise SystemExit("that account has not finished its setup (no key yet)")
        query = select(key_wraps).where(key_wraps.c.key_id == recovery_id)
        if args.case:
            query = query.where(key_wraps.c.case_ref == args.case)
        shared = 0
        for wrap in session.execute(query).fetchall():
            try:
                case_private = unwrap_case_key(wrap.wrapped, recovery)
            except Unreadable:
                continue
            session.execute(key_wraps.delete().where(key_wraps.c.case_ref == wrap.case_ref,
                                                     key_wraps.c.key_id == target.key_id))
            session.execute(key_wraps.insert().values(
                case_ref=wrap.case_ref, key_id=target.key_id, purpose="case_reader", created_at=wrap.created_at,
                wrapped=wrap_case_key(case_private, base64.b64decode(target.public_key))))
            shared += 1
        audit.append(session, SYSTEM, "recovery.shared", args.case, to=target.id, cases=shared)
        session.commit()
    print(f"{shared} case(s) now open to {args.to}")
    return 0


def cmd_demo_code(args):
    secret = demo.secret_of(args.email)
    if secret is None:
        raise SystemExit("not a demo account of this local run (see var/demo-accounts.json)")
    print(code_at(secret, time.time()))
    return 0


def cmd_translations(_args):
    template = Catalog(project="voorportaal-workspace", fuzzy=False)
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    base = Path(__file__).parent
    for filename, lineno, message, comments, context in extract_from_dir(
            base, [("web/templates/**.html", "jinja2"), ("web/**.py", "python")], keywords=keywords,
            strip_comment_tags=True):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    count = CATALOGUES.sync(template, "Voorportaal workspace", HEADER, languages=("nl", "en"))
    print(f"{count} messages synced into nl and en")
    texts = Catalog(project="voorportaal-standard-texts", fuzzy=False)
    for text in standard_texts.TEXTS:
        texts.add(text.english, None, [("domain/standard_texts.py", 0)], auto_comments=[f"code: {text.code}"])
    count = STANDARD_TEXTS.sync(texts, "Voorportaal standard texts", STANDARD_TEXTS_HEADER,
                                languages=standard_texts.LANGUAGES)
    print(f"{count} standard texts synced into {', '.join(standard_texts.LANGUAGES)}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="voorportaal-casework", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    acc = sub.add_parser("accounts")
    acc.add_argument("action", choices=("add", "list", "disable", "reset-second-factor", "setup-code"))
    acc.add_argument("email", nargs="?")
    acc.add_argument("--name")
    acc.add_argument("--role")
    acc.add_argument("--mediator-id")
    aud = sub.add_parser("audit")
    aud.add_argument("action", choices=("verify", "head"))
    aud.add_argument("--anchors", help="JSON list of {seq, hash} recorded outside the database")
    rec = sub.add_parser("recovery")
    rec.add_argument("action", choices=("keygen", "share"))
    rec.add_argument("--out")
    rec.add_argument("--recovery-key")
    rec.add_argument("--to")
    rec.add_argument("--case")
    code = sub.add_parser("demo-code")
    code.add_argument("email")
    trans = sub.add_parser("translations")
    trans.add_argument("action", choices=("sync",))
    args = parser.parse_args(argv)
    if args.command == "accounts" and args.action != "list" and not args.email:
        parser.error("an e-mail address is needed")
    try:
        return {"accounts": cmd_accounts, "audit": cmd_audit, "recovery": cmd_recovery, "demo-code": cmd_demo_code,
                "translations": cmd_translations}[args.command](args)
    except (accounts.AccountError, ConfigError) as problem:
        print(f"refused: {problem}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
