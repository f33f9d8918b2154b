"""Timestamps as notification's tables hold them: written in UTC, read back with their zone."""
from datetime import datetime, timezone


def aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they were written in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def utc(moment: datetime | None) -> datetime:
    """Every timestamp is written in UTC: SQLite keeps the wall-clock digits and drops the offset."""
    return aware(moment).astimezone(timezone.utc) if moment else datetime.now(timezone.utc)
