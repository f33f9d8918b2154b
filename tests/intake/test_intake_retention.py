"""Retention erases old cases like a withdrawal and tells every service (real PostgreSQL)."""
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, select

from services.common.db import make_engine, make_session_factory
from services.intake.filing import file_complaint, purge_expired
from services.intake.models import complaints, metadata, outbox
from services.intake.schemas import ComplaintRequest
from nacl.public import PrivateKey

pytestmark = pytest.mark.postgres


def test_old_cases_are_erased_and_announced(pg_url):
    engine = make_engine(pg_url)
    metadata.create_all(engine)
    key = bytes(PrivateKey.generate().public_key)
    complaint = ComplaintRequest().load({"institution_type": "landlord", "issue": "other", "description": "old",
                                         "consent": {"referral": False, "share_description": False,
                                                     "contact": False}})
    now = datetime.now(timezone.utc)
    with make_session_factory(engine)() as session:
        old = file_complaint(session, complaint, b"k" * 32, [key], now=now - timedelta(days=800))
        fresh = file_complaint(session, complaint, b"k" * 32, [key], now=now)
        assert purge_expired(session, 730, now=now) >= 1
        assert purge_expired(session, 730, now=now) == 0
        erased = session.execute(select(complaints).where(complaints.c.reference == old.reference)).one()
        kept = session.execute(select(complaints).where(complaints.c.reference == fresh.reference)).one()
        assert erased.status == "expired" and erased.sealed_content is None and erased.receipt_hash is None
        assert kept.sealed_content is not None
        bodies = [json.loads(b) for b in session.execute(select(outbox.c.body)).scalars()]
        assert any(b["type"] == "nl.voorportaal.complaint.withdrawn.v1" and b["data"]["case_ref"] == old.reference
                   for b in bodies)
        for reference in (old.reference, fresh.reference):
            session.execute(delete(complaints).where(complaints.c.reference == reference))
            session.execute(delete(outbox).where(outbox.c.body.contains(reference)))
        session.commit()
    engine.dispose()
