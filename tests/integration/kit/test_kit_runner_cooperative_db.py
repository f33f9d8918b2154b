"""Under the service runner, a query waiting on PostgreSQL lets the other workers of the process run.

psycopg 3's default (C) wait blocks the whole eventlet process; libs.kit.runner selects the pure-Python
wait. This runs in a subprocess because monkey-patching the test process would change every other test.
"""
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from support.paths import REPO_ROOT

pytestmark = pytest.mark.postgres
REPO = REPO_ROOT

CONCURRENT_SLEEPS = textwrap.dedent("""
    import sys, time
    import libs.kit.runner  # noqa: F401  (monkey-patches, chooses psycopg's wait function)
    import eventlet, psycopg
    from psycopg import waiting

    def sleep_in_postgres():
        with psycopg.connect(sys.argv[1]) as connection:
            connection.execute("SELECT pg_sleep(0.4)")

    started = time.monotonic()
    pool = eventlet.GreenPool()
    for _ in range(5):
        pool.spawn(sleep_in_postgres)
    pool.waitall()
    print(waiting.wait.__name__, round(time.monotonic() - started, 3))
""")


def test_five_concurrent_queries_overlap_instead_of_queueing(pg_url):
    url = pg_url.replace("postgresql+psycopg://", "postgresql://")
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", CONCURRENT_SLEEPS, url], cwd=REPO,
                            capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-2000:]
    wait_function, seconds = result.stdout.split()
    assert wait_function == "wait_select"
    # serialised, five 0.4 s sleeps take 2 s; overlapped about 0.4 s plus connection set-up
    assert float(seconds) < 1.2, seconds
