"""pytest plugin for the in-process service tier (tests/service): eventlet's monkey-patching before anything else
is imported, as in a running service (libs/kit/runner.py).

Loaded with `-p support.eventlet_first` in a pytest process of its own (`make test-service`): patching later, from a
conftest, is too late (psycopg would keep its blocking wait function), and the browser tests must stay unpatched
(Playwright never returns inside eventlet's hub). Also makes pytest-timeout use SIGALRM: patched, it falls back
to a thread that ends the whole session with os._exit, leaving vhosts behind; with the alarm a hung test fails alone.
"""
import os
import signal
import tempfile
import warnings

# read when libs/kit/config.py is imported (at collection): generated local secrets must not land in the repo's var/
os.environ.setdefault("VOORPORTAAL_VAR_DIR", tempfile.mkdtemp(prefix="vp-service-tests-"))
os.environ.setdefault("PSYCOPG_WAIT_FUNC", "wait_select")
os.environ.setdefault("EVENTLET_NO_GREENDNS", "yes")
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
import eventlet  # noqa: E402

eventlet.monkey_patch()

import pytest  # noqa: E402


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_timeout_set_timer(item, settings):
    def timed_out(_signum, _frame):
        pytest.fail(f"timed out after {settings.timeout} s", pytrace=False)
    signal.signal(signal.SIGALRM, timed_out)
    signal.setitimer(signal.ITIMER_REAL, settings.timeout)
    return True


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_timeout_cancel_timer(item):
    signal.setitimer(signal.ITIMER_REAL, 0)
    return True
