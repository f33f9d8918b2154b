"""Voorportaal's partner client: consume your referrals from Voorportaal's RabbitMQ and send status updates about
them (pika only). README.md."""
from voorportaal_partner.client import (EVENT_TYPES, InvalidReferral, PartnerClient, action_of, is_withdrawal,
                                        parse_referral)
from voorportaal_partner.status import OUTCOMES, STATUSES, InvalidStatus, status_event

__version__ = "1.1.0"
__all__ = ["EVENT_TYPES", "InvalidReferral", "InvalidStatus", "OUTCOMES", "PartnerClient", "STATUSES", "action_of",
           "is_withdrawal", "parse_referral", "status_event", "__version__"]
