"""The store, the bulk loader and the report on PostgreSQL (own throwaway database, dropped afterwards)."""
import pytest
from sqlalchemy.orm import Session

from support.analytics_testlib import KEY, dump_tables, new_session
from services.analytics.tables import metadata
from services.analytics.use_cases.business_metrics import monthly_counts
from services.analytics.use_cases.record import apply_event
from services.analytics.use_cases.reports import build_report, publish
from services.analytics.use_cases.synthetic import load_synthetic, synthetic_stream

pytestmark = pytest.mark.postgres


def test_postgres_and_sqlite_store_the_same_facts_and_report_the_same_numbers(pg_engine):
    events = synthetic_stream(300, seed=8)
    lite = new_session()
    with Session(pg_engine) as pg:
        for session in (pg, lite):
            for event_type, data, occurred_at in events:
                apply_event(session, event_type, data, occurred_at, KEY)
        pg.commit()
        assert dump_tables(pg) == dump_tables(lite)
        assert monthly_counts(pg, "2027-03") == monthly_counts(lite, "2027-03")
        pg_report = build_report(pg, "2026-01", "2028-12")
        lite_report = build_report(lite, "2026-01", "2028-12")
        assert [b.cells for b in pg_report.blocks] == [b.cells for b in lite_report.blocks]
        assert pg_report.durations == lite_report.durations
        publish(pg, pg_report, "csv")
        pg.commit()


def test_bulk_loader_works_on_postgres(pg_engine):
    with Session(pg_engine) as pg:
        for table in reversed(metadata.sorted_tables):
            pg.execute(table.delete())
        assert load_synthetic(pg, 500, seed=4, pseudonym_key=KEY) > 450
        pg.commit()
        assert build_report(pg, "2026-01", "2028-12").problems == []
