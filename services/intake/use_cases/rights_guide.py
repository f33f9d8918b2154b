"""The rights-and-duties guide: its data file read and validated once (domain/rights.py), the facts that need
checking again, and which topic explains a plan's step or warning (domain/rights_links.py)."""
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from services.intake.domain.rights import RIGHTS_FILE, Guide, RightsDataError, build_guide

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=4)
def load_guide(path: Path | None = None) -> Guide:
    """The guide shipped in services/intake/data/rights.yaml (or `path`), validated; cached."""
    path = Path(path) if path else DATA_DIR / RIGHTS_FILE
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as error:
        raise RightsDataError(f"{path.name}: cannot read: {type(error).__name__}") from None
    return build_guide(raw)


def stale_facts(today: date | None = None, path: Path | None = None) -> list:
    """Facts not checked against their source in the last 12 months, oldest first."""
    return load_guide(path).stale_facts(today or date.today())
