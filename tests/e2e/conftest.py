import pytest

from services.local_platform import LocalPlatform
from support.platform import free_port, start_smtp_server


@pytest.fixture(scope="session")
def smtp(request):
    controller, handler = start_smtp_server()
    yield controller, handler
    controller.stop()


@pytest.fixture(scope="session")
def platform(amqp_uri, pg_url, smtp, tmp_path_factory):
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
        "PARTNER_IDS": "kifid,nationale-ombudsman",
        "ANALYTICS_WEB_ADDRESS": f"127.0.0.1:{free_port()}", "ANALYTICS_REPORT_TOKEN": "ab" * 16,
        # the suites file complaints in bursts from one address; the limiter has its own tests
        "INTAKE_RATE_PER_CLIENT": "2000", "INTAKE_BURST_PER_CLIENT": "4000", "INTAKE_RATE_GLOBAL": "4000",
        "INTAKE_BURST_GLOBAL": "8000", "EVENT_MAX_ATTEMPTS": "3", "LOG_LEVEL": "INFO",
    }
    for service in ("intake", "routing", "notification", "analytics"):
        env[f"{service.upper()}_METRICS_PORT"] = str(free_port())
        env[f"{service.upper()}_RELAY_METRICS_PORT"] = str(free_port())
    log_dir = tmp_path_factory.mktemp("platform-logs")
    running = LocalPlatform(env=env, log_dir=log_dir).start()
    running.base_url = f"http://127.0.0.1:{web_port}"
    running.log_dir = log_dir
    running.pg_url = pg_url
    yield running
    running.stop()
