"""`voorportaal-case`: the case handlers' tool for complaints filed before the workspace existed, which intake
sealed with a case handler's key pair. (Complaints filed since are sealed for the desk's key directory and read
in the workspace: docs/keys.md.) Opens them with a private key kept off the server.

    voorportaal-case keygen --out ~/.voorportaal            # a new key pair; give intake the .pub
    voorportaal-case show VP-ABCD-EFGH --private-key ~/.voorportaal/case-handler.key
    voorportaal-case rotate --private-key OLD.key --new-public-key NEW.pub [--new-public-key NEW2.pub]
    voorportaal-case translations sync                      # the public pages' catalogues after a wording change
    voorportaal-case rights stale [--today YYYY-MM-DD]      # rights-guide facts not checked in the last 12 months
    voorportaal-case rights sync                            # the rights guide's and letters' catalogue (rights.po)

The database is read from INTAKE_DATABASE_URL / DATABASE_URL (as the service does). Also
`python -m services.intake.cli`.
"""
import argparse
import base64
import json
import sys
from pathlib import Path

from nacl.public import PrivateKey
from sqlalchemy import select, update

from libs.kit.config import database_url
from libs.kit.db import make_engine
from services.intake.domain.sealing import key_id, rewrap, unseal
from services.intake.settings import SERVICE, decode_public_key, write_key_pair
from services.intake.tables import complaints
from services.intake.web import catalogue_sync


def _private_key(path):
    raw = base64.b64decode(Path(path).read_text().strip())
    if len(raw) != 32:
        raise SystemExit("that file does not hold a 32-byte private key")
    return raw


def cmd_keygen(args):
    path = write_key_pair(Path(args.out), args.name)
    print(f"private key: {path} (keep it off the intake server)\npublic key:  {path.with_suffix('.pub')}")


def cmd_show(args, engine):
    with engine.connect() as conn:
        case = conn.execute(select(complaints).where(complaints.c.reference == args.reference)).first()
    if case is None:
        from libs.kit.secrets_store import load_secret
        from services.intake.use_cases.cases import erased_case
        with engine.connect() as conn:
            tombstone = erased_case(conn, load_secret("RECEIPT_KEY"), args.reference)
        if tombstone is not None:  # erased: only the fact and the day are left
            print(json.dumps({"reference": args.reference, "status": tombstone.status,
                              "erased_on": tombstone.erased_on.isoformat(), "content": None}, indent=2))
            return
        raise SystemExit("no such reference")
    view = {"reference": case.reference, "status": case.status, "institution_type": case.institution_type,
            "issue": case.issue, "municipality": case.municipality, "language": case.language,
            "reporter_role": case.reporter_role, "wants_mediation": case.wants_mediation,
            "consent": case.consent, "received_at": case.received_at.isoformat()}
    if case.sealed_content:
        view["content"] = unseal(case.sealed_content, case.wrapped_keys, _private_key(args.private_key))
    elif case.status in ("withdrawn", "expired"):
        view["content"] = None  # erased
    else:
        view["content"] = "sealed for the desk's workspace: open the case there"
    print(json.dumps(view, indent=2, ensure_ascii=False))


def cmd_rotate(args, engine):
    old_key = _private_key(args.private_key)
    new_keys = [decode_public_key(Path(p).read_text()) for p in args.new_public_key]
    old_id = key_id(bytes(PrivateKey(old_key).public_key))
    rotated = not_for_this_key = 0
    with engine.begin() as conn:
        rows = conn.execute(select(complaints.c.reference, complaints.c.wrapped_keys)
                            .where(complaints.c.wrapped_keys.is_not(None))).fetchall()
        for row in rows:
            if not row.wrapped_keys or old_id not in row.wrapped_keys:
                not_for_this_key += 1  # sealed for other handlers' keys: rotate those with their own key
                continue
            conn.execute(update(complaints).where(complaints.c.reference == row.reference)
                         .values(wrapped_keys=rewrap(row.wrapped_keys, old_key, new_keys)))
            rotated += 1
    print(f"re-wrapped {rotated} complaints for keys {', '.join(key_id(k) for k in new_keys)}"
          f" ({not_for_this_key} were not sealed for the old key and were left as they are); "
          "now set CASE_PUBLIC_KEYS to the new public key(s) and destroy the old private key")


def cmd_translations(_args):
    count = catalogue_sync.sync()
    print(f"{count} messages synced into {len(catalogue_sync.SUPPORTED_LANGUAGES)} catalogues")


def cmd_rights(args):
    """`rights stale`: one line per fact not checked against its source in the last 12 months (exit 1 when there
    are any, so a scheduled job can alert); `rights sync`: the `rights` catalogues after a wording change."""
    from datetime import date

    from services.intake.use_cases import rights_guide
    from services.intake.web import rights_sync
    if args.action == "sync":
        count = rights_sync.sync()
        print(f"{count} messages synced into the rights catalogues")
        return 0
    today = date.fromisoformat(args.today) if args.today else date.today()
    stale = rights_guide.stale_facts(today)
    for fact in stale:
        print(f"{fact.verified_on.isoformat()}  {fact.key}  {fact.source}")
    total = sum(1 for _ in rights_guide.load_guide().facts())
    print(f"{len(stale)} of {total} facts were last checked 12 months or more before {today.isoformat()}",
          file=sys.stderr)
    return 1 if stale else 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="voorportaal-case", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    keygen = sub.add_parser("keygen")
    keygen.add_argument("--out", required=True)
    keygen.add_argument("--name", default="case-handler")
    show = sub.add_parser("show")
    show.add_argument("reference")
    show.add_argument("--private-key", required=True)
    rotate = sub.add_parser("rotate")
    rotate.add_argument("--private-key", required=True)
    rotate.add_argument("--new-public-key", action="append", required=True)
    translations = sub.add_parser("translations")
    translations.add_argument("action", choices=("sync",))
    rights = sub.add_parser("rights", help="the rights guide: facts to check again, catalogue sync")
    rights.add_argument("action", choices=("stale", "sync"))
    rights.add_argument("--today", help="count 12 months back from this day (YYYY-MM-DD; default today)")
    args = parser.parse_args(argv)
    if args.command == "rights":  # no database
        return cmd_rights(args)
    if args.command in ("keygen", "translations"):  # no database
        {"keygen": cmd_keygen, "translations": cmd_translations}[args.command](args)
        return 0
    engine = make_engine(database_url(SERVICE))
    {"show": cmd_show, "rotate": cmd_rotate}[args.command](args, engine)
    return 0


if __name__ == "__main__":
    sys.exit(main())
