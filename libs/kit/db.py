"""SQLAlchemy engines and the tables every service has: an outbox and an inbox.

Each service owns its own tables, prefixed with its name (`intake_outbox`, `routing_inbox`, ...); with the
SQLite default each service also has its own file. The tables are created and changed by each service's migrations
(libs/kit/migrations.py, services/<service>/migrations/): see docs/storage.md.
"""
import weakref

from sqlalchemy import (
    Column, Connection, DateTime, Index, Integer, MetaData, String, Table, Text, UniqueConstraint, create_engine, event,
    func, literal, select,
)


def make_engine(url):
    # hide_parameters: an SQL error's text never carries the values bound to the statement (a sealed item, a
    # reference); our logs drop exception texts anyway, this keeps them out of any other place an error may go
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # relay and service share the file
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()
        return engine
    # No pre-ping: it cost one more round trip per transaction (about 13 per complaint, make bench). A connection
    # that died with the server (restart, failover) fails its first statement instead; SQLAlchemy then discards
    # every connection of the pool that is older than the failure, the worker's error path applies (an event is
    # requeued without using up its attempts, a request answers 503 with Retry-After) and the next checkout connects
    # anew. The readiness probe's query usually meets the dead connection first. pool_recycle bounds how long a
    # connection lives, so one that an idle timeout in between cut is not kept for ever.
    return create_engine(url, pool_size=10, max_overflow=5, pool_pre_ping=False, pool_recycle=1800,
                         hide_parameters=True)


def lock_until_commit(session, scope: str, key: str) -> None:
    """Serialise transactions about one thing (a case) until this transaction ends: a PostgreSQL advisory
    transaction lock on `scope || key`. SQLite has one writer at a time anyway, so nothing to do there.

    For read-then-write steps that events arriving on different queues can run at the same moment; without it both
    read the old state and the later write wins. A lock this transaction already holds is not asked for again: the
    event path takes a handler's lock in the statement that claims the inbox row (consuming.py), and the handler's
    own call then costs no round trip."""
    if session.get_bind().dialect.name != "postgresql" or (scope + key) in held_locks(session):
        return
    session.execute(select(advisory_lock(scope + key)))
    held_locks(session).add(scope + key)


def serialised(scope: str, key_of):
    """Mark an event handler that serialises per thing with `lock_until_commit(session, scope, key)`:
    `key_of(event, settings)` gives the key. The event wiring (consuming.consumes) then takes that lock with the
    inbox claim, and the handler's own call finds it held. The handler must still call lock_until_commit itself:
    it stays correct when called outside the event path (a replay, a test)."""
    def mark(handler):
        handler.serialised_by = (scope, key_of)
        return handler
    return mark


def advisory_lock(scope_and_key):
    """The expression that takes the lock on `scope || key` (a string, or a bound parameter for a statement built
    once): for a statement of its own or inside another (the inbox claim)."""
    return func.pg_advisory_xact_lock(func.hashtextextended(scope_and_key, 0))


def per_transaction(session_or_connection, name: str, start):
    """A value that lives as long as the current transaction (`start()` makes it for a new one): what was already
    done in it (a lock taken, outbox rows waiting). A weak reference to the transaction, so a later transaction that
    reuses the address is not mistaken for this one."""
    value = in_this_transaction(session_or_connection, name)
    if value is None:
        value = start()
        transaction = session_or_connection.get_transaction()
        if transaction is not None:  # none yet: nothing to remember it by (the caller's statement will begin one)
            session_or_connection.info[name] = (weakref.ref(transaction), value)
    return value


def in_this_transaction(session_or_connection, name: str):
    """What `per_transaction` holds under `name` for the current transaction, or None; makes nothing (a cheap look
    for hooks that run before every statement)."""
    remembered = session_or_connection.info.get(name)
    transaction = session_or_connection.get_transaction()
    if remembered is None or transaction is None or remembered[0]() is not transaction:
        return None
    return remembered[1]


def held_locks(session) -> set:
    """The advisory locks (scope + key) the session's current transaction holds."""
    return per_transaction(session, "voorportaal_locks", set)


# A FROM of exactly one row: outer-joined to a table, a statement answers with that table's row (or NULLs) beside
# other answers, e.g. whether the case has a tombstone (casework's and analytics' event handlers)
ONE_ROW = select(literal(1).label("one")).subquery()


def insert_for(session, table):
    """The dialect's INSERT for `table` (PostgreSQL or SQLite): both have ON CONFLICT, the generic one has not."""
    from sqlalchemy.dialects.postgresql import insert as postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert
    return (postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert)(table)


def upsert(session, table, key: dict, values: dict) -> None:
    """Insert the row, or update `values` where a row with `key` (the primary key's columns) exists: one statement
    (ON CONFLICT DO UPDATE, PostgreSQL and SQLite) where UPDATE-then-INSERT took two for every new row."""
    session.execute(insert_for(session, table).values(**key, **values)
                    .on_conflict_do_update(index_elements=list(key), set_=values))


class Prebuilt:
    """A statement SQLAlchemy cannot cache — a data-modifying WITH, a multi-row VALUES — is compiled anew on every
    execution: in py-spy that was half the cost of the inbox claim and of the outbox INSERT, on every event (issue
    21). On PostgreSQL this compiles it once and runs it as the driver's SQL; elsewhere it runs as usual. Its bound
    values must be what the driver takes as they are (strings, numbers, datetimes), as no SQLAlchemy type
    processing applies."""

    def __init__(self, statement):
        self.statement = statement
        self.compiled = None

    def execute(self, session_or_connection, params: dict):
        connection = session_or_connection if isinstance(session_or_connection, Connection) \
            else session_or_connection.connection()
        if connection.dialect.name != "postgresql":
            return connection.execute(self.statement, params)
        if self.compiled is None:
            self.compiled = self.statement.compile(dialect=connection.dialect)
        return connection.exec_driver_sql(self.compiled.string, self.compiled.construct_params(params))


def make_session_factory(engine):
    # imported here: the relays use Core only, and the ORM would add megabytes to their process
    from sqlalchemy.orm import sessionmaker
    return sessionmaker(bind=engine, expire_on_commit=False)


def outbox_table(metadata: MetaData, service: str) -> Table:
    return Table(
        f"{service}_outbox", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("exchange", String(128), nullable=False),
        Column("routing_key", String(255), nullable=False),
        Column("content_type", String(64), nullable=False),
        Column("body", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("published_at", DateTime(timezone=True), nullable=True),
        Column("next_attempt_at", DateTime(timezone=True), nullable=False),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", String(32), nullable=True),
        Index(f"ix_{service}_outbox_pending", "published_at", "next_attempt_at"),
    )


def inbox_table(metadata: MetaData, service: str) -> Table:
    return Table(
        f"{service}_inbox", metadata,
        Column("event_id", String(64), primary_key=True),
        Column("handler", String(64), primary_key=True),
        Column("processed_at", DateTime(timezone=True), nullable=False),
        UniqueConstraint("event_id", "handler", name=f"uq_{service}_inbox_event_handler"),
    )
