"""The wrapper of every intake route (`observed`): the request rate limits, the answer to a failure on our side
(JSON for the API, the error page in the page's language for a person's browser), and the HTTP metrics."""
import functools
import time

from sqlalchemy.exc import InterfaceError, OperationalError

from libs.kit import metrics
from libs.kit.logs import get_logger
from services.intake import settings
from services.intake.domain.case_file import NoKeyDirectory
from services.intake.domain.rate_limit import RateLimiter
from services.intake.metrics import SERVICE
from services.intake.web.api_routes import is_api_address
from services.intake.web.responses import HttpError, error_page, error_response
from services.intake.web.shared_limiter import SharedRateLimiter, connect

log = get_logger()


def client_address(request):
    """The client's address for rate limiting only (hashed there). Behind a proxy, set TRUST_PROXY_HEADERS.

    Each proxy appends the address it received the request from, so only the last TRUSTED_PROXY_HOPS entries of
    X-Forwarded-For were written by our own proxies; everything left of them is whatever the client sent (a
    flooder would name a new "client" on every request and never meet its own limit, ASVS 4.1.3).
    """
    current = settings.load_web()
    if current.trust_proxy_headers:
        hops = current.trusted_proxy_hops
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.remote_addr


@functools.lru_cache(maxsize=1)
def limiter():
    """The request limiter (INTAKE_RATE_* / INTAKE_BURST_*), made on the first request: shared by the replicas in
    Redis when RATE_LIMIT_REDIS_URL is set (web/shared_limiter.py), else this process's own (`make run`)."""
    web = settings.load_web()
    limits = web.rate_limits
    local = RateLimiter(per_client_rate=limits.per_client_rate, per_client_burst=limits.per_client_burst,
                        global_rate=limits.global_rate, global_burst=limits.global_burst)
    if not web.rate_limit_redis_url:
        return local
    return SharedRateLimiter(connect(web.rate_limit_redis_url), web.rate_limit_redis_prefix,
                             settings.load().receipt_key,
                             per_client_rate=limits.per_client_rate, per_client_burst=limits.per_client_burst,
                             global_rate=limits.global_rate, global_burst=limits.global_burst, fallback=local)


def failure_response(route, args, kwargs, status, code, message, headers=None):
    """A server-side failure as the caller reads it: JSON for the API, the generic page in the page's language
    for a person's browser (never the JSON body in their face)."""
    if is_api_address(route) or route == "other":
        return error_response(status, code, message, headers=headers)
    lang = kwargs.get("lang") or (args[0] if "{lang}" in route and args else "nl")
    response = error_page(lang, status)
    response.headers.update(headers or {})
    return response


def observed(route):
    """Rate-limit, count and time a route (route = template, never the concrete path with a reference in it)."""
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, request, *args, **kwargs):
            started = time.perf_counter()
            try:
                wait = limiter().retry_after(client_address(request))
                if wait:
                    raise HttpError(429, "rate_limited", "Too many requests. Please wait and try again.",
                                    headers={"Retry-After": str(wait)})
                response = method(self, request, *args, **kwargs)
            except HttpError as exc:
                response = error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)
            except NoKeyDirectory:
                # the desk's keys are not known yet (casework has not published its key directory): a complaint
                # cannot be sealed for anyone, so it is not stored at all; the operators' alert watches the gauge
                log.error("http.no_key_directory", route=route)
                response = failure_response(route, args, kwargs, 503, "unavailable",
                                            "The service is briefly unavailable and could not save what you "
                                            "sent. Please try again in a few minutes.", {"Retry-After": "30"})
            except (OperationalError, InterfaceError) as exc:
                # the database is away (restart, failover): say so, and when to come back; nothing was stored
                log.error("http.database_unavailable", route=route, error=type(exc.orig).__name__)
                response = failure_response(route, args, kwargs, 503, "unavailable",
                                            "The service is briefly unavailable and could not save what you "
                                            "sent. Please try again in a few minutes.", {"Retry-After": "30"})
            except Exception as exc:  # noqa: BLE001 - the person gets a generic 500, the log gets the class
                log.error("http.unhandled_error", route=route, error=type(exc).__name__)
                response = failure_response(route, args, kwargs, 500, "internal_error",
                                            "Something went wrong on our side. If you got no reference, what "
                                            "you sent was not received: please try again later.")
            metrics.HTTP_REQUESTS.labels(SERVICE, route, request.method, str(response.status_code)).inc()
            metrics.HTTP_DURATION.labels(SERVICE, route).observe(time.perf_counter() - started)
            return response
        wrapper.route_label = route  # the metrics' `route` label (tests/unit/intake: the labels stay as they are)
        return wrapper
    return decorate
