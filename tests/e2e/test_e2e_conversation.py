"""The conversation end to end (issue 15), on the whole platform with the real broker, PostgreSQL, SMTP catcher and
Chromium: the person writes in Romanian with a photo on the follow-up page without JavaScript; the case handler
reads it in the workspace and answers with a standard text; the person reads the answer in Romanian on the
follow-up page, again without JavaScript, and gets exactly one "a message is waiting" e-mail without the text.
Then the canary sweep: no message text, file content or EXIF field in plaintext in any database table, log line,
broker message or e-mail; the stored photo has no EXIF; axe-core on the new pages."""
import io
import json
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
import requests
from PIL import Image
from sqlalchemy import create_engine, inspect, text

from support.broker_watch import ShadowQueue, wait_until_handler_queues_idle
from support.browser import axe_available, axe_violations, browser, new_page  # noqa: F401 - `browser` is a fixture
from support.platform import complaint, file_complaint, wait_for
from support.workspace import Audit, add_account, key_directory_version, set_up, workspace

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.broker, pytest.mark.postgres]


def photo(path, canary):
    exif = Image.Exif()
    exif[0x0110], exif[0x010F], exif[0x0131] = f"{canary}-model", f"{canary}-make", f"{canary}-software"
    Image.new("RGB", (120, 80), (200, 40, 40)).save(path, format="JPEG", exif=exif.tobytes())
    return path


def follow_up(browser, platform, reference, receipt):
    """The follow-up page in Romanian with JavaScript off, the case looked up with its receipt."""
    page, _log = new_page(browser, javascript=False, locale="ro-RO")
    page.goto(f"{platform.base_url}/ro/follow-up")
    page.fill("#f-reference", reference)
    page.fill("#f-receipt", receipt)
    with page.expect_navigation():
        page.click("form:not([enctype]) button.primary >> nth=-1")
    return page


def test_the_person_and_the_desk_write_to_each_other_sealed_in_the_persons_language(
        platform, browser, smtp, amqp_uri, amqp_vhost, tmp_path):
    _controller, mailbox = smtp
    canary = f"CANARY{uuid.uuid4().hex[:10]}"
    shadow = ShadowQueue(amqp_uri, amqp_vhost)
    try:
        audit = Audit()
        before = key_directory_version(platform)
        email = f"ioana.{uuid.uuid4().hex[:8]}@desk.test"  # staff: not part of the canary sweep
        handler, _secret = set_up(browser, platform, email, add_account(platform, email, "case_handler"), audit)
        wait_for(lambda: key_directory_version(platform) > before, timeout=30, what="intake to seal for the handler")
        person_address = f"{canary.lower()}@example.test"
        filed = file_complaint(platform.base_url, complaint(
            language="ro", description=f"Banca mi-a închis contul {canary}-description",
            contact={"method": "email", "address": person_address},
            consent={"referral": True, "share_description": False, "contact": True}))
        reference, receipt = filed["reference"], filed["receipt"]

        # 1. the person writes in Romanian with a photo, without JavaScript
        page = follow_up(browser, platform, reference, receipt)
        page.fill("#f-message", f"Am primit o scrisoare de la bancă {canary}-message")
        page.set_input_files("#f-attachment", str(photo(tmp_path / "scrisoare.jpg", canary)))
        with page.expect_navigation():
            page.click("button[value=write_message]")
        assert "Mesajul dumneavoastră a fost trimis biroului" in page.inner_text("main")
        assert f"{canary}-message" in page.inner_text(".conversation")

        # 2. the case handler reads it in the workspace and downloads the photo: no EXIF on it
        def message_arrived():
            handler.goto(f"{workspace(platform)}/cases/{reference}")
            return f"{canary}-message" in handler.inner_text("main")
        wait_for(message_arrived, timeout=30, interval=1, what="the person's message in the workspace")
        audit(handler, "case page with the conversation")
        link = handler.get_attribute("ol.conversation a[href*='/files/']", "href")
        downloaded = handler.request.get(f"{workspace(platform)}{link}")
        assert downloaded.status == 200 and downloaded.headers["content-type"] == "image/jpeg"
        image = Image.open(io.BytesIO(downloaded.body()))
        assert dict(image.getexif()) == {} and canary.encode() not in downloaded.body()

        # 3. … and answers with a standard text (in the person's language, Dutch beside it in the workspace)
        due = (date.today() + timedelta(days=14)).isoformat()
        handler.select_option("#standard_text", "ask_document")
        handler.fill("#missing", "scrisoarea băncii")
        handler.fill("#date", due)
        with handler.expect_navigation():
            handler.click("form[action$='/reply'] button")
        assert "Vă rugăm să ne trimiteți scrisoarea băncii" in handler.inner_text("ol.conversation")
        assert "Waiting for the person" in handler.inner_text(".facts") or \
            "Wacht op de persoon" in handler.inner_text(".facts")

        # 4. the person reads the answer in Romanian, without JavaScript; the desk's read mark reaches the desk
        def answer_arrived():
            shown = follow_up(browser, platform, reference, receipt)
            return shown if "Vă rugăm să ne trimiteți scrisoarea băncii" in shown.inner_text("main") else None
        person = wait_for(answer_arrived, timeout=30, interval=1, what="the desk's answer on the follow-up page")
        assert "Biroul vă roagă să răspundeți înainte de" in person.inner_text(".conversation")

        # 5. exactly one content-free "a message is waiting" e-mail to the person
        waiting = wait_for(lambda: [m for m in mailbox.messages if m["to"] == [person_address]
                                    and "vă așteaptă un mesaj" in (m["subject"] or "")], timeout=30,
                           what="the 'message waiting' e-mail")
        wait_until_handler_queues_idle(amqp_vhost, "every handler queue idle")
        waiting = [m for m in mailbox.messages if m["to"] == [person_address]
                   and "vă așteaptă un mesaj" in (m["subject"] or "")]
        assert len(waiting) == 1
        assert "scrisoarea băncii" not in waiting[0]["raw"] and canary not in waiting[0]["content"]

        # axe-core on the follow-up page with the conversation, in a context that may run axe's script
        if axe_available():
            checked, _log = new_page(browser, javascript=True, locale="ro-RO")
            checked.goto(f"{platform.base_url}/ro/follow-up")
            checked.fill("#f-reference", reference)
            checked.fill("#f-receipt", receipt)
            with checked.expect_navigation():
                checked.click("form:not([enctype]) button.primary >> nth=-1")
            assert axe_violations(checked) == []
        audit.assert_clean()

        # 6. the canary sweep
        wait_until_handler_queues_idle(amqp_vhost, "every handler queue idle")
        messages = shadow.drain()
        assert messages and not [m for m in messages if canary in m["body"] or canary.lower() in m["body"]]
        engine = create_engine(platform.pg_url)
        with engine.connect() as conn:
            for table in inspect(conn).get_table_names():
                dump = json.dumps([[str(v) if not isinstance(v, bytes) else v.hex() for v in row]
                                   for row in conn.execute(text(f'SELECT * FROM "{table}"'))])
                assert canary not in dump and canary.lower() not in dump, table
                raw = [bytes(v) for row in conn.execute(text(f'SELECT * FROM "{table}"')) for v in row
                       if isinstance(v, (bytes, memoryview))]
                assert not [b for b in raw if canary.encode() in b], table  # the photo's EXIF, sealed or gone
        engine.dispose()
        for log in Path(platform.log_dir).glob("*.log"):
            assert canary not in log.read_text(errors="replace"), log.name
        for mail in mailbox.messages:
            if mail["to"] != [person_address]:
                assert canary not in mail["raw"] and canary.lower() not in mail["raw"]
        assert requests.get(f"{platform.base_url}/api/v1/complaints/{reference}/messages", timeout=10).status_code \
            == 401  # and the conversation never without the receipt
    finally:
        shadow.close()
