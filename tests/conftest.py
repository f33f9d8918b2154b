"""Shared fixtures: an isolated RabbitMQ vhost and PostgreSQL database per test run, removed afterwards."""
import os
import secrets

import pytest

from support.resources import create_database, create_vhost, drop_database, delete_vhost

RUN_ID = secrets.token_hex(4)


@pytest.fixture(scope="session")
def amqp_vhost():
    name = f"vp_test_{RUN_ID}"
    create_vhost(name)
    yield name
    delete_vhost(name)


@pytest.fixture(scope="session")
def amqp_uri(amqp_vhost):
    return f"amqp://guest:guest@127.0.0.1:5672/{amqp_vhost}"


@pytest.fixture(scope="session")
def pg_url():
    name = f"vp_test_{RUN_ID}"
    create_database(name)
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    drop_database(name)


@pytest.fixture(autouse=True, scope="session")
def _isolated_var_dir(tmp_path_factory):
    """Generated dev secrets and SQLite files of the tests never land in the repo's var/."""
    os.environ["VOORPORTAAL_VAR_DIR"] = str(tmp_path_factory.mktemp("var"))
