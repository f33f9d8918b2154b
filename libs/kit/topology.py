"""Names and arguments of every exchange and queue: the one place the broker layout is defined.

deploy/rabbitmq/definitions.json declares the same names for production; services and the relay declare what
they use (declaration is idempotent when the arguments match).
"""
import re

DEAD_LETTER_EXCHANGE = "voorportaal.dlx"
PARTNER_EXCHANGE = "voorportaal.referrals.v1"
PARTNER_PUBLISHER = "routing"  # the one service that may publish (and declare) the partner exchange
# partners answer back here: user `partner-<id>` may publish only with routing keys `partner.<id>.<status>` (a topic
# permission), and routing alone reads the one queue bound to it
PARTNER_UPDATES_EXCHANGE = "voorportaal.partner-updates.v1"
PARTNER_UPDATES_QUEUE = "routing.partner-updates"
# a safety net above our own retry count: a message that crashes consumers over and over is dead-lettered
BROKER_DELIVERY_LIMIT = 20
PARTNER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
SIGNAL_ROUTING_PREFIX = "signals."
SIGNALS_ANNOUNCED_QUEUE = "voorportaal.signals.announced"


def events_exchange(service):
    return f"{service}.events"


def dead_letter_queue(service):
    return f"voorportaal.dead-letters.{service}"


def handler_queue_arguments(service):
    return {
        "x-queue-type": "quorum",
        "x-dead-letter-exchange": DEAD_LETTER_EXCHANGE,
        "x-dead-letter-routing-key": service,
        "x-delivery-limit": BROKER_DELIVERY_LIMIT,
    }


def partner_queue(partner_id):
    if not PARTNER_ID.match(partner_id):
        raise ValueError("partner ids are lowercase letters, digits and dashes")
    return f"partner.{partner_id}.referrals"


def partner_routing_key(partner_id, action):
    if action not in ("created", "updated", "withdrawn"):
        raise ValueError("action must be created, updated or withdrawn")
    return f"referral.{partner_id}.{action}"


def partner_update_routing_key(partner_id, status):
    """`partner.<partner-id>.<status>`: the only keys a partner's user may publish with (its topic permission)."""
    if not PARTNER_ID.match(partner_id):
        raise ValueError("partner ids are lowercase letters, digits and dashes")
    if not re.match(r"^[a-z_]{1,32}$", status):
        raise ValueError("a status is lowercase letters and underscores")
    return f"partner.{partner_id}.{status}"


def declare_partner_updates(channel):
    """The partner-updates exchange and routing's quorum queue on it (pika channel), with routing's dead-letter
    arguments. Production declares the same in the broker definitions; routing declares it at start everywhere
    (idempotent when the arguments match)."""
    channel.exchange_declare(PARTNER_UPDATES_EXCHANGE, exchange_type="topic", durable=True)
    channel.queue_declare(PARTNER_UPDATES_QUEUE, durable=True, arguments=handler_queue_arguments("routing"))
    channel.queue_bind(PARTNER_UPDATES_QUEUE, PARTNER_UPDATES_EXCHANGE, routing_key="partner.*.*")


def declare_base(channel, services):
    """Declare, for each of `services`, its exchange and its dead-letter queue (bound to the dead-letter exchange),
    with a pika channel; and the partner exchange when routing is among them. A relay declares only its own
    service's part: each service's broker user may configure nothing else (deploy/rabbitmq/definitions.json)."""
    for service in services:
        channel.exchange_declare(events_exchange(service), exchange_type="topic", durable=True)
    channel.exchange_declare(DEAD_LETTER_EXCHANGE, exchange_type="topic", durable=True)
    if PARTNER_PUBLISHER in services:
        channel.exchange_declare(PARTNER_EXCHANGE, exchange_type="topic", durable=True)
    for service in services:
        queue = dead_letter_queue(service)
        channel.queue_declare(queue, durable=True, arguments={"x-queue-type": "quorum"})
        channel.queue_bind(queue, DEAD_LETTER_EXCHANGE, routing_key=service)


def declare_partner_queues(channel, partner_ids):
    """Each partner's quorum queue, bound to its own referrals (pika channel). Production declares these in the
    broker definitions with per-partner users; local runs let routing declare them for its registered partners."""
    channel.exchange_declare(PARTNER_EXCHANGE, exchange_type="topic", durable=True)
    for partner_id in partner_ids:
        queue = partner_queue(partner_id)
        channel.queue_declare(queue, durable=True, arguments={"x-queue-type": "quorum"})
        channel.queue_bind(queue, PARTNER_EXCHANGE, routing_key=f"referral.{partner_id}.*")


def declare_signal_record(channel):
    """Local runs: the desk's record of signal report announcements, which makes every `signals.<sector>` routable
    (the relay publishes with `mandatory`); production declares it in deploy/rabbitmq/definitions.json."""
    channel.exchange_declare(PARTNER_EXCHANGE, exchange_type="topic", durable=True)
    # the same arguments as the definitions (a policy bounds its length there), so both declarations agree
    channel.queue_declare(SIGNALS_ANNOUNCED_QUEUE, durable=True, arguments={"x-queue-type": "quorum"})
    channel.queue_bind(SIGNALS_ANNOUNCED_QUEUE, PARTNER_EXCHANGE, routing_key=SIGNAL_ROUTING_PREFIX + "*")


def signal_queue(partner_id):
    """A subscribed partner's queue for the signal report, apart from its referrals (a referral client rejects
    other event types); bound once per subscribed sector in the broker definitions."""
    return partner_queue(partner_id).rsplit(".", 1)[0] + ".signals"


def signal_routing_key(sector):
    """`signals.<sector>`: the signal report's announcement for one sector on the partner exchange. Analytics may
    publish only these keys there (a topic permission), so it can never send a referral."""
    if not re.match(r"^[a-z_]{2,32}$", sector or ""):
        raise ValueError("a sector is a short lowercase name")
    return SIGNAL_ROUTING_PREFIX + sector
