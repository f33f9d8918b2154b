"""`voorportaal-partner`: print each referral for one partner as a JSON line (ack after printing).

    PARTNER_AMQP_URI='amqps://partner-kifid:SECRET@amqp.voorportaal.example:5671/voorportaal' \
        voorportaal-partner --partner kifid --ca-file voorportaal-ca.crt

Put the URI (it holds your password) in the environment, not on the command line.
"""
import argparse
import json
import os
import signal
import sys

from voorportaal_partner.client import PartnerClient


def main(argv=None):
    parser = argparse.ArgumentParser(description="Consume Voorportaal referrals for one partner")
    parser.add_argument("--partner", required=True, help="your partner id, e.g. kifid")
    parser.add_argument("--amqp-uri", default=os.environ.get("PARTNER_AMQP_URI",
                                                             "amqp://guest:guest@127.0.0.1:5672/%2F"))
    parser.add_argument("--ca-file", default=None, help="CA bundle for amqps:// (default: system trust store)")
    parser.add_argument("--max-messages", type=int, default=None)
    parser.add_argument("--idle-timeout", type=float, default=None, help="stop after this many idle seconds")
    args = parser.parse_args(argv)
    client = PartnerClient(args.amqp_uri, args.partner, ca_file=args.ca_file)
    signal.signal(signal.SIGTERM, lambda *_: client.stop())

    def handle(event):
        sys.stdout.write(json.dumps(event, separators=(",", ":")) + "\n")
        sys.stdout.flush()

    try:
        client.consume(handle, on_invalid=lambda why: print(f"rejected a message: {why}", file=sys.stderr),
                       max_messages=args.max_messages, idle_timeout=args.idle_timeout)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
