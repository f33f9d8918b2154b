"""The business metrics: this month's complaints and first referral plans, from the facts; exposed as coarse totals
(services/analytics/metrics.py)."""
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from libs.contracts.events import INSTITUTION_TYPES
from services.analytics import metrics
from services.analytics.domain.disclosure import coarse_live_count
from services.analytics.tables import case_facts_table


def monthly_counts(session: Session, month: str) -> dict:
    """{"complaints": {institution_type: n}, "referral_plans": {institution_type: n}} for one YYYY-MM month.

    Every institution type is present (0 when none), so a Prometheus gauge drops back to 0 in a new month.
    `referral_plans` counts cases whose first referral plan was made in the month (re-plans are not new plans).
    """
    facts_t = case_facts_table.c
    result = {}
    for name, month_column, condition in (("complaints", facts_t.month, facts_t.received),
                                          ("referral_plans", facts_t.first_plan_month, facts_t.plan_count > 0)):
        counts = dict.fromkeys(INSTITUTION_TYPES, 0)
        rows = session.execute(select(facts_t.institution_type, func.count())
                               .where(month_column == month, condition, facts_t.institution_type.is_not(None))
                               .group_by(facts_t.institution_type))
        counts.update({institution_type: count for institution_type, count in rows})
        result[name] = counts
    return result


def refresh(session: Session, now: datetime) -> None:
    """Set the gauges to `now`'s month's totals over all institution types, coarsened (0 or a multiple of 10)."""
    counts = monthly_counts(session, now.strftime("%Y-%m"))
    metrics.COMPLAINTS.set(coarse_live_count(sum(counts["complaints"].values())))
    metrics.REFERRALS.set(coarse_live_count(sum(counts["referral_plans"].values())))
