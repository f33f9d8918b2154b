"""Wake the outbox relay when a transaction with outbox rows commits, instead of letting it find them on its
next poll (PostgreSQL LISTEN/NOTIFY).

Why: every event crosses two relays on its way from the 201 to a partner (intake's, then routing's). Polling
every 20 ms added about 10 ms per hop on average and cost ~200 idle queries a second across four relays; a
NOTIFY sent in the writing transaction is delivered at commit (and never for a rollback), so the relay publishes
at once and otherwise sleeps. The notification is only a hint: the relay still polls every `fallback_poll`
seconds, which also picks up rows whose retry back-off has passed and covers a lost listening connection. On
SQLite (the zero-setup default) there is no NOTIFY and the relay polls as before.
"""
import threading

PREFIX = "voorportaal_"


def wake_channel(outbox_table_name: str) -> str:
    return PREFIX + outbox_table_name  # e.g. voorportaal_intake_outbox: well under PostgreSQL's 63 characters


def wakeup_needed(session_or_connection) -> bool:
    """PostgreSQL has NOTIFY; on SQLite the relay polls. The outbox's INSERT asks for the wake-up (outbox.py):
    notifications of one transaction on one channel are folded into one, so many rows cost one wake-up."""
    dialect = getattr(session_or_connection, "dialect", None) or session_or_connection.get_bind().dialect
    return dialect.name == "postgresql"


class RelayWakeup:
    """`wait(seconds)` returns when the outbox's NOTIFY arrives, when `stopping` is set, or after `seconds`."""

    def __init__(self, engine, outbox_table_name: str, stopping: threading.Event):
        self.listening = engine.dialect.name == "postgresql"
        # a libpq URI for psycopg itself: the listening connection stays outside SQLAlchemy's pool
        self.conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.channel = wake_channel(outbox_table_name)
        self.stopping = stopping
        self.connection = None

    def wait(self, seconds: float) -> None:
        if not self.listening or self.stopping.is_set():
            self.stopping.wait(seconds)
            return
        import psycopg  # only PostgreSQL installations need it here
        try:
            if self.connection is None:
                self.connection = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5)
                self.connection.execute(f'LISTEN "{self.channel}"')
                return  # rows may have committed before LISTEN: look once before sleeping
            for _ in self.connection.notifies(timeout=seconds, stop_after=1):
                pass
        except psycopg.Error:
            # the database is away: fall back to sleeping; the relay's own queries report the outage
            self.close()
            self.stopping.wait(seconds)

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # noqa: BLE001 - closing a broken connection must not raise
                pass
            self.connection = None
