"""Fixtures of the security suite (the platform itself comes from tests/conftest.py)."""
import pytest

from services.notification.domain.mediators import Mediator
from support.mediators import registered_mediator

# the demo mediators fill up over a full session (capacity 10), and a security test needs a mediator e-mail
# whatever ran before it: its complaints ask in Spanish for Rotterdam, which only this mediator covers
SECURITY_MEDIATOR = Mediator("med-security-es", "Security suite mediator", "es.mediator@voorportaal.test", ("es",),
                             capacity=1000)


@pytest.fixture(scope="session")
def security_mediator(platform):
    with registered_mediator(platform.pg_url, SECURITY_MEDIATOR) as mediator:
        yield mediator
