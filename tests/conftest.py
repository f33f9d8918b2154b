"""Shared fixtures, one per resource, for every tier (tests/unit, tests/integration, tests/service, tests/e2e):
an isolated RabbitMQ vhost and PostgreSQL database per test run, removed afterwards, a real SMTP server, and the
whole platform as separate processes (`platform`), started once per session. The platform has a database of its own: its relays and timers would otherwise act on the rows
that database tests write (they published a test's outbox rows and fired its clocks at today's date)."""
import os
import secrets

import pytest

from devtools.local_platform import LocalPlatform
from libs.kit.config import SERVICES
from support.platform import free_port, start_smtp_server
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
    notification_port = free_port()  # the mediator's signed links (notification's own HTTP address)
    webhook_port = free_port()  # a webhook receiver a test starts (test_e2e_notification.py)
    env = {
        "AMQP_URI": amqp_uri, "DATABASE_URL": pg_url,
        "VOORPORTAAL_VAR_DIR": str(tmp_path_factory.mktemp("platform-var")),
        "WEB_SERVER_ADDRESS": f"127.0.0.1:{web_port}", "PUBLIC_BASE_URL": f"http://127.0.0.1:{web_port}",
        "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(controller.port),
        "NOTIFICATION_WEB_ADDRESS": f"127.0.0.1:{notification_port}",
        "NOTIFICATION_BASE_URL": f"http://127.0.0.1:{notification_port}",
        "NOTIFICATION_WEBHOOK_SECRET": "5e" * 32,
        "NOTIFICATION_WEBHOOK_ALLOWLIST": f"http://127.0.0.1:{webhook_port}/hooks",
        "NOTIFICATION_COORDINATOR_EMAIL": "coordinator@voorportaal.test",
        "DECLARE_PARTNER_QUEUES": "true",
        "PARTNER_UPDATES_LOCAL_USER": "guest",  # the platform runs as guest; partners' own users: tests/integration/deploy
        "ANALYTICS_WEB_ADDRESS": f"127.0.0.1:{free_port()}", "ANALYTICS_REPORT_TOKEN": "ab" * 16,
        # the suites file complaints in bursts from one address; the limiter has its own tests
        "INTAKE_RATE_PER_CLIENT": "2000", "INTAKE_BURST_PER_CLIENT": "4000", "INTAKE_RATE_GLOBAL": "4000",
        "INTAKE_BURST_GLOBAL": "8000", "EVENT_MAX_ATTEMPTS": "3", "LOG_LEVEL": "INFO",
    }
    env["CASEWORK_WEB_ADDRESS"] = f"127.0.0.1:{free_port()}"  # the desk's workspace (its own address)
    for service in SERVICES:
        env[f"{service.upper()}_METRICS_PORT"] = str(free_port())
        env[f"{service.upper()}_RELAY_METRICS_PORT"] = str(free_port())
    log_dir = tmp_path_factory.mktemp("platform-logs")
    running = LocalPlatform(env=env, log_dir=log_dir).start()
    running.base_url = f"http://127.0.0.1:{web_port}"
    running.log_dir = log_dir
    running.pg_url = pg_url
    yield running
    running.stop()
