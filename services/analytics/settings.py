"""Analytics' configuration, read once and validated at start (variables: README.md, "Configuration")."""
from dataclasses import dataclass, field
from functools import lru_cache

from libs.kit.config import env
from libs.kit.secrets_store import load_secret

SERVICE = "analytics"
DEFAULT_WEB_ADDRESS = "127.0.0.1:8004"


@dataclass(frozen=True)
class Settings:
    # repr=False: a settings object printed in a log line or a traceback never shows a secret
    pseudonym_key: bytes = field(repr=False)  # key of the case pseudonyms in the fact store (domain/pseudonyms.py)
    report_token: str = field(repr=False)  # hex: the bearer token of GET /reports
    web_address: str  # the report's internal address (host:port)


@lru_cache(maxsize=1)
def load() -> Settings:
    return Settings(pseudonym_key=load_secret("ANALYTICS_PSEUDONYM_KEY"),
                    report_token=load_secret("ANALYTICS_REPORT_TOKEN").hex(),
                    web_address=env("ANALYTICS_WEB_ADDRESS", DEFAULT_WEB_ADDRESS))
