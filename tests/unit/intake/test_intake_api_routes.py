"""One list of intake's addresses: the HTTP entrypoints of service.py. /openapi.json documents exactly the API
routes they serve, the 405-or-404 answer reads them, and the metrics' route labels are their templates."""
import json

import pytest

from services.intake.service import API_ROUTES, IntakeService
from services.intake.web import api_routes
from services.intake.web.openapi import openapi_document

# the `route` label of voorportaal_http_requests_total (docs/metrics.md): dashboards and alerts name these
ROUTE_LABELS = {
    "/api/v1/complaints", "/api/v1/complaints/{reference}", "/api/v1/complaints/{reference}/updates",
    "/api/v1/complaints/{reference}/contact", "/api/v1/complaints/{reference}/messages",
    "/api/v1/complaints/{reference}/feedback",
    "/api/v1/complaints/{reference}/messages/{message_id}/attachments/{attachment_id}",
    "/api/v1/route", "/api/v1/channels", "/openapi.json",
    "/", "/{lang}/", "/{lang}/form", "/{lang}/follow-up", "/{lang}/options", "/static/{name}", "other",
    "/api/v1/letters", "/{lang}/rights", "/{lang}/rights/{topic}", "/{lang}/letter",
}


def test_openapi_documents_every_api_route_and_only_those():
    served = {(route.template, method.lower()) for route in API_ROUTES for method in route.methods
              if route.url != api_routes.OPENAPI_ADDRESS}
    documented = {(path, method) for path, operations in openapi_document()["paths"].items()
                  for method in operations}
    assert documented == served


def test_the_api_routes_are_read_off_the_entrypoints():
    assert [(route.template, route.methods) for route in API_ROUTES] == [
        ("/api/v1/complaints", ("POST",)),
        ("/api/v1/complaints/{reference}", ("GET", "DELETE")),
        ("/api/v1/complaints/{reference}/updates", ("POST",)),
        ("/api/v1/complaints/{reference}/feedback", ("POST",)),
        ("/api/v1/complaints/{reference}/contact", ("DELETE",)),
        ("/api/v1/complaints/{reference}/messages", ("GET", "POST")),
        ("/api/v1/complaints/{reference}/messages/{message_id}/attachments/{attachment_id}", ("GET",)),
        ("/api/v1/route", ("POST",)),
        ("/api/v1/channels", ("GET",)),
        ("/openapi.json", ("GET",)),
        ("/api/v1/letters", ("POST",)),
    ]


def test_every_entrypoint_is_observed_under_its_address_as_the_route_label():
    labels = {}
    for attribute in vars(IntakeService).values():
        for entrypoint in getattr(attribute, "nameko_entrypoints", ()):
            if hasattr(entrypoint, "url"):
                # observed: rate limits, failures, metrics; its label is the address, the catch-all's "other"
                labels[entrypoint.url] = attribute.route_label
                assert attribute.route_label in (api_routes.template(entrypoint.url), "other"), entrypoint.url
    assert set(labels.values()) == ROUTE_LABELS and labels["/<path:path>"] == "other"


@pytest.mark.parametrize("path, allowed", [
    ("/api/v1/complaints", "POST"),
    ("/api/v1/complaints/VP-0000-0000", "GET, DELETE"),
    ("/api/v1/complaints/VP-0000-0000/updates", "POST"),
    ("/api/v1/complaints/VP-0000-0000/contact", "DELETE"),
    ("/api/v1/complaints/VP-0000-0000/feedback", "POST"),
    ("/api/v1/complaints/VP-0000-0000/messages", "GET, POST"),
    ("/api/v1/route", "POST"),
    ("/api/v1/channels", "GET"),
    ("/openapi.json", "GET"),
    ("/api/v1/letters", "POST"),
])
def test_a_wrong_method_on_an_api_address_is_405_with_allow(path, allowed):
    response = api_routes.not_found(API_ROUTES, path)
    assert response.status_code == 405 and response.headers["Allow"] == allowed
    assert json.loads(response.get_data())["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize("path", [
    "/api/v1/complaints/", "/api/v1/complaints/VP-0000-0000/other", "/api/v1/complaints/a/b/updates",
    "/api/v2/complaints", "/openapi.yaml", "/en/form", "/nl/", "/static/voorportaal.css", "/no/such/page",
])
def test_any_other_address_is_404(path):
    response = api_routes.not_found(API_ROUTES, path)
    assert response.status_code == 404 and "Allow" not in response.headers
    assert json.loads(response.get_data())["error"]["code"] == "not_found"


def test_templates_and_patterns_follow_werkzeugs_rules():
    assert api_routes.template("/<string:lang>/form") == "/{lang}/form"
    assert api_routes.template("/<path:path>") == "/{path}"
    routes = api_routes.known_routes(IntakeService)
    assert routes == API_ROUTES
