"""The baseline for the intake throughput ratio: a bare nameko HTTP service that accepts a POST and does no
work (no validation, encryption, storage or events). Its rate is the framework's ceiling on this machine."""
from libs.kit import runner  # noqa: F401  (eventlet monkey-patching first)

import os  # noqa: E402

from nameko.web.handlers import http  # noqa: E402
from werkzeug.wrappers import Response  # noqa: E402


# the TTFB floor: a static page the size of the form's first step, sent without any work
PAGE = "<!doctype html><html><body>" + "x" * 16500 + "</body></html>"


class BareService:
    name = "bench_baseline"

    @http("POST", "/api/v1/complaints")
    def accept(self, request):
        request.get_data()
        return Response('{"reference":"VP-0000-0000"}', status=201, mimetype="application/json")

    @http("GET", "/<string:lang>/form")
    def page(self, request, lang):
        return Response(PAGE, mimetype="text/html")


if __name__ == "__main__":
    runner.run(BareService, lambda: {"AMQP_URI": os.environ["AMQP_URI"], "max_workers": 10,
                                     "WEB_SERVER_ADDRESS": os.environ["WEB_SERVER_ADDRESS"]})
