"""Databases for the migration tests: a fresh PostgreSQL database per test, or a fresh SQLite file."""
import secrets

import pytest

from libs.kit.db import make_engine
from support.resources import create_database, drop_database

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture()
def new_engine(tmp_path):
    """Makes empty databases of one backend on demand; disposes and drops them afterwards."""
    made = []

    def make(backend):
        if backend == "sqlite":
            engine = make_engine(f"sqlite:///{tmp_path / (secrets.token_hex(4) + '.db')}")
        else:
            name = f"vp_test_mig_{secrets.token_hex(5)}"
            create_database(name)
            engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
            engine.test_database = name
        made.append(engine)
        return engine
    yield make
    for engine in made:
        engine.dispose()
        if getattr(engine, "test_database", None):
            drop_database(engine.test_database)


@pytest.fixture(params=BACKENDS)
def backend(request):
    if request.param == "postgresql":
        request.applymarker(pytest.mark.postgres)
    return request.param


@pytest.fixture()
def engine(new_engine, backend):
    return new_engine(backend)
