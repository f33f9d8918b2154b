"""Regression (found by `make chaos`, scenario 1): a PostgreSQL restart made every outbox relay process exit.

`run_forever` caught only broker errors; the database's OperationalError escaped, the relay died, and with it
all publishing of that service: 194 accepted complaints waited in the outboxes for good. Now a database outage
is waited out with back-off and the rows go out once the database is back.
"""
from sqlalchemy import MetaData
from sqlalchemy.exc import OperationalError

from libs.kit import metrics
from libs.kit.db import make_engine, outbox_table
from libs.kit.relay import OutboxRelay


def test_relay_waits_out_a_database_outage_and_keeps_running(tmp_path):
    relay = OutboxRelay("outagetest", make_engine(f"sqlite:///{tmp_path / 'outbox.db'}"), "amqp://unused")
    relay.outbox.create(relay.engine)  # the service's migrations make it; the relay waits for it otherwise
    relay.stopping.wait = lambda _seconds=None: False  # no real back-off sleeps in the test
    calls = []

    def publish_batch():
        calls.append(1)
        if len(calls) <= 2:
            raise OperationalError("SELECT ...", {}, Exception("connection to server failed: Connection refused"))
        relay.stop()  # the database is back: one good batch, then the test ends the loop
        return 0
    relay.publish_batch = publish_batch
    relay.refresh_gauges = lambda: None
    failures = metrics.OUTBOX_FAILURES.labels("outagetest", "database")
    before = failures._value.get()
    relay.run_forever()  # before the fix: OperationalError propagated out of run_forever (the process exited)
    assert len(calls) == 3
    assert failures._value.get() - before == 2
