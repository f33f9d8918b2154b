"""Intake's configuration, read once and validated at start (variables: README.md, "Configuration").

Keys: RECEIPT_KEY (the receipt hashes) and COMPLAINANT_MESSAGING_PUBLIC_KEY (notification's key for the address of
status messages). The public keys complaints are sealed for are not configuration: they are the desk's key
directory, which casework publishes and intake keeps (use_cases/key_directory.py). The helpers at the end read the
key files of the case handlers' tool for complaints filed before the workspace (`voorportaal-case`).
"""
import base64
import os
from dataclasses import dataclass
from functools import lru_cache

from nacl.public import PrivateKey

from libs.kit import config
from libs.kit.secrets_store import load_messaging_public_key, load_secret

SERVICE = "intake"


@dataclass(frozen=True)
class RateLimits:
    """Requests per second and burst, per client (a keyed hash of its address) and for the whole process."""
    per_client_rate: int
    per_client_burst: int
    global_rate: int
    global_burst: int


@dataclass(frozen=True)
class WebSettings:
    """What the HTTP layer needs on every request. Apart from the keys, so that it never needs them. (The public
    address, WEB_SERVER_ADDRESS, is nameko's: service.py's `config()` reads it.)"""
    rate_limits: RateLimits
    trust_proxy_headers: bool  # take the client address from X-Forwarded-For (only behind our own proxies)
    trusted_proxy_hops: int  # how many of our proxies append to X-Forwarded-For
    receipt_failures_per_client: int  # wrong receipts (any reference) one client may send in 15 minutes
    rate_limit_redis_url: str  # where the replicas share their request limits; empty: each process on its own
    rate_limit_redis_prefix: str  # the keys' prefix in that Redis
    public_base_url: str | None  # https://<host> (or a local run's http://127.0.0.1:8000): forms' origin, cookie


@dataclass(frozen=True)
class Settings:
    receipt_key: bytes  # key of the receipts' keyed hashes (and of idempotency keys)
    messaging_key: bytes | None  # notification's public key for complainant messages
    retention_days: int  # cases older than this are erased by the hourly purge
    web: WebSettings


@lru_cache(maxsize=1)
def load() -> Settings:
    return Settings(receipt_key=load_secret("RECEIPT_KEY"),
                    messaging_key=load_messaging_public_key(),
                    retention_days=config.env_int("INTAKE_RETENTION_DAYS", 730),
                    web=load_web())


@lru_cache(maxsize=1)
def load_web() -> WebSettings:
    return WebSettings(
        rate_limits=RateLimits(per_client_rate=config.env_int("INTAKE_RATE_PER_CLIENT", 10),
                               per_client_burst=config.env_int("INTAKE_BURST_PER_CLIENT", 40),
                               global_rate=config.env_int("INTAKE_RATE_GLOBAL", 300),
                               global_burst=config.env_int("INTAKE_BURST_GLOBAL", 600)),
        trust_proxy_headers=config.env_bool("TRUST_PROXY_HEADERS", False),
        trusted_proxy_hops=max(1, config.env_int("TRUSTED_PROXY_HOPS", 1)),
        receipt_failures_per_client=max(5, config.env_int("INTAKE_RECEIPT_FAILURES_PER_CLIENT", 20)),
        rate_limit_redis_url=config.env("RATE_LIMIT_REDIS_URL", "").strip(),
        rate_limit_redis_prefix=config.env("RATE_LIMIT_REDIS_PREFIX", "voorportaal:intake:rate:"),
        public_base_url=(config.env("PUBLIC_BASE_URL", "") or "").strip().rstrip("/") or None,
    )


# -- the case handlers' tool's keys (complaints filed before the workspace): base64 files <name>.key (0600) and
# <name>.pub, as `voorportaal-case keygen` writes --
def decode_public_key(text):
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except ValueError:
        raise config.ConfigError("CASE_PUBLIC_KEYS must hold base64 public keys") from None
    if len(raw) != 32:
        raise config.ConfigError("CASE_PUBLIC_KEYS entries must be 32-byte keys")
    return raw


def write_key_pair(directory, name="case-handler"):
    directory.mkdir(parents=True, exist_ok=True)
    private_key = PrivateKey.generate()
    private_path = directory / f"{name}.key"
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(base64.b64encode(bytes(private_key)).decode())
    (directory / f"{name}.pub").write_text(base64.b64encode(bytes(private_key.public_key)).decode())
    return private_path
