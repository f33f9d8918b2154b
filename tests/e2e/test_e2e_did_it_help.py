"""Did it help? (issue 18) end to end, on the whole platform with the real broker, PostgreSQL, SMTP catcher and
Chromium: a case handler closes the case in the workspace; the person gets one content-free "did it help?" e-mail
and answers on the follow-up page in Polish without JavaScript: not solved, treated badly by the institution, well
by the desk, please reopen, with a free answer. The case is back in the desk's queue (in progress, due today) with
the answer in its history and the free answer readable only there; the evaluation counts the case once. Bad input
on the API gets clear answers and changes nothing: a bad field, twice, a wrong receipt, a case with no question, a
withdrawn case. The free answer's canary is nowhere in plaintext: no table, log line, broker message or e-mail."""
import json
import uuid
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, inspect, text

from support.broker_watch import ShadowQueue, wait_until_handler_queues_idle
from support.browser import axe_available, axe_violations, browser, new_page  # noqa: F401 - `browser` is a fixture
from support.platform import complaint, file_complaint, wait_for
from support.workspace import Audit, add_account, key_directory_version, set_up, workspace

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.broker, pytest.mark.postgres]


def follow_up(browser, platform, reference, receipt):
    """The follow-up page in Polish with JavaScript off, the case looked up with its receipt."""
    page, _log = new_page(browser, javascript=False, locale="pl-PL")
    page.goto(f"{platform.base_url}/pl/follow-up")
    page.fill("#f-reference", reference)
    page.fill("#f-receipt", receipt)
    with page.expect_navigation():
        page.click("form:not([enctype]) button.primary >> nth=-1")
    return page


def feedback_api(platform, reference, receipt, body):
    return requests.post(f"{platform.base_url}/api/v1/complaints/{reference}/feedback", json=body, timeout=10,
                         headers={"Authorization": f"Receipt {receipt}"})


def facts(platform, sql):
    engine = create_engine(platform.pg_url)
    with engine.connect() as conn:
        rows = conn.execute(text(sql)).fetchall()
    engine.dispose()
    return rows


def test_the_desk_closes_the_person_says_not_solved_reopen_and_the_case_is_back_once(
        platform, browser, smtp, amqp_uri, amqp_vhost):
    _controller, mailbox = smtp
    canary = f"CANARY{uuid.uuid4().hex[:10]}"
    shadow = ShadowQueue(amqp_uri, amqp_vhost)
    try:
        audit = Audit()
        before = key_directory_version(platform)
        email = f"marta.{uuid.uuid4().hex[:8]}@desk.test"  # staff: not part of the canary sweep
        handler, _secret = set_up(browser, platform, email, add_account(platform, email, "case_handler"), audit)
        wait_for(lambda: key_directory_version(platform) > before, timeout=30, what="intake to seal for the handler")
        person_address = f"{canary.lower()}@example.test"
        filed = file_complaint(platform.base_url, complaint(
            language="pl", description=f"Bank zamknął moje konto {canary}-description",
            contact={"method": "email", "address": person_address},
            consent={"referral": True, "share_description": False, "contact": True}))
        reference, receipt = filed["reference"], filed["receipt"]
        unasked = file_complaint(platform.base_url, complaint(description=f"Another case {canary}-other"))

        # nothing to answer before the case closes
        early = feedback_api(platform, reference, receipt, {"solved": "no"})
        assert early.status_code == 409 and early.json()["error"]["code"] == "not_asked"

        # 1. the case handler closes the case in the workspace
        def in_queue():
            handler.goto(f"{workspace(platform)}/queue?list=new")
            return reference in handler.content()
        wait_for(in_queue, timeout=30, interval=1, what="the case in the queue")
        handler.goto(f"{workspace(platform)}/cases/{reference}")
        handler.select_option("#status", "closed")
        handler.select_option("#closure_reason", "resolved")
        with handler.expect_navigation():
            handler.click("form[action$='/status'] button")
        assert "Closed" in handler.inner_text(".facts") or "Gesloten" in handler.inner_text(".facts")

        # 2. the person is asked: on the follow-up page, and by one content-free e-mail
        def asked():
            shown = follow_up(browser, platform, reference, receipt)
            return shown if shown.query_selector("#feedback-title") else None
        person = wait_for(asked, timeout=30, interval=1, what="'did it help?' on the follow-up page")
        assert "Czy to pomogło?" in person.inner_text("#feedback-title")
        mail = wait_for(lambda: [m for m in mailbox.messages if m["to"] == [person_address]
                                 and "czy to pomogło?" in (m["subject"] or "")], timeout=30,
                        what="the 'did it help?' e-mail")[0]
        assert reference in mail["subject"] and "/pl/follow-up" in mail["content"]
        assert canary not in mail["content"] and "Bank zamknął" not in mail["raw"]

        if axe_available():  # the page with the question, in a context that may run axe's script
            checked, _log = new_page(browser, javascript=True, locale="pl-PL")
            checked.goto(f"{platform.base_url}/pl/follow-up")
            checked.fill("#f-reference", reference)
            checked.fill("#f-receipt", receipt)
            with checked.expect_navigation():
                checked.click("form:not([enctype]) button.primary >> nth=-1")
            assert checked.query_selector("#feedback-title") and axe_violations(checked) == []

        # bad input on the API: a clear 400 naming the field, nothing stored; the question stays open
        bad = feedback_api(platform, reference, receipt, {"solved": "maybe", "desk_treatment": 9})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_feedback"
        assert set(bad.json()["error"]["fields"]) == {"solved", "desk_treatment"}
        wrong = feedback_api(platform, reference, "not-the-receipt", {"solved": "no"})
        assert wrong.status_code == 404 and wrong.json()["error"]["code"] == "not_found"
        other = feedback_api(platform, unasked["reference"], unasked["receipt"], {"solved": "yes"})
        assert other.status_code == 409 and other.json()["error"]["code"] == "not_asked"

        # 3. the person answers without JavaScript: not solved, reopen, with a free answer
        person = follow_up(browser, platform, reference, receipt)
        person.check("#f-solved-no")
        person.check("#f-institution_treatment-2")
        person.check("#f-desk_treatment-4")
        person.check("#f-reopen-yes")
        person.fill("#f-comment", f"Bank nadal nie otworzył konta {canary}-feedback")
        with person.expect_navigation():
            person.click("button[value=feedback]")
        assert "Twoja sprawa wróciła do biura" in person.inner_text("main")
        assert person.query_selector("#feedback-title") is None  # answered: no question any more

        # twice: refused, nothing changes
        again = feedback_api(platform, reference, receipt, {"solved": "yes", "reopen": False})
        assert again.status_code == 409 and again.json()["error"]["code"] == "already_given"

        # 4. the case is back in the desk's queue, with the answers in its history and the free answer sealed
        def back_in_queue():
            handler.goto(f"{workspace(platform)}/queue?list=due_soon")
            return reference in handler.content()
        wait_for(back_in_queue, timeout=30, interval=1, what="the reopened case in the queue")
        handler.goto(f"{workspace(platform)}/cases/{reference}")
        facts_text = handler.inner_text(".facts")
        assert "In progress" in facts_text or "In behandeling" in facts_text
        page_text = handler.inner_text("main")
        assert "asked the desk to look at the case again" in page_text or "opnieuw naar de zaak" in page_text
        assert f"Bank nadal nie otworzył konta {canary}-feedback" in handler.inner_text("ol.conversation")
        audit(handler, "case page after a reopen request")
        audit.assert_clean()

        # 5. the evaluation counts it once: one case with a reopen request, not solved, closed on the first closing
        def counted():
            rows = facts(platform, "SELECT solved, institution_respect, desk_respect, days_to_first_response, "
                                   "days_to_closure FROM analytics_case_facts WHERE reopen_requested")
            return rows or None
        wait_for(counted, timeout=30, what="the answer in the evaluation's facts")
        wait_until_handler_queues_idle(amqp_vhost, "every handler queue idle")
        (row,) = facts(platform, "SELECT solved, institution_respect, desk_respect, days_to_first_response, "
                                 "days_to_closure FROM analytics_case_facts WHERE reopen_requested")
        assert tuple(row) == ("no", False, True, 0, 0)

        # the withdrawn case: its receipt opens nothing any more
        assert requests.delete(f"{platform.base_url}/api/v1/complaints/{unasked['reference']}", timeout=10,
                               headers={"Authorization": f"Receipt {unasked['receipt']}"}).status_code == 200
        gone = feedback_api(platform, unasked["reference"], unasked["receipt"], {"solved": "yes"})
        assert gone.status_code == 404

        # 6. the canary sweep: the free answer and the contact only sealed, everywhere
        wait_until_handler_queues_idle(amqp_vhost, "every handler queue idle")
        messages = shadow.drain()
        assert messages and not [m for m in messages if canary in m["body"] or canary.lower() in m["body"]]
        engine = create_engine(platform.pg_url)
        with engine.connect() as conn:
            for table in inspect(conn).get_table_names():
                dump = json.dumps([[str(v) if not isinstance(v, bytes) else v.hex() for v in row]
                                   for row in conn.execute(text(f'SELECT * FROM "{table}"'))])
                assert canary not in dump and canary.lower() not in dump, table
        engine.dispose()
        for log in Path(platform.log_dir).glob("*.log"):
            assert canary not in log.read_text(errors="replace"), log.name
        for sent in mailbox.messages:
            assert canary not in sent["content"], sent["subject"]
    finally:
        shadow.close()
