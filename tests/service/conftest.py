"""In-process service tests: each test starts one service class in a nameko container (nameko's own testing tools)
on a vhost of its own and a SQLite file of its own, and drives its real entrypoints.

Run by `make test-service` in a pytest process of its own, with eventlet patched first (support/eventlet_first.py).
"""
import json

import eventlet
import pika
import pytest
from nameko.standalone.events import event_dispatcher
from nameko.testing.services import entrypoint_waiter

from libs.kit import config as kit_config
from libs.kit import topology
from libs.kit.db import make_engine, make_session_factory
from support.platform import free_port


@pytest.fixture()
def service_env(monkeypatch, tmp_path):
    """Point a service at a SQLite file and a free ops port of the test's own; returns the database URL."""
    def configure(service):
        url = f"sqlite:///{tmp_path / (service + '.db')}"
        monkeypatch.setenv(f"{service.upper()}_DATABASE_URL", url)
        monkeypatch.setenv(f"{service.upper()}_METRICS_PORT", str(free_port()))
        return url
    return configure


@pytest.fixture()
def start_service(container_factory, fresh_amqp_uri, service_env):
    """start_service(ServiceClass, config_function) -> (container, session factory on its database)."""
    engines = []

    def start(service_cls, make_config, **extra):
        url = service_env(service_cls.name)
        config = dict(make_config(), AMQP_URI=fresh_amqp_uri, **extra)
        container = container_factory(service_cls, config)
        container.start()
        engine = make_engine(kit_config.database_url(service_cls.name) if url is None else url)
        engines.append(engine)
        return container, make_session_factory(engine)
    yield start
    for engine in engines:
        engine.dispose()


@pytest.fixture()
def dispatch(fresh_amqp_uri):
    """dispatch(source_service, event_type, envelope): publish an event as the source service would."""
    return event_dispatcher({"AMQP_URI": fresh_amqp_uri, "serializer": "json"})


@pytest.fixture()
def dead_letter_of(fresh_amqp_uri, dispatch, monkeypatch):
    """dead_letter_of(start, source, event_type, envelope, entrypoint), `start()` starting the container: sends a
    bad event, waits until it failed EVENT_MAX_ATTEMPTS (2) times, returns (the dead-lettered message or None,
    the session factory)."""
    def send(start, source, event_type, envelope, entrypoint):
        monkeypatch.setenv("EVENT_MAX_ATTEMPTS", "2")
        connection = pika.BlockingConnection(pika.URLParameters(fresh_amqp_uri))
        try:
            topology.declare_base(connection.channel(), tuple(kit_config.DEFAULT_OPS_PORTS))
            container, sessions = start()
            failures = []

            def settled(_worker_ctx, _result, exc_info):
                failures.append(exc_info is not None)
                return len(failures) == 2
            with entrypoint_waiter(container, entrypoint, callback=settled, timeout=10):
                dispatch(source, event_type, envelope)
            assert failures == [True, True], "the bad event was not refused twice"
            for _ in range(50):
                method, _properties, body = connection.channel().basic_get(
                    topology.dead_letter_queue(container.service_name), auto_ack=True)
                if method is not None:
                    return json.loads(body), sessions
                eventlet.sleep(0.1)  # the broker moves the rejected message to the dead letters
            return None, sessions
        finally:
            connection.close()
    return send
