"""`voorportaal-partner`: print each referral for one partner as a JSON line (ack after printing), or send a status
update about one referral.

    PARTNER_AMQP_URI='amqps://partner-kifid:SECRET@amqp.voorportaal.example:5671/voorportaal' \\
        voorportaal-partner --partner kifid --ca-file voorportaal-ca.crt

    PARTNER_AMQP_URI=... voorportaal-partner status --partner kifid --ca-file voorportaal-ca.crt \\
        --subject 3f0c...e1 --status answered --outcome upheld

Put the URI (it holds your password) in the environment, not on the command line.
"""
import argparse
import json
import os
import signal
import sys

from pika.exceptions import AMQPError, ChannelClosedByBroker

from voorportaal_partner.client import PartnerClient
from voorportaal_partner.status import OUTCOMES, STATUSES, InvalidStatus

DEFAULT_URI = "amqp://guest:guest@127.0.0.1:5672/%2F"


def _connection_arguments(parser):
    parser.add_argument("--partner", required=True, help="your partner id, e.g. kifid")
    parser.add_argument("--amqp-uri", default=os.environ.get("PARTNER_AMQP_URI", DEFAULT_URI))
    parser.add_argument("--ca-file", default=None, help="CA bundle for amqps:// (default: system trust store)")


def consume(argv):
    parser = argparse.ArgumentParser(prog="voorportaal-partner", description="Consume Voorportaal referrals for one "
                                     "partner (`voorportaal-partner status --help`: send a status update)")
    _connection_arguments(parser)
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


def status(argv):
    parser = argparse.ArgumentParser(prog="voorportaal-partner status",
                                     description="Tell Voorportaal where one referral stands (codes only, no text)")
    _connection_arguments(parser)
    parser.add_argument("--subject", required=True, help="the referral's `subject`, as you received it")
    parser.add_argument("--status", required=True, choices=STATUSES)
    parser.add_argument("--outcome", choices=OUTCOMES, default=None,
                        help="with answered (optional) or closed (required)")
    parser.add_argument("--id", default=None, help="the update's id (default: a new one); the same id is applied once")
    args = parser.parse_args(argv)
    client = PartnerClient(args.amqp_uri, args.partner, ca_file=args.ca_file)
    try:
        event = client.publish_status(args.subject, args.status, args.outcome, event_id=args.id)
    except InvalidStatus as exc:
        print(f"not sent: {exc}", file=sys.stderr)
        return 2
    except ChannelClosedByBroker as exc:
        print(f"refused by the broker: {exc.reply_code} {exc.reply_text}", file=sys.stderr)
        return 3
    except AMQPError as exc:
        print(f"not sent: {type(exc).__name__}", file=sys.stderr)
        return 1
    sys.stdout.write(json.dumps(event, separators=(",", ":")) + "\n")
    return 0


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "status":
        return status(argv[1:])
    if argv and argv[0] == "consume":
        argv = argv[1:]
    return consume(argv)


if __name__ == "__main__":
    sys.exit(main())
