"""A mediator of a test's own in the running platform's registry, deactivated afterwards.

The demo mediators (capacity 10) fill up over a session's tests; a test that needs a mediator e-mail whatever ran
before it registers its own."""
from contextlib import contextmanager

from sqlalchemy import create_engine

from libs.kit.db import make_session_factory
from services.notification.use_cases import registry


@contextmanager
def registered_mediator(pg_url, mediator):
    engine = create_engine(pg_url)
    sessions = make_session_factory(engine)
    try:
        with sessions() as session:
            registry.upsert(session, mediator)
            session.commit()
        yield mediator
        with sessions() as session:
            registry.set_active(session, mediator.id, False)
    finally:
        engine.dispose()
