"""Configuration from environment variables, validated once at start-up.

Every variable, its default and its meaning is listed in README.md ("Configuration"). A bad value stops the
process with a message naming the variable, never with a traceback that might print secrets.
"""
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("VOORPORTAAL_VAR_DIR", REPO_ROOT / "var"))

DEFAULT_OPS_PORTS = {"intake": 9101, "routing": 9102, "notification": 9103, "analytics": 9104, "casework": 9105}
DEFAULT_RELAY_PORTS = {"intake": 9111, "routing": 9112, "notification": 9113, "analytics": 9114, "casework": 9115}
# the services `make run` starts and the relay declares exchanges for
SERVICES = tuple(DEFAULT_OPS_PORTS)


class ConfigError(Exception):
    """A configuration value is missing or malformed."""


def env(name, default=None):
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_int(name, default):
    raw = env(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer") from None


def env_bool(name, default=False):
    raw = env(name)
    if raw is None:
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false")


def amqp_uri():
    return env("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/%2F")


def database_url(service):
    """Per-service override first (INTAKE_DATABASE_URL), then DATABASE_URL, then a SQLite file per service."""
    url = env(f"{service.upper()}_DATABASE_URL") or env("DATABASE_URL")
    if url is None:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{VAR_DIR / (service + '.db')}"
    return database_url_from(url)


def database_url_from(url):
    """A configured database URL, checked, with the driver our services use."""
    if not url.startswith(("postgresql", "sqlite")):
        raise ConfigError("DATABASE_URL must be a postgresql:// or sqlite:// URL")
    if url.startswith("postgresql://"):
        # psycopg 3 cooperates with eventlet's monkey-patching; psycopg2 would block the whole process
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def ops_port(service):
    return env_int(f"{service.upper()}_METRICS_PORT", DEFAULT_OPS_PORTS[service])


def relay_port(service):
    return env_int(f"{service.upper()}_RELAY_METRICS_PORT", DEFAULT_RELAY_PORTS[service])


def nameko_config(service, **extra):
    """The dict nameko's ServiceRunner takes."""
    config = {
        "AMQP_URI": amqp_uri(),
        "max_workers": env_int("MAX_WORKERS", 10),
        "serializer": "json",
        "HEARTBEAT": 30,
        "SERVICE_NAME": service,
    }
    from libs.kit.amqp_tls import nameko_ssl  # here, not at the top: amqp_tls imports this module
    tls = nameko_ssl(config["AMQP_URI"])
    if tls is not None:
        config["AMQP_SSL"] = tls
    config.update(extra)
    return config
