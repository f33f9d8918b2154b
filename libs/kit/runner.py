"""Start one nameko service without the `nameko` CLI (which needs pkg_resources, gone from current setuptools).

Importing this module monkey-patches the standard library for eventlet, so it must be imported first.
"""
import os
import sys
import warnings

# structlog renders with rich when it is importable, and a test tool (schemathesis) installs rich in the dev venv:
# 5 MB of rich and pygments in every service process (make bench, idle memory; issue 21), for console renderers
# our JSON logs never use. A production image has no rich; this makes a dev run import what production imports.
sys.modules.setdefault("rich", None)

# psycopg 3 picks its C wait function, which blocks the whole process under eventlet (psycopg supports gevent,
# not eventlet): one slow query stalled every request. select() is monkey-patched below, so the pure-Python
# wait_select lets other greenthreads run while a query waits. Must be set before psycopg is imported.
os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
# eventlet's green DNS resolver pulls in dnspython (~8 MB per process). Our services resolve only the broker's and
# the database's host names, when a connection opens; the system resolver's short block then is a fair trade.
os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()

import errno  # noqa: E402
import gc  # noqa: E402
import signal  # noqa: E402

from nameko.runners import ServiceRunner  # noqa: E402

from libs.kit import nameko_fixes  # noqa: E402
from libs.kit.config import ConfigError, env  # noqa: E402
from libs.kit.logs import configure_logging  # noqa: E402
from libs.kit.relay_in_service import InServiceRelay, relay_mode  # noqa: E402
from libs.kit import web_security  # noqa: E402


def run(service_cls, make_config):
    configure_logging(service_cls.name, env("LOG_LEVEL"))
    nameko_fixes.install()
    web_security.install()  # baseline security headers on every response, nameko's own 404/405/500 too
    try:
        nameko_config = make_config()
        relay = InServiceRelay(service_cls.name) if relay_mode() == "in-service" else None
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        sys.exit(2)
    runner = ServiceRunner(nameko_config)
    runner.add_service(service_cls)

    stopping = []

    def stop():
        if relay is not None:
            relay.stop()  # its batch ends (committed or rolled back) before the service's connections close
            relay.wait()
        runner.stop()

    def shutdown(_signum, _frame):
        # Once only: Ctrl-C under `make run` reaches every process of the terminal's group and then LocalPlatform
        # sends SIGTERM too; a second runner.stop() made nameko's timers raise "re-send() an already-triggered
        # event" tracebacks while stopping. Signal handlers cannot use eventlet primitives directly: spawn.
        if not stopping:
            stopping.append(True)
            eventlet.spawn_n(stop)

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    runner.start()
    if relay is not None:
        relay.start()  # after the service's own queues are declared
    # Everything made while starting (modules, catalogues, compiled templates and schemas) lives as long as the
    # process: moved out of the collector's generations, a full collection no longer walks it, which kept the form
    # page's slowest responses at tens of milliseconds (make bench, TTFB p99; issue 21)
    gc.freeze()
    waiter = eventlet.spawn(runner.wait)
    while True:
        try:
            waiter.wait()
            break
        except OSError as exc:
            if exc.errno != errno.EINTR:
                raise
