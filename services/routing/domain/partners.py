"""Partner referrals: which partner gets which non-identifying fields, under a per-partner pseudonym.

Rules (docs/privacy.md): only with the person's consent for referral; only partners whose channel is in the plan;
only the fields the partner's contract lists, from the fixed ALLOWED_FIELDS.
"""
import hashlib
import hmac
from dataclasses import dataclass

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from libs.kit.topology import PARTNER_ID
from libs.referral_rules.directory import Directory, load_directory
from libs.contracts.partner_events import ALLOWED_FIELDS, PartnerReferralData
from libs.referral_rules.plan import NOT_APPLICABLE, ReferralPlan

SUBJECT_HEX_CHARS = 32  # 128 bits of HMAC-SHA256: unlinkable across partners, collision-free in practice


class PartnerConfigError(Exception):
    pass


@dataclass(frozen=True)
class PartnerConfig:
    partner_id: str
    channel_ids: tuple
    fields: tuple


@dataclass(frozen=True)
class PartnerReferral:
    partner_id: str
    subject: str  # pseudonymous case id for this partner only
    data: dict  # JSON-ready, validated by PartnerReferralData


class _PartnerSchema(Schema):
    class Meta:
        unknown = RAISE

    partner_id = fields.String(required=True, validate=validate.Regexp(PARTNER_ID))
    channel_ids = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    fields_ = fields.List(fields.String(), required=True, data_key="fields", validate=validate.Length(min=1))


class _PartnersFileSchema(Schema):
    class Meta:
        unknown = RAISE

    version = fields.String(load_default=None)
    partners = fields.List(fields.Nested(_PartnerSchema), required=True)


def load_partners(raw: dict, directory: Directory | None = None) -> tuple:
    """Validate a partners config ({version?, partners: [{partner_id, channel_ids, fields}]})."""
    try:
        data = _PartnersFileSchema().load(raw if isinstance(raw, dict) else {"partners": raw})
    except ValidationError as error:
        raise PartnerConfigError(f"partners config: {error.messages}") from None
    known = (directory or load_directory()).channels
    partners, seen = [], set()
    for entry in data["partners"]:
        if entry["partner_id"] in seen:
            raise PartnerConfigError(f"partners config: duplicate partner {entry['partner_id']!r}")
        seen.add(entry["partner_id"])
        outside = sorted(set(entry["fields_"]) - set(ALLOWED_FIELDS))
        if outside:
            raise PartnerConfigError(f"partners config: {entry['partner_id']} lists fields outside the allowed "
                                     f"non-identifying set: {outside}")
        unknown = sorted(set(entry["channel_ids"]) - set(known))
        if unknown:
            raise PartnerConfigError(f"partners config: {entry['partner_id']} names unknown channels {unknown}")
        partners.append(PartnerConfig(entry["partner_id"], tuple(entry["channel_ids"]),
                                      tuple(dict.fromkeys(entry["fields_"]))))
    return tuple(partners)


def partner_subject(secret: bytes, partner_id: str, case_ref: str) -> str:
    """HMAC-SHA256(secret, partner_id + ":" + case_ref), hex, truncated. The ':' (not allowed in partner ids)
    keeps two different (partner, case) pairs from ever sharing an input."""
    if not secret:
        raise ValueError("a partner secret is required")
    digest = hmac.new(secret, f"{partner_id}:{case_ref}".encode(), hashlib.sha256).hexdigest()
    return digest[:SUBJECT_HEX_CHARS]


def _all_values(plan: ReferralPlan, step) -> dict:
    basis = plan.basis
    if basis is None:
        raise ValueError("this plan has no basis (made outside make_plan?); cannot build partner data")
    first_line = next((s for s in plan.steps if s.kind == "first_line"), None)
    return {
        "institution_type": basis.institution_type, "issue": basis.issue, "province": basis.province,
        "capacity": basis.capacity, "incident_month": basis.incident_month, "channel_id": step.channel_id,
        "step_status": step.status, "answer_due": first_line.dates.answer_due if first_line else None,
        "escalate_by": step.dates.escalate_by, "directory_version": plan.directory_version,
        "language": basis.language, "wants_mediation": basis.wants_mediation,
    }


def partner_referrals(plan: ReferralPlan, consent: dict, partners, case_ref: str, secret: bytes) -> list:
    if not consent or consent.get("referral") is not True:
        return []
    schema, referrals = PartnerReferralData(), []
    for partner in partners:
        step = next((s for s in plan.steps
                     if s.channel_id in partner.channel_ids and s.status != NOT_APPLICABLE), None)
        if step is None:
            continue
        values = _all_values(plan, step)
        data = schema.dump({name: values[name] for name in partner.fields})
        schema.load(data)  # what travels must pass the published contract
        referrals.append(PartnerReferral(partner.partner_id, partner_subject(secret, partner.partner_id, case_ref),
                                         data))
    return referrals
