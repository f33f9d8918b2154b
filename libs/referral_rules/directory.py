"""The channel directory: channels.yaml + municipalities.yaml, validated and cross-checked against the CBS list.

`load_directory()` is cached: the files ship with the package and change only with a release (bump `version`).
"""
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from marshmallow import ValidationError

from libs.reference import municipalities as reference
from libs.referral_rules import channel_ids
from libs.referral_rules.directory_schema import ChannelsFileSchema, MunicipalitiesFileSchema
from libs.referral_rules.periods import Period

DATA_DIR = Path(__file__).resolve().parent / "data"
CHANNELS_FILE = "channels.yaml"
MUNICIPALITIES_FILE = "municipalities.yaml"
CBS_FILE = "nl-gemeenten-2025.csv"
EXPECTED_MUNICIPALITIES = 342


class DirectoryError(Exception):
    """The directory's data is broken; the message says which file and which entry."""


@dataclass(frozen=True)
class Fact:
    value: Any
    source: str
    verified_on: date
    status: str  # confirmed | unconfirmed

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"

    def to_dict(self) -> dict:
        return {"value": self.value, "source": self.source, "verified_on": self.verified_on.isoformat(),
                "status": self.status}


@dataclass(frozen=True)
class Deadline:
    key: str
    period: Period
    text: str
    fact: Fact  # value = the period as written
    working_days: bool = False  # counted in working days (Atw holidays and weekends skipped), not calendar days

    def after(self, start: date) -> date:
        return self.period.after(start, working_days=self.working_days)


@dataclass(frozen=True)
class Channel:
    id: str
    name: str
    kind: str
    handles: Fact
    contact: dict  # phone/web/address → Fact
    accepts_anonymous: Fact
    cost: Fact
    binding: Fact
    deadlines: tuple
    staff_notes: str | None

    def deadline(self, key: str) -> Deadline:
        for deadline in self.deadlines:
            if deadline.key == key:
                return deadline
        raise KeyError(f"{self.id} has no deadline {key!r}")

    def public_dict(self) -> dict:
        """Public facts only: everything a person may see; staff notes stay inside the desk."""
        return {
            "id": self.id, "name": self.name, "kind": self.kind, "handles": self.handles.to_dict(),
            "contact": {name: fact.to_dict() for name, fact in sorted(self.contact.items())},
            "accepts_anonymous": self.accepts_anonymous.to_dict(), "cost": self.cost.to_dict(),
            "binding": self.binding.to_dict(),
            "deadlines": [dict(d.fact.to_dict(), key=d.key, text=d.text,
                               counting="working_days" if d.working_days else "calendar")
                          for d in self.deadlines],
        }


@dataclass(frozen=True)
class MunicipalityMapping:
    code: str
    name: str
    province: str
    ombudsman: str  # channel id of the second line for complaints about this municipality
    status: str
    source: str
    verified_on: date
    note: str | None

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"


@dataclass(frozen=True)
class Directory:
    version: str
    channels: dict  # id → Channel
    municipalities: dict  # GM code → MunicipalityMapping

    def channel(self, channel_id: str) -> Channel:
        try:
            return self.channels[channel_id]
        except KeyError:
            raise KeyError(f"unknown channel {channel_id!r}") from None

    def province_of(self, gm_code: str | None) -> str | None:
        mapping = self.municipalities.get(gm_code) if gm_code else None
        return mapping.province if mapping else None

    def public_channels(self) -> dict:
        """For `GET /api/v1/channels`: the directory version and each channel's public facts."""
        return {"version": self.version,
                "channels": [channel.public_dict() for _id, channel in sorted(self.channels.items())]}


def _fact(raw: dict) -> Fact:
    return Fact(raw["value"], raw["source"], raw["verified_on"], raw["status"])


def _channel(raw: dict) -> Channel:
    deadlines = tuple(
        Deadline(d["key"], Period.parse(d["period"]), d["text"],
                 Fact(d["period"], d["source"], d["verified_on"], d["status"]), d["counting"] == "working_days")
        for d in raw["deadlines"])
    return Channel(raw["id"], raw["name"], raw["kind"], _fact(raw["handles"]),
                   {name: _fact(fact) for name, fact in raw["contact"].items()},
                   _fact(raw["accepts_anonymous"]), _fact(raw["cost"]), _fact(raw["binding"]), deadlines,
                   raw["staff_notes"])


def _load(schema, raw, file_name):
    try:
        return schema.load(raw)
    except ValidationError as error:
        raise DirectoryError(f"{file_name}: {error.messages}") from None


def build_directory(channels_raw: dict, municipalities_raw: dict, cbs_rows: list) -> Directory:
    """Validate and cross-check already-parsed data. Raises DirectoryError with the file and entry at fault."""
    if not isinstance(channels_raw, dict) or not isinstance(municipalities_raw, dict):
        raise DirectoryError("channels and municipalities files must each be a mapping at the top level")
    channels_data = _load(ChannelsFileSchema(), channels_raw, CHANNELS_FILE)
    channels = {}
    for raw in channels_data["channels"]:
        if raw["id"] in channels:
            raise DirectoryError(f"{CHANNELS_FILE}: duplicate channel id {raw['id']!r}")
        channels[raw["id"]] = _channel(raw)
    missing = sorted(channel_ids.REQUIRED - set(channels))
    if missing:
        raise DirectoryError(f"{CHANNELS_FILE}: channels the planner needs are missing: {', '.join(missing)}")
    municipalities = _municipalities(municipalities_raw, cbs_rows, channels)
    return Directory(channels_data["version"], channels, municipalities)


def _municipalities(raw: dict, cbs_rows: list, channels: dict) -> dict:
    data = _load(MunicipalitiesFileSchema(), raw, MUNICIPALITIES_FILE)["municipalities"]
    cbs = {row["gm_code"].strip(): row for row in cbs_rows}
    if len(cbs) != EXPECTED_MUNICIPALITIES:
        raise DirectoryError(f"{CBS_FILE}: expected {EXPECTED_MUNICIPALITIES} municipalities, got {len(cbs)}")
    unmapped, unknown = sorted(set(cbs) - set(data)), sorted(set(data) - set(cbs))
    if unmapped or unknown:
        raise DirectoryError(f"{MUNICIPALITIES_FILE} disagrees with {CBS_FILE}: "
                             f"not mapped {unmapped[:5]}, not in the CBS list {unknown[:5]}")
    result = {}
    for code, entry in sorted(data.items()):
        if entry["name"] != cbs[code]["gm_naam"].strip():
            raise DirectoryError(f"{MUNICIPALITIES_FILE}: {code} is named {entry['name']!r}, "
                                 f"CBS says {cbs[code]['gm_naam']!r}")
        target = channels.get(entry["ombudsman"])
        if target is None or target.kind != "second_line":
            raise DirectoryError(f"{MUNICIPALITIES_FILE}: {code} points to {entry['ombudsman']!r}, "
                                 f"which is not a second-line channel in {CHANNELS_FILE}")
        result[code] = MunicipalityMapping(code, entry["name"], cbs[code]["provincie"].strip(), entry["ombudsman"],
                                           entry["status"], entry["source"], entry["verified_on"], entry["note"])
    return result


# libyaml's loader is ten times faster where available; both are safe loaders.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path):
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except (OSError, yaml.YAMLError) as error:
        raise DirectoryError(f"{path.name}: cannot read: {error}") from None



@lru_cache(maxsize=4)
def load_directory(data_dir: Path | None = None) -> Directory:
    """The directory shipped with the package (or in `data_dir`), validated; cached per directory."""
    base = Path(data_dir) if data_dir else DATA_DIR
    return build_directory(_read_yaml(base / CHANNELS_FILE), _read_yaml(base / MUNICIPALITIES_FILE),
                           list(reference.rows()))
