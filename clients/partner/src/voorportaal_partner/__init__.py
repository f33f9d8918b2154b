"""Voorportaal's partner client: consume your referrals from Voorportaal's RabbitMQ (pika only). README.md."""
from voorportaal_partner.client import (EVENT_TYPES, InvalidReferral, PartnerClient, action_of, is_withdrawal,
                                        parse_referral)

__version__ = "1.0.0"
__all__ = ["EVENT_TYPES", "InvalidReferral", "PartnerClient", "action_of", "is_withdrawal", "parse_referral",
           "__version__"]
