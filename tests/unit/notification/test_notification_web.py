"""The link pages without a database: invalid, tampered and expired links are refused before any lookup."""
from datetime import datetime, timedelta, timezone

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.notification.domain import signed_links
from services.notification.web import links, pages

SECRET = b"s" * 32
NOW = datetime(2026, 11, 30, 9, tzinfo=timezone.utc)


def no_database():
    raise AssertionError("an invalid link must not reach the database")


def call(token, method="GET"):
    request = Request(EnvironBuilder(method=method, path=f"/mediator/links/{token}").get_environ())
    return links.handle_link(request, token, no_database, SECRET, None, NOW)


def test_expired_tampered_and_foreign_links_are_refused():
    token = signed_links.make_token(SECRET, "VP-AB12-CD34", "m-1", "accept", int(NOW.timestamp()) - 1)
    response, action, result = call(token, "POST")
    assert (response.status_code, action, result) == (410, None, "expired")
    fresh = signed_links.make_token(SECRET, "VP-AB12-CD34", "m-1", "accept",
                                    int((NOW + timedelta(days=1)).timestamp()))
    assert call(fresh[:-2] + ("AA" if not fresh.endswith("AA") else "BB"))[0].status_code == 404
    foreign = signed_links.make_token(b"x" * 32, "VP-AB12-CD34", "m-1", "accept",
                                      int((NOW + timedelta(days=1)).timestamp()))
    response = call(foreign, "POST")[0]
    assert response.status_code == 404 and "VP-AB12-CD34" not in response.get_data(as_text=True)
    assert response.headers["Referrer-Policy"] == "no-referrer" and response.headers["Cache-Control"] == "no-store"
    assert call("x" * 600)[2] == "malformed"


def test_the_confirmation_page_offers_both_choices_with_the_same_expiry():
    expires = int((NOW + timedelta(days=2)).timestamp())
    token = signed_links.make_token(SECRET, "VP-AB12-CD34", "m-1", "decline", expires)
    response = pages.confirmation(SECRET, token, "VP-AB12-CD34", "m-1", "decline", "done")
    text = response.get_data(as_text=True)
    accept = signed_links.make_token(SECRET, "VP-AB12-CD34", "m-1", "accept", expires)
    assert f'action="/mediator/links/{accept}"' in text and f'action="/mediator/links/{token}"' in text
    assert 'method="post"' in text
