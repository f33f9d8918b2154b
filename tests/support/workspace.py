"""The desk's workspace in a real browser, for the end-to-end tests: accounts made with the casework CLI against the
running platform, their first setup (password, second factor, recovery codes) and later sign-ins, and an axe-core
audit of each page (the workspace has no script at all, checked on every page)."""
import json
import re
import subprocess
import sys
import time

import pyotp

from support.browser import axe_available, axe_violations, new_page
from support.paths import REPO_ROOT
from support.platform import metric_value

PASSWORD = "a workspace password"


def casework_cli(platform, *args):
    result = subprocess.run([sys.executable, "-m", "services.casework.cli", *args], cwd=REPO_ROOT,
                            env=platform.env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-500:]
    return result.stdout


def add_account(platform, email, role, mediator_id=None):
    extra = ["--mediator-id", mediator_id] if mediator_id else []
    out = casework_cli(platform, "accounts", "add", email, "--name", email.split("@")[0], "--role", role, *extra)
    return re.search(r"setup code[^:]*: (\S+)$", out.strip()).group(1)


def workspace(platform):
    return f"http://{platform.env['CASEWORK_WEB_ADDRESS']}"


def key_directory_version(platform):
    return metric_value(platform.ops_port("intake"), "voorportaal_intake_key_directory_version") or 0


class Audit:
    """axe-core on each page as shown (axe needs the page's JavaScript turned on to run; the workspace itself has no
    script at all, which is checked on every page here)."""

    def __init__(self):
        self.findings = {}

    def __call__(self, page, name):
        assert "<script" not in page.content(), f"{name}: the workspace must work without JavaScript"
        if axe_available():
            violations = axe_violations(page)
            if violations:
                self.findings[name] = violations

    def assert_clean(self):
        assert not self.findings, "axe found violations:\n" + json.dumps(self.findings, indent=1)


def set_up(browser, platform, email, code, audit):
    """The member's first visit: setup code and password, the authenticator app, the recovery codes."""
    page, _log = new_page(browser, javascript=True)
    page.goto(f"{workspace(platform)}/setup")
    audit(page, "setup")
    page.fill("#email", email)
    page.fill("#setup_code", code)
    page.fill("#password", PASSWORD)
    page.fill("#password_again", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "/setup/second-factor" in page.url, page.inner_text("main")[:300]
    audit(page, "second factor setup")
    secret = page.inner_text("figcaption code").replace(" ", "")
    page.fill("#code", pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.click("main form.stack button[type=submit]")
    audit(page, "recovery codes")
    assert len(page.query_selector_all("ul.codes li")) == 10
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page, secret


def sign_in(browser, platform, email, secret, audit=None):
    page, _log = new_page(browser, javascript=True)
    page.goto(f"{workspace(platform)}/sign-in")
    if audit:
        audit(page, "sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    # the code of the next 30-second step: the one shown at setup is spent (each step is accepted once), and the
    # server accepts the neighbouring step for clock drift
    page.fill("#code", pyotp.TOTP(secret).at(time.time() + 30))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    return page


