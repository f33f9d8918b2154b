"""Traces: W3C trace context on every event, OpenTelemetry spans, exported over OTLP/HTTP when configured.

Off by default. Without `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) no SDK is set up:
the OpenTelemetry API's no-op tracer answers every call, no span is recorded and nothing leaves the process. An
incoming `traceparent` (an HTTP header, an event's CloudEvents extension, a message header) still passes through
unchanged, because the no-op tracer hands the parent's context on: a caller's trace is not broken by a desk that
does not trace itself. `OTEL_SDK_DISABLED=true` turns tracing off even with an endpoint set.

Where the context travels:
- `emit` / `emit_external` write the current span's `traceparent` (and `tracestate` when there is one) into the
  envelope, the CloudEvents distributed-tracing extension: it is stored with the outbox row, so the trace survives
  the transaction, a relay restart and a broker outage;
- the relay publishes each row in a PRODUCER span, child of the envelope's context, and puts that span's context in
  the message's `traceparent` header (AMQP application header);
- a consumer's span is the child of the message header when there is one, else of the envelope's `traceparent`;
- an HTTP request's span is the child of the request's `traceparent` header, or a new root. An incoming
  `tracestate` is ignored at the HTTP edge: it is free text from outside, and whatever enters the envelope travels
  on to partners.

Span attributes are chosen here and nowhere else (SPAN_ATTRIBUTE_KEYS): service, entrypoint, event type, outcome,
HTTP method, route template and status, error class. Never a concrete URL, a reference, a body or an exception's
text (it may quote what it failed on).
"""
import re

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from libs.kit import config

TRACER_NAME = "voorportaal"
PROPAGATOR = TraceContextTextMapPropagator()
# the only attribute keys a span of ours may carry (a unit test holds every span to this list)
SPAN_ATTRIBUTE_KEYS = frozenset({
    "voorportaal.service", "voorportaal.entrypoint", "voorportaal.event_type", "voorportaal.outcome",
    "http.request.method", "http.route", "http.response.status_code", "error.type",
    "messaging.system", "messaging.operation.type", "messaging.destination.name", "messaging.message.id",
    "db.system.name",
})
# timers ticking more often than this are pollers and gauge refreshers: they start no trace
TIMER_MIN_INTERVAL_SECONDS = 60
_provider = None  # the SDK TracerProvider once configure() has set one up


def endpoint_configured() -> bool:
    if config.env_bool("OTEL_SDK_DISABLED", False):
        return False
    return bool(config.env("OTEL_EXPORTER_OTLP_ENDPOINT") or config.env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def configure(service, exporter=None):
    """Set up the SDK for this process when an OTLP endpoint is configured (or an exporter is given, in tests).
    Idempotent; returns True when spans are recorded. The SDK reads the standard OTEL_* variables itself
    (endpoint, headers, timeout, OTEL_TRACES_SAMPLER, OTEL_BSP_SCHEDULE_DELAY ...)."""
    global _provider
    if _provider is not None:
        return True
    if exporter is None and not endpoint_configured():
        return False
    # imported only here: a process that does not trace never loads the SDK
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        exporter = OTLPSpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": f"voorportaal-{service}",
                                                        "service.namespace": "voorportaal"}))
    provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    _provider = provider
    return True


def flush(timeout_millis=5000):
    """Send what is buffered (a stopping service or relay)."""
    if _provider is not None:
        _provider.force_flush(timeout_millis)


def tracer():
    return trace.get_tracer(TRACER_NAME)


# -- carrying the context -------------------------------------------------------------------------------------
TRACEPARENT = re.compile(r"^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$")


def current_trace_context() -> dict:
    """{"traceparent": ..., "tracestate": ...} of the current span (tracestate only when not empty), or {} when
    there is no valid span: what the CloudEvents distributed-tracing extension carries."""
    carrier = {}
    PROPAGATOR.inject(carrier)
    return {key: value for key, value in carrier.items() if key in ("traceparent", "tracestate") and value}


def context_from(traceparent, tracestate=None):
    """The OpenTelemetry context whose parent is `traceparent` (a malformed or missing one gives a new root)."""
    if not isinstance(traceparent, str) or not TRACEPARENT.match(traceparent):
        return otel_context.Context()
    carrier = {"traceparent": traceparent}
    if isinstance(tracestate, str) and tracestate:
        carrier["tracestate"] = tracestate[:512]  # W3C: at most 32 list members; keep the length bounded too
    return PROPAGATOR.extract(carrier, context=otel_context.Context())


def start_span(name, parent_context, kind, attributes):
    """Start a span (not current yet): the no-op tracer returns the parent's context unchanged."""
    return tracer().start_span(name, context=parent_context, kind=kind, attributes=attributes)


def activate(span):
    """Make `span` current in this greenthread or thread; returns the token for `deactivate`."""
    return otel_context.attach(trace.set_span_in_context(span))


def deactivate(token):
    otel_context.detach(token)


def mark_failed(span, exc_type):
    """Error status with the exception's class only: its text may quote what it failed on."""
    span.set_attribute("error.type", exc_type.__name__)
    span.set_status(Status(StatusCode.ERROR))


def set_outcome(outcome):
    """Name how the current span's work ended (`ok`, `duplicate`, ...)."""
    trace.get_current_span().set_attribute("voorportaal.outcome", outcome)


# -- HTTP routes ----------------------------------------------------------------------------------------------
_CONVERTER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def route_template(rule):
    """nameko/werkzeug rule → the template spans and metrics use: `/api/v1/complaints/<string:reference>` →
    `/api/v1/complaints/{reference}`. Never the concrete path: that would carry a reference."""
    return _CONVERTER.sub(r"{\1}", rule)


# -- database work --------------------------------------------------------------------------------------------
_SPAN_KEY = "voorportaal.transaction_span"


def instrument_engine(engine, service):
    """A span per database transaction (begin → commit or rollback), only inside traced work: the relay's polls
    and other background transactions without a recording parent make none. No statements, no parameters.
    Does nothing unless tracing is configured, so an untraced process pays no per-transaction cost."""
    if not endpoint_configured() and _provider is None:
        return
    from sqlalchemy import event
    system = engine.dialect.name

    def begin(conn):
        if not trace.get_current_span().is_recording():
            return
        stale = conn.info.pop(_SPAN_KEY, None)
        if stale is not None:
            stale.end()
        conn.info[_SPAN_KEY] = tracer().start_span(
            "db.transaction", kind=SpanKind.CLIENT,
            attributes={"db.system.name": system, "voorportaal.service": service})

    def end(outcome):
        def finish(conn):
            span = conn.info.pop(_SPAN_KEY, None)
            if span is not None:
                span.set_attribute("voorportaal.outcome", outcome)
                span.end()
        return finish

    event.listen(engine, "begin", begin)
    event.listen(engine, "commit", end("commit"))
    event.listen(engine, "rollback", end("rollback"))
