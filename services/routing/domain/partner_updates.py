"""Checking a partner's status update before anything is applied: who sent it, and is it well formed.

Pure rules, no I/O. Whether the subject is one routing gave this partner is the use case's question (it needs the
database); everything that can be decided from the message itself is decided here. A refusal carries a reason from
REFUSAL_REASONS, never the message's content: the reasons become metric labels and log fields.
"""
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from marshmallow import ValidationError

from libs.contracts.partner_updates import PartnerStatusEnvelope, partner_of_source

MAX_BODY_BYTES = 4096  # an update is a few hundred bytes; anything larger is not one
CLOCK_SKEW = timedelta(minutes=5)  # a partner's clock may run a little ahead, not more
REFUSAL_REASONS = ("malformed", "forged", "unknown_partner", "other_partner", "unknown_subject", "future_time",
                   "before_referral")


class Refused(Exception):
    def __init__(self, reason):
        assert reason in REFUSAL_REASONS, reason
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class PartnerUpdate:
    partner_id: str
    event_id: str
    subject: str
    status: str
    outcome: str | None
    changed_at: datetime


def broker_user_of(partner_id: str) -> str:
    """The partner's own broker user (deploy/rabbitmq/definitions.json): `partner-<partner id>`."""
    return f"partner-{partner_id}"


def read_update(body: bytes, user_id: str | None, partner_ids, now: datetime, local_user: str = "") -> PartnerUpdate:
    """Validate an update as it came off the queue. `user_id` is the AMQP property the broker checked against the
    publishing connection's user; `partner_ids` the registered partners; `local_user` the one user a local run
    lets speak for every partner (empty in production). Raises Refused."""
    if len(body) > MAX_BODY_BYTES:
        raise Refused("malformed")
    try:
        envelope = PartnerStatusEnvelope().load(json.loads(body))
    except (ValueError, TypeError, ValidationError):
        raise Refused("malformed") from None
    partner_id = partner_of_source(envelope["source"])
    if partner_id not in partner_ids:
        raise Refused("unknown_partner")
    if not user_id:
        raise Refused("forged")  # without user_id the broker vouched for nobody
    if user_id != broker_user_of(partner_id) and not (local_user and user_id == local_user):
        # a partner's own user naming another partner as source, or an unknown user
        raise Refused("other_partner" if user_id.startswith("partner-") else "forged")
    if envelope["time"] > now + CLOCK_SKEW:
        raise Refused("future_time")
    data = envelope["data"]
    return PartnerUpdate(partner_id, envelope["id"], envelope["subject"], data["status"], data.get("outcome"),
                         envelope["time"])
