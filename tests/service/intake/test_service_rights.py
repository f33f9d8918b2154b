"""The rights guide, the letter form and POST /api/v1/letters in the intake service's nameko container, through its
real web server: the pages in two languages, the letter as page, PDF and text, the API's formats and refusals, a
flood answered 429, and the privacy rule: a canary name and address in a letter request appear in the response
only, never in intake's tables, its logs, its metrics or its outbox."""
import io
import json
import os

import pytest
import requests
from pypdf import PdfReader
from sqlalchemy import select

from libs.kit.logs import get_logger
from services.intake import settings
from services.intake.service import IntakeService, config
from services.intake.tables import metadata
from services.intake.web import observed
from support.platform import free_port

pytestmark = [pytest.mark.broker]

CANARY_NAME, CANARY_STREET, CANARY_WORDS = "Canary Vogelaar-9e3b", "Kanariepad 93b", "CANARY-WORDS-41f0"
LETTER = {
    "channel_id": "internal:municipality",
    "facts": {"institution_type": "municipality", "issue": "rude_treatment", "municipality": "GM0363",
              "incident_date": "2026-03-03"},
    "sender": {"name": CANARY_NAME, "address": CANARY_STREET, "postcode_city": "1012 AB Amsterdam"},
    "account": f"The inspector shouted at me. {CANARY_WORDS}",
    "language": "bg",
}


@pytest.fixture(autouse=True)
def intake_settings(monkeypatch):
    monkeypatch.setenv("RECEIPT_KEY", "7e" * 32)
    monkeypatch.setenv("INTAKE_BURST_PER_CLIENT", "100000")  # every request of these tests comes from 127.0.0.1
    caches = (settings.load, settings.load_web, observed.limiter)
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


@pytest.fixture()
def intake(start_service):
    """(session factory, base URL); the letter builder needs no key directory: it stores nothing."""
    address = f"127.0.0.1:{free_port()}"
    _container, sessions = start_service(IntakeService, config, WEB_SERVER_ADDRESS=address)
    return sessions, f"http://{address}"


def browser(base, lang):
    session = requests.Session()
    session.headers["Origin"] = base
    token = session.get(f"{base}/{lang}/letter", timeout=10).cookies["vp_csrf"]
    return session, token


@pytest.mark.parametrize("lang, title, topic_text", [
    ("nl", "Je rechten en plichten", "Sinds 1 januari 2024 heeft elke gemeente een meldpunt"),
    ("pl", "Twoje prawa i obowiązki", "Od 1 stycznia 2024 roku każda gmina ma punkt zgłaszania"),
])
def test_the_guide_and_a_topic_answer_in_their_language(intake, lang, title, topic_text):
    _sessions, base = intake
    guide = requests.get(f"{base}/{lang}/rights", timeout=10)
    assert guide.status_code == 200 and title in guide.text and guide.headers["Content-Language"] == lang
    assert guide.headers["Cache-Control"] == "no-store" and "default-src 'self'" in guide.headers[
        "Content-Security-Policy"]
    topic = requests.get(f"{base}/{lang}/rights/housing", timeout=10)
    assert topic.status_code == 200 and topic_text in topic.text
    assert requests.get(f"{base}/{lang}/rights/no-such-topic", timeout=10).status_code == 404
    assert requests.get(f"{base}/xx/rights", timeout=10).status_code == 404
    assert requests.get(f"{base}/xx/rights/housing", timeout=10).status_code == 404


def test_the_letter_form_builds_a_page_a_pdf_and_a_text_and_refuses_a_post_without_its_token(intake):
    _sessions, base = intake
    session, token = browser(base, "ro")
    answers = {"channel_id": "politie-klachten", "institution_type": "police", "issue": "rude_treatment",
               "incident_date": "14-10-2026", "incident_place": "Rotterdam", "account": "Rude officers.",
               "sender_name": CANARY_NAME, "sender_address": CANARY_STREET, "sender_postcode_city": "3011 AA Rotterdam"}
    assert session.post(f"{base}/ro/letter", data=answers, timeout=10).status_code == 403
    page = session.post(f"{base}/ro/letter", data={**answers, "csrf_token": token, "output": "html"}, timeout=10)
    assert page.status_code == 200 and "Aan de politiechef" in page.text and "Către șeful poliției" in page.text
    pdf = session.post(f"{base}/ro/letter", data={**answers, "csrf_token": token, "output": "pdf"}, timeout=30)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["Content-Disposition"] == 'attachment; filename="klachtbrief.pdf"'
    text = "".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "".join(CANARY_NAME.split()) in text and "Aandepolitiechef" in text
    plain = session.post(f"{base}/ro/letter", data={**answers, "csrf_token": token, "output": "text"}, timeout=10)
    assert plain.status_code == 200 and plain.headers["Content-Type"].startswith("text/plain")
    missing = session.post(f"{base}/ro/letter", data={**answers, "sender_name": "", "csrf_token": token},
                           timeout=10)
    assert missing.status_code == 400 and 'href="#f-sender_name"' in missing.text


def test_a_plan_step_opens_the_form_with_its_facts(intake):
    _sessions, base = intake
    session, token = browser(base, "en")
    started = session.post(f"{base}/en/letter", timeout=10, data={
        "csrf_token": token, "action": "start", "channel_id": "kifid", "institution_type": "bank",
        "issue": "account_refused_or_closed", "capacity": "private", "prior_filed_on": "2026-06-01"})
    assert started.status_code == 200
    assert '<option value="kifid" selected>' in started.text and 'value="2026-06-01"' in started.text


@pytest.mark.parametrize("accept, mimetype", [("application/pdf", "application/pdf"), ("text/html", "text/html"),
                                               ("text/plain", "text/plain")])
def test_the_api_answers_the_format_asked_for(intake, accept, mimetype):
    _sessions, base = intake
    response = requests.post(f"{base}/api/v1/letters", json=LETTER, headers={"Accept": accept}, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(mimetype)


def test_the_api_refuses_what_it_cannot_answer_without_echoing_it(intake):
    _sessions, base = intake
    assert requests.post(f"{base}/api/v1/letters", json=LETTER, headers={"Accept": "application/json"},
                         timeout=10).status_code == 406
    anonymous = dict(LETTER, sender={})
    refused = requests.post(f"{base}/api/v1/letters", json=anonymous, headers={"Accept": "application/pdf"},
                            timeout=10)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "missing_required_fields"
    assert "sender.name" in refused.json()["error"]["fields"] and CANARY_WORDS not in refused.text
    assert requests.get(f"{base}/api/v1/letters", timeout=10).status_code == 405
    document = requests.get(f"{base}/openapi.json", timeout=10).json()
    assert "/api/v1/letters" in document["paths"] and "LetterRequest" in document["components"]["schemas"]


def test_a_flood_of_letter_requests_gets_429(intake, monkeypatch):
    _sessions, base = intake
    monkeypatch.setenv("INTAKE_BURST_PER_CLIENT", "5")
    monkeypatch.setenv("INTAKE_RATE_PER_CLIENT", "1")
    settings.load_web.cache_clear()
    observed.limiter.cache_clear()
    statuses = [requests.post(f"{base}/api/v1/letters", json=LETTER, headers={"Accept": "text/plain"},
                              timeout=10).status_code for _ in range(12)]
    assert statuses.count(429) >= 5 and 200 in statuses
    limited = requests.post(f"{base}/api/v1/letters", json=LETTER, headers={"Accept": "text/plain"}, timeout=10)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1


def test_the_name_address_and_words_in_a_letter_go_nowhere_but_the_response(intake, capfd):
    sessions, base = intake
    capfd.readouterr()  # what the service printed while starting
    for accept in ("application/pdf", "text/html", "text/plain"):
        answered = requests.post(f"{base}/api/v1/letters", json=LETTER, headers={"Accept": accept}, timeout=30)
        assert answered.status_code == 200
    shown = requests.post(f"{base}/api/v1/letters", json=LETTER, headers={"Accept": "text/plain"}, timeout=10)
    assert CANARY_NAME in shown.text and CANARY_STREET in shown.text and CANARY_WORDS in shown.text  # the response
    session, token = browser(base, "en")
    form = {"channel_id": "internal:municipality", "institution_type": "municipality", "issue": "rude_treatment",
            "municipality": "GM0363", "account": CANARY_WORDS, "sender_name": CANARY_NAME,
            "sender_address": CANARY_STREET, "sender_postcode_city": "1012 AB Amsterdam", "csrf_token": token}
    assert session.post(f"{base}/en/letter", data=form, timeout=10).status_code == 200
    broken = dict(LETTER, facts=dict(LETTER["facts"], issue=CANARY_WORDS))       # an error must not echo either
    assert CANARY_WORDS not in requests.post(f"{base}/api/v1/letters", json=broken,
                                             headers={"Accept": "text/plain"}, timeout=10).text

    canaries = (CANARY_NAME, CANARY_STREET, CANARY_WORDS, "Kanariepad", "Vogelaar")
    with sessions() as session_:
        stored = [json.dumps([list(map(str, row)) for row in session_.execute(select(table)).fetchall()])
                  for table in metadata.sorted_tables]                           # every table, the outbox too
    assert not any(canary in dump for dump in stored for canary in canaries)
    get_logger().info("privacy.test_marker")           # proves this capture sees the service's structlog lines
    printed = capfd.readouterr()
    logs = printed.out + printed.err
    assert "privacy.test_marker" in logs
    assert not any(canary in logs for canary in canaries)
    metrics = requests.get(f"http://127.0.0.1:{os.environ['INTAKE_METRICS_PORT']}/metrics", timeout=10).text
    assert 'route="/api/v1/letters"' in metrics and 'route="/{lang}/letter"' in metrics
    assert not any(canary in metrics for canary in canaries)
