"""In-process service tests: each test starts one service class in a nameko container (nameko's own testing tools)
on a vhost of its own and a SQLite file of its own, and drives its real entrypoints.

Run by `make test-service` in a pytest process of its own, with eventlet patched first (support/eventlet_first.py).
"""
import contextlib
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


class DeadLetters:
    """A service's dead-letter queue on the test's vhost, declared (with the sources' exchanges) before the service
    starts, so that a message it rejects lands there."""

    def __init__(self, amqp_uri, service, sources):
        self.service = service
        self.connection = pika.BlockingConnection(pika.URLParameters(amqp_uri))
        topology.declare_base(self.connection.channel(), tuple(sources) + (service,))

    def first(self, seconds=5.0):
        """The first dead-lettered message (its JSON body), waiting for the broker to move it; None if none."""
        channel = self.connection.channel()
        for _ in range(int(seconds * 10)):
            method, _properties, body = channel.basic_get(topology.dead_letter_queue(self.service), auto_ack=True)
            if method is not None:
                return json.loads(body)
            eventlet.sleep(0.1)
        return None


@pytest.fixture()
def dead_letters(fresh_amqp_uri):
    """dead_letters(service, sources) -> DeadLetters; call it before starting the service."""
    opened = []

    def watch(service, sources):
        opened.append(DeadLetters(fresh_amqp_uri, service, sources))
        return opened[-1]
    yield watch
    for queue in opened:
        queue.connection.close()


@contextlib.contextmanager
def _runs(container, entrypoint, times, timeout=10):
    failed = []

    def settled(worker_ctx, result, exc_info):
        failed.append(exc_info is not None)
        return len(failed) == times
    with entrypoint_waiter(container, entrypoint, callback=settled, timeout=timeout):
        yield failed


@pytest.fixture()
def entrypoint_runs():
    """`with entrypoint_runs(container, entrypoint, times) as failed:` waits until the entrypoint has run `times`
    times (a retried event runs once per delivery); `failed` says, run by run, whether it raised."""
    return _runs
