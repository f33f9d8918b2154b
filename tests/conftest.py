"""Shared fixtures, one per resource, for every tier (tests/unit, tests/integration, tests/service, tests/e2e):
an isolated RabbitMQ vhost and PostgreSQL database per test run, removed afterwards, a real SMTP server, and the
whole platform as separate processes (`platform`), started once per session. The platform has a database of its own: its relays and timers would otherwise act on the rows
that database tests write (they published a test's outbox rows and fired its clocks at today's date)."""
import os
import secrets

import pytest

from devtools.local_platform import LocalPlatform
from support.platform import free_port, platform_env, start_smtp_server
from support.resources import create_database, create_vhost, drop_database, delete_vhost

RUN_ID = secrets.token_hex(4)

# the deployment files' fixtures (paths, strict YAML, the metrics contract, promtool) for unit and integration tests
pytest_plugins = ["support.deploy_fixtures"]


@pytest.fixture(scope="session")
def amqp_vhost():
    name = f"vp_test_{RUN_ID}"
    create_vhost(name)
    yield name
    delete_vhost(name)


@pytest.fixture(scope="session")
def amqp_uri(amqp_vhost):
    return f"amqp://guest:guest@127.0.0.1:5672/{amqp_vhost}"


@pytest.fixture()
def fresh_amqp_uri():
    """A vhost of the test's own, deleted afterwards: two containers of one service on one vhost would compete
    for one queue (tests/service)."""
    name = f"vp_test_{RUN_ID}_{secrets.token_hex(3)}"
    create_vhost(name)
    yield f"amqp://guest:guest@127.0.0.1:5672/{name}"
    delete_vhost(name)


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

@pytest.fixture(scope="session")
def smtp(request):
    controller, handler = start_smtp_server()
    yield controller, handler
    controller.stop()


@pytest.fixture(scope="session")
def platform_pg_url():
    name = f"vp_test_{RUN_ID}_platform"
    create_database(name)
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    drop_database(name)


@pytest.fixture(scope="session")
def platform(amqp_uri, platform_pg_url, smtp, tmp_path_factory):
    pg_url = platform_pg_url
    controller, _handler = smtp
    web_port = free_port()
    env = platform_env(amqp_uri, pg_url, controller.port, tmp_path_factory.mktemp("platform-var"), web_port)
    log_dir = tmp_path_factory.mktemp("platform-logs")
    # the layout `make run` uses: each relay inside its service (test_e2e_traces runs the production layout)
    running = LocalPlatform(env=env, log_dir=log_dir, relays="in-service").start()
    running.base_url = f"http://127.0.0.1:{web_port}"
    running.log_dir = log_dir
    running.pg_url = pg_url
    yield running
    running.stop()
