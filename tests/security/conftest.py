"""Fixtures of the security suite (the platform itself comes from tests/conftest.py)."""
import pytest
from sqlalchemy import create_engine

from services.common.db import make_session_factory
from services.notification import registry
from services.notification.mediators import Mediator

# the demo mediators fill up over a full session (capacity 10), and a security test needs a mediator e-mail
# whatever ran before it: its complaints ask in Spanish for Rotterdam, which only this mediator covers
SECURITY_MEDIATOR = Mediator("med-security-es", "Security suite mediator", "es.mediator@voorportaal.test", ("es",),
                             capacity=1000)


@pytest.fixture(scope="session")
def security_mediator(platform):
    engine = create_engine(platform.pg_url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        registry.upsert(session, SECURITY_MEDIATOR)
        session.commit()
    yield SECURITY_MEDIATOR
    with sessions() as session:
        registry.set_active(session, SECURITY_MEDIATOR.id, False)
    engine.dispose()
