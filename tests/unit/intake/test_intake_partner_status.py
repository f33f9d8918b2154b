"""A partner's status update reaches the person: intake keeps the latest status per partner (a late, older update
does not replace it), shows it on the follow-up page in the person's language (all six, no English left), and
erases it with the case."""
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from libs.kit.db import make_engine, make_session_factory
from services.intake.tables import metadata, partner_status
from services.intake.use_cases.filing import file_complaint
from services.intake.use_cases.follow_up import case_view, withdraw
from services.intake.use_cases.read_model import apply_partner_status
from services.intake.web import labels, pages
from services.intake.web.api_schemas import ComplaintRequest
from services.intake.web.catalogues import translations_for
from services.intake.web.page_data import follow_up_status
from support.desk_keys import give_intake_a_key_directory

LANGUAGES = ("nl", "en", "es", "ro", "bg", "pl")


@dataclass
class FakeEvent:
    type: str
    data: dict


@pytest.fixture()
def sessions(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'intake.db'}")
    metadata.create_all(engine)
    factory = make_session_factory(engine)
    with factory() as session:
        give_intake_a_key_directory(session)
    yield factory
    engine.dispose()


def filed(sessions):
    with sessions() as session:
        body = ComplaintRequest().load({"institution_type": "bank", "issue": "other", "description": "text",
                                        "language": "es", "consent": {"referral": True, "share_description": False,
                                                                      "contact": False}})
        return file_complaint(session, body, b"k" * 32).reference


def update(reference, status, day, outcome=None, partner="kifid"):
    return FakeEvent("referral.partner_status_changed", {
        "case_ref": reference, "partner_id": partner, "status": status, "outcome": outcome,
        "changed_at": datetime(2026, 11, day, 10, 0, tzinfo=timezone.utc), "referred_on": date(2026, 11, 2)})


def apply(sessions, event):
    with sessions() as session:
        apply_partner_status(session, event, None)
        session.commit()


def test_the_latest_status_per_partner_is_kept_and_a_late_older_one_ignored(sessions):
    reference = filed(sessions)
    apply(sessions, update(reference, "received", 5))
    apply(sessions, update(reference, "answered", 20, outcome="upheld"))
    apply(sessions, update(reference, "in_handling", 10))  # arrives late
    apply(sessions, update(reference, "received", 6, partner="nationale-ombudsman"))
    with sessions() as session:
        view = case_view(session, reference)
    assert view["partner_updates"] == [
        {"partner_id": "kifid", "status": "answered", "outcome": "upheld", "changed_on": "2026-11-20"},
        {"partner_id": "nationale-ombudsman", "status": "received", "outcome": None, "changed_on": "2026-11-06"}]


def test_an_update_for_an_unknown_or_erased_case_is_not_kept(sessions):
    reference = filed(sessions)
    apply(sessions, update("VP-NONE-NONE", "answered", 20))
    with sessions() as session:
        withdraw(session, reference, b"k" * 32)  # the receipt key the case was filed with
        session.commit()
    apply(sessions, update(reference, "answered", 20))
    with sessions() as session:
        assert session.execute(select(partner_status)).fetchall() == []


def test_withdrawal_erases_what_partners_said(sessions):
    reference = filed(sessions)
    apply(sessions, update(reference, "answered", 20, outcome="settled"))
    with sessions() as session:
        withdraw(session, reference, b"k" * 32)  # the receipt key the case was filed with
        session.commit()
        assert session.execute(select(partner_status)).fetchall() == []


def _visible(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_follow_up_page_words_every_status_and_outcome_in_the_persons_language(lang):
    gettext = translations_for(lang).gettext
    for status in labels.PARTNER_STATUS_LABELS:
        outcomes = labels.PARTNER_OUTCOME_LABELS if status in ("answered", "closed") else {None: None}
        for outcome in outcomes:
            view = {"reference": "VP-7KQ2-M9XD", "status": "planned", "mediator": {}, "plan": [],
                    "partner_updates": [{"partner_id": "kifid", "status": status, "outcome": outcome,
                                         "changed_on": "2026-11-20"}]}
            text = _visible(pages.render_follow_up(lang, "t" * 43, follow_up_status(view), None, receipt="x"))
            wanted = [labels.PARTNER_STATUS_LABELS[status]] + ([labels.PARTNER_OUTCOME_LABELS[outcome]] if outcome
                                                                else [])
            for english in wanted:
                translated = gettext(english)
                assert translated in text, (lang, status, outcome)
                if lang != "en":
                    assert translated != english and english not in text, (lang, english)
            assert gettext("News from the organisations we passed your complaint on to") in text
            assert "Kifid" in text and "kifid" not in text.replace("Kifid", "")  # the name, not the id
