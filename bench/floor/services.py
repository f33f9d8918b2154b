"""The floor's nameko services: `python bench/floor/services.py intake|consumer` (env: AMQP_URI,
FLOOR_DATABASE_URL, WEB_SERVER_ADDRESS for intake); the same-topology floor's `shaped-intake` and one per other
service of store.TOPOLOGY (`floor_routing`, `floor_analytics`, ...). Bare nameko: no logging set-up, no security
headers, no ops port; eventlet and psycopg configured as the platform's runner does (libs/kit/runner.py)."""
import os
import warnings

os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")  # psycopg's C wait would block the eventlet hub
os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()

import json  # noqa: E402
import secrets  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import uuid  # noqa: E402
from datetime import datetime, timezone  # noqa: E402

from nameko.events import EventHandler  # noqa: E402
from nameko.extensions import DependencyProvider  # noqa: E402
from nameko.runners import ServiceRunner  # noqa: E402
from nameko.web.handlers import http  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.dialects.postgresql import insert  # noqa: E402
from werkzeug.wrappers import Response  # noqa: E402

import store  # noqa: E402


class Store(DependencyProvider):
    """The engine, with the tables created at start."""

    def setup(self):
        self.engine = store.engine()
        store.metadata.create_all(self.engine)

    def stop(self):
        self.engine.dispose()

    def get_dependency(self, worker_ctx):
        return self.engine


class QuorumEventHandler(EventHandler):
    """nameko's event handler on a quorum queue, requeueing a message whose handler failed (the broker's
    delivery limit bounds the retries): the platform's handler queue without its dead-letter bookkeeping."""

    def __init__(self, source_service, event_type, **kwargs):
        super().__init__(source_service, event_type, requeue_on_error=True, **kwargs)

    def setup(self):
        super().setup()
        self.queue.queue_arguments = dict(store.QUORUM)


def queue_events(conn, outbox, rows):
    """The outbox rows ((exchange, routing key, event), ...) in one INSERT and the relay's wake-up, inside the
    caller's transaction, as the platform writes a transaction's rows. One row is a plain single-row INSERT (a
    one-element multi-row VALUES would compile anew on every call)."""
    values = [{"exchange": exchange, "routing_key": key, "body": json.dumps(event, separators=(",", ":"))}
              for exchange, key, event in rows]
    conn.execute(outbox.insert().values(**values[0]) if len(values) == 1 else outbox.insert().values(values))
    conn.execute(select(func.pg_notify(store.wake_channel(outbox), "")))


def new_event(event_type, reference, now):
    return {"id": str(uuid.uuid4()), "type": event_type, "time": now.isoformat(), "data": {"reference": reference}}


def store_complaint(engine, request, event_types):
    """The complaint row and one outbox row per event type on intake's exchange, one transaction → 201."""
    now = datetime.now(timezone.utc)
    reference = "VP-" + secrets.token_hex(5).upper()
    with engine.begin() as conn:
        conn.execute(store.complaints.insert().values(reference=reference, body=request.get_data(as_text=True),
                                                      received_at=now))
        queue_events(conn, store.intake_outbox, [(store.EVENT_EXCHANGE, event_type,
                                                  new_event(event_type, reference, now))
                                                 for event_type in event_types])
    return Response(json.dumps({"reference": reference}), status=201, mimetype="application/json")


class FloorIntake:
    name = store.INTAKE
    db = Store()

    @http("POST", "/api/v1/complaints")
    def file_complaint(self, request):
        return store_complaint(self.db, request, (store.EVENT_TYPE,))


class FloorConsumer:
    name = store.CONSUMER
    db = Store()

    @QuorumEventHandler.decorator(store.INTAKE, store.EVENT_TYPE)
    def on_complaint_received(self, event):
        now = datetime.now(timezone.utc)
        reference = event["data"]["reference"]
        with self.db.begin() as conn:
            claimed = conn.execute(insert(store.inbox).values(event_id=event["id"], processed_at=now)
                                   .on_conflict_do_nothing().returning(store.inbox.c.event_id)).first()
            if claimed is None:
                return  # a redelivered event: done before, nothing to do
            conn.execute(store.effects.insert().values(reference=reference, received_at=now))
            referral = {"id": str(uuid.uuid4()), "type": "referral.created", "time": now.isoformat(),
                        "subject": reference}
            queue_events(conn, store.consumer_outbox,
                         [(store.PARTNER_EXCHANGE, store.PARTNER_ROUTING_KEY, referral)])


# -- the same-topology floor (FLOOR_TOPOLOGY=platform; information): the platform's seven consumed events ---------
def consume_once(engine, service, event, outbox_rows=None):
    """Inbox row (a redelivery does nothing), an effect row and the rows `outbox_rows(reference, now)` makes for
    routing's outbox, one transaction: what each of the platform's handlers guarantees, without its work."""
    now = datetime.now(timezone.utc)
    reference = event["data"]["reference"]
    with engine.begin() as conn:
        inbox = store.shaped_inbox[service]
        if conn.execute(insert(inbox).values(event_id=event["id"], processed_at=now)
                        .on_conflict_do_nothing().returning(inbox.c.event_id)).first() is None:
            return
        conn.execute(store.shaped_effects[service].insert().values(reference=reference, event_type=event["type"],
                                                                   received_at=now))
        if outbox_rows is not None:
            queue_events(conn, store.routing_outbox, outbox_rows(reference, now))


def plan_rows(reference, now):
    """Routing's two rows per complaint: referral.planned for four services, the referral for the partner."""
    referral = {"id": str(uuid.uuid4()), "type": "referral.created", "time": now.isoformat(), "subject": reference}
    return [(store.PLANNED_EXCHANGE, store.PLANNED_TYPE, new_event(store.PLANNED_TYPE, reference, now)),
            (store.PARTNER_EXCHANGE, store.PARTNER_ROUTING_KEY, referral)]


def shaped_service(service):
    """A bare nameko service consuming what store.TOPOLOGY names for it (routing also emits the plan's rows)."""
    attributes = {"name": service, "db": Store()}
    emits = plan_rows if service == store.ROUTING else None
    for source, event_type in store.TOPOLOGY[service]:
        def handler(self, event):
            consume_once(self.db, self.name, event, emits)
        method = "on_" + event_type.replace(".", "_")
        handler.__name__ = method
        attributes[method] = QuorumEventHandler.decorator(source, event_type)(handler)
    return type(service, (), attributes)


class ShapedFloorIntake(shaped_service(store.INTAKE)):
    """Intake of the same-topology floor: the complaint row and two outbox rows (complaint.received for routing
    and analytics, complaint.sealed for casework) per POST, and referral.planned consumed."""

    @http("POST", "/api/v1/complaints")
    def file_complaint(self, request):
        return store_complaint(self.db, request, (store.EVENT_TYPE, store.SEALED_TYPE))


def main(which):
    services = {"intake": FloorIntake, "consumer": FloorConsumer, "shaped-intake": ShapedFloorIntake}
    service = services[which] if which in services else shaped_service(which)
    config = {"AMQP_URI": os.environ["AMQP_URI"], "max_workers": 10, "serializer": "json", "HEARTBEAT": 30}
    if which in ("intake", "shaped-intake"):
        config["WEB_SERVER_ADDRESS"] = os.environ["WEB_SERVER_ADDRESS"]
    runner = ServiceRunner(config)
    runner.add_service(service)
    signal.signal(signal.SIGTERM, lambda *_: eventlet.spawn_n(runner.stop))
    runner.start()
    runner.wait()


if __name__ == "__main__":
    main(sys.argv[1])
