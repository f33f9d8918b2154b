"""What a caller gets when intake fails on its side: a database outage is a 503 with Retry-After (what was sent
was not stored), anything else a generic 500; the API answers JSON, a person's browser gets the page in its
language. Nothing of the request is echoed."""
import json

import pytest
from sqlalchemy.exc import OperationalError
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.intake.web.observed import observed

CANARY = "CANARY-failure-7f3a"


def request(path, body=None):
    return Request(EnvironBuilder(path=path, method="POST", data=body or "", headers={"X-Forwarded-For": "198.51.100.9"},
                                  content_type="application/json").get_environ())


def failing_with(exc):
    class Service:
        def handler(self, _request, *_args, **_kwargs):
            raise exc
    return Service()


DATABASE_DOWN = OperationalError(f"INSERT {CANARY}", {"description": CANARY}, ConnectionRefusedError(CANARY))


def call(route, exc, *args):
    service = failing_with(exc)
    return observed(route)(type(service).handler)(service, request("/x", json.dumps({"d": CANARY})), *args)


def test_a_database_outage_on_the_api_is_503_with_retry_after_and_says_nothing_was_saved():
    response = call("/api/v1/complaints", DATABASE_DOWN)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    body = response.get_data(as_text=True)
    assert json.loads(body)["error"]["code"] == "unavailable" and "could not save" in body
    assert CANARY not in body


def test_any_other_failure_on_the_api_is_a_generic_500():
    response = call("/api/v1/complaints", RuntimeError(CANARY))
    assert response.status_code == 500 and "Retry-After" not in response.headers
    assert json.loads(response.get_data(as_text=True))["error"]["code"] == "internal_error"
    assert CANARY not in response.get_data(as_text=True)


@pytest.mark.parametrize("exc, status", [(DATABASE_DOWN, 503), (RuntimeError(CANARY), 500)])
def test_a_person_filling_in_the_form_gets_the_error_page_in_their_language(exc, status):
    response = call("/{lang}/form", exc, "es")
    assert response.status_code == status and response.mimetype == "text/html"
    assert response.headers["Content-Language"] == "es"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
    page = response.get_data(as_text=True)
    assert "<html" in page and '"error"' not in page and CANARY not in page
    assert (response.headers.get("Retry-After") == "30") == (status == 503)
    assert "Algo salió mal por nuestra parte" in page  # Spanish, not English
    if status == 503:
        assert "Espera unos minutos y vuelve a intentarlo." in page
