"""A mediator and the registry document that lists them (data/mediators.demo.yaml, `voorportaal-mediators
import`): its format, validated before anything is stored. Who gets a case is matching.py."""
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


def load_registry(document: dict) -> list:
    """Validate a registry document (YAML loaded as dict); raises marshmallow.ValidationError."""
    loaded = RegistrySchema().load(document)
    ids = [m["id"] for m in loaded["mediators"]]
    if len(ids) != len(set(ids)):
        raise ValueError("mediator ids must be unique")
    return [Mediator(**{**m, "languages": tuple(m["languages"]), "provinces": tuple(m["provinces"]),
                        "conflicts": tuple(m["conflicts"])}) for m in loaded["mediators"]]
