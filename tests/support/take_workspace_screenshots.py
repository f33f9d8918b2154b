"""Screenshots of the desk's workspace for the README (docs/screenshots/workspace-*.png), from `make run`.

    make run &                                                          # demo accounts on (local runs only)
    .venv/bin/python tests/support/take_workspace_screenshots.py [INTAKE_URL] [WORKSPACE_URL] [VAR_DIR]
    # defaults: http://127.0.0.1:8000 http://127.0.0.1:8005 var

Files one throwaway complaint through the API (demo text, no real person), signs in as the demo case handler with
the password and second-factor secret `make run` wrote to VAR_DIR/demo-accounts.json, and shoots the queue and the
case page at laptop width.
"""
import json
import sys
import time
from pathlib import Path

import pyotp
import requests

sys.path[0] = str(Path(__file__).resolve().parents[1])   # tests/, not tests/support/

from support.browser import close_shared_browser, shared_browser  # noqa: E402

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
LAPTOP = {"width": 1280, "height": 800}
HANDLER = "handler@voorportaal.test"
DEMO_COMPLAINT = {
    "institution_type": "municipality", "issue": "permit", "capacity": "private",
    "municipality": "GM0363", "language": "ro", "reporter_role": "sex_worker", "wants_mediation": True,
    "description": "Demo: two inspectors came at night and took photos of my papers without saying why.",
    "consent": {"referral": True, "share_description": False, "contact": False, "share_with_mediator": True},
}


def main(intake="http://127.0.0.1:8000", workspace="http://127.0.0.1:8005", var_dir="var"):
    filed = requests.post(f"{intake}/api/v1/complaints", json=DEMO_COMPLAINT, timeout=10)
    filed.raise_for_status()
    reference = filed.json()["reference"]
    account = json.loads((Path(var_dir) / "demo-accounts.json").read_text())[HANDLER]
    context = shared_browser().new_context(viewport=LAPTOP, device_scale_factor=1, locale="en-GB")
    page = context.new_page()
    page.goto(f"{workspace}/sign-in")
    page.fill("#email", HANDLER)
    page.fill("#password", account["password"])
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.fill("#code", pyotp.TOTP(account["totp_secret"]).now())
    with page.expect_navigation():
        page.click("main button[type=submit]")
    deadline = time.monotonic() + 30
    while True:   # the sealed case file reaches casework through the broker
        page.goto(f"{workspace}/queue?list=new")
        if reference in page.content() or time.monotonic() > deadline:
            break
        time.sleep(1)
    page.screenshot(path=str(OUT / "workspace-queue.png"), animations="disabled", caret="hide")
    page.goto(f"{workspace}/cases/{reference}")
    page.screenshot(path=str(OUT / "workspace-case.png"), animations="disabled", caret="hide")
    context.close()
    close_shared_browser()
    for name in ("workspace-queue", "workspace-case"):
        print(f"docs/screenshots/{name}.png: {(OUT / f'{name}.png').stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(*sys.argv[1:])
