"""The public API's addresses and their methods, read off the service's HTTP entrypoints (service.py) instead of
being listed again: one list for nameko's routing, the 405-or-404 answer of an address nobody serves and
/openapi.json (openapi.py). tests/unit/intake/test_intake_api_routes.py holds the document equal to the routes, and
each entrypoint's metrics label (`observed`) equal to its address as a template.

Only the API answers 405: a wrong method on one of its addresses is a mistake a client can correct (Allow says
how). The pages answer 404 to anything they do not serve, as they do for a language the desk does not speak.
"""
import re
from dataclasses import dataclass

from services.intake.web.responses import error_response

OPENAPI_ADDRESS = "/openapi.json"
_PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")  # werkzeug's <converter:name>


def is_api_address(path):
    """An address of the public API (or its description), as a path or a route template."""
    return path.startswith("/api/") or path == OPENAPI_ADDRESS


def template(url):
    """`/api/v1/complaints/<string:reference>` → `/api/v1/complaints/{reference}` (OpenAPI's and the metrics')."""
    return _PARAMETER.sub(lambda match: "{" + match.group(2) + "}", url)


def _pattern(url):
    """The paths a werkzeug rule matches: a `path` parameter spans slashes, any other stops at one."""
    parts, position = [], 0
    for match in _PARAMETER.finditer(url):
        parts.append(re.escape(url[position:match.start()]))
        parts.append(".+" if match.group(1) == "path" else "[^/]+")
        position = match.end()
    parts.append(re.escape(url[position:]))
    return re.compile("^" + "".join(parts) + "$")


@dataclass(frozen=True)
class Route:
    url: str  # the werkzeug rule, as the entrypoint declares it
    methods: tuple  # in the order the service declares them (the Allow header's order)
    pattern: re.Pattern

    @property
    def template(self):
        return template(self.url)


def http_entrypoints(service_cls):
    """(method, url) of every nameko HTTP entrypoint of the class, in the order the class defines them. nameko
    keeps a method's entrypoints in its `nameko_entrypoints`; the HTTP ones carry `method` ("GET,POST") and `url`."""
    for attribute in vars(service_cls).values():
        for entrypoint in getattr(attribute, "nameko_entrypoints", ()):
            if isinstance(getattr(entrypoint, "url", None), str) and isinstance(getattr(entrypoint, "method", None),
                                                                                 str):
                for method in entrypoint.method.split(","):
                    yield method, entrypoint.url


def known_routes(service_cls):
    """The API's routes: each address once, with all its methods."""
    methods_by_url = {}
    for method, url in http_entrypoints(service_cls):
        if is_api_address(url):
            methods_by_url.setdefault(url, []).append(method)
    return tuple(Route(url, tuple(methods), _pattern(url)) for url, methods in methods_by_url.items())


def allowed_methods(routes, path):
    return next((route.methods for route in routes if route.pattern.match(path)), ())


def not_found(routes, path):
    """The answer for an address and method no entrypoint serves: 405 with Allow on an API address, else 404."""
    allowed = allowed_methods(routes, path)
    if allowed:
        return error_response(405, "method_not_allowed", "This address does not take that method.",
                              headers={"Allow": ", ".join(allowed)})
    return error_response(404, "not_found", "There is nothing at this address.")
