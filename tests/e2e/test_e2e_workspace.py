"""The desk at work, in a real browser on the whole platform: a person files a complaint with consent to mediation
and to sharing with a mediator; a case handler sets up her account (password, second factor), finds the case in the
queue, reads the description, writes a note and moves the case on; she grants the mediator; the mediator signs in,
sees only that case and reads the description and contact. A colleague added later cannot read the old case until
someone shares it; the recovery key opens it for him. No plaintext at rest or in transit on the server side, every
step in the audit log, axe-core on every workspace page."""
import json
import uuid

import pytest
import requests
from sqlalchemy import create_engine, text

from support.browser import browser  # noqa: F401 - `browser` is a fixture
from support.platform import complaint, file_complaint, wait_for, wait_until_drained
from support.workspace import (
    Audit, add_account, casework_cli, key_directory_version, set_up, sign_in, workspace,
)

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.broker, pytest.mark.postgres]


def test_a_case_handler_reads_works_and_shares_a_case_and_the_mediator_reads_only_that_one(platform, browser, amqp_uri):
    wait_until_drained(amqp_uri)
    audit = Audit()
    canary = f"CANARY{uuid.uuid4().hex[:10]}"
    before = key_directory_version(platform)
    anna_code = add_account(platform, f"anna.{canary.lower()}@desk.test", "case_handler")
    mediator_code = add_account(platform, f"med.{canary.lower()}@desk.test", "mediator", f"med-{canary.lower()}")
    anna, anna_secret = set_up(browser, platform, f"anna.{canary.lower()}@desk.test", anna_code, audit)
    mediator, mediator_secret = set_up(browser, platform, f"med.{canary.lower()}@desk.test", mediator_code, audit)
    wait_for(lambda: key_directory_version(platform) > before, timeout=30, what="intake to seal for Anna's key")

    # the person files, asking for mediation and agreeing that a mediator may see the case
    filed = file_complaint(platform.base_url, complaint(
        description=f"The inspector took my papers {canary}", wants_mediation=True, language="ro",
        contact={"method": "email", "address": f"{canary}@example.test"},
        consent={"referral": True, "share_description": False, "contact": True, "share_with_mediator": True}))
    other = file_complaint(platform.base_url, complaint(description=f"Another case {canary}"))
    reference = filed["reference"]

    # the case handler: the queue, the case with its description, a note, a status. The session's platform holds
    # every earlier test's cases (more than a page of 50), so she searches the "new" list by reference
    def in_queue():
        anna.goto(f"{workspace(platform)}/queue?list=new&ref={reference}")
        return reference in anna.content()
    wait_for(in_queue, timeout=30, interval=1, what="the case in Anna's queue")
    audit(anna, "queue")
    anna.goto(f"{workspace(platform)}/cases/{reference}")
    assert f"The inspector took my papers {canary}" in anna.inner_text("main")
    assert f"{canary}@example.test" in anna.inner_text("main")
    audit(anna, "case")
    anna.fill("#note", f"Called the municipality {canary}-note")
    with anna.expect_navigation():
        anna.click("form[action$='/notes'] button")
    assert f"Called the municipality {canary}-note" in anna.inner_text("main")
    anna.select_option("#status", "waiting_institution")
    with anna.expect_navigation():
        anna.click("form[action$='/status'] button")
    assert "Waiting for the institution" in anna.inner_text(".facts")

    # she gives the mediator access (the person agreed); the mediator sees this case and no other
    anna.select_option("#mediator", label=f"med.{canary.lower()} (med-{canary.lower()})")
    with anna.expect_navigation():
        anna.click("form[action$='/grant'] button")
    assert "Revoke access" in anna.inner_text("main")
    mediator.goto(f"{workspace(platform)}/queue")
    audit(mediator, "mediator's cases")
    assert reference in mediator.inner_text("main") and other["reference"] not in mediator.inner_text("main")
    mediator.goto(f"{workspace(platform)}/cases/{reference}")
    assert f"The inspector took my papers {canary}" in mediator.inner_text("main")
    assert f"{canary}@example.test" in mediator.inner_text("main")
    refused = mediator.goto(f"{workspace(platform)}/cases/{other['reference']}")
    assert refused.status == 403
    audit(mediator, "refused case")

    # the account page, sign-out and a new sign-in with a second factor
    anna.goto(f"{workspace(platform)}/account")
    audit(anna, "account")
    again = sign_in(browser, platform, f"anna.{canary.lower()}@desk.test", anna_secret, audit)
    assert "/queue" in again.url or reference in again.content()

    # every step is in the audit log, and the chain verifies
    verified = casework_cli(platform, "audit", "verify")
    assert verified.startswith("intact")
    engine = create_engine(platform.pg_url)
    with engine.connect() as conn:
        actions = {row.action for row in conn.execute(text(
            "SELECT action FROM casework_audit_log WHERE case_ref = :ref"), {"ref": reference})}
        signins = conn.execute(text("SELECT count(*) FROM casework_audit_log WHERE action = 'signin.succeeded'"))\
            .scalar()
        # no plaintext at rest: the case file, the note, the contact are sealed in casework's and intake's tables
        for table in ("casework_case_items", "casework_cases", "casework_history", "casework_audit_log",
                      "intake_complaints", "intake_outbox", "casework_inbox"):
            dump = json.dumps([list(map(str, row)) for row in conn.execute(text(f"SELECT * FROM {table}"))])
            assert canary not in dump, table
    engine.dispose()
    assert {"case.opened", "note.added", "status.changed", "grant.added"} <= actions
    assert signins >= 3
    audit.assert_clean()


def test_a_colleague_added_later_reads_new_cases_at_once_and_old_ones_through_the_recovery_key(platform, browser):
    audit = Audit()
    tag = uuid.uuid4().hex[:8]
    before = key_directory_version(platform)
    old = file_complaint(platform.base_url, complaint(description=f"before Bram joined {tag}"))
    bram_email = f"bram.{tag}@desk.test"
    bram, _secret = set_up(browser, platform, bram_email, add_account(platform, bram_email, "case_handler"), audit)
    wait_for(lambda: key_directory_version(platform) > before, timeout=30, what="intake to seal for Bram's key")
    new = file_complaint(platform.base_url, complaint(description=f"after Bram joined {tag}"))

    def readable(reference, words):
        bram.goto(f"{workspace(platform)}/cases/{reference}")
        return words in bram.inner_text("main")
    wait_for(lambda: readable(new["reference"], f"after Bram joined {tag}"), timeout=30, interval=1,
             what="the new case, readable for Bram")
    bram.goto(f"{workspace(platform)}/cases/{old['reference']}")
    assert "not yet sealed for your key" in bram.inner_text("main")  # a clear notice, nothing opened
    # the desk's recovery key (a local run keeps it under var/keys/) opens the old case for Bram
    recovery_key = platform.env["VOORPORTAAL_VAR_DIR"] + "/keys/desk-recovery.key"
    shared = casework_cli(platform, "recovery", "share", "--recovery-key", recovery_key, "--to", bram_email,
                          "--case", old["reference"])
    assert shared.startswith("1 case(s)")
    assert readable(old["reference"], f"before Bram joined {tag}")
    audit.assert_clean()


def test_the_workspace_is_not_on_the_public_address(platform):
    for path in ("/sign-in", "/queue", "/setup"):
        assert requests.get(f"{platform.base_url}{path}", timeout=10).status_code == 404
