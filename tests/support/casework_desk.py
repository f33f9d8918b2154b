"""A desk on a SQLite file for casework's unit tests: members set up with a password and a second factor, a case
filed the way intake seals it (libs/contracts/sealing.py)."""
import base64
import time
from datetime import date

from nacl.public import PrivateKey
from sqlalchemy import select

from libs.contracts import sealing
from libs.contracts.events import internal_event
from libs.kit.consuming import Event
from libs.kit.db import make_engine, make_session_factory
from services.casework.domain.second_factor import code_at
from services.casework.domain.server_keys import ServerKeys
from services.casework.settings import Settings
from services.casework.tables import key_directory as key_directory_table
from services.casework.tables import metadata
from services.casework.use_cases import accounts, case_events, signin

PASSWORD = "a good long password"


def make_desk(tmp_path, monkeypatch):
    """(session factory, settings, server keys, the recovery private key); yields, then disposes."""
    url = f"sqlite:///{tmp_path / 'casework.db'}"
    engine = make_engine(url)
    metadata.create_all(engine)
    monkeypatch.setenv("CASEWORK_DATABASE_URL", url)
    recovery = PrivateKey.generate()
    settings = Settings(secret=b"k" * 32, recovery_public_key=bytes(recovery.public_key), web_address="x",
                        demo_accounts=False, handling_days=3)
    yield make_session_factory(engine), settings, ServerKeys(settings.secret), recovery
    engine.dispose()


def make_member(session, server, settings, email, role="case_handler", mediator_id=None):
    setup = accounts.add(session, email, email.split("@")[0], role, "system:test", mediator_id)
    _row, _key, secret = accounts.complete_setup(session, server, email, setup.setup_code, PASSWORD)
    accounts.confirm_second_factor(session, server, setup.account_id, code_at(secret, time.time() - 30), settings)
    return setup.account_id, secret


def sign_in(session, server, email, secret, client="10.0.0.9"):
    first = signin.with_password(session, server, email, PASSWORD, client)
    assert first.ok and first.stage == signin.SECOND_FACTOR
    second = signin.with_second_factor(session, server, first.token, code_at(secret, time.time()), client)
    assert second.ok, second.reason
    return signin.viewer(session, second.token), second.token


def file_case(session, settings, case_ref="VP-CASE-0001", **consent):
    """What intake does at filing: a case key, items sealed to it, the key wrapped for the directory's readers."""
    directory = session.execute(select(key_directory_table).order_by(key_directory_table.c.version.desc())).first()
    case_key = sealing.new_case_key()
    public = sealing.public_key_bytes(case_key)
    data = {"case_ref": case_ref, "received_on": date(2026, 12, 1), "institution_type": "bank",
            "issue": "account_refused_or_closed", "municipality": "GM0363", "capacity": "private",
            "incident_date": None, "prior_complaint": None, "language": "ro", "reporter_role": "sex_worker",
            "wants_mediation": True, "has_contact": True,
            "consent": {"referral": True, "share_description": False, "contact": True, **consent},
            "case_public_key": base64.b64encode(public).decode(),
            "items": {"description": sealing.seal_item(public, case_ref, "description", "CANARY banca a închis"),
                      "contact": sealing.seal_item(public, case_ref, "contact",
                                                   {"method": "email", "address": "canary@example.org"})},
            "wraps": [{"key_id": k["key_id"], "wrapped": sealing.wrap_case_key(case_key,
                                                                                base64.b64decode(k["public_key"]))}
                      for k in directory.entries],
            "key_directory_version": directory.version}
    event = Event.from_envelope(internal_event("complaint.sealed", data))
    case_events.on_complaint_sealed(session, event, settings)
    session.commit()
    return event


