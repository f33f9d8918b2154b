"""Fixtures of the chaos suites: one private RabbitMQ node and PostgreSQL cluster per run (private_infra.py),
a fresh vhost + database (+ platform) per scenario (chaos_support.py).

Not collected by `make test` (pyproject's norecursedirs has `chaos`); `make chaos` names the directory.
"""
import os

import pytest

from chaos_support import Scenario
from private_infra import PrivateInfra
from support.platform import start_smtp_server


@pytest.fixture(scope="session")
def infra():
    started = PrivateInfra()
    try:
        started.start()
    except Exception:
        started.close(keep=True)
        raise
    yield started
    started.close(keep=bool(os.environ.get("CHAOS_KEEP_DIR")))


@pytest.fixture(scope="session")
def smtp():
    controller, handler = start_smtp_server()
    yield controller, handler
    controller.stop()


@pytest.fixture
def scenario(infra, smtp, tmp_path, request):
    controller, _handler = smtp
    made = Scenario(infra, request.node.name.replace("test_", "")[:24], controller.port, tmp_path)
    yield made
    made.close()


