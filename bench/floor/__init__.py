"""The floor: a minimal pipeline of the platform's shape, with its delivery guarantees and nothing else.

    POST → floor_intake (nameko @http): one transaction = the complaint row + an outbox row (+ NOTIFY) → 201
         → relay (pika: confirms, persistent, mandatory; the row is deleted once confirmed)
         → floor_consumer (nameko event handler, quorum queue, requeue on error): one transaction = inbox row
           (ON CONFLICT DO NOTHING: a redelivery is a no-op) + an effect row + an outbox row (+ NOTIFY)
         → relay → the partner's quorum queue → the partner (bench/floor/partner.py)

No validation, encryption, rules, read models, metrics, logs or timers: what is left is the cost of the
guarantees (durable 201, at-least-once hops, exactly-once effects) with the platform's own libraries (nameko,
SQLAlchemy + psycopg 3, pika) on the same broker and database. `make bench` measures it next to the platform;
the ratio platform/floor is the price of everything else.

The same-topology floor (`FLOOR_TOPOLOGY=platform`, information): the same bare pieces with the platform's seven
consumed events per complaint (store.TOPOLOGY): intake relays complaint.received and complaint.sealed, a bare
routing consumes the first and relays referral.planned and the partner's referral, and bare analytics, casework,
notification and intake consume what their platform namesakes consume.

Files: store.py (tables, engine, the shared names), services.py (the two nameko services), relay.py (both
outboxes, one thread each, one process), pipeline.py (start/stop the three processes), partner.py (the partner).
"""
