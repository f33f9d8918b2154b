"""Trace context per nameko worker under eventlet's monkey-patching, as in a running service: two requests served
at the same moment, each with its own `traceparent`, never see each other's context (OpenTelemetry keeps it in
`contextvars`; each greenthread has its own). Tracing is off here, as by default: the no-op span still carries the
caller's context, which is what reaches the envelopes."""
import threading

import eventlet
import requests
from nameko.web.handlers import http

from libs.kit import tracing
from libs.kit.dependencies import Ops
from support.platform import free_port


IN_FLIGHT = {"now": 0, "peak": 0}


class TraceProbe:
    name = "traceprobe"
    ops = Ops("intake")  # the dependency every service has: it makes the worker's span current

    @http("GET", "/probe/<string:label>")
    def probe(self, request, label):
        IN_FLIGHT["now"] += 1
        IN_FLIGHT["peak"] = max(IN_FLIGHT["peak"], IN_FLIGHT["now"])
        seen = [tracing.current_trace_context().get("traceparent")]
        eventlet.sleep(0.5)  # the other requests run now, each with its own span current
        seen.append(tracing.current_trace_context().get("traceparent"))
        IN_FLIGHT["now"] -= 1
        return 200, ",".join(str(item) for item in seen)


def test_two_concurrent_requests_keep_their_own_trace_context(container_factory, fresh_amqp_uri, monkeypatch):
    monkeypatch.delenv("OTEL_EXPORTER_OTLP_ENDPOINT", raising=False)
    monkeypatch.setenv("INTAKE_METRICS_PORT", str(free_port()))
    address = f"127.0.0.1:{free_port()}"
    container = container_factory(TraceProbe, {"AMQP_URI": fresh_amqp_uri, "WEB_SERVER_ADDRESS": address})
    container.start()
    parents = {label: f"00-{label * 32}-{label * 16}-01" for label in ("a", "b", "c")}
    answers = {}

    def call(label):
        answers[label] = requests.get(f"http://{address}/probe/{label}",
                                      headers={"traceparent": parents[label]}, timeout=10).text
    threads = [threading.Thread(target=call, args=(label,)) for label in parents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)
    assert set(answers) == set(parents)
    assert IN_FLIGHT["peak"] >= 2  # the requests did overlap: otherwise this test would prove nothing
    for label, parent in parents.items():
        assert answers[label].split(",") == [parent, parent], label
    plain = requests.get(f"http://{address}/probe/d", timeout=10).text
    assert plain == "None,None"  # no caller's trace, tracing off: nothing to carry
