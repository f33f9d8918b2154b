"""Routing's configuration, read once and validated at start (variables: README.md, "Configuration")."""
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from libs.kit.config import env, env_bool
from libs.kit.secrets_store import load_secret
from services.routing.domain.partners import load_partners

SERVICE = "routing"
DEFAULT_PARTNERS_FILE = Path(__file__).parent / "data" / "partners.demo.yaml"


@dataclass(frozen=True)
class Settings:
    partners: tuple  # PartnerConfig, validated against the channel directory
    partner_secret: bytes  # key of the per-partner pseudonymous case ids
    declare_partner_queues: bool  # local runs: declare each partner's queue; production: the broker definitions do
    # local runs and tests only: the one broker user (guest) that may publish updates for any registered partner;
    # empty in production, where only `partner-<id>` speaks for partner <id>
    partner_updates_local_user: str = ""

    @staticmethod
    def today() -> date:
        """The routing clock's date; ROUTING_TODAY pins it for tests and demos."""
        pinned = env("ROUTING_TODAY")
        return date.fromisoformat(pinned) if pinned else date.today()


def partners_file() -> Path:
    return Path(env("PARTNERS_FILE", str(DEFAULT_PARTNERS_FILE)))


@lru_cache(maxsize=1)
def load() -> Settings:
    return Settings(partners=load_partners(yaml.safe_load(partners_file().read_text())),
                    partner_secret=load_secret("PARTNER_SECRET"),
                    declare_partner_queues=env_bool("DECLARE_PARTNER_QUEUES", False),
                    partner_updates_local_user=env("PARTNER_UPDATES_LOCAL_USER", "") or "")
