"""Retention erases old cases like a withdrawal and tells every service (real PostgreSQL)."""
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, select

from libs.kit.db import make_engine, make_session_factory
from libs.kit.consuming import Event
from services.intake.tables import case_keys, case_status, complaints, metadata, outbox
from services.intake.use_cases.cases import erased_case
from services.intake.use_cases.filing import file_complaint
from services.intake.use_cases.read_model import apply_status_event
from services.intake.use_cases.retention import purge_expired
from services.intake.web.api_schemas import ComplaintRequest
from support.desk_keys import give_intake_a_key_directory

pytestmark = pytest.mark.postgres


def test_old_cases_are_erased_and_announced(pg_url):
    engine = make_engine(pg_url)
    metadata.create_all(engine)
    complaint = ComplaintRequest().load({"institution_type": "landlord", "issue": "other", "description": "old",
                                         "consent": {"referral": False, "share_description": False,
                                                     "contact": False}})
    now = datetime.now(timezone.utc)
    with make_session_factory(engine)() as session:
        give_intake_a_key_directory(session)
        old = file_complaint(session, complaint, b"k" * 32, now=now - timedelta(days=800))
        fresh = file_complaint(session, complaint, b"k" * 32, now=now)
        assert purge_expired(session, 730, b"k" * 32, now=now) >= 1
        # a plan event that arrives after the purge (routing planned before it heard of the erasure) must not
        # bring the case back: found when the suite's running platform planned this very case
        late_plan = Event("referral.planned", "late-plan", {"case_ref": old.reference, "directory_version": "x",
                                                            "steps": []}, {}, now, old.reference)
        apply_status_event(session, late_plan, None)
        session.commit()
        while purge_expired(session, 730, b"k" * 32, now=now):
            pass  # (the table is shared with the suite's other tests: only this test's cases are asserted)
        # erased to a tombstone (issue 19): the row is gone, a keyed hash of the reference says "expired"
        assert session.execute(select(complaints).where(complaints.c.reference == old.reference)).first() is None
        assert erased_case(session, b"k" * 32, old.reference).status == "expired"
        kept = session.execute(select(complaints).where(complaints.c.reference == fresh.reference)).one()
        assert session.execute(select(case_status).where(case_status.c.reference == old.reference)).first() is None
        assert kept.receipt_hash is not None and kept.status != "expired"
        assert session.execute(select(case_keys).where(case_keys.c.reference == old.reference)).first() is None
        assert session.execute(select(case_keys).where(case_keys.c.reference == fresh.reference)).first()
        bodies = [json.loads(b) for b in session.execute(select(outbox.c.body)).scalars()]
        announced = [b for b in bodies if b["type"] == "nl.voorportaal.complaint.withdrawn.v1"
                     and b["data"]["case_ref"] == old.reference]
        assert len(announced) == 1  # erased and announced once, not again by a later purge
        for reference in (old.reference, fresh.reference):
            session.execute(delete(complaints).where(complaints.c.reference == reference))
            session.execute(delete(outbox).where(outbox.c.body.contains(reference)))
        session.commit()
    engine.dispose()
