"""Traces on the real broker: one trace from intake's 201 to the partner's queue, exported over OTLP/HTTP to a
receiver of the test's own, with nothing personal in any span; two concurrent requests keep their own traces.

A platform of its own (intake, routing, casework and their relays, each a separate process) with
OTEL_EXPORTER_OTLP_ENDPOINT set: the session's `platform` stays untraced, as a deployment is by default."""
import json
import secrets
import threading
import uuid

import pytest

from devtools.local_platform import LocalPlatform
from support.otlp_receiver import OtlpReceiver
from support.platform import collect_partner_referrals, complaint, file_complaint, free_port, platform_env, wait_for
from support.resources import create_database, create_vhost, delete_vhost, drop_database

pytestmark = [pytest.mark.e2e, pytest.mark.broker, pytest.mark.postgres]
SERVICES = ("intake", "routing", "casework")


@pytest.fixture(scope="module")
def receiver():
    running = OtlpReceiver().start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def traced_platform(receiver, smtp, tmp_path_factory):
    name = f"vp_test_traces_{secrets.token_hex(4)}"
    create_vhost(name)
    create_database(name)
    amqp_uri = f"amqp://guest:guest@127.0.0.1:5672/{name}"
    controller, _handler = smtp
    web_port = free_port()
    env = platform_env(amqp_uri, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", controller.port,
                       tmp_path_factory.mktemp("traced-var"), web_port)
    env.update({"OTEL_EXPORTER_OTLP_ENDPOINT": receiver.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "100"})
    log_dir = tmp_path_factory.mktemp("traced-logs")
    running = LocalPlatform(env=env, log_dir=log_dir, services=SERVICES).start()
    running.base_url = f"http://127.0.0.1:{web_port}"
    running.amqp_uri = amqp_uri
    running.log_dir = log_dir
    try:
        yield running
    finally:
        running.stop()
        delete_vhost(name)
        drop_database(name)


def trace_id_of(traceparent):
    version, trace_id, span_id, _flags = traceparent.split("-")
    assert version == "00"
    return trace_id, span_id


def one(spans, **match):
    found = [span for span in spans if all(getattr(span, key) == value for key, value in match.items())]
    assert len(found) == 1, (match, [(s.service, s.name, s.kind) for s in spans])
    return found[0]


def test_one_trace_from_the_201_to_the_partners_queue_with_nothing_personal_in_it(traced_platform, receiver):
    canary = f"CANARY-{uuid.uuid4().hex}"
    address = f"{canary.lower()}@example.test"
    filed = file_complaint(traced_platform.base_url, complaint(
        description=f"They closed my account {canary}", contact={"method": "email", "address": address},
        consent={"referral": True, "share_description": False, "contact": True}))

    referral = collect_partner_referrals(traced_platform.amqp_uri, "kifid", 1, timeout=30)[0]
    trace_id, partner_parent = trace_id_of(referral["traceparent"])

    wanted = {("voorportaal-intake", "SERVER"), ("voorportaal-intake-relay", "PRODUCER"),
              ("voorportaal-routing", "CONSUMER"), ("voorportaal-routing-relay", "PRODUCER")}
    spans = wait_for(lambda: (lambda got: got if wanted <= {(s.service, s.kind) for s in got} else None)(
        receiver.trace(trace_id)), timeout=30, what="the trace's spans at the OTLP receiver")

    http = one(spans, service="voorportaal-intake", kind="SERVER")
    assert http.name == "POST /api/v1/complaints" and http.parent_span_id == ""  # no traceparent sent: a root
    assert http.attributes["http.route"] == "/api/v1/complaints"
    assert http.attributes["http.response.status_code"] == 201
    published = one(spans, service="voorportaal-intake-relay", name="publish complaint.received")
    assert published.parent_span_id == http.span_id
    handled = one(spans, service="voorportaal-routing", kind="CONSUMER", name="process complaint.received")
    assert handled.parent_span_id == published.span_id  # the message's traceparent header
    assert handled.attributes["voorportaal.outcome"] == "ok"
    assert handled.attributes["voorportaal.entrypoint"] == "on_complaint_received"
    # the partner's CloudEvent was made inside routing's handler: its traceparent names that span
    assert partner_parent == handled.span_id
    partner_publish = one(spans, service="voorportaal-routing-relay", name="publish voorportaal.referrals.v1")
    assert partner_publish.parent_span_id == handled.span_id
    # database work: a transaction span under the HTTP request and under routing's handler
    transactions = [s for s in spans if s.name == "db.transaction"]
    assert {s.parent_span_id for s in transactions} >= {http.span_id, handled.span_id}
    assert all(s.attributes["db.system.name"] == "postgresql" for s in transactions)

    # nothing personal anywhere in what left the services: not in spans, not in resources, not in raw bytes
    wait_for(lambda: len(receiver.spans) >= len(spans), timeout=5, what="spans")
    secrets_in_play = [canary, address, filed["reference"], filed["receipt"]]
    for body in list(receiver.raw_bodies):
        for secret in secrets_in_play:
            assert secret.encode() not in body and secret.lower().encode() not in body
    assert all(filed["reference"] not in s.name for s in receiver.spans)


def test_a_callers_traceparent_is_continued_and_concurrent_requests_keep_their_own(traced_platform, receiver):
    """Two requests at once, each with its own traceparent: nameko serves them in two greenthreads, and each
    partner referral continues its own request's trace (eventlet must not mix the contexts)."""
    callers = {f"{secrets.token_hex(16)}": f"{secrets.token_hex(8)}" for _ in range(2)}
    filed = {}

    def send(trace_id, span_id):
        filed[trace_id] = file_complaint(traced_platform.base_url, complaint(),
                                         headers={"traceparent": f"00-{trace_id}-{span_id}-01",
                                                  "tracestate": "leak=CANARY-TRACESTATE"})
    threads = [threading.Thread(target=send, args=item) for item in callers.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert set(filed) == set(callers)

    referrals = collect_partner_referrals(traced_platform.amqp_uri, "kifid", 2, timeout=30)
    assert {trace_id_of(event["traceparent"])[0] for event in referrals} == set(callers)
    assert all("tracestate" not in event for event in referrals)  # what a caller sends in it stays outside
    for trace_id, span_id in callers.items():
        spans = wait_for(lambda trace_id=trace_id: [s for s in receiver.trace(trace_id) if s.kind == "SERVER"],
                         timeout=30, what="the request span")
        assert spans[0].parent_span_id == span_id
        assert spans[0].service == "voorportaal-intake"
    assert all(b"CANARY-TRACESTATE" not in body for body in receiver.raw_bodies)


def test_log_lines_carry_the_trace_id(traced_platform):
    trace_id = secrets.token_hex(16)
    file_complaint(traced_platform.base_url, complaint(),
                   headers={"traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"})

    def logged():
        lines = (traced_platform.log_dir / "intake.log").read_text(errors="replace").splitlines()
        return [json.loads(line) for line in lines if trace_id in line and line.startswith("{")]
    lines = wait_for(logged, timeout=10, what="an intake log line with the trace id")
    assert "complaint.accepted" in {line["event"] for line in lines}
    assert all(line["trace_id"] == trace_id and len(line["span_id"]) == 16 for line in lines)
