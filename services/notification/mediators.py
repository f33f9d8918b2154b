"""The mediator registry and the matching rule (plain Python).

Matching: active, speaks the person's language, covers the province (or has no regional limit), no conflict of
interest with the institution type, below capacity; then least-loaded, ties broken round-robin by who was
assigned least recently. Every choice comes with the reason, so the desk can explain it.
"""
from dataclasses import dataclass, field

from marshmallow import RAISE, Schema, fields, validate


class MediatorSchema(Schema):
    class Meta:
        unknown = RAISE

    id = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]{1,62}$"))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True)
    languages = fields.List(fields.String(validate=validate.Length(equal=2)), required=True,
                            validate=validate.Length(min=1))
    provinces = fields.List(fields.String(), load_default=list)
    capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=1000))
    active = fields.Boolean(load_default=True)
    conflicts = fields.List(fields.String(), load_default=list)
    # messages go here as signed webhooks instead of e-mail; the URL must also be on the allow-list to be used
    webhook_url = fields.Url(allow_none=True, load_default=None, schemes={"http", "https"}, require_tld=False,
                             validate=validate.Length(max=500))


class RegistrySchema(Schema):
    class Meta:
        unknown = RAISE

    mediators = fields.List(fields.Nested(MediatorSchema), required=True)


@dataclass(frozen=True)
class Mediator:
    id: str
    name: str
    email: str
    languages: tuple
    provinces: tuple = ()
    capacity: int = 10
    active: bool = True
    conflicts: tuple = field(default_factory=tuple)
    webhook_url: str | None = None

    @property
    def channel(self) -> str:
        return "webhook" if self.webhook_url else "email"


@dataclass(frozen=True)
class Match:
    mediator: Mediator | None
    reason: str


def load_registry(document: dict) -> list:
    """Validate a registry document (YAML loaded as dict); raises marshmallow.ValidationError."""
    loaded = RegistrySchema().load(document)
    ids = [m["id"] for m in loaded["mediators"]]
    if len(ids) != len(set(ids)):
        raise ValueError("mediator ids must be unique")
    return [Mediator(**{**m, "languages": tuple(m["languages"]), "provinces": tuple(m["provinces"]),
                        "conflicts": tuple(m["conflicts"])}) for m in loaded["mediators"]]


def choose_mediator(mediators, language, province, institution_type, open_load: dict, last_assigned: dict):
    """Pick a mediator; `open_load` = open cases per mediator, `last_assigned` = a sortable time per mediator."""
    candidates = [m for m in mediators if m.active]
    if not candidates:
        return Match(None, "no active mediator")
    speaking = [m for m in candidates if language in m.languages]
    if not speaking:
        return Match(None, f"no mediator speaks '{language}'")
    covering = [m for m in speaking if not m.provinces or province is None or province in m.provinces]
    if not covering:
        return Match(None, "no mediator covers this province")
    free_of_conflict = [m for m in covering if institution_type not in m.conflicts]
    if not free_of_conflict:
        return Match(None, "every fitting mediator has a conflict of interest with this institution type")
    with_room = [m for m in free_of_conflict if open_load.get(m.id, 0) < m.capacity]
    if not with_room:
        return Match(None, "every fitting mediator is at capacity")
    chosen = min(with_room, key=lambda m: (open_load.get(m.id, 0), last_assigned.get(m.id, ""), m.id))
    return Match(chosen, f"speaks {language}, covers the region, no conflict, "
                         f"{open_load.get(chosen.id, 0)} open cases (fewest of {len(with_room)} fitting)")
