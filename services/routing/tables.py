"""Routing's own tables: stored plans (categories and dates only) and per-partner pseudonymous case ids."""
from sqlalchemy import JSON, Column, Date, DateTime, Index, Integer, MetaData, String, Table

from libs.kit.db import inbox_table, outbox_table

metadata = MetaData()

plans = Table(
    "routing_plans", metadata,
    Column("case_ref", String(16), primary_key=True),
    Column("facts", JSON, nullable=False),  # the routing facts of complaint.received: no text, no contact
    Column("consent", JSON, nullable=False),
    Column("language", String(2), nullable=False),
    Column("plan", JSON, nullable=False),
    Column("directory_version", String(32), nullable=False),
    Column("status", String(16), nullable=False),  # open, closed
    Column("fired_clocks", JSON, nullable=False),  # clock keys already emitted: a clock fires once
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # the first day a clock that has not fired comes due (NULL: not computed yet; 9999-12-31: none left) and the
    # plan's open answer deadlines that have passed: the clock timer reads only the plans that are due
    # (libs/referral_rules/clocks.clock_schedule), and the overdue gauge sums the column
    Column("next_clock_on", Date, nullable=True),
    Column("overdue_deadlines", Integer, nullable=False, server_default="0"),
    # the clock timer reads the open plans every tick: without it a scan of every plan ever made, closed ones too
    Index("ix_routing_plans_status", "status"),
    Index("ix_routing_plans_clocks", "status", "next_clock_on", "overdue_deadlines"),
)

partner_cases = Table(
    "routing_partner_cases", metadata,
    Column("case_ref", String(16), primary_key=True),
    Column("partner_id", String(64), primary_key=True),
    Column("subject", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Withdrawn cases: the reference and the day only. A complaint.received that arrives after the withdrawal (its own
# queue; or replayed from the dead letters) must not plan the case again, refer it to a partner or ask a mediator.
withdrawn_cases = Table(
    "routing_withdrawn_cases", metadata,
    Column("case_ref", String(16), primary_key=True),
    Column("withdrawn_on", Date, nullable=False),
)

# partners' status updates, applied once per (partner, CloudEvents id); codes only, erased with the case
partner_updates = Table(
    "routing_partner_updates", metadata,
    Column("partner_id", String(64), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("case_ref", String(16), nullable=False, index=True),
    Column("status", String(24), nullable=False),
    Column("outcome", String(24), nullable=True),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

outbox = outbox_table(metadata, "routing")
inbox = inbox_table(metadata, "routing")
