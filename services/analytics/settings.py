"""Analytics' configuration, read once and validated at start (variables: README.md, "Configuration").

The report's address (ANALYTICS_WEB_ADDRESS) is nameko's WEB_SERVER_ADDRESS: service.py's `config()` reads it.
"""
from dataclasses import dataclass, field
from functools import lru_cache

from libs.kit.secrets_store import load_secret

SERVICE = "analytics"


@dataclass(frozen=True)
class Settings:
    # repr=False: a settings object printed in a log line or a traceback never shows a secret
    pseudonym_key: bytes = field(repr=False)  # key of the case pseudonyms in the fact store (domain/pseudonyms.py)
    report_token: str = field(repr=False)  # hex: the bearer token of GET /reports


@lru_cache(maxsize=1)
def load() -> Settings:
    return Settings(pseudonym_key=load_secret("ANALYTICS_PSEUDONYM_KEY"),
                    report_token=load_secret("ANALYTICS_REPORT_TOKEN").hex())
