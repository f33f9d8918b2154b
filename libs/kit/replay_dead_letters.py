"""Replay dead-lettered events after the cause is fixed: `python -m libs.kit.replay_dead_letters routing`.

Each message in `voorportaal.dead-letters.<service>` goes back to the exchange and routing key it was first
published with (from its `x-death` header), with confirms and `mandatory`; it is acked from the dead-letter queue
only after the broker confirmed the republish. Handlers are idempotent (inbox), so replaying an event that was
meanwhile processed has no second effect. `--dry-run` lists event ids and reasons, never message bodies.
"""
import argparse
import json
import sys

import pika
from pika.exceptions import NackError, UnroutableError

from libs.kit import config, topology
from libs.kit.amqp_tls import pika_parameters


def _origin(properties):
    deaths = (properties.headers or {}).get("x-death") or []
    if not deaths:
        return None
    first = deaths[-1]  # the oldest death: where the message was originally published
    keys = first.get("routing-keys") or []
    return first.get("exchange"), (keys[0] if keys else ""), first.get("reason")


def replay(amqp_uri, service, limit=None, dry_run=False, out=sys.stdout):
    connection = pika.BlockingConnection(pika_parameters(amqp_uri))
    channel = connection.channel()
    channel.confirm_delivery()
    queue = topology.dead_letter_queue(service)
    replayed = skipped = 0
    try:
        while limit is None or replayed + skipped < limit:
            method, properties, body = channel.basic_get(queue, auto_ack=False)
            if method is None:
                break
            origin = _origin(properties)
            event_id = properties.message_id or "?"
            # messages we do not replay stay unacked until the connection closes, then return to the queue;
            # nacking them now would hand us the same message again on the next basic_get
            if origin is None or not origin[0]:
                print(json.dumps({"event_id": event_id, "action": "skipped", "why": "no x-death origin"}), file=out)
                skipped += 1
                continue
            exchange, routing_key, reason = origin
            if dry_run:
                print(json.dumps({"event_id": event_id, "exchange": exchange, "routing_key": routing_key,
                                  "reason": reason, "action": "would replay"}), file=out)
                skipped += 1
                continue
            clean = pika.BasicProperties(content_type=properties.content_type, delivery_mode=2,
                                         message_id=properties.message_id)
            try:
                channel.basic_publish(exchange, routing_key, body, clean, mandatory=True)
            except (UnroutableError, NackError):
                print(json.dumps({"event_id": event_id, "action": "failed", "why": "not routable now"}), file=out)
                break
            channel.basic_ack(method.delivery_tag)
            print(json.dumps({"event_id": event_id, "exchange": exchange, "routing_key": routing_key,
                              "action": "replayed"}), file=out)
            replayed += 1
    finally:
        connection.close()
    return replayed


def main(argv=None):
    parser = argparse.ArgumentParser(description="Replay a service's dead-lettered events")
    parser.add_argument("service", choices=config.SERVICES)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--amqp-uri", default=None)
    args = parser.parse_args(argv)
    count = replay(args.amqp_uri or config.amqp_uri(), args.service, args.limit, args.dry_run)
    print(f"replayed {count} message(s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
