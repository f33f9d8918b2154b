"""Stopping a service: once, cleanly, also while it is still starting; and "ready" means consuming.

Ctrl-C under `make run` reaches every process of the terminal's group and LocalPlatform then sends SIGTERM too,
so a service gets two stop signals. nameko 2.14.1 also raised "re-send() an already-triggered event" when a
service with several event handlers was stopped before its queue consumer was up, and the stop then hung until
SIGKILL (libs/kit/nameko_fixes.py). Real service processes (analytics: HTTP, a timer, nine event handlers)
with a SQLite file of their own.
"""
import signal
import urllib.error
import urllib.request

import pytest
from nameko.messaging import QueueConsumer

from libs.kit import nameko_fixes
from devtools.local_platform import LocalPlatform
from support.platform import free_port, wait_for


@pytest.fixture()
def start_analytics(tmp_path):
    """start_analytics(amqp_uri) → a LocalPlatform running analytics alone; stopped after the test whatever
    happened (a failed assertion must not leave the process behind)."""
    started = []

    def start(amqp_uri):
        env = {"AMQP_URI": amqp_uri, "DATABASE_URL": f"sqlite:///{tmp_path / 'analytics.db'}",
               "VOORPORTAAL_VAR_DIR": str(tmp_path / "var"), "ANALYTICS_METRICS_PORT": str(free_port()),
               "ANALYTICS_WEB_ADDRESS": f"127.0.0.1:{free_port()}", "LOG_LEVEL": "INFO"}
        running = LocalPlatform(env=env, log_dir=tmp_path / "logs", services=("analytics",))
        started.append(running)
        running.start_service("analytics")
        return running
    yield start
    for running in started:
        running.stop()


def health(running, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{running.ops_port('analytics')}{path}", timeout=1) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def stop_and_read_log(running, tmp_path, *signals):
    process = running.processes["analytics"]
    for sig in signals:
        process.send_signal(sig)
    assert process.wait(timeout=20) == 0
    return (tmp_path / "logs" / "analytics.log").read_text(errors="replace")


@pytest.mark.broker
def test_sigint_then_sigterm_stops_once_without_tracebacks(amqp_uri, tmp_path, start_analytics):
    running = start_analytics(amqp_uri)
    running.wait_ready(["analytics"])
    log = stop_and_read_log(running, tmp_path, signal.SIGINT, signal.SIGTERM)  # Ctrl-C, then LocalPlatform
    assert "Traceback" not in log and "already-triggered" not in log, log[-3000:]


def test_a_service_whose_broker_is_away_is_live_not_ready_and_still_stops(tmp_path, start_analytics):
    """No broker: the database is fine but no handler consumes, so not ready (a relay must not publish into
    queues that may not exist yet); stopping it in that state used to hang."""
    running = start_analytics(f"amqp://guest:guest@127.0.0.1:{free_port()}/")
    wait_for(lambda: health(running, "/health/live") == 200, timeout=30, what="the ops port")
    assert health(running, "/health/ready") == 503
    log = stop_and_read_log(running, tmp_path, signal.SIGTERM)
    # nameko logs the consumer thread it killed (QueueConsumerStopped): expected; the re-send error is not
    assert "already-triggered" not in log, log[-3000:]


def test_the_fix_sends_the_last_provider_event_once_while_starting():
    consumer = QueueConsumer()
    nameko_fixes.install()
    for provider in ("handler-1", "handler-2", "handler-3"):
        consumer.unregister_provider(provider)  # the second raised AssertionError before the fix
    assert consumer._last_provider_unregistered.ready()
