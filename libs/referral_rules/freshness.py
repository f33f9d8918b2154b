"""Which facts of the directory need checking again: verified more than a year ago, or never confirmed.

A desk that refers people must be right and show where each fact comes from; facts age (a municipality joins a
regional ombudsman, a fee changes). `voorportaal-directory stale` lists these, grouped by channel.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from libs.referral_rules.directory import Directory

MAX_AGE = timedelta(days=365)


@dataclass(frozen=True)
class StaleFact:
    group: str  # a channel id, or "municipalities"
    name: str  # e.g. "contact.phone", "deadline:answer", "GM0106 Assen"
    reason: str  # "older than 12 months" | "unconfirmed"
    verified_on: date
    source: str


def _channel_facts(channel):
    yield "handles", channel.handles
    yield "accepts_anonymous", channel.accepts_anonymous
    yield "cost", channel.cost
    yield "binding", channel.binding
    for name, fact in sorted(channel.contact.items()):
        yield f"contact.{name}", fact
    for deadline in channel.deadlines:
        yield f"deadline:{deadline.key}", deadline.fact


def _reason(status: str, verified_on: date, today: date):
    if status != "confirmed":
        return "unconfirmed"
    if today - verified_on > MAX_AGE:
        return "older than 12 months"
    return None


def stale_facts(directory: Directory, today: date) -> list:
    """Every fact to check again, channels first (by id), then municipalities (by code)."""
    found = []
    for channel_id, channel in sorted(directory.channels.items()):
        for name, fact in _channel_facts(channel):
            reason = _reason(fact.status, fact.verified_on, today)
            if reason:
                found.append(StaleFact(channel_id, name, reason, fact.verified_on, fact.source))
    for code, mapping in sorted(directory.municipalities.items()):
        reason = _reason(mapping.status, mapping.verified_on, today)
        if reason:
            found.append(StaleFact("municipalities", f"{code} {mapping.name} → {mapping.ombudsman}", reason,
                                   mapping.verified_on, mapping.source))
    return found
