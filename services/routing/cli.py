"""`voorportaal-directory`: look after the channel directory routing plans with.

    voorportaal-directory stale [--today YYYY-MM-DD] [--format text|json]
        every fact verified more than 12 months ago or still unconfirmed, grouped by channel (exit 0; a list to
        work through, see docs/routing.md "Keeping the directory right")
    voorportaal-directory check
        load and cross-check the directory files; exit 1 with the file and entry at fault
"""
import argparse
import json
import sys
from datetime import date
from itertools import groupby

from libs.referral_rules.directory import DirectoryError, load_directory
from libs.referral_rules.freshness import stale_facts


def main(argv=None):
    parser = argparse.ArgumentParser(prog="voorportaal-directory", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    stale = commands.add_parser("stale", help="facts to check again")
    stale.add_argument("--today", type=date.fromisoformat, default=date.today())
    stale.add_argument("--format", choices=("text", "json"), default="text")
    commands.add_parser("check", help="validate the directory files")
    args = parser.parse_args(argv)
    try:
        directory = load_directory()
    except DirectoryError as error:
        print(f"directory error: {error}", file=sys.stderr)
        return 1
    if args.command == "check":
        print(f"directory {directory.version}: {len(directory.channels)} channels, "
              f"{len(directory.municipalities)} municipalities, all facts sourced")
        return 0
    found = stale_facts(directory, args.today)
    if args.format == "json":
        print(json.dumps([{"group": f.group, "fact": f.name, "reason": f.reason,
                           "verified_on": f.verified_on.isoformat(), "source": f.source} for f in found], indent=1))
        return 0
    for group, facts in groupby(found, key=lambda fact: fact.group):
        facts = list(facts)
        print(f"{group} ({len(facts)})")
        for fact in facts:
            print(f"  {fact.name}: {fact.reason} (verified {fact.verified_on}) {fact.source}")
    print(f"{len(found)} facts to check in directory {directory.version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
