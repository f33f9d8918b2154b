"""Fixtures of the notification tests."""
import pytest

from libs.kit.db import make_engine, make_session_factory
from services.notification.tables import metadata


@pytest.fixture()
def sessions(tmp_path):
    """Notification's tables in a SQLite file of the test's own (a module may define its own `sessions`)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'notification.db'}")
    metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()
