"""The ops port: /metrics, /health/live and /health/ready, served from a background (green) thread."""
import os
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import make_wsgi_app

from libs.kit.web_security import with_baseline_headers


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # wsgiref would print client addresses to stderr
        pass


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


def ops_app(is_ready):
    metrics_app = make_wsgi_app()

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/metrics":
            return metrics_app(environ, start_response)
        if path == "/health/live":
            start_response("200 OK", [("Content-Type", "application/json")])
            return [b'{"status":"live"}']
        if path == "/health/ready":
            ready = bool(is_ready())
            start_response("200 OK" if ready else "503 Service Unavailable", [("Content-Type", "application/json")])
            return [b'{"status":"ready"}' if ready else b'{"status":"not ready"}']
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [b'{"error":{"code":"not_found","message":"Not found"}}']
    return app


def _named(app):
    """wsgiref would announce 'WSGIServer/0.2 CPython/3.x' (its software versions) in a Server header."""
    def named(environ, start_response):
        def start(status, headers, *exc_info):
            return start_response(status, [*headers, ("Server", "voorportaal")], *exc_info)
        return app(environ, start)
    return named


def serve_ops(port, is_ready=lambda: True, host=None):
    host = host or os.environ.get("OPS_BIND_HOST", "127.0.0.1")
    app = _named(with_baseline_headers(ops_app(is_ready)))
    server = make_server(host, port, app, server_class=_ThreadingWSGIServer, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="ops-http", daemon=True)
    thread.start()
    return server
