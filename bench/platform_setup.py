"""The platform as the benchmark runs it: LocalPlatform (five services, each with its outbox relay inside, as
`make run` runs them) on the bench's private broker and cluster, each service and each relay logging in to
PostgreSQL as its own role (`intake`, `intake_relay`, ...; application_name the same) so pg_stat_statements splits
the statements by service."""
import secrets

from devtools.local_platform import LocalPlatform
from libs.kit.config import SERVICES
from infra import free_port


def roles():
    return [*SERVICES, *(f"{service}_relay" for service in SERVICES)]


def platform_env(amqp, postgres, database, var_dir, web, secret):
    env = {"AMQP_URI": amqp, "DATABASE_URL": postgres.libpq_url(database),
           "VOORPORTAAL_VAR_DIR": str(var_dir), "WEB_SERVER_ADDRESS": f"127.0.0.1:{web}",
           "PUBLIC_BASE_URL": f"http://127.0.0.1:{web}",
           "DECLARE_PARTNER_QUEUES": "true", "LOG_LEVEL": "WARNING", "PARTNER_SECRET": secret.hex(),
           "INTAKE_RATE_PER_CLIENT": "100000", "INTAKE_BURST_PER_CLIENT": "100000",
           "INTAKE_RATE_GLOBAL": "100000", "INTAKE_BURST_GLOBAL": "100000", "SMTP_PORT": str(free_port()),
           "NOTIFICATION_WEB_ADDRESS": f"127.0.0.1:{free_port()}", "ANALYTICS_WEB_ADDRESS": f"127.0.0.1:{free_port()}",
           "CASEWORK_WEB_ADDRESS": f"127.0.0.1:{free_port()}",
           # the demo case handler and coordinator bench/workspace.py signs in as (their secrets in var_dir)
           "CASEWORK_DEMO_ACCOUNTS": "true"}
    for service in SERVICES:
        env[f"{service.upper()}_METRICS_PORT"] = str(free_port())
        env[f"{service.upper()}_RELAY_METRICS_PORT"] = str(free_port())
        env[f"{service.upper()}_DATABASE_URL"] = postgres.libpq_url(database, service, service)
        env[f"{service.upper()}_RELAY_DATABASE_URL"] = postgres.libpq_url(database, f"{service}_relay",
                                                                          f"{service}_relay")
    return env


def start_platform(infra, vhost, database, var_dir):
    """(running LocalPlatform, web port, partner secret); the vhost and database must exist."""
    web, secret = free_port(), secrets.token_bytes(32)
    env = platform_env(infra.rabbit.uri(vhost), infra.postgres, database, var_dir, web, secret)
    running = LocalPlatform(env=env, log_dir=var_dir / "logs", relays="in-service")
    running.start()
    return running, web, secret
