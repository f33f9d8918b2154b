"""Trace context propagation (libs/kit/tracing.py): emit → envelope, message header / envelope → consumer span,
HTTP header → request span, per-greenthread context under eventlet, trace ids in log lines, and the allowed
span attributes. Spans are recorded by a local SDK provider patched into `tracing.tracer`: the process-wide
provider is never set here, so other unit tests in this process stay untraced."""
import json
import subprocess
import sys
from datetime import datetime, timezone
from types import SimpleNamespace

import eventlet
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from sqlalchemy import MetaData, create_engine
from sqlalchemy.orm import Session

from libs.contracts.events import read_internal_event
from libs.kit import logs, tracing
from libs.kit.db import make_engine, outbox_table
from libs.kit.dependencies import worker_span
from libs.kit.outbox import emit, emit_external

PARENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT_SPAN = "00f067aa0ba902b7"
TRACEPARENT = f"00-{PARENT_TRACE}-{PARENT_SPAN}-01"
WITHDRAWN = {"case_ref": "VP-2026-ABCD-EFGH"}


@pytest.fixture()
def recorded(monkeypatch):
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(tracing, "tracer", lambda: provider.get_tracer("test"))
    monkeypatch.setattr(tracing, "_provider", provider)
    return exporter


def hex_ids(span):
    context = span.get_span_context()
    return format(context.trace_id, "032x"), format(context.span_id, "016x")


def test_route_template_never_carries_a_concrete_path():
    assert tracing.route_template("/api/v1/complaints/<string:reference>/messages/<string:message_id>") == \
        "/api/v1/complaints/{reference}/messages/{message_id}"
    assert tracing.route_template("/<path:path>") == "/{path}"
    assert tracing.route_template("/api/v1/complaints") == "/api/v1/complaints"


@pytest.mark.parametrize("bad", [None, "", "garbage", "00-" + "0" * 31 + "-00f067aa0ba902b7-01", 42,
                                 f"00-{PARENT_TRACE.upper()}-{PARENT_SPAN}-01"])
def test_a_malformed_traceparent_starts_a_new_trace(bad):
    parent = tracing.context_from(bad)
    assert not tracing.trace.get_current_span(parent).get_span_context().is_valid


def test_no_current_span_means_no_trace_attributes():
    assert tracing.current_trace_context() == {}


def test_emit_stores_the_current_span_in_the_envelope_and_it_still_validates(recorded):
    engine = create_engine("sqlite://")
    outbox = outbox_table(MetaData(), "intake")
    outbox.create(engine)
    span = tracing.start_span("POST /api/v1/complaints", tracing.otel_context.Context(), SpanKind.SERVER, {})
    token = tracing.activate(span)
    try:
        with Session(engine) as session:
            envelope = emit(session, outbox, "complaint.withdrawn", dict(WITHDRAWN))
            session.commit()
    finally:
        tracing.deactivate(token)
        span.end()
    trace_id, span_id = hex_ids(span)
    assert envelope["traceparent"].startswith(f"00-{trace_id}-{span_id}-")  # flags: sampled (and random id)
    assert "tracestate" not in envelope  # only when the trace has one
    with engine.connect() as conn:
        stored = json.loads(conn.execute(outbox.select()).one().body)
    assert stored["traceparent"] == envelope["traceparent"]
    assert read_internal_event(stored)[0] == "complaint.withdrawn"  # the extension is part of the schema


def test_emit_outside_a_trace_adds_nothing(recorded):
    engine = create_engine("sqlite://")
    outbox = outbox_table(MetaData(), "intake")
    outbox.create(engine)
    with Session(engine) as session:
        envelope = emit(session, outbox, "complaint.withdrawn", dict(WITHDRAWN))
    assert "traceparent" not in envelope and "tracestate" not in envelope


def test_emit_external_carries_traceparent_and_tracestate_of_the_current_context(recorded):
    engine = create_engine("sqlite://")
    outbox = outbox_table(MetaData(), "routing")
    outbox.create(engine)
    parent = tracing.context_from(TRACEPARENT, "vendor=opaque")
    span = tracing.start_span("process complaint.received", parent, SpanKind.CONSUMER, {})
    token = tracing.activate(span)
    try:
        with Session(engine) as session:
            envelope = emit_external(session, outbox, {"specversion": "1.0", "id": "x", "data": {}},
                                     "voorportaal.referrals.v1", "referral.kifid.created")
    finally:
        tracing.deactivate(token)
        span.end()
    assert envelope["traceparent"] == f"00-{PARENT_TRACE}-{hex_ids(span)[1]}-01"
    assert envelope["tracestate"] == "vendor=opaque"


def _event_worker(envelope, headers=None):
    entrypoint = SimpleNamespace(method_name="on_complaint_received", event_type="complaint.received")
    return SimpleNamespace(entrypoint=entrypoint, args=(envelope,), data=dict(headers or {}))


def test_a_consumer_span_continues_the_message_header_before_the_envelope(recorded):
    header_parent = f"00-{'a' * 32}-{'b' * 16}-01"
    span = worker_span("routing", _event_worker({"id": "e1", "traceparent": TRACEPARENT},
                                                {"traceparent": header_parent}))
    span.end()
    assert format(span.parent.trace_id, "032x") == "a" * 32 and format(span.parent.span_id, "016x") == "b" * 16
    assert span.kind == SpanKind.CONSUMER

    span = worker_span("routing", _event_worker({"id": "e2", "traceparent": TRACEPARENT}))
    span.end()
    assert format(span.parent.trace_id, "032x") == PARENT_TRACE
    assert format(span.parent.span_id, "016x") == PARENT_SPAN
    assert span.attributes["voorportaal.event_type"] == "complaint.received"


def test_an_event_without_trace_context_starts_a_root(recorded):
    span = worker_span("routing", _event_worker({"id": "e3"}))
    span.end()
    assert span.parent is None and span.get_span_context().is_valid


class HttpRequestHandler:  # named like nameko's: worker_span tells the entrypoints apart by class name
    def __init__(self, url, method_name):
        self.url, self.method_name = url, method_name


def _http_worker(url, headers):
    request = SimpleNamespace(method="GET", headers=headers, path="/api/v1/complaints/VP-SECRET-REF")
    return SimpleNamespace(entrypoint=HttpRequestHandler(url, "show_complaint"), args=(request, "VP-SECRET-REF"),
                           data={})


def test_an_http_span_continues_the_callers_trace_with_the_route_template_only(recorded):
    span = worker_span("intake", _http_worker("/api/v1/complaints/<string:reference>",
                                              {"traceparent": TRACEPARENT, "tracestate": "leak=CANARY"}))
    span.end()
    assert format(span.parent.trace_id, "032x") == PARENT_TRACE
    assert span.name == "GET /api/v1/complaints/{reference}"
    assert span.attributes["http.route"] == "/api/v1/complaints/{reference}"
    assert "VP-SECRET-REF" not in json.dumps(dict(span.attributes)) + span.name
    # an incoming tracestate is free text from outside: it does not enter our trace (and so not the envelopes)
    assert not span.get_span_context().trace_state


def test_an_http_request_without_traceparent_is_a_new_root(recorded):
    span = worker_span("intake", _http_worker("/api/v1/complaints", {}))
    span.end()
    assert span.parent is None and span.kind == SpanKind.SERVER


def test_every_span_attribute_key_is_on_the_allowed_list(recorded):
    worker_span("intake", _http_worker("/api/v1/complaints", {"traceparent": TRACEPARENT})).end()
    worker_span("routing", _event_worker({"id": "e4", "traceparent": TRACEPARENT})).end()
    engine = create_engine("sqlite://")
    tracing.instrument_engine(engine, "routing")
    span = tracing.start_span("work", tracing.otel_context.Context(), SpanKind.INTERNAL, {})
    token = tracing.activate(span)
    with engine.begin() as conn:
        conn.exec_driver_sql("SELECT 1")
    tracing.deactivate(token)
    span.end()
    finished = recorded.get_finished_spans()
    assert {s.name for s in finished} >= {"db.transaction", "process complaint.received", "GET /api/v1/complaints"}
    db_span = next(s for s in finished if s.name == "db.transaction")
    assert db_span.parent.span_id == span.get_span_context().span_id
    assert db_span.attributes["voorportaal.outcome"] == "commit"
    for finished_span in finished:
        assert set(finished_span.attributes) <= tracing.SPAN_ATTRIBUTE_KEYS, finished_span.name


def test_a_transaction_outside_traced_work_makes_no_span(recorded):
    engine = create_engine("sqlite://")
    tracing.instrument_engine(engine, "intake")
    with engine.begin() as conn:
        conn.exec_driver_sql("SELECT 1")
    assert recorded.get_finished_spans() == ()


def test_two_greenthreads_keep_their_own_current_span(recorded):
    """nameko runs each worker in its own greenthread: OpenTelemetry's contextvars context must not leak from one
    to the other while they interleave (greenlet gives each greenlet its own contextvars context)."""
    seen = {}

    def worker(name):
        span = tracing.start_span(name, tracing.otel_context.Context(), SpanKind.SERVER, {})
        token = tracing.activate(span)
        for _ in range(5):
            eventlet.sleep(0)  # hand over to the other worker while our span is current
            seen.setdefault(name, set()).add(tracing.trace.get_current_span().get_span_context().span_id)
        tracing.deactivate(token)
        span.end()
        return span.get_span_context().span_id

    first, second = eventlet.spawn(worker, "first"), eventlet.spawn(worker, "second")
    ids = {"first": first.wait(), "second": second.wait()}
    assert ids["first"] != ids["second"]
    assert seen == {"first": {ids["first"]}, "second": {ids["second"]}}
    assert not tracing.trace.get_current_span().get_span_context().is_valid  # nothing leaked into the caller


def test_log_lines_carry_the_trace_and_span_id(recorded):
    assert "trace_id" not in logs.add_trace_ids(None, "info", {})
    span = tracing.start_span("x", tracing.context_from(TRACEPARENT), SpanKind.INTERNAL, {})
    token = tracing.activate(span)
    try:
        line = logs.add_trace_ids(None, "info", {"event": "x"})
    finally:
        tracing.deactivate(token)
        span.end()
    assert line["trace_id"] == PARENT_TRACE and line["span_id"] == hex_ids(span)[1]


OFF_BY_DEFAULT = f"""
import os, sys
for name in [n for n in os.environ if n.startswith("OTEL_")]:
    del os.environ[name]
from libs.kit import tracing
assert tracing.configure("intake") is False
span = tracing.start_span("GET /", tracing.context_from("{TRACEPARENT}"), tracing.SpanKind.SERVER, {{}})
assert not span.is_recording()
token = tracing.activate(span)
print(tracing.current_trace_context()["traceparent"])
tracing.deactivate(token)
print("sdk loaded" if "opentelemetry.sdk.trace" in sys.modules else "no sdk")
"""


def test_off_by_default_records_nothing_loads_no_sdk_and_still_passes_a_callers_trace_on():
    done = subprocess.run([sys.executable, "-c", OFF_BY_DEFAULT], capture_output=True, text=True, timeout=60,
                          cwd=tracing.config.REPO_ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == [TRACEPARENT, "no", "sdk"]


def _timer_worker(interval):
    entrypoint = SimpleNamespace(method_name="tick", interval=interval)
    return SimpleNamespace(entrypoint=entrypoint, args=(), data={})


def test_a_slow_timer_starts_a_root_and_a_poller_starts_nothing(recorded):
    span = worker_span("routing", _timer_worker(60))
    span.end()
    assert span.is_recording() is False and span.parent is None and span.name == "tick"
    assert worker_span("notification", _timer_worker(0.2)) is tracing.trace.INVALID_SPAN
    assert [s.name for s in recorded.get_finished_spans()] == ["tick"]


class RecordingChannel:
    def __init__(self):
        self.published = []

    def basic_publish(self, exchange, routing_key, body, properties, mandatory):
        self.published.append((exchange, routing_key, properties.headers))


def _relay_with_one_row(tmp_path, envelope, traced):
    from libs.kit.relay import OutboxRelay
    relay = OutboxRelay("tracetest", make_engine(f"sqlite:///{tmp_path / 'outbox.db'}"), "amqp://unused")
    relay.outbox.create(relay.engine)  # the service's migrations make it in a real run
    relay.traced = traced
    relay.channel = RecordingChannel()
    with relay.engine.begin() as conn:
        conn.execute(relay.outbox.insert().values(
            event_id="e1", exchange="intake.events", routing_key="complaint.withdrawn",
            content_type="application/json", body=json.dumps(envelope), created_at=datetime.now(timezone.utc),
            next_attempt_at=datetime.now(timezone.utc), attempts=0))
    return relay


def test_the_relay_publishes_in_a_producer_span_named_by_the_message_header(recorded, tmp_path):
    relay = _relay_with_one_row(tmp_path, {"id": "e1", "traceparent": TRACEPARENT}, traced=True)
    assert relay.publish_batch() == 1
    (span,) = recorded.get_finished_spans()
    assert span.name == "publish complaint.withdrawn" and span.kind == SpanKind.PRODUCER
    assert format(span.parent.trace_id, "032x") == PARENT_TRACE and format(span.parent.span_id, "016x") == PARENT_SPAN
    (_exchange, _key, headers), = relay.channel.published
    assert headers["traceparent"].startswith(f"00-{PARENT_TRACE}-{hex_ids(span)[1]}-")
    assert set(span.attributes) <= tracing.SPAN_ATTRIBUTE_KEYS


def test_an_untraced_relay_adds_no_header_and_no_span(recorded, tmp_path):
    relay = _relay_with_one_row(tmp_path, {"id": "e1", "traceparent": TRACEPARENT}, traced=False)
    assert relay.publish_batch() == 1
    assert relay.channel.published == [("intake.events", "complaint.withdrawn", None)]
    assert recorded.get_finished_spans() == ()
